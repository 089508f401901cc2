# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerWarningDismiss(models.TransientModel):
    _name = "dealer.warning.dismiss"
    _description = "Dismiss a Dealer Warning"

    warning_id = fields.Many2one(
        "dealer.warning",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.warning_id.action_dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
