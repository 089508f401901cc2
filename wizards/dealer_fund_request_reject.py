# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerFundRequestReject(models.TransientModel):
    _name = "dealer.fund.request.reject"
    _description = "Reject a Market-Expense Request"

    request_id = fields.Many2one(
        "dealer.fund.request",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    reason = fields.Text(
        required=True, help="Why the request is rejected: the dealer sees it."
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
