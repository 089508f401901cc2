#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmarks of the set-based engines, next to the bare SQL query that computes the
same per-dealer sums on the same database (the floor).

    python3 benchmarks/run.py [--sizes 2000:100000,20000:1000000] [--db dealer_bench]

Creates (once) database dealer_bench with the addon, generates one company per size
(benchmarks/generate.py), then measures each size in a fresh process: the floor query,
a first tier run (every dealer gets a tier and a result line), a second run with the
same data (changes nothing), and the process's peak memory. Prints a table.
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used
# A harness outside Odoo's request cycle: it commits the data it generates and the runs
# it measures, so that the next measurement (a new transaction, or VACUUM) sees them;
# each cr.commit() says so with a disable of invalid-commit.

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dealerctl  # noqa: E402

REPEAT = 3


def best_of(function, repeat=REPEAT):
    times = []
    for _i in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(conf, db, dealers, lines, generate_only=False):
    """Runs inside the child process: generate if needed, then time (unless
    ``generate_only``: a 200,000-dealer company takes 35 minutes to generate, which
    can be done ahead of the measurements, while the machine does other work)."""
    import odoo
    from odoo.tools import config

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate  # noqa: PLC0415

    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        existed = env["res.company"].search_count(
            [("name", "=", f"Bench {dealers}/{lines}")]
        )
        company = generate.generate(env, dealers, lines)
        cr.commit()  # pylint: disable=invalid-commit
        generation = time.perf_counter() - started
    if not existed:
        # the generator rewrites every move once (its totals): without a vacuum the
        # first runs would read twice the moves, and their timings would depend on
        # when autovacuum comes by (at 200,000 dealers it had not after an hour)
        vacuum(registry, ["account_move", "account_move_line", "res_partner"])
    if generate_only:
        return {"dealers": dealers, "lines": lines, "generation_s": generation}
    peaks = {"start": max_rss()}
    try:
        tiers = measure_tiers(registry, company.id)
    finally:
        clean_tiers(registry, company.id)
    peaks["tiers"] = max_rss()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        warnings = measure_warnings(env, company)
        cr.rollback()
    peaks["warnings"] = max_rss()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        rebates = measure_rebates(env, company)
        cr.rollback()
    peaks["rebates"] = max_rss()
    return {
        "dealers": dealers,
        "generation_s": generation,
        "peak_rss_mib": peaks["rebates"],
        # the process's peak after each engine (it only grows): which one raised it
        "peaks_mib": peaks,
        **tiers,
        **warnings,
        **rebates,
    }


