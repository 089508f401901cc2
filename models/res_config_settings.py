# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .dealer_evaluation_campaign import PERIOD_PARAM
from .dealer_selections import EVALUATION_PERIODS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_evaluation_period_months = fields.Selection(
        EVALUATION_PERIODS,
        string="Evaluation Period",
        default="3",
        config_parameter=PERIOD_PARAM,
        help="The evaluation campaign creates a draft evaluation of every active "
        "dealer for each period of this length, counted from January.",
    )
    dealer_tier_basis = fields.Selection(
        related="company_id.dealer_tier_basis", readonly=False
    )
    dealer_tier_window_months = fields.Integer(
        related="company_id.dealer_tier_window_months", readonly=False
    )
    dealer_tier_threshold_a = fields.Float(
        related="company_id.dealer_tier_threshold_a", readonly=False
    )
    dealer_tier_threshold_b = fields.Float(
        related="company_id.dealer_tier_threshold_b", readonly=False
    )
    dealer_target_source = fields.Selection(
        related="company_id.dealer_target_source", readonly=False
    )
    dealer_overstock_weeks = fields.Float(
        related="company_id.dealer_overstock_weeks", readonly=False
    )
    dealer_rebate_accrual_journal_id = fields.Many2one(
        related="company_id.dealer_rebate_accrual_journal_id", readonly=False
    )
    dealer_rebate_accrued_account_id = fields.Many2one(
        related="company_id.dealer_rebate_accrued_account_id", readonly=False
    )
    dealer_rebate_expense_account_id = fields.Many2one(
        related="company_id.dealer_rebate_expense_account_id", readonly=False
    )
    dealer_rebate_accrual_detail = fields.Selection(
        related="company_id.dealer_rebate_accrual_detail", readonly=False
    )
    dealer_fund_second_approval_amount = fields.Monetary(
        related="company_id.dealer_fund_second_approval_amount",
        currency_field="currency_id",
        readonly=False,
    )
    dealer_fund_settlement = fields.Selection(
        related="company_id.dealer_fund_settlement", readonly=False
    )
    dealer_fund_proof_max_mb = fields.Integer(
        related="company_id.dealer_fund_proof_max_mb", readonly=False
    )
