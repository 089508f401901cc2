#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmarks of the set-based engines, next to the bare SQL query that computes the same
per-dealer sums on the same database (the floor).

    python3 benchmarks/run.py [--sizes 2000:100000,20000:1000000] [--db dealer_bench]

Creates (once) database dealer_bench with the addon, generates one company per size
(benchmarks/generate.py), then measures each size in a fresh process: the floor query,
a first tier run (every dealer gets a tier and a result line), a second run with the
same data (changes nothing), and the process's peak memory. Prints a table.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
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


def measure(conf, db, dealers, lines):
    """Runs inside the child process: generate if needed, then time."""
    import odoo
    from odoo.tools import config

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate  # noqa: PLC0415

    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        company = generate.generate(env, dealers, lines)
        cr.commit()
        generation = time.perf_counter() - started
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Run = env["dealer.tier.run"]
        run = Run.create({"company_id": company.id, "date_to": "2026-06-30"})
        # the floor: the same per-dealer sums, bare SQL, rows fetched
        floor_sql = run._basis_sql()
        cr.execute(floor_sql)
        cr.fetchall()  # warm the cache once for both
        floor = best_of(lambda: (cr.execute(floor_sql), cr.fetchall()))
        started = time.perf_counter()
        run._compute_tiers()
        env.flush_all()
        first = time.perf_counter() - started
        second = best_of(lambda: (run._compute_tiers(), env.flush_all()))
        counts = (run.count_a, run.count_b, run.count_c, run.count_new)
        # the next monthly run: a new run (new result lines), the window one month on,
        # the tiers of the dealers whose rank moved change
        next_run = Run.create({"company_id": company.id, "date_to": "2026-07-31"})
        next_floor_sql = next_run._basis_sql()
        next_floor = best_of(lambda: (cr.execute(next_floor_sql), cr.fetchall()))
        started = time.perf_counter()
        next_run._compute_tiers()
        env.flush_all()
        monthly = time.perf_counter() - started
        changed = next_run.changed_count
        cr.execute("SELECT count(*) FROM account_move_line WHERE company_id = %s "
                   "AND display_type = 'product'", (company.id,))
        line_count = cr.fetchone()[0]
        cr.rollback()  # keep the generated data, not the runs
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"dealers": dealers, "lines": line_count, "generation_s": generation,
            "floor_s": floor, "first_run_s": first, "rerun_s": second,
            "next_floor_s": next_floor, "monthly_s": monthly, "monthly_changed": changed,
            "tiers_abcn": counts, "peak_rss_mib": peak}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000:100000,20000:1000000")
    parser.add_argument("--db", default="dealer_bench")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        conf, dealers, lines = args.child.split(",")
        print(json.dumps(measure(conf, args.db, int(dealers), int(lines))))
        return 0
    try:
        package_dir, odoo_cmd = dealerctl.find_odoo()
        dealerctl.ensure_postgres()
        dealerctl.link_addon()
        conf = dealerctl.write_config(package_dir, args.db, 8069)
        if not dealerctl.db_exists(args.db) or dealerctl.module_state(args.db) != "installed":
            dealerctl.drop_db(args.db)
            dealerctl.install_addon(odoo_cmd, conf, args.db, extra=["--without-demo=all"])
    except dealerctl.SetupError as exc:
        print(f"[bench] ERROR: {exc}", file=sys.stderr)
        return 2
    results = []
    for size in args.sizes.split(","):
        dealers, lines = size.split(":")
        print(f"[bench] {dealers} dealers / {lines} invoice lines ...", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--db", args.db,
             "--child", f"{conf},{dealers},{lines}"],
            env=dealerctl.odoo_env(), capture_output=True, text=True)
        if out.returncode:
            print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
            return 1
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print()
    print("Tier run (seconds; ratio = run / floor, the bare SQL of the same per-dealer sums)")
    print(f"{'dealers':>8} {'lines':>9} {'floor':>7} {'first':>7} {'ratio':>6} "
          f"{'monthly':>8} {'ratio':>6} {'changed':>8} {'rerun':>7} {'ratio':>6} "
          f"{'peak MiB':>9}  tiers A/B/C/new")
    for r in results:
        print(f"{r['dealers']:>8} {r['lines']:>9} {r['floor_s']:>7.3f} "
              f"{r['first_run_s']:>7.3f} {r['first_run_s'] / r['floor_s']:>6.2f} "
              f"{r['monthly_s']:>8.3f} {r['monthly_s'] / r['next_floor_s']:>6.2f} "
              f"{r['monthly_changed']:>8} {r['rerun_s']:>7.3f} "
              f"{r['rerun_s'] / r['floor_s']:>6.2f} {r['peak_rss_mib']:>9.0f}  "
              f"{'/'.join(map(str, r['tiers_abcn']))}")
    print("first: every dealer gets its first tier and result line; monthly: the next "
          "month's run (new lines, the tiers that moved); rerun: the same run again "
          "(writes nothing)")
    if len(results) >= 2:
        small, large = results[0], results[-1]
        print(f"\nscaling: {large['lines'] / small['lines']:.0f}x the lines cost "
              f"{large['first_run_s'] / small['first_run_s']:.1f}x the time (first run), "
              f"{large['monthly_s'] / small['monthly_s']:.1f}x (monthly), "
              f"{large['rerun_s'] / small['rerun_s']:.1f}x (rerun)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
