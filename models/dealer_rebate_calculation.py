# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rebate calculation: a program's statements measured and written in bulk.

How it works: ``docs/design.md``, section ``models/dealer_rebate_calculation.py``."""

from collections import defaultdict, namedtuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import BulkWriter
from ..tools.sql_arrays import array
from .dealer_rebate_rules import (
    EMPTY_MEASURE,
    FIGURES,
    Measure,
    accrued_amount,
    adjustment_values,
    closing_values,
    statement_values,
)

# what a program hands the calculation: the program itself (its fields, read as the
# superuser), its periods [(start, end)], its Rules and the ids of the products in scope
Policy = namedtuple("Policy", ["program", "periods", "rules", "scope_product_ids"])

# the computed columns of a statement, the watermark last (see _write_statements)
STATEMENT_COLUMNS = [
    *((name, "numeric[]") for name in FIGURES),
    ("overdue", "bool[]"),
    ("near_next_bracket", "bool[]"),
    ("needs_second_approval", "bool[]"),
    ("watermark", "int[]"),
]


class DealerRebateCalculation(models.AbstractModel):
    _name = "dealer.rebate.calculation"
    _description = "Dealer Rebate Calculation"

    @api.model
    def _calculate(
        self, policy, period_start, date_to, eligible, dealer_ids=None, submit=False
    ):
        """Compute (again) the statements of the program of ``policy`` ending
        ``date_to`` for the ``eligible`` dealers (or those of them in ``dealer_ids``):
        the drafts are updated, new ones inserted, statements past draft left as they
        are; ``submit``: the drafts with an amount are submitted (a closed period's).
        Returns the statements."""
        statements = self._compute_period(
            policy, period_start, date_to, eligible, dealer_ids
        )
        if submit:
            statements._submit_closed()
        return statements

    def _compute_period(self, policy, period_start, date_to, eligible, dealer_ids):
        """:meth:`_calculate` without the submission."""
        program = policy.program
        cr = self.env.cr
        period_end = dict(policy.periods)[period_start]
        if dealer_ids is not None:
            eligible = list(set(eligible) & set(dealer_ids))
        cr.execute(
            SQL(
                """SELECT partner_id, id, state FROM dealer_rebate
                WHERE program_id = %s AND date_to = %s AND state != 'cancel'""",
                program.id,
                date_to,
            )
        )
        existing = {pid: (rid, state) for pid, rid, state in cr.fetchall()}
        # drafts of dealers no longer eligible go: they would be submitted as they were
        eligible_set = set(eligible)
        stale = [
            rid
            for pid, (rid, state) in existing.items()
            if state == "draft"
            and pid not in eligible_set
            and (dealer_ids is None or pid in dealer_ids)
        ]
        if stale:
            self.env["dealer.rebate"].browse(stale).unlink()
            existing = {
                pid: value for pid, value in existing.items() if value[0] not in stale
            }
        dealers = [
            pid for pid in eligible if existing.get(pid, (0, "draft"))[1] == "draft"
        ]
        if not dealers:
            return self.env["dealer.rebate"].browse(
                [rid for rid, _s in existing.values()]
            )
        watermark = self._watermark()
        measures = self._measure(policy, period_start, date_to, dealers)
        adjustments = (
            self._adjustments(policy, period_start, dealers, date_to)
            if period_start > program.date_start
            else {}
        )
        granted = self._granted(program, [period_start], dealers, date_to)
        rules = policy.rules
        watch = program.watch_distance / 100
        second = program.second_approval_amount
        rows = {}
        for pid in dealers:
            measure = measures.get(pid)
            adjust = adjustments.get(pid, [])
            if not measure and not adjust and pid not in existing:
                continue
            rows[pid] = statement_values(
                rules,
                measure or EMPTY_MEASURE,
                granted.get((pid, period_start), 0.0),
                adjust,
                watch,
                second,
                watermark,
            )
        ids = self._write_statements(
            program, period_start, period_end, date_to, rows, existing
        )
        return self.env["dealer.rebate"].browse(
            ids + [rid for pid, (rid, _s) in existing.items() if pid not in rows]
        )

    @api.model
    def _calculate_closing(self, policy, today, dealer_ids=None, submit=False):
        """After the program's last period: the changes to its closed periods that no
        later statement of the program is left to carry (a credit note dated in the last
        period and posted after its statement was approved, say) go to a closing
        statement per dealer, ending ``today``: adjustments only. A closing draft is
        computed again in place, as of its own end; one past draft is followed by a new
        one when more changes come. ``submit``: as :meth:`_calculate`. Returns the
        statements written."""
        statements = self._compute_closing(policy, today, dealer_ids)
        if submit:
            statements._submit_closed()
        return statements

    def _compute_closing(self, policy, today, dealer_ids):
        """:meth:`_calculate_closing` without the submission."""
        program = policy.program
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT partner_id, id, date_to, state, is_closing FROM dealer_rebate
                WHERE program_id = %s AND state != 'cancel'
                  AND (is_final OR is_closing)""",
                program.id,
            )
        )
        dealers, drafts, issued_today = set(), defaultdict(dict), set()
        for pid, rid, date_to, state, closing in cr.fetchall():
            if dealer_ids is not None and pid not in dealer_ids:
                continue
            dealers.add(pid)
            if closing and state == "draft":
                drafts[date_to][pid] = rid
            elif closing and date_to == today:
                issued_today.add(pid)  # one statement per day: the next one tomorrow
        with_draft = {pid for by_pid in drafts.values() for pid in by_pid}
        new = dealers - with_draft - issued_today
        ends = set(drafts) | ({today} if new else set())
        last_start, last_end = policy.periods[-1]
        after_end = last_end + relativedelta(days=1)
        rounding = program.currency_id.rounding
        second = program.second_approval_amount
        ids = []
        # earliest first: a later closing statement counts what an earlier one carries
        for date_to in sorted(ends):
            self.env.flush_all()
            existing = {
                pid: (rid, "draft") for pid, rid in drafts.get(date_to, {}).items()
            }
            pids = list(existing) + (list(new) if date_to == today else [])
            watermark = self._watermark()
            rows = {}
            for pid, adjust in self._adjustments(
                policy, after_end, pids, date_to
            ).items():
                values = closing_values(adjust, rounding, second, watermark)
                if values:
                    rows[pid] = values
            # a draft whose changes were undone (the credit note cancelled) goes
            stale = [rid for pid, (rid, _s) in existing.items() if pid not in rows]
            if stale:
                self.env["dealer.rebate"].browse(stale).unlink()
            existing = {pid: value for pid, value in existing.items() if pid in rows}
            if rows:
                ids += self._write_statements(
                    program, last_start, last_end, date_to, rows, existing, closing=True
                )
        return self.env["dealer.rebate"].browse(ids)

    @api.model
    def _drafts_to_recompute(self, rebates):
        """{(program, period start, end, closing): statements}: the drafts among
        ``rebates`` that are computed again together; anything else is refused."""
        rebates._check_state(["draft"], self.env._("Recompute"))
        return rebates.grouped(
            lambda r: (r.program_id, r.period_start, r.date_to, r.is_closing)
        )

    def _watermark(self):
        """The last posting number among the moves this transaction sees (the
        sequence's own last value may belong to a posting not committed yet, or
        committed after this transaction's snapshot)."""
        self.env.cr.execute(
            SQL("SELECT COALESCE(MAX(dealer_post_seq), 0) FROM account_move")
        )
        return self.env.cr.fetchone()[0]

    def _measure_sql(self, policy, period_start, date_to, dealers):
        """Per dealer, over the program's scope: the cumulative basis and net amount of
        the period to ``date_to`` and the net amount on the same dates a year earlier.

        Raw SQL: one grouped query over the invoice lines of every dealer (a million at
        scale)."""
        program = policy.program
        last_year_start = period_start - relativedelta(years=1)
        last_year_end = date_to - relativedelta(years=1)
        dates = SQL("sale.invoice_date BETWEEN %s AND %s", period_start, date_to)
        if program.growth_rate:
            dates = SQL(
                "(%s OR sale.invoice_date BETWEEN %s AND %s)",
                dates,
                last_year_start,
                last_year_end,
            )
        return SQL(
            """
            SELECT sale.partner_id,
                   COALESCE(SUM(sale.value)
                       FILTER (WHERE sale.invoice_date >= %(start)s), 0),
                   COALESCE(SUM(sale.amount)
                       FILTER (WHERE sale.invoice_date >= %(start)s), 0),
                   COALESCE(SUM(sale.amount)
                       FILTER (WHERE sale.invoice_date < %(start)s), 0)
              FROM (%(sales)s) sale
             WHERE %(dates)s
             GROUP BY sale.partner_id
            """,
            start=period_start,
            dates=dates,
            sales=self._program_sales_sql(policy, dealers),
        )

    def _program_sales_sql(self, policy, dealers):
        """The invoice lines a program counts: the sales of ``dealers`` (the measurement
        layer's definition) in its scope of products, on its basis."""
        program = policy.program
        Measure = self.env["dealer.measure"]
        lines_sql = (
            Measure._paid_sales_lines_sql
            if program.sales_basis == "paid"
            else Measure._sales_lines_sql
        )
        return lines_sql(
            program.company_id,
            dealers,
            product_ids=policy.scope_product_ids,
            basis="quantity" if program.basis == "quantity" else "revenue",
        )

    @api.model
    def _accrued(self, policy, day, eligible):
        """{dealer id: (earned, unsettled)}: what the rules give the ``eligible``
        dealers on the sales of the open period to ``day``, less what its submitted
        statements granted (earned to date, or projected as the program says), and
        the program's submitted statements ending by ``day`` not settled yet."""
        program = policy.program
        result = defaultdict(lambda: [0.0, 0.0])
        Rebate = self.env["dealer.rebate"].sudo()
        period = next(((s, e) for s, e in policy.periods if s <= day <= e), None)
        if period and eligible:
            start, end = period
            measures = self._measure(policy, start, day, eligible)
            granted = {
                partner.id: amount
                for partner, amount in Rebate._read_group(
                    [
                        ("program_id", "=", program.id),
                        ("period_start", "=", start),
                        ("is_closing", "=", False),
                        ("state", "in", ("to_approve", "approved", "settled")),
                        ("date_to", "<=", day),
                    ],
                    ["partner_id"],
                    ["period_amount:sum"],
                )
            }
            last_year = {}
            if program.accrual_basis == "projected" and measures:
                last_year = {
                    pid: measure.last_year
                    for pid, measure in self._measure(
                        policy, start, end, list(measures)
                    ).items()
                }
            elapsed, days = (day - start).days + 1, (end - start).days + 1
            for pid in set(measures) | set(granted):
                projection = (
                    (last_year.get(pid, 0.0), elapsed, days)
                    if program.accrual_basis == "projected"
                    else None
                )
                result[pid][0] = accrued_amount(
                    policy.rules,
                    measures.get(pid, EMPTY_MEASURE),
                    granted.get(pid, 0.0),
                    projection,
                )
        for partner, amount in Rebate._read_group(
            [
                ("program_id", "=", program.id),
                ("state", "in", ("to_approve", "approved")),
                ("date_to", "<=", day),
            ],
            ["partner_id"],
            ["amount:sum"],
        ):
            result[partner.id][1] = amount
        return {pid: tuple(values) for pid, values in result.items() if any(values)}

    def _measure(self, policy, period_start, date_to, dealers):
        """{dealer id: :class:`Measure`}, the figures the rules need, for one period
        to ``date_to``."""
        program = policy.program
        cr = self.env.cr
        cr.execute(self._measure_sql(policy, period_start, date_to, dealers))
        result = {
            pid: {
                "basis": float(basis),
                "amount": float(amount),
                "last_year": float(last_year),
                "target": 0.0,
                "achieved": 0.0,
                "overdue": False,
            }
            for pid, basis, amount, last_year in cr.fetchall()
        }
        if program.target_bonus_type != "none":
            targets = (
                self.env["dealer.sales.target"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", program.company_id.id),
                        ("partner_id", "in", dealers),
                        ("date_start", ">=", period_start),
                        ("date_end", "<=", date_to),
                    ],
                    groupby=["partner_id"],
                    aggregates=["amount:sum"],
                )
            )
            if targets:
                achieved = self.env["dealer.sales.target"]._achieved_amounts(
                    program.company_id,
                    [p.id for p, _a in targets],
                    period_start,
                    date_to,
                )
                for partner, amount in targets:
                    figures = result.setdefault(partner.id, EMPTY_MEASURE._asdict())
                    figures["target"] = amount
                    figures["achieved"] = program.currency_id.round(
                        achieved.get(partner.id, 0.0)
                    )
        if program.discipline != "none" and result:
            # receivables as they stood at the period's end (or today, while it is
            # open): a payment made later does not change a closed period
            day = min(date_to, fields.Date.context_today(self))
            receivables = self.env["dealer.measure"]._receivables(
                program.company_id, list(result), day
            )
            for pid, receivable in receivables.items():
                if (receivable.oldest_days or 0) > program.discipline_days:
                    result[pid]["overdue"] = True
        return {pid: Measure(**figures) for pid, figures in result.items()}

    def _granted(self, program, period_starts, dealers, date_to):
        """{(dealer, period start): rebate granted for that period} by the statements of
        the program ending before ``date_to`` (the ones being computed end on it): their
        own period's part and their adjustments."""
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, period_start, SUM(amount) FROM (
                SELECT partner_id, period_start, period_amount AS amount
                  FROM dealer_rebate
                 WHERE program_id = %(program)s AND state != 'cancel'
                   AND period_start = ANY(%(starts)s) AND partner_id = ANY(%(dealers)s)
                   AND date_to < %(date_to)s
                UNION ALL
                SELECT r.partner_id, adj.period_start, adj.amount
                  FROM dealer_rebate_adjustment adj
                  JOIN dealer_rebate r ON r.id = adj.rebate_id
                 WHERE r.program_id = %(program)s AND r.state != 'cancel'
                   AND adj.period_start = ANY(%(starts)s)
                   AND r.partner_id = ANY(%(dealers)s)
                   AND r.date_to < %(date_to)s
            ) granted GROUP BY partner_id, period_start
            """,
                program=program.id,
                starts=period_starts,
                dealers=array(dealers),
                date_to=date_to,
            )
        )
        return {
            (pid, start): float(amount) for pid, start, amount in self.env.cr.fetchall()
        }

    def _late_sql(self, policy, period_start, dealers, date_to):
        """(dealer, period start) of the earlier periods of the program, closed by a
        final statement, whose lines changed since the last statement (or adjustment)
        that covered them: a line posted after it, or what it counted no longer adds
        up to the basis it recorded (an invoice reset to draft and changed or
        cancelled). Raw SQL: one grouped query over the lines of those periods."""
        program = policy.program
        return SQL(
            """
            WITH covering AS (
                SELECT r.partner_id, r.period_start AS start, r.period_end AS stop,
                       r.watermark, r.basis_amount, r.date_to AS rank
                  FROM dealer_rebate r
                 WHERE r.program_id = %(program)s AND r.state != 'cancel' AND r.is_final
                   AND r.period_start < %(start)s AND r.partner_id = ANY(%(dealers)s)
                UNION ALL
                SELECT r.partner_id, adj.period_start, adj.period_end, r.watermark,
                       adj.basis_amount, r.date_to
                  FROM dealer_rebate_adjustment adj
                  JOIN dealer_rebate r ON r.id = adj.rebate_id
                 WHERE r.program_id = %(program)s AND r.state != 'cancel'
                   AND r.partner_id = ANY(%(dealers)s) AND r.date_to < %(date_to)s
            ), latest AS (
                SELECT DISTINCT ON (partner_id, start) *
                  FROM covering ORDER BY partner_id, start, rank DESC
            ), lines AS (
                SELECT sale.partner_id, sale.invoice_date, sale.post_seq AS seq,
                       sale.value
                  FROM (%(sales)s) sale
                 WHERE sale.invoice_date >= %(program_start)s
                   AND sale.invoice_date < %(start)s
            )
            SELECT latest.partner_id, latest.start
              FROM latest
              LEFT JOIN lines ON lines.partner_id = latest.partner_id
                   AND lines.invoice_date BETWEEN latest.start AND latest.stop
             GROUP BY latest.partner_id, latest.start, latest.watermark,
                      latest.basis_amount
            HAVING COALESCE(bool_or(lines.seq > latest.watermark), FALSE)
                OR ROUND(COALESCE(SUM(lines.value) FILTER (
                       WHERE lines.seq <= latest.watermark), 0)::numeric, 2)
                   != ROUND(latest.basis_amount::numeric, 2)
            """,
            program=program.id,
            start=period_start,
            dealers=array(dealers),
            date_to=date_to,
            program_start=program.date_start,
            sales=self._program_sales_sql(policy, dealers),
        )

    def _adjustments(self, policy, period_start, dealers, date_to):
        """{dealer: [adjustment]} for the earlier periods of the program whose final
        statement exists and which have lines posted after it (a credit note dated in a
        settled period, say): each such period is computed again in full and the
        difference with what was granted becomes an adjustment."""
        program = policy.program
        cr = self.env.cr
        cr.execute(self._late_sql(policy, period_start, dealers, date_to))
        closed = defaultdict(list)
        for pid, start in cr.fetchall():
            closed[start].append(pid)
        periods = dict(policy.periods)
        result = defaultdict(list)
        for start, pids in sorted(closed.items()):
            late = self._measure(policy, start, periods[start], pids)
            granted = self._granted(program, [start], pids, date_to)
            for pid in pids:
                result[pid].append(
                    adjustment_values(
                        policy.rules,
                        late.get(pid) or EMPTY_MEASURE,
                        granted.get((pid, start), 0.0),
                        start,
                        periods[start],
                    )
                )
        return result

    def _write_statements(
        self, program, period_start, period_end, date_to, rows, existing, closing=False
    ):
        """Insert the new statements and update the drafts whose figures changed, one
        statement each (raw SQL through the bulk writer: an annual program of a large
        network writes tens of thousands of statements; the ORM would take a minute).
        Computing again with the same data writes nothing. Returns the ids of the
        statements."""
        Rebate = self.env["dealer.rebate"]
        writer = BulkWriter(Rebate, "partner_id", STATEMENT_COLUMNS)
        current = writer.read(
            SQL(
                "id = ANY(%s)",
                array(existing[pid][0] for pid in rows if pid in existing),
            )
        )
        names = writer.names

        def same(pid, old, new):
            # the watermark (last) alone moves with every posting anywhere: a draft
            # whose figures did not change keeps it, so that computing again writes
            # nothing
            return old[:-1] == new[:-1] and (
                old[-1] == new[-1] or not rows[pid]["adjustments"]
            )

        ids = writer.write(
            {
                pid: tuple(values[name] for name in names)
                for pid, values in rows.items()
            },
            current,
            fixed={
                "name": SQL("%s || lpad(v.id::text, 6, '0')", f"RB/{date_to:%Y/%m}/"),
                "state": "draft",
                "program_id": program.id,
                "company_id": program.company_id.id,
                "period_start": period_start,
                "period_end": period_end,
                "date_to": date_to,
                "is_final": date_to == period_end,
                "is_closing": closing,
                "validation_status": "no",
                "salesperson_id": SQL(
                    "(SELECT user_id FROM res_partner WHERE id = v.partner_id)"
                ),
            },
            stamp={"computed_on": fields.Datetime.now()},
            same=same,
        )
        self.env["dealer.rebate.program"].invalidate_model(["rebate_ids"])
        self._write_adjustments(
            Rebate.browse(ids.values()),
            {pid: values["adjustments"] for pid, values in rows.items()},
        )
        return list(ids.values())

    def _write_adjustments(self, rebates, adjusted):
        """Replace the adjustments of the statements whose adjustments changed."""
        Adjustment = self.env["dealer.rebate.adjustment"].sudo()
        having = {
            rebate.id
            for [rebate] in Adjustment._read_group(
                [("rebate_id", "in", rebates.ids)], groupby=["rebate_id"]
            )
        }
        adjusted = {
            pid: adjustments for pid, adjustments in adjusted.items() if adjustments
        }
        if not adjusted and not having:
            return
        by_partner = {rebate.partner_id.id: rebate for rebate in rebates}
        for pid in set(adjusted) | {
            by_partner_pid
            for by_partner_pid, rebate in by_partner.items()
            if rebate.id in having
        }:
            adjustments = adjusted.get(pid, [])
            rebate = by_partner.get(pid)
            if rebate is None:
                continue
            new = sorted((str(a["period_start"]), a["amount"]) for a in adjustments)
            old = sorted((str(a.period_start), a.amount) for a in rebate.adjustment_ids)
            if new == old:
                continue
            rebate.adjustment_ids.sudo().unlink()
            Adjustment.create([{"rebate_id": rebate.id, **a} for a in adjustments])
