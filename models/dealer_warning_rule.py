# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Early-warning rules (预警管理) and what each of them measures.

Every rule type is one method ``_measure_<type>`` that measures all the dealers in the
rule's scope at once (one grouped query, never one per dealer) and returns, for the
dealers that meet the condition only, ``{dealer id: Measure}``. The engine
(``dealer.warning._sync``) turns that into warnings.
"""

from collections import namedtuple
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dealer_incident import SEVERITIES

RECEIVABLES_CACHE = "dealer_management.warning_receivables"
WARNING_TYPES = [
    ("receivable_overdue", "Overdue Receivables"),
    ("credit_usage", "Credit Usage"),
    ("sales_pace", "Sales Pace"),
    ("expense_ratio", "Sales Expense Ratio"),
    ("churn", "Churn"),
    ("incident", "Major Incident"),
    ("contract_expiry", "Contract Expiry"),
    ("dealer_stock", "Dealer Stock"),
]

# value: the measured figure; threshold: the limit it was compared with; description:
# a sentence; records: {field of dealer.warning: ids} behind it; severity: overrides
Measure = namedtuple(
    "Measure", "value threshold description records severity", defaults=((), None)
)

# thresholds each type needs (at least one of each tuple)
REQUIRED = {
    "receivable_overdue": (("threshold_amount", "threshold_days"),),
    "credit_usage": (("threshold_percent",),),
    "sales_pace": (("threshold_percent",),),
    "expense_ratio": (("threshold_percent",), ("window_days",)),
    "churn": (("threshold_days", "threshold_percent"),),
    "contract_expiry": (("threshold_days",),),
    "dealer_stock": (("threshold_weeks",),),
    "incident": (),
}
# types whose percentage cannot exceed 100
PERCENT_MAX_100 = {"sales_pace", "churn"}


class DealerScopeValue(models.Model):
    """A tier or a dealer level, as a tag a rule's scope can list."""

    _name = "dealer.scope.value"
    _description = "Dealer Tier or Level"
    _order = "kind, sequence"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection([("tier", "Tier"), ("level", "Level")], required=True)
    code = fields.Char(required=True)
    sequence = fields.Integer()


