# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Load: the users of each group on their daily paths, against one Odoo server with
prefork workers on loopback, while a tier run and a warning evaluation run in the
background; then the data is checked.

    python3 benchmarks/load.py                 # 24 users for 120 s, --workers=4
    python3 benchmarks/load.py --users 40 --time 300

- the database: ``dealer_load`` (the addon with its demo data, installed once), copied
  to ``dealer_load_run`` for each run;
- the server: ``--workers=4 --max-cron-threads=2`` (scripts/servers.py), port 8190;
- the users (benchmarks/locustfile.py, Locust headless in a virtualenv of its own,
  ``~/.cache/dealer_management/load-venv``, made here from PyPI): Dealer Managers
  (dealer list and form, evaluations, warnings, approving statements), the accountant
  (aging, statements of account, settling statements), salespeople (their dealers,
  visits, targets), dealers on the portal (their pages, the month's stock uploaded as
  a spreadsheet);
- bounded: ``--users`` users for ``--time`` seconds;
- reported: requests, errors and p50/p95 per path; then checked: no statement settled
  twice, no warning open twice, every stock upload recorded, every background run done
  once, no error in the server's log. Exit status 1 when a check fails or a request
  errs.
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dealerctl  # noqa: E402
from servers import Server  # noqa: E402

# outside the checkout: Odoo's translation export walks the addon's folder
VENV = Path.home() / ".cache" / "dealer_management" / "load-venv"
LOCUST = "locust==2.47.0"


def locust_venv():
    """Locust in a virtualenv of its own (its gevent is newer than Odoo's)."""
    locust = VENV / "bin" / "locust"
    if not locust.exists():
        dealerctl.say(f"Installing {LOCUST} in {VENV}...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", LOCUST], check=True)
    return locust


def prepare(conf, db):
    """The ids the users need, read through the ORM: each portal login's product on
    the last month's stock form (not accepted yet)."""
    import odoo
    from odoo.tools import config

    config.parse_config(["-c", str(conf), "-d", db])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        today = date.today()
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        portal = {}
        Report = env["dealer.stock.report"]
        for user in env["res.users"].search([("login", "like", "dealer_")]):
            dealer = user.partner_id.commercial_partner_id
            rows = Report._portal_rows(dealer, dealer.company_id, month)
            product = next(
                (p for p, row in rows.items() if row["report"].state != "accepted"),
                None,
            )
            if product:
                portal[user.login] = product.name
    return {"db": db, "month": f"{month:%Y-%m}", "portal": portal}


def sql(db, query, *args):
    conn = dealerctl.pg_connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute(query, args)
            return cr.fetchall()
    finally:
        conn.close()


