# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Market expenses on the portal, as the demo's dealer_gz (dealer A) uses them: his
funds and what remains, a request asked and a claim made with its proof, in English
and in Chinese; dealer B's requests and claims unreachable, and nothing of it written
by his RPC."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DemoHttpCommon
from .test_fund import PNG
from .test_portal import PortalCommon


@tagged("post_install", "-at_install")
class TestFundPortal(PortalCommon, DemoHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_dealers()
        cls.load_zh_cn()
        cls.fund_a = cls.env["dealer.fund"].search(
            [
                ("partner_id", "=", cls.dealer_a.id),
                ("activity_kind", "=", "promotion"),
                ("state", "=", "open"),
            ]
        )
        Request = cls.env["dealer.fund.request"]
        cls.requests_b = Request.search([("partner_id", "=", cls.dealer_b.id)])
        cls.claims_b = cls.env["dealer.fund.claim"].search(
            [("partner_id", "=", cls.dealer_b.id)]
        )

    def setUp(self):
        super().setUp()
        self.authenticate("dealer_gz", "dealer_gz")

    def get(self, url, status=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, url)
        return response.text

    def ask(self, **values):
        data = {
            "fund_id": str(self.fund_a.id),
            "title": "门店周年庆 Store anniversary",
            "date_start": str(self.today),
            "date_end": str(self.today),
            "place": "Tianhe store",
            "planned_cost": "4000",
            "requested_amount": "2000",
            "expected_sellout": "30000",
            "csrf_token": self.csrf(),
            **values,
        }
        return self.url_open(
            "/my/dealer/funds/requests/new", data=data, allow_redirects=False
        )

    def csrf(self):
        page = self.url_open("/my/dealer/funds").text
        return page.split('name="csrf_token" value="')[1].split('"')[0]

    def test_funds_requests_and_claims_of_his_dealer_only(self):
        page = self.get("/my/dealer/funds")
        self.assertIn(self.fund_a.name, page)
        # the demo's fund of 80,000: what the approved requests hold and what remains
        self.assertEqual(
            (self.fund_a.amount, self.fund_a.committed_amount),
            (80000.0, 5000 + 2000 + 3000 + 4000 + 5500),
        )
        self.assertIn("60,500.00", page)
        for record in [*self.requests_b, *self.claims_b]:
            self.assertNotIn(record.name, page)
            self.get(record.access_url, status=404)
        self.assertIn("/my/dealer/funds", self.get("/my/home"))

    def test_ask_then_claim_with_a_photo_in_chinese(self):
        self.portal_user.sudo().lang = "zh_CN"
        remaining = self.fund_a.remaining_amount
        response = self.ask()
        self.assertEqual(response.status_code, 303)
        request = self.env["dealer.fund.request"].search(
            [("partner_id", "=", self.dealer_a.id)], order="id desc", limit=1
        )
        self.assertEqual(
            (request.state, request.requested_amount, request.submitted_uid),
            ("submitted", 2000.0, self.portal_user),
        )
        # in English without a language in the URL, in Chinese where it says so, as
        # Odoo's own portal pages
        self.assertIn("Submitted", self.get(request.access_url))
        page = self.get("/zh_CN" + request.access_url)
        self.assertIn("门店周年庆", page)
        self.assertIn("已提交", page)
        # reviewed by his salesperson, approved by the manager
        request.with_user(self.dealer_a.user_id).action_review()
        request.with_user(
            self.env.ref("dealer_management.demo_user_dm_chen")
        ).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self.fund_a.remaining_amount, remaining - 2000)
        self.assertIn("申请核销", self.get("/zh_CN" + request.access_url))
        # a claim without proof writes nothing, and says so in Chinese
        url = f"/zh_CN/my/dealer/funds/requests/{request.id}/claim"
        data = {
            "actual_cost": "3000",
            "claimed_amount": "2000",
            "sellout_amount": "26000",
            "csrf_token": self.csrf(),
        }
        response = self.url_open(url, data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("未保存任何内容", response.text)
        self.assertFalse(request.claim_ids)
        # a text file called a photo is refused by its bytes
        response = self.url_open(
            url,
            data=data,
            files=[("proof", ("stand.png", b"not a picture", "image/png"))],
            allow_redirects=False,
        )
        self.assertIn("不是照片或 PDF", response.text)
        self.assertFalse(request.claim_ids)
        response = self.url_open(
            url,
            data=data,
            files=[("proof", ("stand.png", PNG, "image/png"))],
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        claim = request.claim_ids
        # 2,000 of 4,000 planned: half of the actual 3,000 is 1,500
        self.assertEqual(
            (claim.state, claim.reimbursable_amount, claim.proof_ids.raw),
            ("submitted", 1500.0, PNG),
        )
        accountant = self.env.ref("dealer_management.demo_user_dm_liu")
        claim.with_user(accountant).action_reduce(1200, "发票金额 2,400 元")
        claim.with_user(accountant).action_settle()
        page = self.get("/zh_CN" + claim.access_url)
        for text in ("发票金额 2,400 元", "1,200.00", claim.move_id.name, "已结算"):
            self.assertIn(text, page)
        # a second claim on the same request is refused, nothing written
        response = self.url_open(
            url,
            data=data,
            files=[("proof", ("stand.png", PNG, "image/png"))],
            allow_redirects=False,
        )
        self.assertEqual(len(request.claim_ids), 1)

    def test_a_request_over_what_remains_is_refused_with_the_figures(self):
        remaining = self.fund_a.remaining_amount
        response = self.ask(planned_cost="100000", requested_amount="99000")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nothing was recorded", response.text)
        self.assertIn("99,000.00", response.text)
        self.assertIn(f"{remaining:,.2f}", response.text)
        # another dealer's fund is not his to choose
        fund_b = self.env["dealer.fund"].search(
            [("partner_id", "=", self.dealer_b.id)], limit=1
        )
        response = self.ask(fund_id=str(fund_b.id))
        self.assertIn("Choose one of your open funds", response.text)
        # nor another dealer's request to claim
        approved_b = self.requests_b.filtered(lambda r: r.state == "approved")[:1]
        response = self.url_open(
            f"/my/dealer/funds/requests/{approved_b.id}/claim",
            data={"actual_cost": "1", "claimed_amount": "1", "csrf_token": self.csrf()},
            files=[("proof", ("stand.png", PNG, "image/png"))],
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(approved_b.claim_ids)

    def test_his_rpc_changes_nothing(self):
        user = self.portal_user
        request = self.env["dealer.fund.request"].search(
            [("partner_id", "=", self.dealer_a.id), ("state", "=", "approved")],
            limit=1,
        )
        for attempt in (
            lambda: self.fund_a.with_user(user).write({"amount": 999999}),
            lambda: request.with_user(user).write({"requested_amount": 1}),
            lambda: request.with_user(user).action_review(),
            lambda: request.with_user(user).validate_tier(),
            lambda: self.env["dealer.fund.request"]
            .with_user(user)
            .create({"fund_id": self.fund_a.id, "title": "x"}),
            lambda: self.env["dealer.fund.claim"]
            .with_user(user)
            .create({"request_id": request.id}),
        ):
            with self.subTest(attempt=attempt), self.assertRaises(AccessError):
                attempt()
