# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The users of benchmarks/load.py (Locust, run in its own virtualenv): each group's
daily paths over JSON-RPC (the web client's /web/dataset/call_kw) and the portal's
pages over HTTP. Not run on its own: load.py gives it the database's ids in
DEALER_LOAD_DATA and reads what it writes to DEALER_LOAD_OUT.

A refusal the business rules give (a statement approved or settled by someone else a
moment before, one's own submission) is a refusal, not an error: counted apart."""

import json
import os
import random
import re
from collections import Counter

from locust import HttpUser, between, events, task

DATA = json.loads(os.environ["DEALER_LOAD_DATA"])
REFUSALS = Counter()
UPLOADS = Counter()
REFUSED = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    # a statement someone else is settling at that moment
    "odoo.addons.dealer_management.models.dealer_lock_mixin.LockBusy",
)


@events.quitting.add_listener
def _write_out(environment, **_kw):
    with open(os.environ["DEALER_LOAD_OUT"], "w") as out:
        json.dump({"refusals": REFUSALS, "uploads": UPLOADS}, out)


class Backend(HttpUser):
    """A user of the web client: logs in once, then calls the models as its views
    do."""

    abstract = True
    wait_time = between(0.5, 1.5)
    logins = ()

    def on_start(self):
        self.login = random.choice(self.logins)
        response = self.client.post(
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "db": DATA["db"],
                    "login": self.login,
                    "password": self.login,
                },
            },
            name="login (JSON-RPC)",
        )
        self.uid = response.json()["result"]["uid"]

    def call(self, model, method, args, kwargs=None, name=None):
        """``model.method`` as the web client calls it; a business refusal is
        counted apart and not as an error."""
        with self.client.post(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            name=name or f"{model}.{method}",
            catch_response=True,
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"not JSON ({response.status_code})")
                return None
            error = body.get("error")
            if error and error["data"]["name"] in REFUSED:
                REFUSALS[name or method] += 1
                response.success()
                return None
            if error:
                response.failure(f"{error['data']['name']}: {error['data']['message']}")
                return None
            response.success()
            return body["result"]

    def list(self, model, domain, spec, name, limit=80):
        return self.call(
            model,
            "web_search_read",
            [],
            {"domain": domain, "specification": spec, "limit": limit},
            name=name,
        )

    def dealer_list(self):
        return self.list(
            "res.partner",
            [("is_dealer", "=", True)],
            {
                "display_name": {},
                "dealer_tier": {},
                "dealer_level": {},
                "dealer_status": {},
                "user_id": {"fields": {"display_name": {}}},
            },
            "dealer list",
        )

    def dealer_form(self):
        dealers = self.dealer_list()
        if dealers and dealers["records"]:
            dealer = random.choice(dealers["records"])
            self.call(
                "res.partner",
                "web_read",
                [[dealer["id"]]],
                {
                    "specification": {
                        "name": {},
                        "dealer_tier": {},
                        "dealer_level": {},
                        "dealer_status": {},
                        "dealer_since": {},
                        "dealer_network_count": {},
                        "dealer_downstream_count": {},
                        "user_id": {"fields": {"display_name": {}}},
                    }
                },
                name="dealer form",
            )


class Manager(Backend):
    """Dealer Managers: dealers, evaluations, warnings, approving statements."""

    weight = 3
    logins = ("dm_chen", "dm_zhao")

    @task(3)
    def dealers(self):
        self.dealer_form()

    @task(2)
    def evaluations(self):
        self.list(
            "dealer.evaluation",
            [],
            {"name": {}, "state": {}, "date_end": {}},
            "evaluation list",
        )

    @task(2)
    def warnings(self):
        self.list(
            "dealer.warning",
            [("state", "=", "open")],
            {"name": {}, "severity": {}, "measured_value": {}, "first_seen": {}},
            "warning list",
        )

    @task(2)
    def approve(self):
        waiting = self.call(
            "dealer.rebate",
            "search",
            # those waiting for him, as his "To Approve" filter lists them
            [[("state", "=", "to_approve"), ("can_review", "=", True)]],
            {"limit": 20},
            name="statements to approve",
        )
        if waiting:
            self.call(
                "dealer.rebate",
                "validate_tier",
                [[random.choice(waiting)]],
                name="approve a statement",
            )


class Accountant(Backend):
    """The dealer accountant: receivables aging, statements of account, settling
    approved statements."""

    weight = 2
    logins = ("dm_liu",)

    @task(3)
    def aging(self):
        self.list(
            "dealer.receivable.aging",
            [],
            {"partner_id": {"fields": {"display_name": {}}}, "total": {}},
            "receivables aging",
        )

    @task(1)
    def statements_of_account(self):
        self.list(
            "dealer.account.statement",
            [],
            {"display_name": {}, "state": {}},
            "statements of account",
        )

    @task(2)
    def settle(self):
        approved = self.call(
            "dealer.rebate",
            "search",
            [[("state", "=", "approved")]],
            {"limit": 20},
            name="statements to settle",
        )
        if approved:
            self.call(
                "dealer.rebate",
                "action_settle",
                [[random.choice(approved)]],
                name="settle a statement",
            )


class Salesperson(Backend):
    """Salespeople: their dealers, visits and targets."""

    weight = 3
    logins = ("dm_wang", "dm_li", "dm_zhang")

    @task(3)
    def dealers(self):
        self.dealer_form()

    @task(1)
    def visits(self):
        self.list(
            "dealer.visit",
            [],
            {"name": {}, "state": {}, "date_planned": {}},
            "visit list",
        )

    @task(1)
    def targets(self):
        self.list(
            "dealer.sales.target",
            [],
            {"display_name": {}, "achievement": {}, "pace": {}},
            "target list",
        )


class Dealer(HttpUser):
    """A dealer's staff on the portal: the pages, and the month's stock uploaded."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.login = random.choice(list(DATA["portal"]))
        page = self.client.get("/web/login", name="portal login page").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.client.post(
            "/web/login",
            data={
                "login": self.login,
                "password": self.login,
                "csrf_token": token,
                "redirect": "/my",
            },
            name="portal login",
        )

    def page(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or "/web/login" in response.url:
                response.failure(f"{response.status_code} at {response.url}")
            return response.text

    @task(2)
    def home(self):
        self.page("/my/dealer", "portal: dealer file")

    @task(2)
    def rebates(self):
        self.page("/my/dealer/rebates", "portal: rebates")

    @task(1)
    def targets(self):
        self.page("/my/dealer/targets", "portal: targets")

    @task(1)
    def statements(self):
        self.page("/my/dealer/statements", "portal: statements of account")

    @task(1)
    def service(self):
        self.page("/my/dealer/service", "portal: service cases")

    @task(2)
    def stock(self):
        month = DATA["month"]
        page = self.page(f"/my/dealer/stock?month={month}", "portal: stock")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        product = DATA["portal"][self.login]
        # opening 3 + received 5 - sold 2 = closing 6
        with self.client.post(
            "/my/dealer/stock/upload",
            data={"month": month, "csrf_token": token and token.group(1)},
            files={
                "spreadsheet": (
                    "stock.csv",
                    f",{product},3,5,2,6\n".encode(),
                    "text/csv",
                )
            },
            allow_redirects=False,
            name="portal: stock upload",
            catch_response=True,
        ) as response:
            if response.status_code == 303:
                UPLOADS[self.login] += 1
                response.success()
            else:
                response.failure(f"upload not recorded ({response.status_code})")
