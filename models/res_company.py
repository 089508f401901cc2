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
        [
            ("invoice", "Posted Invoices"),
            ("sale", "Confirmed Sale Orders"),
            ("paid", "Paid Sales"),
        ],
        string="Target Achievement From",
        default="invoice",
        help="What counts towards a dealer's sales target: net invoiced revenue, the "
        "untaxed amount of the sale orders confirmed in the period, or the sales paid "
        "in the period (as a rebate program of paid sales counts them).",
    )

    dealer_rebate_accrual_journal_id = fields.Many2one(
        "account.journal",
        string="Rebate Accrual Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
    )
    dealer_rebate_accrued_account_id = fields.Many2one(
        "account.account",
        string="Accrued Rebates Account",
        domain="[('account_type', '=', 'liability_current')]",
        help="A current liability: the rebates owed and not settled yet.",
    )
    dealer_rebate_expense_account_id = fields.Many2one(
        "account.account",
        string="Rebate Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost', 'income', "
        "'income_other'))]",
        help="The rebate expense, or the deduction of sales, the accruals are posted "
        "to.",
    )
    dealer_rebate_accrual_detail = fields.Selection(
        [("dealer", "One Line per Dealer"), ("program", "One Line per Program")],
        string="Accrual Entry Lines",
        default="dealer",
    )
    dealer_overstock_weeks = fields.Float(
        string="Overstock Above (Weeks of Cover)",
        default=12.0,
        help="A dealer's stock of a product is flagged as overstock beyond this cover.",
    )

    dealer_fund_second_approval_amount = fields.Monetary(
        string="Second Approval of Requests Above",
        help="A market-expense request asking more than this is approved by a Dealer "
        "Director after the Dealer Manager (0: never).",
    )
    dealer_fund_settlement = fields.Selection(
        [("credit_note", "Credit Note"), ("vendor_bill", "Vendor Bill")],
        string="Claims Settled By",
        default="credit_note",
        required=True,
        help="A granted market-expense claim is settled by a credit note to the dealer "
        "(deducted from his next orders) or by a vendor bill (paid to him).",
    )
    dealer_fund_proof_max_mb = fields.Integer(
        string="Proof Files up to (MB)",
        default=10,
        help="The largest photo or PDF a dealer may give as the proof of a claim.",
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
