#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Take the README's screenshots from a running demo (`make demo`), in headless Chromium
driven over the DevTools protocol (websocket-client, from requirements-dev.txt). Chinese
text needs a CJK font (Debian: fonts-wqy-zenhei).

    python3 scripts/screenshots.py [--url http://127.0.0.1:8069]
                                   [--out docs/screenshots]
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
# (file name, login, path, what to wait for[, what to click first])
SHOTS = [
    (
        "dealer_form.png",
        "dm_chen",
        "/odoo/action-dealer_management.dealer_partner_action/{dealer}",
        ".o_form_view",
        ".o_notebook a[name='dealer']",
    ),
    (
        "evaluation_form.png",
        "dm_chen",
        "/odoo/action-dealer_management.dealer_evaluation_action/{evaluation}",
        ".o_form_view",
    ),
    (
        "dealer_kanban.png",
        "dm_chen",
        "/odoo/action-dealer_management.dealer_partner_action",
        ".o_kanban_renderer .o_kanban_record",
    ),
    (
        "tiers_dashboard.png",
        "dm_chen",
        "/odoo/action-dealer_management.dealer_dashboard_partner_action",
        ".o_graph_renderer",
    ),
    (
        "rebate_statement.png",
        "dm_chen",
        "/odoo/action-dealer_management.dealer_rebate_action/{rebate}",
        ".o_form_view",
    ),
    (
        "warnings_dashboard.png",
        "dm_liu",
        "/odoo/action-dealer_management.dealer_warning_dashboard_action",
        ".o_graph_renderer, .o_pivot",
    ),
    (
        "receivables_aging.png",
        "dm_liu",
        "/odoo/action-dealer_management.dealer_receivable_aging_action",
        ".o_list_renderer",
    ),
    # the dealer portal, as the staff of a dealer see it
    ("portal_home.png", "dealer_gz", "/my/home", ".o_portal_my_home"),
    ("portal_rebates.png", "dealer_gz", "/my/dealer/rebates", ".o_portal_wrap"),
    ("portal_statement.png", "dealer_gz", "/my/dealer/statements/{month}", ".card"),
    ("portal_service.png", "dealer_gz", "/my/dealer/service", "form"),
    ("portal_stock.png", "dealer_gz", "/my/dealer/stock", ".o_portal_wrap"),
    ("portal_funds.png", "dealer_gz", "/my/dealer/funds", ".o_portal_wrap"),
    (
        "fund_claims_kanban.png",
        "dm_liu",
        "/odoo/action-dealer_management.dealer_fund_claim_action",
        ".o_kanban_renderer .o_kanban_record, .o_list_renderer",
    ),
    (
        "portal_bulletin.png",
        "dealer_gz",
        "/my/dealer/bulletins/{bulletin}",
        ".o_dealer_bulletin_body",
    ),
    ("portal_meetings.png", "dealer_gz", "/my/dealer/meetings", ".o_portal_wrap"),
    (
        "bulletin_form.png",
        "dm_chen",
        "/odoo/action-dealer_management.dealer_bulletin_action/{bulletin}",
        ".o_form_view",
        ".o_notebook a[name='receipts']",
    ),
]


class Chrome:
    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="dealer-shots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                "--window-size=1400,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _i in range(50):
            try:
                tabs = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                page = next(t for t in tabs if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result.get("result", {}).get("value")

    def goto(self, url, wait_for, timeout=30):
        self.call("Page.navigate", url=url)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(wait_for)})"):
                time.sleep(1.5)  # let the view finish drawing
                return
            time.sleep(0.3)
        shot = self.call("Page.captureScreenshot", format="png")
        Path(tempfile.gettempdir(), "dealer-shot-failed.png").write_bytes(
            base64.b64decode(shot["data"])
        )
        raise RuntimeError(
            f"{url}: {wait_for} did not appear (see "
            f"{tempfile.gettempdir()}/dealer-shot-failed.png)"
        )

    def close(self):
        self.process.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def rpc(url, login, model, method, args, kwargs=None):
    """JSON-RPC as ``login`` (password = login, as in the demo)."""

    def call(service, service_method, *service_args):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "service": service,
                    "method": service_method,
                    "args": service_args,
                },
            }
        ).encode()
        request = urllib.request.Request(
            f"{url}/jsonrpc", body, {"Content-Type": "application/json"}
        )
        return json.load(urllib.request.urlopen(request))["result"]

    uid = call("common", "login", rpc.db, login, login)
    return call(
        "object", "execute_kw", rpc.db, uid, login, model, method, args, kwargs or {}
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="dealer_demo")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", default="", help="only the shots starting so")
    args = parser.parse_args()
    binary = shutil.which("chromium") or shutil.which("google-chrome")
    if not binary:
        print("Chromium is needed (apt-get install chromium).", file=sys.stderr)
        return 2
    rpc.db = args.db
    ids = {
        "dealer": rpc(
            args.url,
            "dm_chen",
            "res.partner",
            "search",
            [[("is_dealer", "=", True), ("dealer_level", "=", "general_distributor")]],
            {"limit": 1},
        )[0],
        "evaluation": rpc(
            args.url,
            "dm_chen",
            "dealer.evaluation",
            "search",
            [[("state", "=", "approved")]],
            {"limit": 1},
        )[0],
        "rebate": rpc(
            args.url,
            "dm_chen",
            "dealer.rebate",
            "search",
            [[("state", "=", "settled")]],
            {"limit": 1},
        )[0],
        # the first bulletin published, with its attachment
        "bulletin": rpc(
            args.url,
            "dm_chen",
            "dealer.bulletin",
            "search",
            [[("state", "=", "published")]],
            {"limit": 1, "order": "id"},
        )[0],
        # the last month that has ended
        "month": "{0.year}/{0.month}".format(
            date.today().replace(day=1) - timedelta(days=1)
        ),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chrome = Chrome(binary)
    try:
        chrome.call("Page.enable")
        for name, login, path, wait_for, *click in SHOTS:
            if not name.startswith(args.only):
                continue
            chrome.call("Network.clearBrowserCookies")
            chrome.goto(f"{args.url}/web/login?db={args.db}", "form.oe_login_form")
            chrome.evaluate(
                f"document.querySelector('#login').value = {json.dumps(login)};"
                f"document.querySelector('#password').value = {json.dumps(login)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            time.sleep(2)
            chrome.goto(f"{args.url}{path.format(**ids)}", wait_for)
            for selector in click:
                chrome.evaluate(
                    f"document.querySelector({json.dumps(selector)}).click()"
                )
                time.sleep(1)
            shot = chrome.call("Page.captureScreenshot", format="png")
            (out / name).write_bytes(base64.b64decode(shot["data"]))
            print(f"[screenshots] {out / name}")
    finally:
        chrome.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
