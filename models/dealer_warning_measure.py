# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What each type of warning rule measures.

How it works: ``docs/design.md``, section ``models/dealer_warning_measure.py``."""

from collections import defaultdict, namedtuple
from contextlib import contextmanager
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, models

from ..tools.formats import money, number, text_lang
from .dealer_selections import SEVERITIES

QUANTITY = "Product Unit of Measure"

RECEIVABLES_CACHE = "dealer_management.warning_receivables"

# value: the measured figure; threshold: the limit it was compared with; description:
# a sentence; records: {field of dealer.warning: ids} behind it; severity: overrides
Measure = namedtuple(
    "Measure", "value threshold description records severity", defaults=((), None)
)


class DealerWarningMeasure(models.AbstractModel):
    _name = "dealer.warning.measure"
    _description = "Dealer Warning Measures"

    @api.model
    def _measure_for_readers(self, rule, company, dealer_ids, today):
        """:meth:`_measure`, the descriptions written in the language of those who
        answer each dealer's warning (one measure per language among them)."""
        dealer_ids = list(dealer_ids)
        if not dealer_ids:
            return {}
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        by_lang = defaultdict(list)
        if rule.responsible == "salesperson":
            # each dealer's salesperson: one grouped query for the dealers
            for user, ids in Partner._read_group(
                [("id", "in", dealer_ids)], ["user_id"], ["id:array_agg"]
            ):
                by_lang[text_lang(self.env, user, company)].extend(ids)
        else:
            # the same users for every dealer of the company
            users = rule._responsible(Partner.browse(dealer_ids[0]))
            by_lang[text_lang(self.env, users, company)] = dealer_ids
        measures = {}
        for lang, ids in by_lang.items():
            measures.update(
                self.with_context(lang=lang)._measure(rule, company, ids, today)
            )
        return measures

    @api.model
    def _measure(self, rule, company, dealer_ids, today):
        """{dealer id: Measure} of the dealers of ``dealer_ids`` that meet ``rule``."""
        if not dealer_ids:
            return {}
        return getattr(self, f"_measure_{rule.warning_type}")(
            rule, company, dealer_ids, today
        )

    @api.model
    @contextmanager
    def _sharing_receivables(self):
        """Within it, the rules of one evaluation that measure the receivables of the
        same dealers on the same day share that measure (the overdue and the credit
        rules)."""
        self.env.cr.cache[RECEIVABLES_CACHE] = {}
        try:
            yield
        finally:
            self.env.cr.cache.pop(RECEIVABLES_CACHE, None)

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

    @api.model
    def _measure_receivable_overdue(self, rule, company, dealer_ids, today):
        currency = company.currency_id
        # read once, not once per dealer (a field read costs a few microseconds, and
        # 200,000 dealers make it seconds)
        round_ = currency.round
        min_amount, min_days = rule.threshold_amount, rule.threshold_days
        result = {}
        for pid, receivable in self._receivables(company, dealer_ids, today).items():
            if not receivable.oldest_days:
                continue  # nothing overdue
            amount, days = round_(receivable.overdue), receivable.oldest_days
            by_amount = min_amount and amount >= min_amount
            by_days = min_days and days >= min_days
            if by_amount or by_days:
                result[pid] = Measure(
                    amount if by_amount else days,
                    min_amount if by_amount else min_days,
                    _(
                        "%(amount)s overdue, the oldest for %(days)s days",
                        amount=money(self.env, amount, currency),
                        days=days,
                    ),
                    {"move_ids": receivable.move_ids},
                )
        return result

    @api.model
    def _measure_credit_usage(self, rule, company, dealer_ids, today):
        receivables = self._receivables(company, dealer_ids, today)
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            .browse(list(receivables))
        )
        partners.fetch(["credit_limit"])  # not every column of every dealer
        result = {}
        for partner in partners.filtered("credit_limit"):
            receivable = receivables[partner.id]
            usage = round(receivable.open / partner.credit_limit * 100, 2)
            if usage >= rule.threshold_percent:
                result[partner.id] = Measure(
                    usage,
                    rule.threshold_percent,
                    _(
                        "open receivable %(amount)s of a credit limit of %(limit)s",
                        amount=money(self.env, receivable.open, company.currency_id),
                        limit=money(
                            self.env, partner.credit_limit, company.currency_id
                        ),
                    ),
                    {"move_ids": receivable.move_ids},
                )
        return result

    @api.model
    def _measure_sales_pace(self, rule, company, dealer_ids, today):
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
            lambda t: (today - t.date_start).days + 1 >= (rule.start_day or 1)
        )
        targets._refresh_achievement(today)
        result = {}
        for target in targets.filtered(lambda t: t.pace <= -rule.threshold_percent):
            result[target.partner_id.id] = Measure(
                target.pace,
                -rule.threshold_percent,
                _(
                    "%(target)s: %(achievement)s%% achieved, %(pace)s points behind "
                    "the elapsed period",
                    target=target.name,
                    achievement=number(self.env, target.achievement),
                    pace=number(self.env, -target.pace),
                ),
                {"target_ids": target.ids},
            )
        return result

    @api.model
    def _measure_expense_ratio(self, rule, company, dealer_ids, today):
        ratios = self.env["dealer.support"]._expense_ratios(
            company, dealer_ids, today - timedelta(days=rule.window_days - 1), today
        )
        return {
            pid: Measure(
                ratio,
                rule.threshold_percent,
                _(
                    "support %(cost)s for net revenue %(revenue)s over %(days)s days",
                    cost=money(self.env, cost, company.currency_id),
                    revenue=money(self.env, revenue, company.currency_id),
                    days=rule.window_days,
                ),
            )
            for pid, (cost, revenue, ratio) in ratios.items()
            if ratio is not None and ratio >= rule.threshold_percent
        }

    @api.model
    def _measure_churn(self, rule, company, dealer_ids, today):
        result = {}
        if rule.threshold_days:
            last = self.env["dealer.measure"]._last_sale_dates(company, dealer_ids)
            partners = self.env["res.partner"].sudo().browse(dealer_ids)
            partners.fetch(["dealer_since"])  # not every column of every dealer
            for partner in partners:
                since = last.get(partner.id) or partner.dealer_since
                if not since:
                    continue
                days = (today - since).days
                if days >= rule.threshold_days:
                    result[partner.id] = Measure(
                        days,
                        rule.threshold_days,
                        _("no invoice for %(days)s days", days=days),
                    )
        if rule.threshold_percent:
            sales = self.env["dealer.measure"]
            start = today - timedelta(days=(rule.window_days or 90) - 1)
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
                if drop >= rule.threshold_percent:
                    result[pid] = Measure(
                        drop,
                        rule.threshold_percent,
                        _(
                            "revenue down %(drop)s%% against the same %(days)s days "
                            "last year",
                            drop=number(self.env, drop),
                            days=rule.window_days or 90,
                        ),
                    )
        return result

    @api.model
    def _measure_incident(self, rule, company, dealer_ids, today):
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

    @api.model
    def _measure_contract_expiry(self, rule, company, dealer_ids, today):
        contracts = (
            self.env["dealer.contract"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", list(dealer_ids)),
                    ("state", "=", "active"),
                    ("date_end", ">=", today),
                    ("date_end", "<=", today + timedelta(days=rule.threshold_days)),
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
                    rule.threshold_days,
                    _(
                        "%(contract)s ends in %(days)s days",
                        contract=contract.name,
                        days=days,
                    ),
                    {"contract_ids": contract.ids},
                )
        return result

    @api.model
    def _measure_dealer_stock(self, rule, company, dealer_ids, today):
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
            over = report.weeks_of_cover > rule.threshold_weeks
            if not (under or over):
                continue
            problem = _(
                "%(product)s: %(closing)s in stock, %(weeks)s weeks of cover, "
                "safety stock %(safety)s",
                product=report.product_id.display_name,
                closing=number(self.env, report.closing, dp=QUANTITY),
                weeks=number(self.env, report.weeks_of_cover, digits=1),
                safety=number(self.env, report.safety_stock, dp=QUANTITY),
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
                    rule.threshold_weeks,
                    problem,
                    {"stock_report_ids": report.ids},
                )
        return result
