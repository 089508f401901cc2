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
    salesperson_id = fields.Many2one("res.users", readonly=True)
    not_due = fields.Monetary(readonly=True, currency_field="currency_id")
    days_1_30 = fields.Monetary(
        string="1-30", readonly=True, currency_field="currency_id"
    )
    days_31_60 = fields.Monetary(
        string="31-60", readonly=True, currency_field="currency_id"
    )
    days_61_90 = fields.Monetary(
        string="61-90", readonly=True, currency_field="currency_id"
    )
    days_90_plus = fields.Monetary(
        string="90+", readonly=True, currency_field="currency_id"
    )
    total = fields.Monetary(readonly=True, currency_field="currency_id")
    warning_count = fields.Integer(
        string="Open Warnings", compute="_compute_warning_count"
    )
    statement_id = fields.Many2one(
        "dealer.account.statement",
        string="Last Statement Answer",
        compute="_compute_statement_id",
        help="The dealer's answer to its latest statement of account on the portal.",
    )
    statement_state = fields.Selection(
        [("confirmed", "Confirmed"), ("disputed", "Disputed")],
        string="Statement Answer",
        compute="_compute_statement_id",
    )

    @property
    def _table_query(self):
        """The receivables of every dealer as the measurement layer defines them, on the
        user's (or company's) today, passed as a parameter: never the database's own
        date, which under Asia/Shanghai differs eight hours a day."""
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT r.id, r.partner_id, r.company_id, partner.user_id AS salesperson_id,
                   r.not_due, r.days_1_30, r.days_31_60, r.days_61_90, r.days_90_plus,
                   r.open AS total
              FROM (%s) r
              JOIN res_partner partner ON partner.id = r.partner_id
            """,
            self.env["dealer.measure"]._receivables_sql(today),
        )

    def _compute_statement_id(self):
        """The latest answer of each dealer and company: one grouped query."""
        latest = {
            (partner.id, company.id): month
            for partner, company, month in self.env[
                "dealer.account.statement"
            ]._read_group(
                [("partner_id", "in", self.partner_id.ids)],
                groupby=["partner_id", "company_id"],
                aggregates=["month:max"],
            )
        }
        statements = self.env["dealer.account.statement"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("month", "in", list(set(latest.values()))),
            ]
        )
        by_key = {(s.partner_id.id, s.company_id.id, s.month): s for s in statements}
        for row in self:
            key = (row.partner_id.id, row.company_id.id)
            row.statement_id = by_key.get((*key, latest.get(key)), False)
            row.statement_state = row.statement_id.state

    def _compute_warning_count(self):
        groups = self.env["dealer.warning"]._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("warning_type", "in", ("receivable_overdue", "credit_usage")),
                ("state", "in", ("open", "acknowledged")),
            ],
            groupby=["partner_id", "company_id"],
            aggregates=["__count"],
        )
        counts = {(partner.id, company.id): count for partner, company, count in groups}
        for row in self:
            row.warning_count = counts.get((row.partner_id.id, row.company_id.id), 0)

    def action_view_warnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_warning_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
            ("warning_type", "in", ("receivable_overdue", "credit_usage")),
        ]
        return action
