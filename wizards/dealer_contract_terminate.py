# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerContractTerminate(models.TransientModel):
    _name = "dealer.contract.terminate"
    _description = "Terminate a Dealer Contract"

    contract_id = fields.Many2one(
        "dealer.contract",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.contract_id.action_terminate(self.reason)
        return {"type": "ir.actions.act_window_close"}
