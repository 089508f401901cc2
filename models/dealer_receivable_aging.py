# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Receivables aging per dealer (应收账款账龄), for accountants: not due, 1-30, 31-60,
61-90 and over 90 days past due, with the dealer's open receivable warnings."""
from odoo import fields, models
from odoo.tools import SQL


class DealerReceivableAging(models.Model):
    _name = "dealer.receivable.aging"
    _description = "Dealer Receivables Aging"
    _auto = False
    _order = "total desc"

    partner_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    salesperson_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    not_due = fields.Monetary(readonly=True, currency_field="currency_id")
    days_1_30 = fields.Monetary(string="1-30", readonly=True, currency_field="currency_id")
    days_31_60 = fields.Monetary(string="31-60", readonly=True, currency_field="currency_id")
    days_61_90 = fields.Monetary(string="61-90", readonly=True, currency_field="currency_id")
    days_90_plus = fields.Monetary(string="90+", readonly=True, currency_field="currency_id")
    total = fields.Monetary(readonly=True, currency_field="currency_id")
    warning_count = fields.Integer(string="Open Warnings", compute="_compute_warning_count")

    @property
    def _table_query(self):
        """Computed at each read with the user's (or company's) today as a parameter,
        never the database session's own date: under Asia/Shanghai the two differ
        eight hours a day."""
        today = fields.Date.context_today(self)
        days_late = SQL("(%s::date - aml.date_maturity)", today)

        def bucket(low, high):
            return SQL("SUM(CASE WHEN %s BETWEEN %s AND %s THEN aml.amount_residual "
                       "ELSE 0 END)", days_late, low, high)

        return SQL(
            """
            SELECT MIN(aml.id) AS id, aml.partner_id, aml.company_id,
                   partner.user_id AS salesperson_id,
                   SUM(CASE WHEN aml.date_maturity IS NULL OR %(late)s <= 0
                            THEN aml.amount_residual ELSE 0 END) AS not_due,
                   %(b1)s AS days_1_30, %(b2)s AS days_31_60, %(b3)s AS days_61_90,
                   SUM(CASE WHEN %(late)s > 90 THEN aml.amount_residual ELSE 0 END)
                       AS days_90_plus,
                   SUM(aml.amount_residual) AS total
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_partner partner ON partner.id = aml.partner_id
             WHERE aml.parent_state = 'posted' AND NOT aml.reconciled
               AND account.account_type = 'asset_receivable'
               AND aml.amount_residual != 0 AND partner.is_dealer
             GROUP BY aml.partner_id, aml.company_id, partner.user_id
            """, late=days_late, b1=bucket(1, 30), b2=bucket(31, 60), b3=bucket(61, 90))

    def _compute_warning_count(self):
        groups = self.env["dealer.warning"]._read_group(
            [("partner_id", "in", self.partner_id.ids),
             ("warning_type", "in", ("receivable_overdue", "credit_usage")),
             ("state", "in", ("open", "acknowledged"))],
            groupby=["partner_id", "company_id"], aggregates=["__count"])
        counts = {(partner.id, company.id): count for partner, company, count in groups}
        for row in self:
            row.warning_count = counts.get((row.partner_id.id, row.company_id.id), 0)

    def action_view_warnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_warning_action")
        action["domain"] = [("partner_id", "=", self.partner_id.id),
                            ("company_id", "=", self.company_id.id),
                            ("warning_type", "in", ("receivable_overdue", "credit_usage"))]
        return action