def max_rss():
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_tiers(registry, company_id):
    """The first tier run of the company, the same run again, and the next month's run
    a month later: the first run is committed and the tables vacuumed in between, as
    autovacuum would have done in that month (the rows the first run rewrote leave room
    on their pages). Next to the floor, and to the floor plus the bare SQL writes of
    the same rows (the least a run that stores its results can cost)."""
    import odoo
    from odoo.tools import SQL

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].browse(company_id)
        Run = env["dealer.tier.run"]
        run = Run.create({"company_id": company.id, "date_to": "2026-06-30"})
        env.flush_all()
        # the floor: the same per-dealer sums, bare SQL, rows fetched
        floor_sql = run._basis_sql()
        cr.execute(floor_sql)
        cr.fetchall()  # warm the cache once for both
        floor = best_of(lambda: (cr.execute(floor_sql), cr.fetchall()))
        writes = bare_tier_writes(cr, run)
        started = time.perf_counter()
        run._classify()
        env.flush_all()
        first = time.perf_counter() - started
        second = best_of(lambda: (run._classify(), env.flush_all()))
        counts = (run.count_a, run.count_b, run.count_c, run.count_new)
        cr.execute(
            "SELECT count(*) FROM account_move_line WHERE company_id = %s "
            "AND display_type = 'product'",
            (company.id,),
        )
        line_count = cr.fetchone()[0]
        cr.commit()  # pylint: disable=invalid-commit
    vacuum(registry, ["res_partner", "dealer_tier_run_line", "mail_message"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        # the next monthly run: a new run (new result lines), the window one month on,
        # the tiers of the dealers whose rank moved change and are logged
        next_run = env["dealer.tier.run"].create(
            {"company_id": company_id, "date_to": "2026-07-31"}
        )
        env.flush_all()
        next_floor_sql = next_run._basis_sql()
        next_floor = best_of(lambda: (cr.execute(next_floor_sql), cr.fetchall()))
        next_writes = bare_tier_writes(cr, next_run, monthly=True)
        updates = SQL("""SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables
                          WHERE relname = 'res_partner'""")
        cr.execute(updates)
        before = cr.fetchone()
        started = time.perf_counter()
        next_run._classify()
        env.flush_all()
        monthly = time.perf_counter() - started
        changed = next_run.changed_count
        cr.execute(updates)
        after = cr.fetchone()
        cr.commit()  # pylint: disable=invalid-commit
    return {
        "lines": line_count,
        "floor_s": floor,
        "writes_s": writes,
        "first_run_s": first,
        "rerun_s": second,
        "next_floor_s": next_floor,
        "next_writes_s": next_writes,
        "monthly_s": monthly,
        "monthly_changed": changed,
        "tiers_abcn": counts,
        "monthly_hot": f"{after[1] - before[1]}/{after[0] - before[0]}",
    }


def bare_tier_writes(cr, run, monthly=False):
    """The time of the bare SQL writes of a tier run's results, undone afterwards: a
    result line per dealer (the same table, keys and constraints) and the new tier of
    the dealers whose tier changes: all of them on a first run, one in ten on a monthly
    run (as many as move in the generated data)."""
    from odoo.tools import SQL

    dealers = SQL(
        """SELECT id FROM res_partner WHERE is_dealer AND parent_id IS NULL
                      AND active AND company_id = %s""",
        run.company_id.id,
    )
    cr.execute("SAVEPOINT bare_writes")
    started = time.perf_counter()
    cr.execute(
        SQL(
            """INSERT INTO dealer_tier_run_line (run_id, date_to, partner_id, rank,
                  basis_amount, share, cumulative_share, tier, previous_tier,
                  tier_kept, changed)
           SELECT %s, %s, p.id, p.id, 1000.0, 0.005, 50.0, 'A', p.dealer_tier,
                  FALSE, TRUE
             FROM res_partner p WHERE p.id IN (%s)""",
            run.id,
            run.date_to,
            dealers,
        )
    )
    if not monthly:
        cr.execute(
            SQL(
                """UPDATE res_partner SET dealer_tier = 'A', dealer_tier_date = %s
                           WHERE id IN (%s)""",
                run.date_to,
                dealers,
            )
        )
    else:  # about a tenth of the dealers move on a monthly run
        cr.execute(
            SQL(
                """UPDATE res_partner SET dealer_tier = 'new', dealer_tier_date = %s
                           WHERE id IN (%s) AND mod(id, 10) = 0""",
                run.date_to,
                dealers,
            )
        )
    elapsed = time.perf_counter() - started
    cr.execute("ROLLBACK TO SAVEPOINT bare_writes")
    return elapsed


def vacuum(registry, tables):
    from odoo.tools import SQL

    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in tables:
            cr.execute(SQL("VACUUM %s", SQL.identifier(table)))


def clean_tiers(registry, company_id):
    """Remove the measured runs and tiers, so that the next measurement starts alike."""
    with registry.cursor() as cr:
        cr.execute(
            "DELETE FROM mail_message WHERE model = 'dealer.tier.run' AND res_id IN "
            "(SELECT id FROM dealer_tier_run WHERE company_id = %s)",
            (company_id,),
        )
        cr.execute(
            "DELETE FROM mail_message WHERE model = 'res.partner' "
            "AND message_id LIKE '<dealer-tier-run-%%' AND res_id IN "
            "(SELECT id FROM res_partner WHERE company_id = %s)",
            (company_id,),
        )
        cr.execute("DELETE FROM dealer_tier_run WHERE company_id = %s", (company_id,))
        cr.execute(
            """UPDATE res_partner SET dealer_tier = NULL, dealer_tier_date = NULL
                       WHERE company_id = %s AND dealer_tier IS NOT NULL""",
            (company_id,),
        )
        cr.commit()  # pylint: disable=invalid-commit
    vacuum(registry, ["res_partner", "dealer_tier_run_line", "mail_message"])


def measure_rebates(env, company):
    """One annual rebate program over the generated window (2025-07-01 to 2026-06-30)
    for every dealer: scope nine of the ten products (one excluded), three volume
    brackets and a growth rate (last year's sales are measured by the same query). The
    floor: the bare SQL per-dealer sum of the same invoice lines."""
    from odoo import Command
    from odoo.tools import SQL

    products = env["product.product"].search([("name", "like", "Bench product %")])
    excluded = products.filtered(lambda p: p.name == "Bench product 10")
    program = env["dealer.rebate.program"].create(
        {
            "name": "Bench annual rebate",
            "company_id": company.id,
            "date_start": "2025-07-01",
            "date_end": "2026-06-30",
            "period_type": "year",
            "categ_ids": [Command.set(products.categ_id.ids)],
            "exclude_product_ids": [Command.set(excluded.ids)],
            "growth_rate": 1.0,
            "bracket_ids": [
                Command.create({"amount_from": f, "amount_to": t, "rate": r})
                for f, t, r in ((0, 50000, 1), (50000, 200000, 2), (200000, 0, 3))
            ],
        }
    )
    env.flush_all()
    scope = program._scope_product_ids()
    floor_sql = SQL(
        """
        SELECT move.commercial_partner_id, SUM(-aml.balance)
          FROM account_move_line aml
          JOIN account_move move ON move.id = aml.move_id
         WHERE move.company_id = %s AND move.state = 'posted'
           AND move.move_type IN ('out_invoice', 'out_refund')
           AND aml.display_type = 'product' AND aml.product_id = ANY(%s)
           AND move.invoice_date BETWEEN '2025-07-01' AND '2026-06-30'
         GROUP BY move.commercial_partner_id
        """,
        company.id,
        scope,
    )
    cr = env.cr
    start, end = date(2025, 7, 1), date(2026, 6, 30)
    # the invoices of the last day arrive the next day: not posted for the first runs
    cr.execute(
        SQL(
            """UPDATE account_move SET state = 'draft' WHERE company_id = %s
                       AND invoice_date = %s
                       AND move_type IN ('out_invoice', 'out_refund')
                       AND state = 'posted' RETURNING id""",
            company.id,
            end,
        )
    )
    last_day = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            "UPDATE account_move_line SET parent_state = 'draft' "
            "WHERE move_id = ANY(%s)",
            last_day,
        )
    )
    env.invalidate_all()
    cr.execute(floor_sql)
    cr.fetchall()
    floor = best_of(lambda: (cr.execute(floor_sql), cr.fetchall()))
    # the bare SQL insert of as many statements (the same table, keys and constraints),
    # undone: the least a computation that stores a statement per dealer can cost
    cr.execute(floor_sql)
    with_sales = [row[0] for row in cr.fetchall()]
    cr.execute("SAVEPOINT bare_writes")
    began = time.perf_counter()
    # the computed columns of a statement, as the calculation writes them (imported
    # here: Odoo's addons are importable in the benchmark's child process only)
    from odoo.addons.dealer_management.models.dealer_rebate_rules import FIGURES

    figures = FIGURES
    cr.execute(
        SQL(
            """INSERT INTO dealer_rebate (name, state, program_id, company_id,
                  period_start, period_end, date_to, is_final, computed_on,
                  validation_status, partner_id, salesperson_id, overdue,
                  near_next_bracket, needs_second_approval, watermark, %(figures)s,
                  create_uid, create_date, write_uid, write_date)
           SELECT 'RB/' || p.id, 'draft', %(program)s, %(company)s, '2025-07-01',
                  '2026-06-30', '2026-06-30', TRUE, now(), 'no', p.id, p.user_id, FALSE,
                  FALSE, FALSE, 1, %(values)s, %(uid)s, now(), %(uid)s, now()
             FROM res_partner p WHERE p.id = ANY(%(dealers)s)""",
            figures=SQL(", ").join(SQL.identifier(name) for name in figures),
            values=SQL(", ").join(SQL("%s", 1234.5) for _name in figures),
            program=program.id,
            company=company.id,
            uid=env.uid,
            dealers=SQL("%s::int[]", "{" + ",".join(map(str, with_sales)) + "}"),
        )
    )
    writes = time.perf_counter() - began
    cr.execute("ROLLBACK TO SAVEPOINT bare_writes")
    began = time.perf_counter()
    rebates = program._calculate_statements(start, end)
    env.flush_all()
    first = time.perf_counter() - began
    again = best_of(
        lambda: (program._calculate_statements(start, end), env.flush_all())
    )
    # the daily job of the next day: the last day's invoices posted (a posting number
    # each, as account.move._post gives), the drafts of the dealers who bought computed
    cr.execute(
        SQL(
            """UPDATE account_move SET state = 'posted',
                             dealer_post_seq = nextval('dealer_move_post_seq')
                       WHERE id = ANY(%s)""",
            last_day,
        )
    )
    cr.execute(
        SQL(
            "UPDATE account_move_line SET parent_state = 'posted' "
            "WHERE move_id = ANY(%s)",
            last_day,
        )
    )
    env.invalidate_all()
    cr.execute(
        SQL(
            "SELECT count(DISTINCT commercial_partner_id) FROM account_move "
            "WHERE id = ANY(%s)",
            last_day,
        )
    )
    buyers = cr.fetchone()[0]
    next_floor = best_of(lambda: (cr.execute(floor_sql), cr.fetchall()))
    began = time.perf_counter()
    program._calculate_statements(start, end)
    env.flush_all()
    next_day = time.perf_counter() - began
    # the rates change while the statements are drafts: every draft is written again
    # (as at a period end after a month of sales)
    for bracket in program.bracket_ids:
        bracket.rate += 0.5
    env.flush_all()
    began = time.perf_counter()
    program._calculate_statements(start, end)
    env.flush_all()
    changed = time.perf_counter() - began
    cr.execute(
        "SELECT count(*), sum(amount) FROM dealer_rebate WHERE program_id = %s",
        (program.id,),
    )
    count, total = cr.fetchone()
    simulation = measure_simulation(env, program, start, end)
    # the counted lines of one statement, through the view that lists them
    one = env["dealer.rebate"].search([("program_id", "=", program.id)], limit=1)
    began = time.perf_counter()
    counted = env["dealer.rebate.line"].search_count([("rebate_id", "=", one.id)])
    lines_s = time.perf_counter() - began
    return {
        **simulation,
        "rebate_floor_s": floor,
        "rebate_writes_s": writes,
        "rebate_first_s": first,
        "rebate_changed_s": changed,
        "rebate_again_s": again,
        "rebate_next_s": next_day,
        "rebate_buyers": buyers,
        "rebate_next_floor_s": next_floor,
        "rebate_statements": count,
        "rebate_counted": counted,
        "rebate_lines_s": lines_s,
        "rebate_total": float(total or 0),
        "rebate_returned": len(rebates),
    }


