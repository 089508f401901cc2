# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerFundRuleApply(models.TransientModel):
    _name = "dealer.fund.rule.apply"
    _description = "Set the Funds of a Period by a Rule"

    rule_id = fields.Many2one(
        "dealer.fund.rule",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    date_start = fields.Date(string="Period Start", required=True)

    def action_confirm(self):
        self.ensure_one()
        funds = self.rule_id.action_apply(self.date_start)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_fund_action"
        )
        action["domain"] = [("id", "in", funds.ids)]
        return action
