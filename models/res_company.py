# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .dealer_selections import BASES


class ResCompany(models.Model):
    _inherit = "res.company"

    dealer_tier_basis = fields.Selection(BASES, string="Tier Basis", default="revenue")
    dealer_tier_window_months = fields.Integer(
        string="Tier Window (Months)", default=12
    )
    dealer_tier_threshold_a = fields.Float(string="A Tier Threshold (%)", default=80.0)
    dealer_tier_threshold_b = fields.Float(string="B Tier Threshold (%)", default=95.0)
    dealer_target_source = fields.Selection(
        [("invoice", "Posted Invoices"), ("sale", "Confirmed Sale Orders")],
        string="Target Achievement From",
        default="invoice",
        help="What counts towards a dealer's sales target: net invoiced revenue, or "
        "the untaxed amount of the sale orders confirmed in the period.",
    )

    dealer_overstock_weeks = fields.Float(
        string="Overstock Above (Weeks of Cover)",
        default=12.0,
        help="A dealer's stock of a product is flagged as overstock beyond this cover.",
    )

    @api.constrains(
        "dealer_tier_threshold_a",
        "dealer_tier_threshold_b",
        "dealer_tier_window_months",
    )
    def _check_dealer_tier_settings(self):
        for company in self:
            self.env["dealer.tier.run"]._check_tier_settings(
                company.dealer_tier_threshold_a,
                company.dealer_tier_threshold_b,
                company.dealer_tier_window_months,
            )
