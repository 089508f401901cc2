# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The measurement layer: the one definition of a dealer's sales and receivables.

How it works: ``docs/design.md``, section ``models/dealer_measure.py``."""

from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql_arrays import array
from .res_partner import dealer_sql

SALES_MOVE_TYPES = ("out_invoice", "out_refund")

Receivable = namedtuple(
    "Receivable",
    [
        "open",
        "overdue",
        "oldest_days",
        "not_due",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "days_90_plus",
        "move_ids",
    ],
)


class DealerMeasure(models.AbstractModel):
    _name = "dealer.measure"
    _description = "Dealer Measures: Net Sales and Receivables"

    # ------------------------------------------------------------ net sales

    @api.model
    def _sales_expression(self, basis, company):
        """(SQL of one invoice line's contribution to ``basis``, the joins it needs
        beside ``aml`` and ``move``): company currency or the product's unit, negative
        for credit notes."""
        refund_sign = SQL("CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END")
        if basis == "margin":
            # the product's cost in this company (a company-dependent field)
            measure = SQL(
                "-aml.balance - aml.quantity * %s * "
                "COALESCE((product.standard_price ->> %s)::numeric, 0)",
                refund_sign,
                str(company.id),
            )
        elif basis == "quantity":
            measure = SQL(
                "aml.quantity / COALESCE(NULLIF(line_uom.factor, 0), 1) "
                "* COALESCE(product_uom.factor, 1) * %s",
                refund_sign,
            )
        else:
            measure = SQL("-aml.balance")
        joins = SQL("")
        if basis == "margin":
            joins = SQL(
                "LEFT JOIN product_product product ON product.id = aml.product_id"
            )
        elif basis == "quantity":
            joins = SQL("""
                LEFT JOIN uom_uom line_uom ON line_uom.id = aml.product_uom_id
                LEFT JOIN product_product product ON product.id = aml.product_id
                LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                LEFT JOIN uom_uom product_uom ON product_uom.id = tmpl.uom_id""")
        return measure, joins

    @api.model
    def _sales_condition(
        self, company, dealer_ids=None, date_from=None, date_to=None, product_ids=None
    ):
        """The condition on ``aml`` and ``move`` for the invoice lines that are sales:
        the definition above (company, dealers, window and products optional)."""
        conditions = [
            SQL(
                """move.state = 'posted' AND move.move_type IN %s
                             AND move.dealer_rebate_id IS NULL
                             AND move.dealer_fund_claim_id IS NULL
                             AND aml.display_type = 'product'""",
                SALES_MOVE_TYPES,
            )
        ]
        if company is not None:
            conditions.append(SQL("move.company_id = %s", company.id))
        if dealer_ids is not None:
            conditions.append(
                SQL("move.commercial_partner_id = ANY(%s)", array(dealer_ids))
            )
        if date_from is not None:
            conditions.append(SQL("move.invoice_date >= %s", date_from))
        if date_to is not None:
            conditions.append(SQL("move.invoice_date <= %s", date_to))
        if product_ids is not None:
            conditions.append(SQL("aml.product_id = ANY(%s)", array(product_ids)))
        return SQL(" AND ").join(conditions)

    @api.model
    def _sales_lines_sql(
        self,
        company=None,
        dealer_ids=None,
        date_from=None,
        date_to=None,
        product_ids=None,
        basis="revenue",
    ):
        """The sales, line by line, as a relation for the consumers that aggregate them
        their own way (the rebate statements, their counted lines): line_id, move_id,
        move_name, move_type, partner_id (the commercial partner), company_id,
        invoice_date, post_seq (the rebates' posting order), product_id, quantity
        (negative for credit notes), amount (revenue) and value (on ``basis``; the
        margin needs ``company``). A plain subquery: PostgreSQL folds it into the
        consumer's query, whose own conditions (a statement's dealer and dates) it then
        uses like these."""
        measure, joins = self._sales_expression(basis, company)
        return SQL(
            """
            SELECT aml.id AS line_id, aml.move_id, move.name AS move_name,
                   move.move_type, move.commercial_partner_id AS partner_id,
                   move.company_id,
                   move.invoice_date, COALESCE(move.dealer_post_seq, 0) AS post_seq,
                   aml.product_id,
                   aml.quantity
                       * CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END
                       AS quantity,
                   -aml.balance AS amount, %s AS value
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              %s
             WHERE %s
            """,
            measure,
            joins,
            self._sales_condition(company, dealer_ids, date_from, date_to, product_ids),
        )

    @api.model
    def _paid_sales_lines_sql(
        self,
        company=None,
        dealer_ids=None,
        date_from=None,
        date_to=None,
        product_ids=None,
        basis="revenue",
    ):
        """The **paid sales**, the relation of :meth:`_sales_lines_sql` (the same
        columns, and ``partial_id``, the reconciliation, and ``document_date``, the
        invoice's date) with a row per sales line and reconciliation of its document:
        a line counts on the day its invoice is paid (``invoice_date`` is the
        reconciliation's date, the later of the two lines'), in the share the
        reconciliation settles of the document's receivable; a credit note counts
        (negative) when it is applied. A payment undone later takes its rows away."""
        measure, joins = self._sales_expression(basis, company)
        paid_dates = []
        if date_from is not None:
            paid_dates.append(SQL("p.max_date >= %s", date_from))
        if date_to is not None:
            paid_dates.append(SQL("p.max_date <= %s", date_to))
        paid_condition = SQL(" AND ").join(paid_dates) if paid_dates else SQL("TRUE")
        return SQL(
            """
            SELECT aml.id AS line_id, aml.move_id, move.name AS move_name,
                   move.move_type, move.commercial_partner_id AS partner_id,
                   move.company_id,
                   paid.max_date AS invoice_date,
                   COALESCE(move.dealer_post_seq, 0) AS post_seq,
                   aml.product_id,
                   aml.quantity * paid.share
                       * CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END
                       AS quantity,
                   -aml.balance * paid.share AS amount,
                   (%(measure)s) * paid.share AS value,
                   paid.partial_id, move.invoice_date AS document_date
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN LATERAL (
                  SELECT p.id AS partial_id, p.max_date,
                         p.amount / NULLIF(total.amount, 0) AS share
                    FROM account_move_line term
                    JOIN account_account account ON account.id = term.account_id
                         AND account.account_type = 'asset_receivable'
                    JOIN account_partial_reconcile p
                         ON p.debit_move_id = term.id OR p.credit_move_id = term.id
                   CROSS JOIN LATERAL (
                         SELECT SUM(ABS(line.balance)) AS amount
                           FROM account_move_line line
                           JOIN account_account a ON a.id = line.account_id
                                AND a.account_type = 'asset_receivable'
                          WHERE line.move_id = move.id) total
                   WHERE term.move_id = move.id AND %(paid_condition)s
              ) paid ON TRUE
              %(joins)s
             WHERE %(condition)s
            """,
            measure=measure,
            joins=joins,
            paid_condition=paid_condition,
            condition=self._sales_condition(
                company, dealer_ids, None, None, product_ids
            ),
        )

    @api.model
    def _net_sales_sql(
        self,
        company,
        dealer_ids,
        date_from,
        date_to,
        basis="revenue",
        product_ids=None,
        paid=False,
    ):
        """Per dealer: (commercial partner id, net sales of the window; ``paid``: the
        paid sales)."""
        lines_sql = self._paid_sales_lines_sql if paid else self._sales_lines_sql
        return SQL(
            "SELECT sale.partner_id, SUM(sale.value) FROM (%s) sale GROUP BY "
            "sale.partner_id",
            lines_sql(company, dealer_ids, date_from, date_to, product_ids, basis),
        )

    @api.model
    def _net_sales(
        self,
        company,
        dealer_ids,
        date_from,
        date_to,
        basis="revenue",
        product_ids=None,
        paid=False,
    ):
        """{dealer id: net sales of the window} (dealer_ids None: every partner;
        ``paid``: the paid sales)."""
        self.env.flush_all()
        self.env.cr.execute(
            self._net_sales_sql(
                company, dealer_ids, date_from, date_to, basis, product_ids, paid
            )
        )
        return {pid: float(amount or 0.0) for pid, amount in self.env.cr.fetchall()}

    @api.model
    def _sales_by_type(self, company, dealer_ids, date_from, date_to):
        """{dealer id: (invoiced, credited)} of the window, both positive, revenue."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT sale.partner_id,
                   COALESCE(SUM(sale.amount)
                       FILTER (WHERE sale.move_type = 'out_invoice'), 0),
                   COALESCE(-SUM(sale.amount)
                       FILTER (WHERE sale.move_type = 'out_refund'), 0)
              FROM (%s) sale
             GROUP BY sale.partner_id
            """,
                self._sales_lines_sql(company, dealer_ids, date_from, date_to),
            )
        )
        return {
            pid: (float(invoiced), float(credited))
            for pid, invoiced, credited in self.env.cr.fetchall()
        }

    @api.model
    def _sales_by_product(self, company, dealer_ids, date_from, date_to):
        """{(dealer id, product id): (net quantity, net revenue)} of the window."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT sale.partner_id, sale.product_id,
                   SUM(sale.quantity), SUM(sale.amount)
              FROM (%s) sale
             WHERE sale.product_id IS NOT NULL
             GROUP BY sale.partner_id, sale.product_id
            """,
                self._sales_lines_sql(company, dealer_ids, date_from, date_to),
            )
        )
        return {
            (pid, product): (float(quantity), float(amount))
            for pid, product, quantity, amount in self.env.cr.fetchall()
        }

    @api.model
    def _last_sale_dates(self, company, dealer_ids):
        """{dealer id: the date of its last invoice that is a sale}."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT move.commercial_partner_id, MAX(move.invoice_date)
              FROM account_move move
             WHERE move.company_id = %s AND move.state = 'posted'
               AND move.move_type = 'out_invoice' AND move.dealer_rebate_id IS NULL
               AND move.dealer_fund_claim_id IS NULL
               AND move.commercial_partner_id = ANY(%s)
             GROUP BY move.commercial_partner_id
            """,
                company.id,
                array(dealer_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _confirmed_order_amounts(self, company, dealer_ids, date_from, date_to):
        """{dealer id: untaxed amount of the sale orders confirmed in the window}, in
        company currency: not sales (nothing is invoiced yet), the figure a sales target
        follows when its company's setting says so."""
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                    ("partner_id.commercial_partner_id", "in", list(dealer_ids)),
                    ("date_order", ">=", fields.Datetime.to_datetime(date_from)),
                    (
                        "date_order",
                        "<",
                        fields.Datetime.to_datetime(date_to + timedelta(days=1)),
                    ),
                ]
            )
        )
        totals = {}
        for order in orders:
            # amount_untaxed is in the order's currency; currency_rate is the rate from
            # the company currency to it, fixed when the order was made
            pid = order.partner_id.commercial_partner_id.id
            totals[pid] = totals.get(pid, 0.0) + order.amount_untaxed / (
                order.currency_rate or 1.0
            )
        return totals

    @api.model
    def _payment_delays(self, company, dealer_ids, date_from, date_to):
        """{dealer id: (amount-weighted average days paid after the due date, amount
        paid, invoices)} over the payments of the window reconciled with customer
        invoices. A payment before the due date counts as 0 days (early payments do
        not offset late ones); credit notes are not payments."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT debit.partner_id,
                   SUM(apr.amount * GREATEST(0, apr.max_date - debit.date_maturity))
                       / NULLIF(SUM(apr.amount), 0),
                   SUM(apr.amount), COUNT(DISTINCT debit.move_id)
              FROM account_partial_reconcile apr
              JOIN account_move_line debit ON debit.id = apr.debit_move_id
              JOIN account_move invoice ON invoice.id = debit.move_id
              JOIN account_move_line credit ON credit.id = apr.credit_move_id
              JOIN account_move payment ON payment.id = credit.move_id
             WHERE invoice.move_type = 'out_invoice' AND invoice.state = 'posted'
               AND payment.move_type = 'entry' AND payment.state = 'posted'
               AND invoice.company_id = %s AND debit.partner_id = ANY(%s)
               AND apr.max_date BETWEEN %s AND %s
             GROUP BY debit.partner_id
            """,
                company.id,
                array(dealer_ids),
                date_from,
                date_to,
            )
        )
        return {
            pid: (float(days or 0.0), float(amount), count)
            for pid, days, amount, count in self.env.cr.fetchall()
        }

    # ---------------------------------------------------------- receivables

    @api.model
    def _reconciled_after_sql(self, day):
        """Per move line: what was reconciled after ``day``, to add back to what Odoo
        keeps open today (a debit's share positive, a credit's negative)."""
        return SQL(
            """
            SELECT line_id, SUM(amount) AS amount FROM (
                SELECT apr.debit_move_id AS line_id, apr.amount
                  FROM account_partial_reconcile apr WHERE apr.max_date > %(day)s
                UNION ALL
                SELECT apr.credit_move_id, -apr.amount
                  FROM account_partial_reconcile apr WHERE apr.max_date > %(day)s
            ) partial GROUP BY line_id
            """,
            day=day,
        )

    @api.model
    def _open_amounts(self, moves, day):
        """{move id: what was open of it on ``day``} (its receivable lines, in the
        company's currency, signed: a credit note's is negative), one query."""
        if not moves:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH later AS (%s)
                SELECT aml.move_id,
                       SUM(aml.amount_residual + COALESCE(later.amount, 0))
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  LEFT JOIN later ON later.line_id = aml.id
                 WHERE aml.move_id = ANY(%s)
                   AND account.account_type = 'asset_receivable'
                 GROUP BY aml.move_id
                """,
                self._reconciled_after_sql(day),
                array(moves.ids),
            )
        )
        return {move_id: float(amount) for move_id, amount in self.env.cr.fetchall()}

    @api.model
    def _receivables_sql(self, day, company=None, dealer_ids=None, buckets=True):
        """Per (dealer, company): the receivables of the definition above on ``day``
        (company None: every company; dealer_ids None: every dealer). Columns: partner
        id, company id, open, overdue, oldest overdue days, not due, 1-30, 31-60, 61-90,
        90+, the moves of the overdue lines (and ``id``: the first line's, for views).
        Without ``buckets`` the not due and the four buckets are not summed (NULL): the
        rules that need only the open and overdue amounts do not pay for them."""
        scope = [
            SQL("aml.parent_state = 'posted'"),
            SQL("account.account_type = 'asset_receivable'"),
            SQL("aml.date <= %s", day),
        ]
        if company is not None:
            scope.append(SQL("aml.company_id = %s", company.id))
        if dealer_ids is not None:
            scope.append(SQL("aml.partner_id = ANY(%s)", array(dealer_ids)))
            dealers = SQL("")
        else:
            dealers = SQL(
                "JOIN res_partner partner ON partner.id = aml.partner_id AND %s",
                dealer_sql("partner"),
            )
        late = SQL("(%s::date - line.date_maturity)", day)

        def bucket(low, high):
            if not buckets:
                return SQL("NULL::numeric")
            if high is None:
                return SQL(
                    "COALESCE(SUM(line.open) FILTER (WHERE line.open > 0 AND %s >= "
                    "%s), 0)",
                    late,
                    low,
                )
            return SQL(
                "COALESCE(SUM(line.open) FILTER (WHERE line.open > 0 AND %s BETWEEN "
                "%s AND %s), 0)",
                late,
                low,
                high,
            )

        overdue = SQL("line.open > 0 AND %s > 0", late)
        return SQL(
            """
            WITH later AS (%(later)s), line AS (
                SELECT aml.id, aml.partner_id, aml.company_id, aml.move_id,
                       aml.date_maturity,
                       aml.amount_residual + COALESCE(later.amount, 0) AS open
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  %(dealers)s
                  LEFT JOIN later ON later.line_id = aml.id
                 WHERE %(scope)s
                   -- a line reconciled in full is closed, unless (part of) that
                   -- reconciliation came after the day
                   AND (NOT aml.reconciled OR later.line_id IS NOT NULL)
            )
            SELECT line.partner_id, line.company_id, MIN(line.id) AS id,
                   SUM(line.open) AS open,
                   COALESCE(SUM(line.open) FILTER (WHERE %(overdue)s), 0) AS overdue,
                   MAX(%(late)s) FILTER (WHERE %(overdue)s) AS oldest_days,
                   %(not_due)s AS not_due,
                   %(b1)s AS days_1_30, %(b2)s AS days_31_60, %(b3)s AS days_61_90,
                   %(b4)s AS days_90_plus,
                   -- not DISTINCT: that would sort every line by dealer first; a move
                   -- with several receivable lines (instalments) repeats in the array
                   COALESCE(array_agg(line.move_id) FILTER (WHERE %(overdue)s), '{}')
                       AS move_ids
              FROM line
             WHERE line.open != 0
             GROUP BY line.partner_id, line.company_id
            """,
            day=day,
            later=self._reconciled_after_sql(day),
            scope=SQL(" AND ").join(scope),
            dealers=dealers,
            overdue=overdue,
            late=late,
            b1=bucket(1, 30),
            b2=bucket(31, 60),
            b3=bucket(61, 90),
            b4=bucket(91, None),
            not_due=SQL("COALESCE(SUM(line.open) FILTER (WHERE NOT (%s)), 0)", overdue)
            if buckets
            else SQL("NULL::numeric"),
        )

    @api.model
    def _receivables(self, company, dealer_ids, day, buckets=False):
        """{dealer id: Receivable} of one company on ``day`` (the not due and the aging
        buckets with ``buckets`` only, else None)."""
        self.env.flush_all()
        self.env.cr.execute(self._receivables_sql(day, company, dealer_ids, buckets))

        def number(value):
            return None if value is None else float(value)

        result = {}
        for (
            pid,
            _company,
            _id,
            open_,
            overdue,
            oldest,
            not_due,
            b1,
            b2,
            b3,
            b4,
            moves,
        ) in self.env.cr.fetchall():
            result[pid] = Receivable(
                float(open_),
                float(overdue),
                oldest,
                number(not_due),
                number(b1),
                number(b2),
                number(b3),
                number(b4),
                sorted(set(moves)),
            )
        return result
