#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How many SQL queries each dealer-portal page costs, for the benchmark database's
largest dealer and for a small one (run `make bench` first, which fills dealer_bench).

A page that ran a query per record it lists would cost the large dealer (tens of
thousands of invoice lines, hundreds of invoices a month) many more queries than the
small one; the counts must stay bounded and about equal. The counts are Odoo's own, as
its HTTP server logs them for each request.

    python3 benchmarks/portal_queries.py [--db dealer_bench] [--port 8071]
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dealerctl  # noqa: E402

COMPANY = "Bench 20000/1000000"
MONTH = (2026, 6)  # the benchmark's invoices run to 30 June 2026
PAGES = [
    "/my/home",
    "/my/dealer",
    "/my/dealer/targets",
    "/my/dealer/rebates",
    "/my/dealer/statements",
    "/my/dealer/statements/%d/%d" % MONTH,
    "/my/dealer/stock?month=%d-%02d" % MONTH,
    "/my/dealer/service",
    "/my/dealer/statements/%d/%d?report_type=html" % MONTH,
    "/my/dealer/bulletins",
    "/my/dealer/meetings",
    "/my/dealer/funds",
]
LOG_LINE = re.compile(r'"GET (\S+) HTTP/1\.1" (\d+) - (\d+) ')

SETUP = """
env = self.env
company = env["res.company"].search([("name", "=", %(company)r)])
cr = env.cr
cr.execute(
    "SELECT m.commercial_partner_id, count(*) FROM account_move_line l "
    "JOIN account_move m ON m.id = l.move_id WHERE m.company_id = %%s "
    "AND m.move_type = 'out_invoice' GROUP BY 1 ORDER BY 2 DESC", [company.id])
rows = cr.fetchall()
picked = {"large": rows[0], "small": rows[-1]}
portal = env.ref("base.group_portal")
for size, (pid, lines) in picked.items():
    login = "bench_portal_" + size
    user = env["res.users"].with_context(active_test=False).search(
        [("login", "=", login)])
    if not user:
        contact = env["res.partner"].create(
            {"name": "Bench clerk " + size, "parent_id": pid, "type": "contact"})
        user = env["res.users"].with_context(no_reset_password=True).create({
            "login": login, "password": login, "partner_id": contact.id,
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, portal.ids)], "tz": "Asia/Shanghai"})
    print("PICKED", size, pid, lines, login)
# bulletins and business meetings: a page of each for the large dealer, one for the
# small one, so that a query per bulletin or meeting listed would show
large, small = picked["large"][0], picked["small"][0]
Bulletin = env["dealer.bulletin"]
if not Bulletin.search_count([("company_id", "=", company.id)]):
    for index in range(20):
        audience = [large, small] if index == 0 else [large]
        bulletin = Bulletin.create({
            "name": "Bench bulletin %%d" %% index, "body": "<p>News</p>",
            "company_id": company.id,
            "audience_domain": repr([("id", "in", audience)])})
        bulletin.attachment_ids = env["ir.attachment"].create({
            "name": "b%%d.txt" %% index, "raw": b"x",
            "res_model": "dealer.bulletin", "res_id": bulletin.id})
        bulletin.action_publish()
    salesperson = env["res.partner"].browse(large).user_id or env.user
    env["dealer.visit"].create([{
        "partner_id": pid, "company_id": company.id,
        "visit_type": "quarterly_meeting", "user_id": salesperson.id,
        "date_planned": "2026-%%02d-15" %% month, "location": "Hangzhou",
        "agenda": "Review", "purpose": "Review"}
        for pid, months in ((large, range(1, 13)), (small, [6])) for month in months])
env.cr.commit()
"""


def shell(odoo_cmd, conf, db, code):
    result = subprocess.run(
        [*odoo_cmd, "shell", "-c", str(conf), "-d", db, "--no-http"],
        input=code,
        capture_output=True,
        text=True,
        env=dealerctl.odoo_env(),
        check=True,
    )
    return result.stdout


def fetch_all(port, login, db):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar())
    )
    body = json.dumps(
        {"params": {"db": db, "login": login, "password": login}}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"http://127.0.0.1:{port}/web/session/authenticate",
            body,
            {"Content-Type": "application/json"},
        )
    )
    for page in PAGES:
        opener.open(f"http://127.0.0.1:{port}{page}").read()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="dealer_bench")
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument(
        "--company",
        default=COMPANY,
        help="the generated company whose dealers are tried (e.g. 'Bench "
        "200000/10000000' after `benchmarks/run.py --sizes 200000:10000000`)",
    )
    args = parser.parse_args()
    package_dir, odoo_cmd = dealerctl.find_odoo()
    dealerctl.link_addon()
    conf = dealerctl.write_config(package_dir, args.db, args.port)
    if not dealerctl.db_exists(args.db):
        print(f"{args.db} does not exist: run make bench first.", file=sys.stderr)
        return 2
    dealerctl.install_addon(odoo_cmd, conf, args.db, update=True)
    picked = [
        line.split()
        for line in shell(
            odoo_cmd, conf, args.db, SETUP % {"company": args.company}
        ).splitlines()
        if line.startswith("PICKED")
    ]
    log = Path(dealerctl.BUILD / "logs" / "portal-queries.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [
            *odoo_cmd,
            "-c",
            str(conf),
            "-d",
            args.db,
            f"--http-port={args.port}",
            "--log-level=info",
            f"--logfile={log}",
        ],
        env=dealerctl.odoo_env(),
    )
    counts = {}
    try:
        for _i in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/web/login")
                break
            except OSError:
                time.sleep(1)
        for _picked, size, _pid, _lines, login in picked:
            fetch_all(args.port, login, args.db)  # warm the caches
            start = log.stat().st_size
            fetch_all(args.port, login, args.db)
            time.sleep(0.5)
            with log.open() as handle:
                handle.seek(start)
                for match in LOG_LINE.finditer(handle.read()):
                    path, status, queries = match.groups()
                    if path in PAGES:
                        counts[(path, size)] = (int(status), int(queries))
    finally:
        server.terminate()
        server.wait()
    sizes = {size: (pid, lines) for _p, size, pid, lines, _l in picked}
    print(
        "Dealer portal, SQL queries per page (second visit), "
        f"large dealer {sizes['large'][0]} ({sizes['large'][1]} invoice lines), "
        f"small dealer {sizes['small'][0]} ({sizes['small'][1]} invoice lines)"
    )
    print(f"{'page':<40} {'large':>6} {'small':>6}")
    for page in PAGES:
        large = counts.get((page, "large"), (0, "?"))
        small = counts.get((page, "small"), (0, "?"))
        print(f"{page:<40} {large[1]:>6} {small[1]:>6}   HTTP {large[0]}/{small[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
