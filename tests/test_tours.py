# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The three daily paths in a real browser (headless Chromium), on the demo network, as
the user who walks them: static/tests/tours/dealer_tours.js."""

from odoo import fields
from odoo.tests import tagged

from .common import DemoHttpCommon


@tagged("post_install", "-at_install")
class TestTours(DemoHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = {
            login: cls.env["res.users"].search([("login", "=", login)])
            for login in ("dm_wang", "dm_chen", "dm_liu")
        }

    def test_browser_is_there(self):
        """HttpCase skips a tour when it finds no browser: here that is a failure (the
        test command installs Chromium and websocket-client)."""
        import websocket  # noqa: F401, PLC0415

        from odoo.tests.common import _find_executable  # noqa: PLC0415

        self.assertTrue(_find_executable())

    def test_salesperson_completes_an_evaluation(self):
        salesperson = self.user["dm_wang"]
        dealer = self.env["res.partner"].search(
            [
                ("user_id", "=", salesperson.id),
                ("is_dealer", "=", True),
                ("parent_id", "=", False),
            ],
            limit=1,
        )
        # a period of its own, so that the draft is the only one of the dealer
        evaluation = (
            self.env["dealer.evaluation"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2020-01-01",
                    "date_end": "2020-03-31",
                    "evaluator_id": salesperson.id,
                }
            )
        )
        self.env["dealer.evaluation"].search(
            [
                ("partner_id", "=", dealer.id),
                ("state", "=", "draft"),
                ("id", "!=", evaluation.id),
            ]
        ).unlink()
        first = evaluation.line_ids[0]  # the first row of the form, in the lines' order
        # the others scored already: an evaluation is submitted with every criterion
        # scored (the tour gives the last score)
        (evaluation.line_ids - first).with_user(salesperson).write({"score": 3})
        self.start_tour(
            f"/odoo/action-dealer_management.dealer_partner_action/{dealer.id}",
            "dealer_salesperson_evaluation",
            login="dm_wang",
        )
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(first.score, 4)
        self.assertEqual(
            set(
                (evaluation.line_ids - first)
                .filtered(lambda line: line.source == "manual")
                .mapped("score")
            ),
            {3},
        )

    def test_manager_approves_a_rebate_statement(self):
        rebate = self.env["dealer.rebate"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "to_approve"),
                ("needs_second_approval", "=", False),
            ],
            limit=1,
        )
        self.assertTrue(rebate)
        self.start_tour(
            f"/odoo/action-dealer_management.dealer_rebate_action/{rebate.id}",
            "dealer_manager_rebate_approval",
            login="dm_chen",
        )
        self.assertEqual(
            (rebate.state, rebate.approved_uid), ("approved", self.user["dm_chen"])
        )

    def test_accountant_opens_the_aging_and_acknowledges_a_warning(self):
        before = self.env["dealer.warning"].search_count(
            [("state", "=", "acknowledged")]
        )
        self.start_tour(
            "/odoo/action-dealer_management.dealer_receivable_aging_action",
            "dealer_accountant_aging_warning",
            login="dm_liu",
        )
        self.assertEqual(
            self.env["dealer.warning"].search_count([("state", "=", "acknowledged")]),
            before + 1,
        )

    def test_dealer_uses_the_portal(self):
        """As dealer_gz: a service case with a photo, last month's statement of account
        confirmed, the month's stock report submitted, the latest bulletin read, the
        annual meeting declined, a rebate statement opened."""
        dealer = self.env.ref("dealer_management.demo_dealer_0")
        cases = self.env["dealer.service.case"].search([("partner_id", "=", dealer.id)])
        Bulletin = self.env["dealer.bulletin"]
        latest = Bulletin.search(Bulletin._portal_domain(dealer), limit=1)
        latest.receipt_ids.unlink()
        self.start_tour("/my/dealer/service", "dealer_portal", login="dealer_gz")
        self.assertEqual(latest.receipt_ids.user_id.login, "dealer_gz")
        meeting = self.env["dealer.visit"].search(
            [("partner_id", "=", dealer.id), ("visit_type", "=", "annual_meeting")]
        )
        self.assertEqual(
            (meeting.attendance, meeting.attendance_uid.login),
            ("declined", "dealer_gz"),
        )
        case = (
            self.env["dealer.service.case"].search([("partner_id", "=", dealer.id)])
            - cases
        )
        self.assertEqual(case.reason, "The lid of the tour's cooker cracked")
        self.assertEqual(case.case_type, "repair")
        self.assertEqual(case.message_ids.attachment_ids.mapped("name"), ["tour.png"])
        statement = self.env["dealer.account.statement"].search(
            [("partner_id", "=", dealer.id)]
        )
        self.assertEqual(statement.state, "confirmed")
        self.assertEqual(statement.answered_uid.login, "dealer_gz")
        last_month = self.today.replace(day=1).replace(day=1)
        reports = self.env["dealer.stock.report"].search(
            [("partner_id", "=", dealer.id), ("create_uid.login", "=", "dealer_gz")]
        )
        self.assertTrue(reports)
        self.assertTrue(
            all(r.month < last_month or r.month == last_month for r in reports)
        )

    def test_market_expense_from_request_to_credit_note(self):
        """A dealer asks for an activity on the portal, his salesperson reviews it, the
        manager approves it in the backend, the dealer claims it with a photo, the
        accountant grants and settles it, and the dealer sees its credit note."""
        dealer = self.env.ref("dealer_management.demo_dealer_0")
        Request = self.env["dealer.fund.request"]
        before = Request.search([("partner_id", "=", dealer.id)])
        self.start_tour("/my/dealer/funds", "dealer_fund_request", login="dealer_gz")
        request = Request.search([("partner_id", "=", dealer.id)]) - before
        # the dates the form starts with: the dealer's today, in his time zone (in
        # Guangzhou the day begins eight hours before it does in UTC)
        dealer_user = self.env["res.users"].search([("login", "=", "dealer_gz")])
        today = fields.Date.context_today(dealer_user.with_user(dealer_user))
        self.assertEqual(
            (request.title, request.requested_amount, request.state),
            ("Tour roadshow", 1500.0, "submitted"),
        )
        self.assertEqual((request.date_start, request.date_end), (today, today))
        request.with_user(dealer.user_id).action_review()
        self.start_tour(
            f"/odoo/action-dealer_management.dealer_fund_request_action/{request.id}",
            "dealer_fund_approve",
            login="dm_chen",
        )
        self.assertEqual(request.state, "approved")
        self.start_tour(
            request.get_portal_url(), "dealer_fund_claim", login="dealer_gz"
        )
        claim = request.claim_ids
        # half of the 2,800 spent: 1,400, less than the 1,500 claimed
        self.assertEqual(
            (
                claim.state,
                claim.reimbursable_amount,
                len(claim.proof_ids),
                claim.sellout_amount,
            ),
            ("submitted", 1400.0, 1, 12000.0),
        )
        self.start_tour(
            f"/odoo/action-dealer_management.dealer_fund_claim_action/{claim.id}",
            "dealer_fund_settle",
            login="dm_liu",
        )
        self.assertEqual(
            (claim.state, claim.move_id.amount_total, claim.move_id.move_type),
            ("settled", 1400.0, "out_refund"),
        )
        self.start_tour(
            claim.get_portal_url(), "dealer_fund_settled", login="dealer_gz"
        )
