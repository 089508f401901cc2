# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The measured criteria of a dealer evaluation, computed from the ERP.

Each measure is one grouped query for all the dealers of a period (never one per
dealer) and returns, per commercial partner id, ``(value, basis)``: the figure and a
sentence saying what it came from.
"""
from datetime import timedelta

from odoo import _, api, models


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
        the period reconciled with customer invoices. A payment before the due date
        counts as 0 days (early payments do not offset late ones); credit notes are
        not payments."""
        # Raw SQL: partial reconciliations joined to both sides' moves; the ORM would
        # load every partial into Python.
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            """
            SELECT debit.partner_id,
                   SUM(apr.amount * GREATEST(0, apr.max_date - debit.date_maturity))
                       / NULLIF(SUM(apr.amount), 0),
                   SUM(apr.amount),
                   COUNT(DISTINCT debit.move_id)
              FROM account_partial_reconcile apr
              JOIN account_move_line debit ON debit.id = apr.debit_move_id
              JOIN account_move invoice ON invoice.id = debit.move_id
              JOIN account_move_line credit ON credit.id = apr.credit_move_id
              JOIN account_move payment ON payment.id = credit.move_id
             WHERE invoice.move_type = 'out_invoice'
               AND invoice.state = 'posted'
               AND payment.move_type = 'entry'
               AND payment.state = 'posted'
               AND invoice.company_id = %s
               AND debit.partner_id = ANY(%s)
               AND apr.max_date BETWEEN %s AND %s
             GROUP BY debit.partner_id
            """,
            (company.id, list(partner_ids), date_start, date_end),
        )
        result = {}
        for partner_id, days, amount, count in self.env.cr.fetchall():
            days = round(float(days), 2)
            result[partner_id] = (days, _(
                "%(days)s days on average after the due date, weighted by %(amount)s "
                "%(currency)s paid on %(count)s invoices",
                days=days, amount=company.currency_id.round(float(amount)),
                currency=company.currency_id.name, count=count))
        return result

    @api.model
    def _net_invoiced(self, company, partner_ids, date_start, date_end):
        """{partner id: (invoiced, refunded)} untaxed, in company currency."""
        groups = self.env["account.move"]._read_group(
            [("company_id", "=", company.id), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund")),
             ("commercial_partner_id", "in", list(partner_ids)),
             ("invoice_date", ">=", date_start), ("invoice_date", "<=", date_end)],
            groupby=["commercial_partner_id", "move_type"],
            aggregates=["amount_untaxed_signed:sum"],
        )
        totals = {}
        for partner, move_type, amount in groups:
            invoiced, refunded = totals.get(partner.id, (0.0, 0.0))
            if move_type == "out_invoice":
                invoiced += amount
            else:
                refunded -= amount
            totals[partner.id] = (invoiced, refunded)
        return totals

    @api.model
    def _measure_sales_growth(self, company, partner_ids, date_start, date_end):
        """Net invoiced revenue of the period against the period of the same length
        just before it, in percent. Nothing before and something now counts as +100%."""
        length = (date_end - date_start).days + 1
        previous_start = date_start - timedelta(days=length)
        current = self._net_invoiced(company, partner_ids, date_start, date_end)
        previous = self._net_invoiced(company, partner_ids, previous_start,
                                      date_start - timedelta(days=1))
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
            result[partner_id] = (growth, _(
                "net invoiced %(now)s against %(before)s %(currency)s "
                "(%(start)s to %(end)s)",
                now=now, before=before, currency=company.currency_id.name,
                start=previous_start, end=date_start - timedelta(days=1)))
        return result

    @api.model
    def _measure_return_rate(self, company, partner_ids, date_start, date_end):
        """Credit notes of the period as a percentage of its invoices, untaxed."""
        totals = self._net_invoiced(company, partner_ids, date_start, date_end)
        result = {}
        for partner_id, (invoiced, refunded) in totals.items():
            if not invoiced:
                continue
            rate = round(refunded / invoiced * 100, 2)
            result[partner_id] = (rate, _(
                "credit notes %(refunded)s / invoices %(invoiced)s %(currency)s",
                refunded=company.currency_id.round(refunded),
                invoiced=company.currency_id.round(invoiced),
                currency=company.currency_id.name))
        return result

    @api.model
    def _measure_target_achievement(self, company, partner_ids, date_start, date_end):
        """Achieved amount of the sales targets lying inside the period, as a percentage
        of their target amounts."""
        targets = self.env["dealer.sales.target"].search([
            ("company_id", "=", company.id), ("partner_id", "in", list(partner_ids)),
            ("date_start", ">=", date_start), ("date_end", "<=", date_end)])
        targets._refresh_achievement()
        groups = self.env["dealer.sales.target"]._read_group(
            [("id", "in", targets.ids)], groupby=["partner_id"],
            aggregates=["amount:sum", "achieved_amount:sum", "__count"])
        result = {}
        for partner, amount, achieved, count in groups:
            if not amount:
                continue
            rate = round(achieved / amount * 100, 2)
            result[partner.id] = (rate, _(
                "achieved %(achieved)s of %(amount)s %(currency)s over %(count)s targets",
                achieved=company.currency_id.round(achieved),
                amount=company.currency_id.round(amount),
                currency=company.currency_id.name, count=count))
        return result
