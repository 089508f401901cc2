# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The measured criteria of a dealer evaluation, computed from the ERP.

Each measure is one grouped query for all the dealers of a period (never one per
dealer) and returns, per commercial partner id, ``(value, basis)``: the figure and a
sentence saying what it came from.
"""

from datetime import timedelta

from odoo import _, api, models

from ..tools.formats import money, number


class DealerEvaluationMeasure(models.AbstractModel):
    _name = "dealer.evaluation.measure"
    _description = "Dealer Evaluation Measures"

    @api.model
    def _measure(self, source, company, partner_ids, date_start, date_end):
        method = getattr(self, f"_measure_{source}")
        return method(company, partner_ids, date_start, date_end)

    @api.model
    def _measure_payment_punctuality(self, company, partner_ids, date_start, date_end):
        """Amount-weighted average days paid after the due date, over the payments of
        the period reconciled with customer invoices (the measurement layer's
        payment delays)."""
        result = {}
        delays = self.env["dealer.measure"]._payment_delays(
            company, partner_ids, date_start, date_end
        )
        for partner_id, (days, amount, count) in delays.items():
            days = round(days, 2)
            result[partner_id] = (
                days,
                _(
                    "%(days)s days on average after the due date, weighted by "
                    "%(amount)s paid on %(count)s invoices",
                    days=number(self.env, days),
                    amount=money(self.env, amount, company.currency_id),
                    count=count,
                ),
            )
        return result

    @api.model
    def _measure_sales_growth(self, company, partner_ids, date_start, date_end):
        """Net invoiced revenue of the period against the period of the same length
        just before it, in percent. Nothing before and something now counts as +100%."""
        length = (date_end - date_start).days + 1
        previous_start = date_start - timedelta(days=length)
        Measure = self.env["dealer.measure"]
        current = Measure._sales_by_type(company, partner_ids, date_start, date_end)
        previous = Measure._sales_by_type(
            company, partner_ids, previous_start, date_start - timedelta(days=1)
        )
        round_ = company.currency_id.round
        result = {}
        for partner_id in partner_ids:
            invoiced, refunded = current.get(partner_id, (0.0, 0.0))
            now = round_(invoiced - refunded)
            invoiced, refunded = previous.get(partner_id, (0.0, 0.0))
            before = round_(invoiced - refunded)
            if before:
                growth = round((now - before) / abs(before) * 100, 2)
            else:
                growth = 100.0 if now > 0 else 0.0
            result[partner_id] = (
                growth,
                _(
                    "net invoiced %(now)s against %(before)s (%(start)s to %(end)s)",
                    now=money(self.env, now, company.currency_id),
                    before=money(self.env, before, company.currency_id),
                    start=previous_start,
                    end=date_start - timedelta(days=1),
                ),
            )
        return result

    @api.model
    def _measure_return_rate(self, company, partner_ids, date_start, date_end):
        """Credit notes of the period as a percentage of its invoices, untaxed."""
        totals = self.env["dealer.measure"]._sales_by_type(
            company, partner_ids, date_start, date_end
        )
        result = {}
        for partner_id, (invoiced, refunded) in totals.items():
            if not invoiced:
                continue
            rate = round(refunded / invoiced * 100, 2)
            result[partner_id] = (
                rate,
                _(
                    "credit notes %(refunded)s / invoices %(invoiced)s",
                    refunded=money(self.env, refunded, company.currency_id),
                    invoiced=money(self.env, invoiced, company.currency_id),
                ),
            )
        return result

    @api.model
    def _measure_target_achievement(self, company, partner_ids, date_start, date_end):
        """Achieved amount of the sales targets lying inside the period, as a percentage
        of their target amounts."""
        targets = self.env["dealer.sales.target"].search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", list(partner_ids)),
                ("date_start", ">=", date_start),
                ("date_end", "<=", date_end),
            ]
        )
        targets._refresh_achievement()
        groups = self.env["dealer.sales.target"]._read_group(
            [("id", "in", targets.ids)],
            groupby=["partner_id"],
            aggregates=["amount:sum", "achieved_amount:sum", "__count"],
        )
        result = {}
        for partner, amount, achieved, count in groups:
            if not amount:
                continue
            rate = round(achieved / amount * 100, 2)
            result[partner.id] = (
                rate,
                _(
                    "achieved %(achieved)s of %(amount)s over %(count)s targets",
                    achieved=money(self.env, achieved, company.currency_id),
                    amount=money(self.env, amount, company.currency_id),
                    count=count,
                ),
            )
        return result

    @api.model
    def _measure_expense_ratio(self, company, partner_ids, date_start, date_end):
        """The sales expense ratio of the period: the support given and the market
        expenses granted over the net sales (the one figure of
        ``dealer.support._expense_ratios``, which the warning rule reads too)."""
        ratios = self.env["dealer.support"]._expense_ratios(
            company, partner_ids, date_start, date_end
        )
        return {
            partner_id: (
                ratio,
                _(
                    "support and market expenses %(cost)s / sales %(net)s",
                    cost=money(self.env, cost, company.currency_id),
                    net=money(self.env, net, company.currency_id),
                ),
            )
            for partner_id, (cost, net, ratio) in ratios.items()
            if ratio is not None
        }