def measure_simulation(env, program, start, end):
    """A what-if simulation of the program on its own year, with a variant (every
    rate half a point higher): first (every dealer's line written), again (the same:
    writes nothing). Its floor: the bare per-dealer sum of the same lines and of the
    same dates a year earlier (the growth rule), measured now."""
    from odoo import Command
    from odoo.tools import SQL

    scope = program._scope_product_ids()
    floor_sql = SQL(
        """
        SELECT move.commercial_partner_id,
               SUM(-aml.balance) FILTER (WHERE move.invoice_date >= %(start)s),
               SUM(-aml.balance) FILTER (WHERE move.invoice_date < %(start)s)
          FROM account_move_line aml
          JOIN account_move move ON move.id = aml.move_id
         WHERE move.company_id = %(company)s AND move.state = 'posted'
           AND move.move_type IN ('out_invoice', 'out_refund')
           AND aml.display_type = 'product' AND aml.product_id = ANY(%(scope)s)
           AND (move.invoice_date BETWEEN %(start)s AND %(end)s
                OR move.invoice_date BETWEEN %(ly_start)s AND %(ly_end)s)
         GROUP BY move.commercial_partner_id
        """,
        start=start,
        end=end,
        ly_start=start.replace(year=start.year - 1),
        ly_end=end.replace(year=end.year - 1),
        company=program.company_id.id,
        scope=scope,
    )
    cr = env.cr
    floor = best_of(lambda: (cr.execute(floor_sql), cr.fetchall()))
    simulation = env["dealer.rebate.simulation"].create(
        {
            "name": "Bench simulation",
            "program_id": program.id,
            "date_from": start,
            "date_to": end,
            "has_variant": True,
            "variant_growth_rate": program.growth_rate,
            "variant_bracket_ids": [
                Command.create(
                    {
                        "amount_from": b.amount_from,
                        "amount_to": b.amount_to,
                        "rate": b.rate + 0.5,
                    }
                )
                for b in program.bracket_ids
            ],
        }
    )
    env.flush_all()
    began = time.perf_counter()
    simulation.action_simulate()
    env.flush_all()
    first = time.perf_counter() - began
    again = best_of(lambda: (simulation.action_simulate(), env.flush_all()))
    return {
        "sim_floor_s": floor,
        "sim_first_s": first,
        "sim_again_s": again,
        "sim_dealers": simulation.dealer_count,
    }


