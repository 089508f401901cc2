# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Monthly (or quarterly) sales targets per dealer: the sales plan of the seeds.

How it works: ``docs/design.md``, section ``models/dealer_sales_target.py``."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from ..tools import company_domain
from .dealer_selections import TARGET_PERIOD_TYPES

# the targets refreshed in one batch of a background refresh
TARGET_BATCH = 5000


class DealerSalesTarget(models.Model):
    _name = "dealer.sales.target"
    _description = "Dealer Sales Target"
    _inherit = ["dealer.document.mixin", "mail.thread"]
    _order = "date_start desc, partner_id"

    name = fields.Char(compute="_compute_name", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(TARGET_PERIOD_TYPES, required=True, default="month")
    date_start = fields.Date(
        string="Period Start",
        required=True,
        tracking=True,
        help="The first day of the month or quarter.",
    )
    date_end = fields.Date(string="Period End", compute="_compute_date_end", store=True)
    amount = fields.Monetary(
        string="Target",
        required=True,
        tracking=True,
        currency_field="currency_id",
        aggregator="sum",
    )
    line_ids = fields.One2many(
        "dealer.sales.target.line", "target_id", string="Lines", copy=True
    )
    achieved_amount = fields.Monetary(
        string="Achieved",
        readonly=True,
        copy=False,
        currency_field="currency_id",
        aggregator="sum",
    )
    achievement = fields.Float(
        string="Achievement (%)",
        readonly=True,
        copy=False,
        digits=(16, 2),
        aggregator="avg",
    )
    pace = fields.Float(
        string="Pace (points)",
        readonly=True,
        copy=False,
        digits=(16, 2),
        aggregator="avg",
        help="Achievement minus the elapsed share of the period, on the "
        "day of the last refresh: below zero, the dealer is behind plan.",
    )
    refreshed_on = fields.Date(readonly=True, copy=False)
    note = fields.Text()

    def _read_group_select(self, aggregate_spec, query):
        """Grouped (pivot, graph, a grouped list, the dashboard), achievement is the
        group's achieved amount over its target, Σ achieved / Σ target, not the
        average of the targets' percentages; pace is the targets' paces weighted by
        their amounts, so that it stays achievement less the elapsed share."""
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        if fname in ("achievement", "pace") and func in ("avg", "sum"):
            target = self._field_to_sql(self._table, "amount", query)
            if fname == "achievement":
                part = self._field_to_sql(self._table, "achieved_amount", query)
                part = SQL("%s * 100", part)
            else:
                pace = self._field_to_sql(self._table, "pace", query)
                part = SQL("%s::numeric * %s", pace, target)
            return SQL("ROUND(SUM(%s) / NULLIF(SUM(%s), 0), 2)::float8", part, target)
        return super()._read_group_select(aggregate_spec, query)

    @api.depends("partner_id", "date_start", "period_type")
    def _compute_name(self):
        for target in self:
            target.name = "%s %s" % (
                target.partner_id.display_name or "",
                target._period_label(),
            )

    def _period_label(self):
        if not self.date_start:
            return ""
        if self.period_type == "quarter":
            return "%s-Q%s" % (
                self.date_start.year,
                (self.date_start.month - 1) // 3 + 1,
            )
        return self.date_start.strftime("%Y-%m")

    @api.depends("date_start", "period_type")
    def _compute_date_end(self):
        for target in self:
            months = 3 if target.period_type == "quarter" else 1
            target.date_end = target.date_start and (
                target.date_start + relativedelta(months=months, days=-1)
            )

    @api.constrains("date_start", "period_type")
    def _check_period(self):
        for target in self:
            start = target.date_start
            if target.period_type == "quarter" and (
                start.day != 1 or start.month % 3 != 1
            ):
                raise ValidationError(
                    _(
                        "The quarterly target of %(dealer)s must start on the first "
                        "day of a quarter (1 January, April, July or October).",
                        dealer=target.partner_id.display_name,
                    )
                )
            if start.day != 1:
                raise ValidationError(
                    _(
                        "The monthly target of %(dealer)s must start on the first day "
                        "of a month.",
                        dealer=target.partner_id.display_name,
                    )
                )

    @api.constrains("amount")
    def _check_amount(self):
        for target in self:
            if target.amount < 0:
                raise ValidationError(
                    _(
                        "The target of %(dealer)s cannot be negative.",
                        dealer=target.partner_id.display_name,
                    )
                )

    @api.constrains("partner_id", "date_start", "date_end", "company_id")
    def _check_overlap(self):
        for target in self:
            clash = target._overlapping([("company_id", "=", target.company_id.id)])
            if clash:
                raise ValidationError(
                    _(
                        "%(dealer)s already has a target overlapping this period: "
                        "%(other)s.",
                        dealer=target.partner_id.display_name,
                        other=clash.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        targets._refresh_achievement()
        return targets

    def write(self, vals):
        res = super().write(vals)
        if {
            "partner_id",
            "date_start",
            "period_type",
            "amount",
            "company_id",
            "line_ids",
        } & set(vals):
            self._refresh_achievement()
        return res

    def action_refresh(self):
        """Refresh now: the targets of one dealer at once, those of several in the
        background."""
        self.check_access("read")
        if len(self.partner_id) <= 1:
            self._refresh_achievement()
            return True
        Job = self.env["dealer.job"]
        return Job._queue_for_user(
            "targets",
            self,
            {"target_ids": self.ids, "day": Job._today().isoformat()},
            per_user=True,
        )

    @api.model
    def _job_plan_targets(self, params):
        """Batches of a background refresh: blocks of targets, or one company each
        for the daily refresh."""
        if "target_ids" in params:
            ids = params["target_ids"]
            return [
                ["targets", ids[start : start + TARGET_BATCH]]
                for start in range(0, len(ids), TARGET_BATCH)
            ]
        companies = self.env["res.company"].sudo().search([], order="id")
        return [["company", company_id] for company_id in companies.ids]

    @api.model
    def _job_step_targets(self, batch, params):
        day = self.env["dealer.job"]._day(params)
        what, ids = batch
        if what == "targets":
            self.browse(ids).exists()._refresh_achievement(day)
        else:
            self._cron_refresh_achievement(day, self.env["res.company"].browse(ids))

    @api.model
    def _cron_refresh_achievement(self, today=None, companies=None):
        """Daily: refresh the targets of the periods still open or just closed (of
        ``companies`` only, when given)."""
        today = today or fields.Date.context_today(self)
        self.search(
            [
                ("date_end", ">=", today - relativedelta(months=3)),
                ("date_start", "<=", today),
                *company_domain(companies),
            ]
        )._refresh_achievement(today)

    # -------------------------------------------------------------- the rule

    def _achieved_amounts(self, company, partner_ids, date_start, date_end):
        """{partner id: achieved amount} for one company and period: the net sales of
        the measurement layer, or the confirmed sale orders where the company's setting
        (Target Achievement From) says so."""
        Measure = self.env["dealer.measure"]
        if company.dealer_target_source == "sale":
            return Measure._confirmed_order_amounts(
                company, partner_ids, date_start, date_end
            )
        return Measure._net_sales(
            company,
            partner_ids,
            date_start,
            date_end,
            paid=company.dealer_target_source == "paid",
        )

    # pylint-odoo asks for a return because of the super().write() below (which skips
    # this class's write); this method overrides nothing and returns nothing.
    def _refresh_achievement(self, today=None):  # pylint: disable=missing-return
        """Achieved amount, achievement and pace of the targets (and their lines), one
        grouped query per company and period; only what changed is written."""
        today = today or fields.Date.context_today(self)
        # ids, not recordsets: a recordset grown one by one costs n² (32,887 targets
        # of one month at 200,000 dealers: 21 s of unions)
        batches = defaultdict(list)
        for target in self:
            batches[target.company_id, target.date_start, target.date_end].append(
                target.id
            )
        for (company, date_start, date_end), target_ids in batches.items():
            targets = self.browse(target_ids)
            partner_ids = targets.partner_id.ids
            achieved = self._achieved_amounts(
                company, partner_ids, date_start, date_end
            )
            days = (date_end - date_start).days + 1
            elapsed = min(max((today - date_start).days + 1, 0), days) / days * 100
            round_ = company.currency_id.round
            for target in targets:
                amount = round_(achieved.get(target.partner_id.id, 0.0))
                achievement = (
                    round(amount / target.amount * 100, 2) if target.amount else 0.0
                )
                vals = {
                    "achieved_amount": amount,
                    "achievement": achievement,
                    "pace": round(achievement - elapsed, 2),
                    "refreshed_on": today,
                }
                if any(
                    target[key] != value
                    for key, value in vals.items()
                    if key != "refreshed_on"
                ):
                    # the achieved figures are governed: the refresh writes them
                    super(DealerSalesTarget, target.sudo()).write(vals)
            lines = targets.line_ids
            if lines:
                quantities = self.env["dealer.measure"]._sales_by_product(
                    company, partner_ids, date_start, date_end
                )
                lines._refresh(quantities)


class DealerSalesTargetLine(models.Model):
    """A part of the target: a product category (with its subcategories) or a product,
    with a quantity and/or an amount."""

    _name = "dealer.sales.target.line"
    _inherit = ["dealer.governed.mixin"]
    _description = "Dealer Sales Target Line"

    target_id = fields.Many2one(
        "dealer.sales.target", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="target_id.currency_id")
    # whose line it is, for the record rules (the target's dealer and company)
    partner_id = fields.Many2one(related="target_id.partner_id")
    company_id = fields.Many2one(related="target_id.company_id")
    categ_id = fields.Many2one("product.category", string="Product Category")
    product_id = fields.Many2one("product.product")
    quantity = fields.Float(string="Target Quantity", digits="Product Unit of Measure")
    amount = fields.Monetary(string="Target Amount", currency_field="currency_id")
    achieved_quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    achieved_amount = fields.Monetary(
        string="Achieved", readonly=True, currency_field="currency_id"
    )
    achievement = fields.Float(
        string="Achievement (%)",
        readonly=True,
        digits=(16, 2),
        help="Of the quantity where one is set, else of the amount.",
        aggregator=None,  # a percentage of quantities or of amounts: no total
    )

    @api.constrains("categ_id", "product_id", "quantity", "amount")
    def _check_line(self):
        for line in self:
            if bool(line.categ_id) == bool(line.product_id):
                raise ValidationError(
                    _(
                        "A target line is for a product category or for a "
                        "product: choose one."
                    )
                )
            if line.quantity < 0 or line.amount < 0:
                raise ValidationError(
                    _("Target quantities and amounts cannot be negative.")
                )

    def _refresh(self, quantities):
        products = self.env["product.product"].browse({pid for _p, pid in quantities})
        for line in self:
            partner_id = line.target_id.partner_id.id
            if line.product_id:
                matching = [line.product_id.id]
            else:
                matching = products.filtered_domain(
                    [("categ_id", "child_of", line.categ_id.id)]
                ).ids
            quantity = sum(
                quantities[partner_id, pid][0]
                for pid in matching
                if (partner_id, pid) in quantities
            )
            amount = sum(
                quantities[partner_id, pid][1]
                for pid in matching
                if (partner_id, pid) in quantities
            )
            amount = line.target_id.company_id.currency_id.round(amount)
            if line.quantity:
                achievement = round(quantity / line.quantity * 100, 2)
            elif line.amount:
                achievement = round(amount / line.amount * 100, 2)
            else:
                achievement = 0.0
            vals = {
                "achieved_quantity": quantity,
                "achieved_amount": amount,
                "achievement": achievement,
            }
            if any(line[key] != value for key, value in vals.items()):
                line.sudo().write(vals)
