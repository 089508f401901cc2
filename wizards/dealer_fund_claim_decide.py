# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerFundClaimDecide(models.TransientModel):
    _name = "dealer.fund.claim.decide"
    _description = "Reduce or Reject a Market-Expense Claim"

    claim_id = fields.Many2one(
        "dealer.fund.claim",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    currency_id = fields.Many2one(related="claim_id.currency_id")
    reimbursable_amount = fields.Monetary(related="claim_id.reimbursable_amount")
    decision = fields.Selection(
        [("reduce", "Reduce"), ("reject", "Reject")], required=True, default="reduce"
    )
    amount = fields.Monetary(string="Granted")
    reason = fields.Text(
        required=True, help="Why the claim is reduced or rejected: the dealer sees it."
    )

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "reduce":
            self.claim_id.action_reduce(self.amount, self.reason)
        else:
            self.claim_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