def bare_link_writes(env, rules):
    """The bare SQL insert of the invoice links that the first evaluation wrote (the
    same rows, in the same order, with the same foreign-key checks), timed and undone:
    the least that any evaluation storing those links can cost. Returns (rows, s)."""
    from odoo.tools import SQL

    field = env["dealer.warning"]._fields["move_ids"]
    relation, warning_col, move_col = (
        SQL.identifier(name) for name in (field.relation, field.column1, field.column2)
    )
    cr = env.cr
    cr.execute("SAVEPOINT bare_links")
    cr.execute(
        SQL(
            """CREATE TEMP TABLE bench_links ON COMMIT DROP AS
               SELECT rel.%s AS a, rel.%s AS b FROM %s rel
                 JOIN dealer_warning w ON w.id = rel.%s WHERE w.rule_id = ANY(%s)""",
            warning_col,
            move_col,
            relation,
            warning_col,
            rules.ids,
        )
    )
    cr.execute("ANALYZE bench_links")
    cr.execute(
        SQL(
            """DELETE FROM %s rel WHERE rel.%s IN (
                   SELECT id FROM dealer_warning WHERE rule_id = ANY(%s))""",
            relation,
            warning_col,
            rules.ids,
        )
    )
    started = time.perf_counter()
    cr.execute(
        SQL(
            "INSERT INTO %s (%s, %s) SELECT a, b FROM bench_links ORDER BY b, a",
            relation,
            warning_col,
            move_col,
        )
    )
    elapsed = time.perf_counter() - started
    rows = cr.rowcount
    cr.execute("ROLLBACK TO SAVEPOINT bare_links")
    return rows, elapsed


