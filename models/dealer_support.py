# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Support given to dealers (经销商支援): advertising, promotions, training, staff,
display material. Their cost is the numerator of the sales expense ratio."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

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
        """{dealer id: cost of the support given in the window}: one grouped query."""
        groups = self.sudo()._read_group(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", list(partner_ids)),
                ("state", "=", "done"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            groupby=["partner_id"],
            aggregates=["cost:sum"],
        )
        return {partner.id: cost for partner, cost in groups}

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