def checks(db, data, out, since, log):
    """What must hold after the load: {check: (ok, detail)}."""
    results = {}
    twice = sql(
        db,
        "SELECT dealer_rebate_id FROM account_move WHERE dealer_rebate_id IS NOT NULL "
        "AND state != 'cancel' GROUP BY 1 HAVING count(*) > 1",
    )
    unsettled = sql(
        db,
        "SELECT id FROM dealer_rebate r WHERE state = 'settled' AND NOT EXISTS ("
        "SELECT 1 FROM account_move m WHERE m.dealer_rebate_id = r.id "
        "AND m.state != 'cancel')",
    )
    [(settled,)] = sql(
        db,
        "SELECT count(*) FROM account_move WHERE dealer_rebate_id IS NOT NULL "
        "AND create_date >= %s",
        since,
    )
    results["no statement settled twice"] = (
        not twice and not unsettled,
        f"{settled} settled during the load; {len(twice)} twice, "
        f"{len(unsettled)} settled without a credit note",
    )
    open_twice = sql(
        db,
        "SELECT rule_id, partner_id FROM dealer_warning "
        "WHERE state IN ('open', 'acknowledged') GROUP BY 1, 2 HAVING count(*) > 1",
    )
    results["no warning open twice"] = (not open_twice, f"{len(open_twice)} pairs")
    lost = []
    for login, count in out["uploads"].items():
        rows = sql(
            db,
            "SELECT report.closing, report.state FROM dealer_stock_report report "
            "JOIN res_users u ON u.login = %s "
            "JOIN res_partner p ON p.id = u.partner_id "
            "JOIN product_product pp ON pp.id = report.product_id "
            "JOIN product_template pt ON pt.id = pp.product_tmpl_id "
            "WHERE report.partner_id = p.commercial_partner_id "
            "AND to_char(report.month, 'YYYY-MM') = %s "
            "AND pt.name->>'en_US' = %s",
            login,
            data["month"],
            data["portal"][login],
        )
        if len(rows) != 1 or float(rows[0][0]) != 6.0:
            lost.append((login, count, rows))
    results["every stock upload recorded"] = (
        not lost and bool(out["uploads"]),
        f"{sum(out['uploads'].values())} uploads by {len(out['uploads'])} dealers; "
        f"lost: {lost}",
    )
    jobs = sql(
        db,
        "SELECT kind, key, state, batch_done, batch_total FROM dealer_job "
        "WHERE create_date >= %s ORDER BY id",
        since,
    )
    keys = [job[1] for job in jobs]
    results["every background run done once"] = (
        bool(jobs)
        and all(job[2] == "done" and job[3] == job[4] for job in jobs)
        and len(keys) == len(set(keys)),
        "; ".join(f"{k} {s} {d}/{t}" for k, _key, s, d, t in jobs),
    )
    # Odoo logs every failed query at ERROR, a concurrent update too (two requests
    # writing one row under REPEATABLE READ), which it then retries: those are
    # counted apart; anything else fails the check
    lines = log.read_text(errors="replace").splitlines()
    errors, retried = [], 0
    for index, line in enumerate(lines):
        if " ERROR " not in line and " CRITICAL " not in line:
            continue
        following = "\n".join(lines[index + 1 : index + 3])
        if "bad query" in line and "could not serialize access" in following:
            retried += 1
        else:
            errors.append(line)
    results["no error in the server's log"] = (
        not errors,
        f"{retried} concurrent updates retried by Odoo; other errors: "
        + ("\n".join(errors[:5]) or "none"),
    )
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--time", type=int, default=120, help="seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--db", default="dealer_load")
    args = parser.parse_args()
    try:
        package_dir, odoo_cmd = dealerctl.find_odoo()
        dealerctl.ensure_postgres()
        dealerctl.link_addon()
        if not dealerctl.db_exists(args.db) or dealerctl.module_state(args.db) != (
            "installed"
        ):
            conf = dealerctl.write_config(package_dir, args.db, args.port)
            dealerctl.drop_db(args.db)
            dealerctl.install_addon(odoo_cmd, conf, args.db)
        else:  # its data stays; the addon follows the checkout
            conf = dealerctl.write_config(package_dir, args.db, args.port)
            dealerctl.install_addon(odoo_cmd, conf, args.db, update=True)
    except dealerctl.SetupError as exc:
        print(f"[load] ERROR: {exc}", file=sys.stderr)
        return 2
    locust = locust_venv()
    run_db = f"{args.db}_run"
    dealerctl.copy_db(args.db, run_db)
    conf = dealerctl.write_config(package_dir, run_db, args.port)
    data = prepare(conf, run_db)
    server = Server(run_db, args.port, workers=args.workers, cron_threads=2)
    server.log.unlink(missing_ok=True)
    server.start().wait_ready()
    out_file = dealerctl.BUILD / "load-out.json"
    prefix = dealerctl.BUILD / "load"
    try:
        [(since,)] = sql(run_db, "SELECT now() at time zone 'UTC'")
        # the background runs, started as a Dealer Manager does
        [run_id] = server.rpc(
            "dm_chen", "dealer.tier.run", "search", [], limit=1, order="date_to desc"
        )
        server.rpc("dm_chen", "dealer.tier.run", "action_compute", [run_id])
        rules = server.rpc("dm_chen", "dealer.warning.rule", "search", [])
        server.rpc("dm_chen", "dealer.warning.rule", "action_evaluate", rules)
        env = dict(
            os.environ,
            DEALER_LOAD_DATA=json.dumps(data),
            DEALER_LOAD_OUT=str(out_file),
        )
        started = time.monotonic()
        result = subprocess.run(
            [
                str(locust),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 4)),
                "--run-time",
                f"{args.time}s",
                "--host",
                server.url(),
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.monotonic() - started
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and sql(
            run_db, "SELECT 1 FROM dealer_job WHERE state IN ('queued', 'running')"
        ):
            time.sleep(2)
        out = json.loads(out_file.read_text())
        results = checks(run_db, data, out, since, server.log)
    finally:
        server.stop()
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    print(
        f"\n{args.users} users for {args.time} s ({elapsed:.0f} s) against one server, "
        f"--workers={args.workers} --max-cron-threads=2, database {run_db}\n"
    )
    print(f"{'path':<34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    errors = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        errors += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(
            f"{name:<34} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7}"
        )
    print(f"\nrefused by the business rules (not errors): {dict(out['refusals'])}")
    failed = errors > 0
    print("\nchecks:")
    for name, (ok, detail) in results.items():
        failed |= not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if result.returncode and not errors:
        print(result.stderr[-3000:])
    failures = Path(f"{prefix}_failures.csv")
    if errors and failures.exists():
        print(failures.read_text()[:3000])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