def measure_warnings(env, company, today=date(2026, 6, 30)):
    """The warning engine's receivables, credit, pace and churn rules over every dealer
    of the company, next to the bare SQL of the same measures. Credit limits and this
    month's targets are set for every dealer first; thresholds are chosen so that about
    one dealer in twenty raises, as a tuned rule would."""
    from odoo.tools import SQL

    company = env["res.company"].browse(company.id)
    cr = env.cr
    cr.execute(
        SQL(
            """UPDATE res_partner SET credit_limit = jsonb_build_object(%s, 20000)
                       WHERE company_id = %s AND is_dealer""",
            str(company.id),
            company.id,
        )
    )
    # the regular buyers' targets (dealers who invoiced in May and in June): what each
    # invoiced the month before
    cr.execute(
        SQL(
            """INSERT INTO dealer_sales_target (partner_id, company_id, period_type,
                  date_start, date_end, amount, name, create_uid, create_date,
                  write_uid, write_date)
           SELECT p.id, p.company_id, 'month', %(start)s, %(end)s,
                  m.amount, p.name, 1, now(), 1, now()
             FROM res_partner p
             JOIN (SELECT partner_id, SUM(-balance) AS amount FROM account_move_line
                         WHERE company_id = %(company)s AND parent_state = 'posted'
                           AND display_type = 'product'
                           AND invoice_date BETWEEN %(prev_start)s AND %(prev_end)s
                         GROUP BY partner_id) m ON m.partner_id = p.id AND m.amount > 0
            WHERE p.company_id = %(company)s AND p.is_dealer
              AND EXISTS (SELECT 1 FROM account_move_line j
                           WHERE j.partner_id = p.id AND j.display_type = 'product'
                             AND j.invoice_date BETWEEN %(start)s AND %(end)s)""",
            start=today.replace(day=1),
            end=today,
            company=company.id,
            prev_start=date(2026, 5, 1),
            prev_end=date(2026, 5, 31),
        )
    )
    env.invalidate_all()
    # as the daily refresh of the targets would have done before the rules run
    env["dealer.sales.target"].search(
        [("company_id", "=", company.id)]
    )._refresh_achievement(today)
    Rule = env["dealer.warning.rule"]
    dealer_ids = (
        env["res.partner"]
        .search([("company_id", "=", company.id), ("is_dealer", "=", True)])
        .ids
    )

    def p95(values):
        values = sorted(values)
        return values[int(len(values) * 0.95)] if values else 0

    receivables = env["dealer.measure"]._receivables(company, dealer_ids, today)
    achieved = env["dealer.sales.target"]._achieved_amounts(
        company, dealer_ids, today.replace(day=1), today
    )
    targets = dict(
        env["dealer.sales.target"]._read_group(
            [("company_id", "=", company.id)],
            groupby=["partner_id"],
            aggregates=["amount:sum"],
        )
    )
    targets = {partner.id: amount for partner, amount in targets.items()}
    last = dict(
        env["account.move"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "posted"),
                ("move_type", "=", "out_invoice"),
            ],
            groupby=["commercial_partner_id"],
            aggregates=["invoice_date:max"],
        )
    )
    rules = Rule.create(
        [
            {
                "name": "Overdue",
                "warning_type": "receivable_overdue",
                "threshold_amount": p95(
                    [v.overdue for v in receivables.values() if v.overdue]
                ),
            },
            {
                "name": "Credit",
                "warning_type": "credit_usage",
                "threshold_percent": p95(
                    [v.open / 20000 * 100 for v in receivables.values()]
                ),
            },
            {
                "name": "Pace",
                "warning_type": "sales_pace",
                "threshold_percent": min(
                    100,
                    p95(
                        [
                            100 - achieved.get(pid, 0) / targets[pid] * 100
                            for pid in targets
                        ]
                    ),
                ),
            },
            {
                "name": "Churn",
                "warning_type": "churn",
                "window_days": 90,
                "threshold_days": p95([(today - day).days for day in last.values()])
                or 1,
            },
        ]
    )
    rules.write({"company_ids": [(6, 0, company.ids)], "notify_activity": True})
    # the bare sums of what is open and overdue today, with the moves, from the
    # residuals Odoo keeps (the rules measure receivables as they stood on a day, which
    # costs more: what was reconciled after the day is added back)
    bare_receivables = """
        SELECT aml.partner_id, SUM(aml.amount_residual),
               MAX(%(today)s - aml.date_maturity), array_agg(DISTINCT aml.move_id)
          FROM account_move_line aml
          JOIN account_account account ON account.id = aml.account_id
         WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
           AND account.account_type = 'asset_receivable' AND NOT aml.reconciled
           AND aml.amount_residual != 0 AND aml.partner_id = ANY(%(dealers)s)
           AND (NOT %(overdue)s OR aml.date_maturity < %(today)s)
         GROUP BY aml.partner_id"""
    floor_queries = [
        SQL(
            bare_receivables,
            today=today,
            company=company.id,
            dealers=dealer_ids,
            overdue=overdue,
        )
        for overdue in (True, False)
    ]
    Target = env["dealer.sales.target"]

    def floor():
        for query in floor_queries:
            cr.execute(query)
            cr.fetchall()
        # pace and churn: the same sums, bare
        for start, end in (
            (today.replace(day=1), today),
            (date(2026, 4, 2), today),
            (date(2025, 4, 2), date(2025, 6, 30)),
        ):
            cr.execute(
                SQL(
                    """SELECT aml.partner_id, SUM(-aml.balance)
                    FROM account_move_line aml
                    WHERE aml.company_id = %s AND aml.parent_state = 'posted'
                      AND aml.display_type = 'product'
                      AND aml.invoice_date BETWEEN %s AND %s
                    GROUP BY aml.partner_id""",
                    company.id,
                    start,
                    end,
                )
            )
            cr.fetchall()
        cr.execute(
            SQL(
                """SELECT commercial_partner_id, MAX(invoice_date) FROM account_move
                           WHERE company_id = %s AND state = 'posted'
                             AND move_type = 'out_invoice'
                           GROUP BY commercial_partner_id""",
                company.id,
            )
        )
        cr.fetchall()

    floor()
    floor_s = best_of(floor)
    env.flush_all()
    started = time.perf_counter()
    rules._evaluate(companies=company, today=today)
    env.flush_all()
    first = time.perf_counter() - started
    raised = env["dealer.warning"].search_count([("rule_id", "in", rules.ids)])
    links, links_s = bare_link_writes(env, rules)
    again = best_of(
        lambda: (rules._evaluate(companies=company, today=today), env.flush_all())
    )
    # the next day's scheduled evaluation: ages and windows move on a day, some warnings
    # open, some resolve, the others are updated
    tomorrow = today + timedelta(days=1)
    before = env["dealer.warning"].search_count([("rule_id", "in", rules.ids)])
    started = time.perf_counter()
    rules._evaluate(companies=company, today=tomorrow)
    env.flush_all()
    next_day = time.perf_counter() - started
    opened = env["dealer.warning"].search_count([("rule_id", "in", rules.ids)]) - before
    del Target
    return {
        "warn_floor_s": floor_s,
        "warn_first_s": first,
        "warn_links": links,
        "warn_links_s": links_s,
        "warn_again_s": again,
        "warn_next_s": next_day,
        "warn_next_opened": opened,
        "warn_raised": raised,
        "warn_dealers": len(dealer_ids),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000:100000,20000:1000000")
    parser.add_argument("--db", default="dealer_bench")
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="generate (and vacuum) the companies that are missing, measure nothing",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        conf, dealers, lines = args.child.split(",")
        result = measure(conf, args.db, int(dealers), int(lines), args.generate_only)
        print(json.dumps(result))
        return 0
    try:
        package_dir, odoo_cmd = dealerctl.find_odoo()
        dealerctl.ensure_postgres()
        # on a machine where neither make demo nor make test has run yet
        dealerctl.install_python_deps(dev=False)
        dealerctl.link_addon()
        conf = dealerctl.write_config(package_dir, args.db, 8069)
        if (
            not dealerctl.db_exists(args.db)
            or dealerctl.module_state(args.db) != "installed"
        ):
            dealerctl.drop_db(args.db)
            dealerctl.install_addon(
                odoo_cmd, conf, args.db, extra=["--without-demo=all"]
            )
        else:
            # the generated data stays; the addon's code and tables follow the checkout
            dealerctl.install_addon(odoo_cmd, conf, args.db, update=True)
    except dealerctl.SetupError as exc:
        print(f"[bench] ERROR: {exc}", file=sys.stderr)
        return 2
    results = []
    for size in args.sizes.split(","):
        dealers, lines = size.split(":")
        print(f"[bench] {dealers} dealers / {lines} invoice lines ...", flush=True)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--db",
                args.db,
                "--child",
                f"{conf},{dealers},{lines}",
                *(["--generate-only"] if args.generate_only else []),
            ],
            env=dealerctl.odoo_env(),
            capture_output=True,
            text=True,
        )
        if out.returncode:
            print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
            return 1
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if args.generate_only:
        for r in results:
            print(f"[bench] {r['dealers']} dealers: {r['generation_s']:.0f} s")
        return 0
    print()
    print(
        "Tier run (seconds; ratio = run / floor, the bare SQL of the same per-dealer "
        "sums)"
    )
    print(
        f"{'dealers':>8} {'lines':>9} {'floor':>7} {'writes':>7} {'bound':>6} "
        f"{'first':>7} {'ratio':>6} {'writes':>7} {'bound':>6} {'monthly':>8} "
        f"{'ratio':>6} {'changed':>8} {'HOT':>11} {'rerun':>7} {'ratio':>6} "
        f"{'peak MiB':>9}  tiers A/B/C/new"
    )
    for r in results:
        print(
            f"{r['dealers']:>8} {r['lines']:>9} {r['floor_s']:>7.3f} "
            f"{r['writes_s']:>7.3f} "
            f"{(r['floor_s'] + r['writes_s']) / r['floor_s']:>6.2f} "
            f"{r['first_run_s']:>7.3f} {r['first_run_s'] / r['floor_s']:>6.2f} "
            f"{r['next_writes_s']:>7.3f} "
            f"{(r['next_floor_s'] + r['next_writes_s']) / r['next_floor_s']:>6.2f} "
            f"{r['monthly_s']:>8.3f} {r['monthly_s'] / r['next_floor_s']:>6.2f} "
            f"{r['monthly_changed']:>8} {r['monthly_hot']:>11} {r['rerun_s']:>7.3f} "
            f"{r['rerun_s'] / r['floor_s']:>6.2f} {r['peak_rss_mib']:>9.0f}  "
            f"{'/'.join(map(str, r['tiers_abcn']))}"
        )
    print(
        "first: every dealer gets its first tier and result line; monthly: the next "
        "month's run, a month later (new lines, the tiers that moved); rerun: the same "
        "run again (writes nothing); writes: the bare SQL writes of the same rows (a "
        "line per dealer, the tiers that change), bound: (floor + writes) / floor, the "
        "least ratio a run that stores them can have; HOT: dealer updates of the "
        "monthly run that stayed on their page / all"
    )
    print("\npeak resident memory of the process after each engine (MiB)")
    for r in results:
        print(
            f"{r['dealers']:>8} dealers: "
            + ", ".join(f"{k} {v:.0f}" for k, v in r["peaks_mib"].items())
        )
    print("\nWarning engine: receivables, credit, pace and churn rules (seconds)")
    print(
        f"{'dealers':>8} {'lines':>9} {'floor':>7} {'links':>9} {'writes':>7} "
        f"{'first':>7} {'ratio':>6} "
        f"{'raised':>7} {'again':>7} {'ratio':>6} {'next day':>9} {'ratio':>6} "
        f"{'new':>5}"
    )
    for r in results:
        print(
            f"{r['dealers']:>8} {r['lines']:>9} {r['warn_floor_s']:>7.3f} "
            f"{r['warn_links']:>9} {r['warn_links_s']:>7.3f} "
            f"{r['warn_first_s']:>7.3f} {r['warn_first_s'] / r['warn_floor_s']:>6.2f} "
            f"{r['warn_raised']:>7} {r['warn_again_s']:>7.3f} "
            f"{r['warn_again_s'] / r['warn_floor_s']:>6.2f} {r['warn_next_s']:>9.3f} "
            f"{r['warn_next_s'] / r['warn_floor_s']:>6.2f} {r['warn_next_opened']:>5}"
        )
    print(
        "first: the first evaluation of a network without warnings (all created, with "
        "an activity each); again: the same evaluation once more (writes nothing); "
        "next day: the next day's evaluation; links, writes: the invoices linked to "
        "the first evaluation's warnings, and the bare SQL insert of those rows"
    )
    print("\nRebate statements: one annual program for every dealer (seconds)")
    print(
        f"{'dealers':>8} {'lines':>9} {'floor':>7} {'writes':>7} {'bound':>6} "
        f"{'first':>7} {'ratio':>6} "
        f"{'again':>7} {'ratio':>6} {'next day':>8} {'ratio':>6} {'buyers':>6} "
        f"{'changed':>8} {'ratio':>6} {'statements':>10} "
        f"{'one statement lines':>20}"
    )
    for r in results:
        floor = r["rebate_floor_s"]
        print(
            f"{r['dealers']:>8} {r['lines']:>9} {floor:>7.3f} "
            f"{r['rebate_writes_s']:>7.3f} "
            f"{(floor + r['rebate_writes_s']) / floor:>6.2f} "
            f"{r['rebate_first_s']:>7.3f} {r['rebate_first_s'] / floor:>6.2f} "
            f"{r['rebate_again_s']:>7.3f} {r['rebate_again_s'] / floor:>6.2f} "
            f"{r['rebate_next_s']:>8.3f} "
            f"{r['rebate_next_s'] / r['rebate_next_floor_s']:>6.2f} "
            f"{r['rebate_buyers']:>6} "
            f"{r['rebate_changed_s']:>8.3f} "
            f"{r['rebate_changed_s'] / r['rebate_next_floor_s']:>6.2f} "
            f"{r['rebate_statements']:>10} {r['rebate_counted']:>7} in "
            f"{r['rebate_lines_s']:.3f} s"
        )
    print(
        "first: every statement computed and written; again: computed once more with "
        "the same data (writes nothing); next day: the daily job after a day of "
        "invoices (the drafts of that day's buyers change; its ratio and the next "
        "one's to the floor measured after that day's invoices); changed: computed "
        "again after the rates changed (every draft written again); one statement "
        "lines: its counted invoice lines listed; writes: the bare SQL insert of as "
        "many statements, bound: (floor + writes) / floor"
    )
    print("\nRebate simulation: the program and a variant on its year (seconds)")
    print(
        f"{'dealers':>8} {'lines':>9} {'floor':>7} {'first':>7} {'ratio':>6} "
        f"{'again':>7} {'ratio':>6} {'simulated':>9}"
    )
    for r in results:
        print(
            f"{r['dealers']:>8} {r['lines']:>9} {r['sim_floor_s']:>7.3f} "
            f"{r['sim_first_s']:>7.3f} {r['sim_first_s'] / r['sim_floor_s']:>6.2f} "
            f"{r['sim_again_s']:>7.3f} {r['sim_again_s'] / r['sim_floor_s']:>6.2f} "
            f"{r['sim_dealers']:>9}"
        )
    print(
        "first: every dealer measured once, both rule sets applied, a line each "
        "written; again: the same simulation once more (writes nothing); floor: the "
        "bare per-dealer sum of the same lines, this year and last"
    )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        print(
            f"\nscaling: {large['lines'] / small['lines']:.0f}x the lines cost "
            f"{large['first_run_s'] / small['first_run_s']:.1f}x the time (first run), "
            f"{large['monthly_s'] / small['monthly_s']:.1f}x (monthly), "
            f"{large['rerun_s'] / small['rerun_s']:.1f}x (rerun)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