class DealerWarningRule(models.Model):
    _name = "dealer.warning.rule"
    _description = "Dealer Warning Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    warning_type = fields.Selection(
        WARNING_TYPES, string="Type", required=True, tracking=True
    )
    severity = fields.Selection(
        SEVERITIES, required=True, default="warning", tracking=True
    )
    threshold_amount = fields.Float(
        string="Amount Threshold",
        tracking=True,
        help="Overdue receivables: overdue amount from which "
        "the rule raises (company currency).",
    )
    threshold_days = fields.Integer(
        string="Days Threshold",
        tracking=True,
        help="Overdue receivables: age of the oldest overdue "
        "invoice. Churn: days without an invoice. Contract "
        "expiry: days before the end.",
    )
    threshold_percent = fields.Float(
        string="Percent Threshold",
        tracking=True,
        help="Credit usage: open receivable / credit limit. "
        "Sales pace: points behind the elapsed share of the "
        "target period. Expense ratio: support / revenue. "
        "Churn: revenue drop against last year.",
    )
    threshold_weeks = fields.Float(
        string="Weeks of Cover Threshold",
        tracking=True,
        help="Dealer stock: cover above which stock is too high "
        "(stock under the safety stock always raises).",
    )
    start_day = fields.Integer(
        string="From Day of Period",
        default=1,
        help="Sales pace: only from this day of the target period.",
    )
    window_days = fields.Integer(
        string="Window (Days)",
        default=90,
        help="Expense ratio and churn: the period measured.",
    )
    company_ids = fields.Many2many(
        "res.company", string="Companies", help="Empty: every company."
    )
    tier_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_warning_rule_tier_rel",
        string="Tiers",
        domain=[("kind", "=", "tier")],
        help="Empty: every tier.",
    )
    level_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_warning_rule_level_rel",
        string="Levels",
        domain=[("kind", "=", "level")],
        help="Empty: every level.",
    )
    territory_ids = fields.Many2many(
        "dealer.territory", string="Territories", help="Empty: every territory."
    )
    responsible = fields.Selection(
        [
            ("salesperson", "The Dealer's Salesperson"),
            ("users", "Users"),
            ("group", "A Group"),
        ],
        required=True,
        default="salesperson",
    )
    user_ids = fields.Many2many("res.users", string="Responsible Users")
    group_id = fields.Many2one("res.groups", string="Responsible Group")
    notify_activity = fields.Boolean(
        string="Activity",
        default=True,
        help="Schedule an activity for the responsible.",
    )
    notify_email = fields.Boolean(
        string="E-mail to Followers",
        help="Post the new warning to its followers by e-mail.",
    )
    in_digest = fields.Boolean(
        string="In Daily Digest",
        help="List the warnings in the accountants' daily digest.",
    )
    warning_ids = fields.One2many("dealer.warning", "rule_id", string="Warnings")
    open_warning_count = fields.Integer(compute="_compute_open_warning_count")

    def _compute_open_warning_count(self):
        counts = dict(
            self.env["dealer.warning"]._read_group(
                [
                    ("rule_id", "in", self.ids),
                    ("state", "in", ("open", "acknowledged")),
                ],
                groupby=["rule_id"],
                aggregates=["__count"],
            )
        )
        for rule in self:
            rule.open_warning_count = counts.get(rule, 0)

    @api.constrains(
        "warning_type",
        "threshold_amount",
        "threshold_days",
        "threshold_percent",
        "threshold_weeks",
        "start_day",
        "window_days",
        "responsible",
        "user_ids",
        "group_id",
    )
    def _check_thresholds(self):
        for rule in self:
            values = {
                name: rule[name]
                for name in (
                    "threshold_amount",
                    "threshold_days",
                    "threshold_percent",
                    "threshold_weeks",
                    "start_day",
                    "window_days",
                )
            }
            if any(value < 0 for value in values.values()):
                raise ValidationError(
                    _("The thresholds of %(rule)s cannot be negative.", rule=rule.name)
                )
            for alternatives in REQUIRED[rule.warning_type]:
                if not any(values[name] for name in alternatives):
                    labels = [
                        rule._fields[name].get_description(self.env)["string"]
                        for name in alternatives
                    ]
                    raise ValidationError(
                        _(
                            "%(rule)s needs a threshold: %(fields)s.",
                            rule=rule.name,
                            fields=_(" or ").join(labels),
                        )
                    )
            if rule.warning_type in PERCENT_MAX_100 and rule.threshold_percent > 100:
                raise ValidationError(
                    _(
                        "%(rule)s: a percentage above 100 makes no sense here.",
                        rule=rule.name,
                    )
                )
            if (
                rule.responsible == "users"
                and not rule.user_ids
                or (rule.responsible == "group" and not rule.group_id)
            ):
                raise ValidationError(_("%(rule)s has no responsible.", rule=rule.name))

    # ---------------------------------------------------------------- engine

    def action_evaluate(self):
        if not self.env.user.has_group("dealer_management.group_dealer_manager"):
            raise UserError(_("Only a Dealer Manager runs the warning rules."))
        self.sudo()._evaluate()

    @api.model
    def _cron_evaluate(self, today=None, companies=None):
        self.search([])._evaluate(companies=companies, today=today)

    def _evaluate(self, companies=None, partners=None, today=None):
        """Evaluate the rules of ``self`` for every company in their scope (or
        ``companies``), all dealers (or ``partners``): one measure per rule and company."""
        today = today or fields.Date.context_today(self)
        Warning = self.env["dealer.warning"]
        # the rules of one evaluation that measure the receivables of the same dealers
        # on the same day share that measure (the overdue and the credit rules)
        self.env.cr.cache[RECEIVABLES_CACHE] = {}
        try:
            for rule in self:
                for company in rule.company_ids or self.env["res.company"].search([]):
                    if companies and company not in companies:
                        continue
                    dealer_ids = rule._scope_dealer_ids(company, partners)
                    measures = (
                        getattr(rule, f"_measure_{rule.warning_type}")(
                            company, dealer_ids, today
                        )
                        if dealer_ids
                        else {}
                    )
                    Warning._sync(rule, company, dealer_ids, measures, today, partners)
        finally:
            self.env.cr.cache.pop(RECEIVABLES_CACHE, None)
        return True

    def _receivables(self, company, dealer_ids, today):
        """The measurement layer's receivables, measured once per evaluation for the
        same company, dealers and day."""
        cache = self.env.cr.cache.get(RECEIVABLES_CACHE)
        key = (company.id, today, tuple(dealer_ids))
        if cache is None or key not in cache:
            result = self.env["dealer.measure"]._receivables(company, dealer_ids, today)
            if cache is None:
                return result
            cache[key] = result
        return cache[key]

    def _scope_dealer_ids(self, company, partners=None):
        self.ensure_one()
        domain = self.env["res.partner"]._dealer_scope_domain(
            company, self.tier_ids, self.level_ids, self.territory_ids
        )
        if partners:
            domain.append(("id", "in", partners.ids))
        return self.env["res.partner"].sudo()._search(domain).get_result_ids()

    def _responsible(self, partner):
        """Who answers for a warning of this rule on ``partner``."""
        self.ensure_one()
        if self.responsible == "users":
            users = self.user_ids
        elif self.responsible == "group":
            users = self.group_id.users
        else:
            users = partner.user_id
        company = partner.company_id
        return users.filtered(lambda u: not company or company in u.company_ids)

    # -------------------------------------------------------------- measures

    def _measure_receivable_overdue(self, company, dealer_ids, today):
        currency = company.currency_id
        result = {}
        for pid, receivable in self._receivables(company, dealer_ids, today).items():
            if not receivable.oldest_days:
                continue  # nothing overdue
            amount, days = currency.round(receivable.overdue), receivable.oldest_days
            by_amount = self.threshold_amount and amount >= self.threshold_amount
            by_days = self.threshold_days and days >= self.threshold_days
            if by_amount or by_days:
                result[pid] = Measure(
                    amount if by_amount else days,
                    self.threshold_amount if by_amount else self.threshold_days,
                    _(
                        "%(amount)s %(currency)s overdue, the oldest for %(days)s days",
                        amount=amount,
                        currency=currency.name,
                        days=days,
                    ),
                    {"move_ids": receivable.move_ids},
                )
        return result

    def _measure_credit_usage(self, company, dealer_ids, today):
        receivables = self._receivables(company, dealer_ids, today)
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .browse(list(receivables))
        )
        result = {}
        for partner in partners.filtered("credit_limit"):
            receivable = receivables[partner.id]
            usage = round(receivable.open / partner.credit_limit * 100, 2)
            if usage >= self.threshold_percent:
                result[partner.id] = Measure(
                    usage,
                    self.threshold_percent,
                    _(
                        "open receivable %(amount)s of a credit limit of %(limit)s",
                        amount=company.currency_id.round(receivable.open),
                        limit=partner.credit_limit,
                    ),
                    {"move_ids": receivable.move_ids},
                )
        return result

    def _measure_sales_pace(self, company, dealer_ids, today):
        targets = (
            self.env["dealer.sales.target"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(dealer_ids)),
                    ("date_start", "<=", today),
                    ("date_end", ">=", today),
                ]
            )
        )
        targets = targets.filtered(
            lambda t: (today - t.date_start).days + 1 >= (self.start_day or 1)
        )
        targets._refresh_achievement(today)
        result = {}
        for target in targets.filtered(lambda t: t.pace <= -self.threshold_percent):
            result[target.partner_id.id] = Measure(
                target.pace,
                -self.threshold_percent,
                _(
                    "%(target)s: %(achievement)s%% achieved, %(pace)s points behind the "
                    "elapsed period",
                    target=target.name,
                    achievement=target.achievement,
                    pace=-target.pace,
                ),
                {"target_ids": target.ids},
            )
        return result

    def _measure_expense_ratio(self, company, dealer_ids, today):
        ratios = self.env["dealer.support"]._expense_ratios(
            company, dealer_ids, today - timedelta(days=self.window_days - 1), today
        )
        return {
            pid: Measure(
                ratio,
                self.threshold_percent,
                _(
                    "support %(cost)s for net revenue %(revenue)s over %(days)s days",
                    cost=cost,
                    revenue=revenue,
                    days=self.window_days,
                ),
            )
            for pid, (cost, revenue, ratio) in ratios.items()
            if ratio is not None and ratio >= self.threshold_percent
        }

    def _measure_churn(self, company, dealer_ids, today):
        result = {}
        if self.threshold_days:
            last = self.env["dealer.measure"]._last_sale_dates(company, dealer_ids)
            for partner in self.env["res.partner"].sudo().browse(dealer_ids):
                since = last.get(partner.id) or partner.dealer_since
                if not since:
                    continue
                days = (today - since).days
                if days >= self.threshold_days:
                    result[partner.id] = Measure(
                        days,
                        self.threshold_days,
                        _("no invoice for %(days)s days", days=days),
                    )
        if self.threshold_percent:
            sales = self.env["dealer.measure"]
            start = today - timedelta(days=(self.window_days or 90) - 1)
            now = sales._net_sales(company, dealer_ids, start, today)
            before = sales._net_sales(
                company,
                dealer_ids,
                start - relativedelta(years=1),
                today - relativedelta(years=1),
            )
            for pid, previous in before.items():
                if previous <= 0 or pid in result:
                    continue
                drop = round((previous - now.get(pid, 0.0)) / previous * 100, 2)
                if drop >= self.threshold_percent:
                    result[pid] = Measure(
                        drop,
                        self.threshold_percent,
                        _(
                            "revenue down %(drop)s%% against the same %(days)s days last year",
                            drop=drop,
                            days=self.window_days or 90,
                        ),
                    )
        return result

    def _measure_incident(self, company, dealer_ids, today):
        order = {severity: index for index, (severity, _label) in enumerate(SEVERITIES)}
        incidents = (
            self.env["dealer.incident"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(dealer_ids)),
                    ("state", "=", "open"),
                ]
            )
        )
        result = {}
        for partner in incidents.partner_id:
            mine = incidents.filtered(lambda i, p=partner: i.partner_id == p)
            worst = max(mine.mapped("severity"), key=order.get)
            result[partner.id] = Measure(
                len(mine),
                1,
                ", ".join(mine.mapped("name")),
                {"incident_ids": mine.ids},
                worst,
            )
        return result

    def _measure_contract_expiry(self, company, dealer_ids, today):
        contracts = (
            self.env["dealer.contract"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(dealer_ids)),
                    ("state", "=", "active"),
                    ("date_end", ">=", today),
                    ("date_end", "<=", today + timedelta(days=self.threshold_days)),
                ],
                order="date_end",
            )
        )
        result = {}
        for contract in contracts:
            if contract.partner_id.id not in result:
                days = (contract.date_end - today).days
                result[contract.partner_id.id] = Measure(
                    days,
                    self.threshold_days,
                    _(
                        "%(contract)s ends in %(days)s days",
                        contract=contract.name,
                        days=days,
                    ),
                    {"contract_ids": contract.ids},
                )
        return result

    def _measure_dealer_stock(self, company, dealer_ids, today):
        Report = self.env["dealer.stock.report"].sudo()
        latest = Report._read_group(
            [("company_id", "=", company.id), ("partner_id", "in", list(dealer_ids))],
            groupby=["partner_id"],
            aggregates=["month:max"],
        )
        reports = Report.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", [partner.id for partner, _month in latest]),
                ("month", "in", list({month for _partner, month in latest})),
            ]
        )
        months = {partner.id: month for partner, month in latest}
        result = {}
        for report in reports.filtered(lambda r: months[r.partner_id.id] == r.month):
            under = report.closing < report.safety_stock
            over = report.weeks_of_cover > self.threshold_weeks
            if not (under or over):
                continue
            problem = _(
                "%(product)s: %(closing)s in stock, %(weeks)s weeks of cover, "
                "safety stock %(safety)s",
                product=report.product_id.display_name,
                closing=report.closing,
                weeks=round(report.weeks_of_cover, 1),
                safety=report.safety_stock,
            )
            pid = report.partner_id.id
            if pid in result:
                value, threshold, description, records, severity = result[pid]
                result[pid] = Measure(
                    max(value, round(report.weeks_of_cover, 1)),
                    threshold,
                    description + "; " + problem,
                    {"stock_report_ids": records["stock_report_ids"] + report.ids},
                )
            else:
                result[pid] = Measure(
                    round(report.weeks_of_cover, 1),
                    self.threshold_weeks,
                    problem,
                    {"stock_report_ids": report.ids},
                )
        return result
