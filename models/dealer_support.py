# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Support given to dealers (经销商支援): advertising, promotions, training, staff,
display material. Their cost, with what the market-expense claims granted
(``dealer_fund_claim.py``), is the numerator of the sales expense ratio."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .dealer_selections import SUPPORT_TYPES


class DealerSupport(models.Model):
    _name = "dealer.support"
    _description = "Dealer Support"
    _inherit = ["dealer.document.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _governed_extra = ("state",)

    name = fields.Char(string="Description", required=True, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    support_type = fields.Selection(
        SUPPORT_TYPES, string="Type", required=True, default="promotion", tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    cost = fields.Monetary(
        currency_field="currency_id", tracking=True, aggregator="sum"
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Given"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    note = fields.Html()

    @api.constrains("cost")
    def _check_cost(self):
        for support in self:
            if support.cost < 0:
                raise ValidationError(
                    _(
                        "The cost of a support cannot be negative (%(name)s).",
                        name=support.name,
                    )
                )

    def action_done(self):
        if self.filtered(lambda s: s.state != "planned"):
            raise UserError(_("Only planned support is marked as given."))
        self._governed_write({"state": "done"})

    def action_cancel(self):
        if self.filtered(lambda s: s.state == "cancelled"):
            raise UserError(_("This support is cancelled already."))
        self._governed_write({"state": "cancelled"})

    @api.model
    def _support_costs(self, company, partner_ids, date_from, date_to):
        """{dealer id: cost of the support given in the window}: the support given
        directly (by its date) and what the approved and settled market-expense claims
        granted (by the activity's start), in one grouped query. The one figure of the
        sales expense ratio: the warning rule, the evaluation measure and the
        scorecard read it here."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, SUM(cost) FROM (
                SELECT partner_id, cost FROM dealer_support
                 WHERE company_id = %(company)s AND partner_id = ANY(%(dealers)s)
                   AND state = 'done' AND date BETWEEN %(start)s AND %(end)s
                UNION ALL
                SELECT partner_id, granted_amount FROM dealer_fund_claim
                 WHERE company_id = %(company)s AND partner_id = ANY(%(dealers)s)
                   AND state IN ('approved', 'settled')
                   AND date_start BETWEEN %(start)s AND %(end)s
            ) costs
             GROUP BY partner_id
                """,
                company=company.id,
                dealers=list(partner_ids),
                start=date_from,
                end=date_to,
            )
        )
        return {pid: float(cost or 0.0) for pid, cost in self.env.cr.fetchall()}

    @api.model
    def _expense_ratios(self, company, partner_ids, date_from, date_to):
        """{dealer id: (cost, net revenue, ratio %)} of the sales expense ratio over the
        window: support given / net invoiced revenue. No revenue: no ratio (None)."""
        costs = self._support_costs(company, partner_ids, date_from, date_to)
        revenue = (
            self.env["dealer.measure"]._net_sales(
                company, list(costs), date_from, date_to
            )
            if costs
            else {}
        )
        result = {}
        for partner_id, cost in costs.items():
            net = company.currency_id.round(revenue.get(partner_id, 0.0))
            ratio = round(cost / net * 100, 2) if net > 0 else None
            result[partner_id] = (cost, net, ratio)
        return result
