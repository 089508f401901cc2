# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Market-expense funds, requests and claims: the figures worked out by hand."""

import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DealerCommon

# the smallest PNG: a proof the server recognises by its bytes, whatever it is called
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestFunds(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.dealer | cls.distributor_a | cls.wholesaler_a).sudo().write(
            {"dealer_status": "active"}
        )

    def setUp(self):
        super().setUp()
        # the claims are made before the funds' deadline: not on the real date
        freezer = freeze_time("2026-10-01")
        freezer.start()
        self.addCleanup(freezer.stop)

    def fund(self, amount=10000.0, partner=None, **vals):
        return (
            self.env["dealer.fund"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": (partner or self.dealer).id,
                    "company_id": self.company.id,
                    "activity_kind": "promotion",
                    "date_start": "2026-07-01",
                    "date_end": "2026-09-30",
                    "date_expiry": "2026-10-30",
                    "amount": amount,
                    **vals,
                }
            )
        )

    def request(self, fund, planned=8000.0, asked=6000.0, user=None, **vals):
        return (
            self.env["dealer.fund.request"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "partner_id": fund.partner_id.id,
                    "company_id": self.company.id,
                    "fund_id": fund.id,
                    "title": "国庆促销 National Day promotion",
                    "date_start": "2026-09-28",
                    "date_end": "2026-10-07",
                    "place": "Guangzhou store",
                    "planned_cost": planned,
                    "requested_amount": asked,
                    **vals,
                }
            )
        )

    def approved(self, fund, **kwargs):
        request = self.request(fund, **kwargs)
        request.action_submit()
        request.action_review()
        request.with_user(self.manager).validate_tier()
        if request.state == "to_approve":
            request.with_user(self.director).validate_tier()
        self.assertEqual(request.state, "approved")
        return request

    def proof(self, content=PNG, name="photo.png", user=None):
        return (
            self.env["ir.attachment"]
            .with_user(user or self.salesperson)
            .create({"name": name, "raw": content, "res_model": "dealer.fund.claim"})
        )

    def claim(
        self, request, cost=7000.0, claimed=6000.0, proof=True, user=None, **vals
    ):
        return (
            self.env["dealer.fund.claim"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "request_id": request.id,
                    "actual_cost": cost,
                    "claimed_amount": claimed,
                    "sellout_amount": 30000.0,
                    "proof_ids": [Command.set(self.proof(user=user).ids)]
                    if proof
                    else [],
                    **vals,
                }
            )
        )

    # ------------------------------------------------------------ rules

    def test_rule_sets_the_funds_of_a_period_from_the_sales_before(self):
        self.dealer.sudo().dealer_tier = "A"
        self.distributor_a.sudo().dealer_tier = "B"
        self.wholesaler_a.sudo().dealer_tier = "C"
        self.invoice("2026-05-10", 100000)
        self.invoice("2026-06-01", 40000, partner=self.distributor_a)
        self.invoice(
            "2026-06-15", 5000, move_type="out_refund", partner=self.distributor_a
        )
        self.invoice("2026-03-31", 10000, partner=self.wholesaler_a)  # before
        rule = (
            self.env["dealer.fund.rule"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Quarterly promotion fund",
                    "company_id": self.company.id,
                    "activity_kind": "promotion",
                    "period_type": "quarter",
                    "claim_days": 30,
                    "cap": 2000,
                    "line_ids": [
                        Command.create({"tier": "A", "rate": 2, "fixed_amount": 500}),
                        Command.create({"tier": "B", "rate": 1.5}),
                        Command.create({"tier": "C", "fixed_amount": 300}),
                    ],
                }
            )
        )
        with self.refused(AccessError, "Only a Dealer Manager"):
            rule.with_user(self.salesperson).action_apply("2026-07-01")
        funds = rule.with_user(self.manager).action_apply("2026-07-01")
        # A: 100,000 x 2 % + 500 = 2,500, capped at 2,000; B: (40,000 - 5,000) x
        # 1.5 % = 525; C: no sales in April to June, the fixed 300
        self.assertEqual(
            {f.partner_id: f.amount for f in funds},
            {self.dealer: 2000.0, self.distributor_a: 525.0, self.wholesaler_a: 300.0},
        )
        self.assertEqual(
            set(funds.mapped(lambda f: (f.date_start, f.date_end, f.date_expiry))),
            {(date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 30))},
        )
        self.assertEqual(set(funds.mapped("remaining_amount")), {2000.0, 525.0, 300.0})
        # applying it again to the same period sets nothing more
        self.assertFalse(rule.with_user(self.manager).action_apply("2026-07-01"))

    # ------------------------------------------------------------ requests

    def test_approval_commits_the_fund_and_refuses_what_it_has_not(self):
        fund = self.fund(10000)
        first = self.approved(fund)
        # the fund: 10,000, of which the approved share 6,000 committed
        self.assertEqual(
            (fund.committed_amount, fund.remaining_amount), (6000.0, 4000.0)
        )
        second = self.request(fund, planned=5000, asked=5000)
        with self.refused(UserError, "5,000.00 .* has .*4,000.00 left"):
            second.action_submit()
        self.assertEqual(second.state, "draft")
        # a request asks at most its planned cost, and more than nothing
        with self.assertRaises(ValidationError):
            self.request(fund, planned=1000, asked=1500)
        # what it asks stays as it was submitted
        with self.refused(UserError, "no longer a draft"):
            first.with_user(self.salesperson).write({"requested_amount": 1})
        # cancelled by the manager: the share goes back to the fund
        with self.refused(AccessError, "Only a Dealer Manager"):
            first.with_user(self.salesperson).action_cancel()
        first.with_user(self.manager).action_cancel()
        self.assertEqual((fund.committed_amount, fund.remaining_amount), (0.0, 10000.0))

    def test_approval_rules_of_requests(self):
        self.company.dealer_fund_second_approval_amount = 5000
        fund = self.fund(10000)
        request = self.request(fund)
        request.action_submit()
        # the approval's public methods are the buttons' only
        with self.refused(AccessError, "with their buttons"):
            request.with_user(self.manager).request_validation()
        with self.refused(UserError, "Approve: the request .* is Submitted"):
            request.with_user(self.manager).validate_tier()
        request.action_review()
        self.assertTrue(request.needs_second_approval)  # 6,000 > 5,000
        with self.refused(AccessError, "Only a Dealer Manager"):
            request.with_user(self.salesperson).validate_tier()
        # no review row may be written by a client
        with self.refused(AccessError, "not created, changed or deleted directly"):
            request.review_ids.with_user(self.manager).write({"status": "approved"})
        # an activity for each who may give the next approval
        self.assertIn(self.manager, request.activity_ids.user_id)
        request.with_user(self.manager).validate_tier()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.activity_ids.user_id, self.director)
        with self.refused(UserError, "given by another person"):
            request.with_user(self.manager).validate_tier()
        request.with_user(self.director).validate_tier()
        self.assertEqual(
            (request.state, request.approved_uid, fund.committed_amount),
            ("approved", self.director, 6000.0),
        )
        self.assertFalse(request.activity_ids)
        # nobody approves his own request
        own = self.request(fund, planned=1000, asked=1000, user=self.manager)
        own.with_user(self.manager).action_submit()
        own.action_review()
        with self.refused(UserError, "Nobody approves a market-expense request"):
            own.with_user(self.manager).validate_tier()
        # nor one he reviewed: the review and the approval are two people's
        reviewed = self.request(fund, planned=1000, asked=1000)
        reviewed.action_submit()
        reviewed.with_user(self.manager).action_review()
        with self.refused(UserError, "created, submitted or reviewed"):
            reviewed.with_user(self.manager).validate_tier()
        self.assertNotIn(self.manager, reviewed.activity_ids.user_id)
        # rejected with the reason the dealer sees
        own.with_user(self.director).action_reject("同月已有经销商总部促销")
        self.assertEqual(
            (own.state, own.reject_reason), ("rejected", "同月已有经销商总部促销")
        )
        self.assertEqual(fund.committed_amount, 6000.0)

    def test_a_fund_is_named_in_its_readers_language(self):
        self.load_zh_cn()
        fund = self.fund(1000)  # created in English
        self.assertEqual(fund.name, "Promotion Event 2026-07-01 to 2026-09-30")
        self.assertEqual(
            fund.with_context(lang="zh_CN").display_name,
            "促销活动 2026-07-01 至 2026-09-30",
        )

    # ------------------------------------------------------------ claims

    def test_claim_reimbursable_reduced_and_settled_once(self):
        fund = self.fund(10000)
        request = self.approved(fund)  # planned 8,000, asked 6,000: 75 %
        claim = self.claim(request, cost=7000, claimed=6000)
        # the lowest of 6,000 claimed, 6,000 approved and 75 % of 7,000 = 5,250
        self.assertEqual(claim.reimbursable_amount, 5250.0)
        self.assertEqual(claim.partner_id, self.dealer)
        claim.action_submit()
        self.assertEqual((fund.claimed_amount, fund.committed_amount), (5250.0, 6000.0))
        # the accountants are asked to check it, each once
        self.assertIn(self.accountant, claim.activity_ids.user_id)
        self.assertEqual(
            len(claim.activity_ids), len(claim.activity_ids.user_id), claim.activity_ids
        )
        # what it claims, and on which request, stays as it was submitted
        with self.refused(UserError, "no longer a draft"):
            claim.write({"claimed_amount": 6000})
        with self.refused(UserError, "no longer a draft"):
            claim.write({"request_id": self.approved(self.fund(2000), asked=1000).id})
        with self.refused(AccessError, "Only a Dealer Accountant"):
            claim.with_user(self.manager).action_grant()
        with self.refused(UserError, "less than its reimbursable"):
            claim.with_user(self.accountant).action_reduce(5250, "no")
        with self.refused(UserError, "needs the reason"):
            claim.with_user(self.accountant).action_reduce(5000, " ")
        claim.with_user(self.accountant).action_reduce(
            5000, "The venue's invoice covers one day of two"
        )
        self.assertEqual(
            (claim.state, claim.granted_amount, claim.decision_reason),
            ("approved", 5000.0, "The venue's invoice covers one day of two"),
        )
        self.assertFalse(claim.activity_ids)  # decided: nobody is asked any more
        # the request now holds what was granted
        self.assertEqual(
            (fund.committed_amount, fund.remaining_amount), (5000.0, 5000.0)
        )
        with freeze_time("2026-10-10"):
            claim.with_user(self.accountant).action_settle()
        move = claim.move_id
        self.assertEqual(
            (
                move.move_type,
                move.state,
                move.amount_total,
                move.partner_id,
                move.dealer_fund_claim_id,
            ),
            ("out_refund", "posted", 5000.0, self.dealer, claim),
        )
        self.assertEqual(
            move.invoice_line_ids.product_id,
            self.env.ref("dealer_management.product_dealer_market_expense"),
        )
        self.assertEqual((claim.state, request.state), ("settled", "closed"))
        self.assertEqual(
            (fund.reimbursed_amount, fund.committed_amount), (5000.0, 5000.0)
        )
        with self.refused(UserError, "the claim .* is Settled"):
            claim.with_user(self.accountant).action_settle()
        # the settlement is no sales return: the dealer's sales of October stay nil
        self.assertEqual(
            self.env["dealer.measure"]._net_sales(
                self.company, self.dealer.ids, date(2026, 10, 1), date(2026, 10, 31)
            ),
            {},
        )

    def test_beside_the_claim_its_proof_and_settlement_stay(self):
        """The mechanisms beside the claim's fields: its proof's files, the journal
        entries' link and total, the authors of its terms."""
        request = self.approved(self.fund(10000))
        claim = self.claim(request, cost=8000, claimed=6000)
        proof = claim.proof_ids
        # the proof belongs to its claim: its access follows the claim's
        self.assertEqual((proof.res_model, proof.res_id), (claim._name, claim.id))
        # a file the caller cannot read, one of another claim, one of another record:
        # no proof (and nothing said of a file he cannot read but that)
        other = (
            self.env["ir.attachment"]
            .with_user(self.manager)
            .create({"name": "secret.pdf", "raw": PNG, "res_model": claim._name})
        )
        second = self.claim(
            self.approved(self.fund(10000), asked=1000), cost=2000, claimed=1000
        )
        on_partner = (
            self.env["ir.attachment"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": "licence.png",
                    "raw": PNG,
                    "res_model": "res.partner",
                    "res_id": self.dealer.id,
                }
            )
        )
        with self.refused(AccessError, "not allowed to access this document"):
            claim.write({"proof_ids": [Command.link(other.id)]})
        with self.refused(ValidationError, "photo.png was not uploaded for this"):
            claim.write({"proof_ids": [Command.set(second.proof_ids.ids)]})
        with self.refused(ValidationError, "licence.png was not uploaded for this"):
            claim.write({"proof_ids": [Command.link(on_partner.id)]})
        # a Dealer Accountant who changed what it claims is one of its authors
        claim.with_user(self.accountant).write({"claimed_amount": 5000})
        claim.action_submit()
        self.assertEqual(claim.author_uids, self.salesperson | self.accountant)
        with self.refused(UserError, "Nobody decides a claim he created, changed"):
            claim.with_user(self.accountant).action_grant()
        with self.refused(AccessError, "cannot be written directly"):
            claim.write({"author_uids": [Command.clear()]})
        # its proof, submitted, is neither changed nor deleted, by anyone of them
        for user in (self.salesperson, self.accountant, self.manager):
            with self.refused(AccessError, "the proof of .*: it is not changed"):
                proof.with_user(user).write({"raw": b"%PDF-1.4 forged"})
            with self.refused(AccessError, "the proof of .* submitted: it is not del"):
                proof.with_user(user).unlink()
        self.assertEqual(proof.raw, PNG)
        accountant = self.env["res.users"].create(
            {
                "login": "dm_fund_accountant_2",
                "name": "Second Accountant",
                "groups_id": [Command.set(self.accountant.groups_id.ids)],
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        with self.refused(UserError, "a number"):
            claim.with_user(accountant).action_reduce("abc", "x")
        claim.with_user(accountant).action_grant()
        claim.with_user(accountant).action_settle()
        move = claim.move_id
        self.assertEqual(move.amount_total, 5000.0)
        # the link of a journal entry to a claim or a statement is the addon's
        invoice = self.invoice("2026-09-30", 1000)
        for field in ("dealer_fund_claim_id", "dealer_rebate_id"):
            with self.refused(AccessError, f"by their Settle button only \\({field}"):
                invoice.with_user(accountant).write({field: claim.id})
        # the settlement stays posted as it was made: by its buttons, by anyone, and
        # by what the buttons write
        stays = "settles HX.*: it stays posted as it was"
        for button in (move.sudo().button_cancel, move.sudo().button_draft):
            with self.refused(UserError, stays):
                button()
        line = move.invoice_line_ids.with_user(accountant)
        for attempt in (
            lambda: move.with_user(accountant).write({"state": "cancel"}),
            lambda: move.with_user(accountant).write({"state": "draft"}),
            lambda: line.write({"price_unit": 99999}),
            lambda: line.write({"debit": 6.0}),
            lambda: line.create(
                {"move_id": move.id, "name": "more", "price_unit": 1, "quantity": 1}
            ),
        ):
            with self.subTest(attempt=attempt), self.refused(UserError, stays):
                attempt()
        # a proof made inside the claim chooses neither its place nor who opens it
        draft = self.claim(
            self.approved(self.fund(10000), asked=1000),
            cost=2000,
            claimed=1000,
            proof=False,
        )
        for vals in (
            {"res_model": "mail.compose.message", "res_id": draft.id},
            {"res_field": "image_1920"},
            {"type": "url", "url": "https://example.com/y.png"},
            {"public": True},
        ):
            with self.subTest(vals=vals), self.refused(ValidationError, "belongs to"):
                draft.write(
                    {
                        "proof_ids": [
                            Command.create({"name": "m.png", "raw": PNG, **vals})
                        ]
                    }
                )
        # nor is a file someone else uploaded, even one for all to see
        public = self.proof(user=self.manager)
        public.sudo().public = True
        with self.refused(ValidationError, "photo.png was not uploaded for this"):
            draft.write({"proof_ids": [Command.link(public.id)]})
        # who may open a proof stays the claim's rights
        for vals in ({"public": True}, {"access_token": "tok123"}):
            with self.refused(AccessError, "it is not changed"):
                proof.with_user(self.salesperson).write(vals)
        self.assertEqual((move.state, move.amount_total), ("posted", 5000.0))

    def test_claim_settled_by_vendor_bill_with_its_taxes_inside(self):
        self.company.dealer_fund_settlement = "vendor_bill"
        tax = self.env["account.tax"].create(
            {
                "name": "VAT 13 % purchases",
                "amount": 13,
                "type_tax_use": "purchase",
                "company_id": self.company.id,
            }
        )
        product = self.env.ref("dealer_management.product_dealer_market_expense")
        product.sudo().supplier_taxes_id = [Command.set(tax.ids)]
        request = self.approved(self.fund(10000), planned=2260, asked=2260)
        claim = self.claim(request, cost=2260, claimed=2260)
        claim.action_submit()
        claim.with_user(self.accountant).action_grant()
        claim.with_user(self.accountant).action_settle()
        # 2,260 granted is what the dealer gets: 2,000 and 13 % VAT of 260
        self.assertEqual(
            (
                claim.move_id.move_type,
                claim.move_id.amount_untaxed,
                claim.move_id.amount_tax,
                claim.move_id.amount_total,
            ),
            ("in_invoice", 2000.0, 260.0, 2260.0),
        )

    def test_bad_claims_are_refused_and_nothing_is_written(self):
        fund = self.fund(10000)
        request = self.approved(fund)
        Claim = self.env["dealer.fund.claim"].sudo()
        count = Claim.search_count([])
        with self.refused(ValidationError, "approved for .*6,000.00"):
            self.claim(request, claimed=6500)
        with self.refused(ValidationError, "not a photo or a PDF"):
            self.claim(request, proof=False).proof_ids = [
                Command.set(self.proof(b"just text, called a photo", "p.png").ids)
            ]
        self.company.dealer_fund_proof_max_mb = 1
        big = PNG + b"\0" * (1024 * 1024)
        with self.refused(ValidationError, "at most 1 MB"):
            self.claim(request, proof=False).proof_ids = [
                Command.set(self.proof(big, "big.png").ids)
            ]
        self.assertEqual(Claim.search_count([]), count)
        claim = self.claim(request, proof=False)
        with self.refused(UserError, "has no proof"):
            claim.action_submit()
        with self.refused(ValidationError, "has a claim already"):
            self.claim(request)
        # another dealer's request
        other = self.approved(
            self.fund(5000, partner=self.distributor_a),
            asked=1000,
            user=self.sensitive_a,
        )
        with self.refused(ValidationError, "not of Evaluated Dealer"):
            self.claim(other, partner_id=self.dealer.id, claimed=500, user=self.manager)
        # a request that is not approved
        draft = self.request(self.fund(1000, date_start="2026-07-02"), asked=500)
        with self.refused(ValidationError, "claims are made against approved"):
            self.claim(draft, claimed=500)

    def test_funds_lapse_after_their_claim_deadline(self):
        fund = self.fund(10000)
        unclaimed = self.approved(fund, planned=3000, asked=3000)
        claimed = self.approved(fund, planned=4000, asked=2000)
        claim = self.claim(claimed, cost=4000, claimed=2000)
        claim.action_submit()
        claim.with_user(self.accountant).action_grant()
        self.assertEqual(fund.remaining_amount, 5000.0)
        Fund = self.env["dealer.fund"]
        self.assertFalse(Fund._cron_lapse(today=date(2026, 10, 30)))  # its last day
        self.assertEqual(Fund._cron_lapse(today=date(2026, 10, 31)), fund)
        # the unclaimed request lapsed: what remains and what it held lapse
        self.assertEqual(
            (unclaimed.state, claimed.state, fund.state),
            ("expired", "approved", "expired"),
        )
        self.assertEqual(
            (fund.committed_amount, fund.remaining_amount, fund.lapsed_amount),
            (2000.0, 0.0, 8000.0),
        )
        self.assertFalse(Fund._cron_lapse(today=date(2026, 10, 31)))  # idempotent
        # no claim after the deadline
        late = self.approved(self.fund(1000, date_expiry="2026-10-01"), asked=500)
        with freeze_time("2026-10-02"), self.refused(ValidationError, "until 2026"):
            self.claim(late, claimed=500)

    def test_sales_lift_of_a_claim_against_the_same_days_last_year(self):
        request = self.approved(self.fund(10000))  # 2026-09-28 to 2026-10-07
        self.invoice("2026-09-30", 12000)
        self.invoice("2026-10-05", 2000, move_type="out_refund")
        self.invoice("2026-09-27", 50000)  # the day before: not counted
        claim = self.claim(request, cost=8000, claimed=6000)  # 6,000 reimbursable
        claim.action_submit()
        # nothing sold on the same days last year: no return to speak of
        self.assertEqual((claim.sales_during, claim.roi), (10000.0, 0.0))
        self.invoice("2025-10-01", 4000)  # the same days last year
        claim.invalidate_recordset()
        # (12,000 - 2,000) - 4,000 = 6,000 of lift for 6,000 reimbursable: 100 %
        self.assertEqual(
            (claim.sales_during, claim.sales_last_year, claim.sales_lift, claim.roi),
            (10000.0, 4000.0, 6000.0, 100.0),
        )
        claim.with_user(self.accountant).action_reduce(4000, "Two invoices missing")
        claim.with_user(self.accountant).action_settle()
        # over what was granted; the settlement's credit note is no sale
        claim.invalidate_recordset()
        self.assertEqual((claim.sales_during, claim.roi), (10000.0, 150.0))

    def test_claims_export_with_their_proof_count(self):
        request = self.approved(self.fund(10000))
        claim = self.claim(request, cost=7000, claimed=6000)
        claim.proof_ids = [Command.link(self.proof(name="invoice.png").id)]
        claim.action_submit()
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_xlsx("dealer_management.dealer_fund_claim_xlsx", claim.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
        self.assertEqual(
            (row["Claim"], row["Proof"], row["Reimbursable"], row["Status"]),
            (claim.name, 2, 5250, "Submitted"),
        )

    # ------------------------------------------------------------ one figure

    def test_expense_ratio_counts_the_granted_claims(self):
        self.invoice("2026-09-10", 100000)
        support = (
            self.env["dealer.support"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "name": "Billboard",
                    "support_type": "advertising",
                    "cost": 1000,
                    "date": "2026-09-20",
                }
            )
        )
        support.action_done()
        request = self.approved(self.fund(10000), planned=4000, asked=2000)
        claim = self.claim(request, cost=4000, claimed=2000)
        claim.action_submit()
        Support = self.env["dealer.support"]

        def ratio():
            return Support._expense_ratios(
                self.company, self.dealer.ids, date(2026, 7, 1), date(2026, 9, 30)
            )[self.dealer.id]

        rule = (
            self.env["dealer.warning.rule"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Expense ratio over 2 %",
                    "warning_type": "expense_ratio",
                    "threshold_percent": 2,
                    "window_days": 30,
                    "company_ids": [Command.set(self.company.ids)],
                }
            )
        )

        def warned():
            with freeze_time("2026-09-30"):
                rule._evaluate(companies=self.company)
            return (
                self.env["dealer.warning"]
                .with_user(self.manager)
                .search([("rule_id", "=", rule.id), ("state", "=", "open")])
            )

        def measured():
            return self.env["dealer.evaluation.measure"]._measure(
                "expense_ratio",
                self.company,
                self.dealer.ids,
                date(2026, 7, 1),
                date(2026, 9, 30),
            )[self.dealer.id][0]

        # 1,000 / 100,000 while the claim waits: 1 %, under the rule's 2 %
        self.assertEqual(ratio(), (1000.0, 100000.0, 1.0))
        self.assertFalse(warned())
        self.assertEqual(measured(), 1.0)
        # 3,000 once it is granted (the activity starts 2026-09-28, in the window)
        claim.with_user(self.accountant).action_grant()
        claim.with_user(self.accountant).action_settle()
        self.assertEqual(ratio(), (3000.0, 100000.0, 3.0))
        self.assertEqual(warned().measured_value, 3.0)
        self.assertEqual(measured(), 3.0)

    # ------------------------------------------------------------ rights

    def test_portal_and_salesperson_rights(self):
        fund = self.fund(10000)
        portal = self.env["res.users"].create(
            {
                "login": "dm_fund_portal",
                "name": "Dealer Staff",
                "partner_id": self.env["res.partner"]
                .create({"name": "Dealer Staff", "parent_id": self.dealer.id})
                .id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        # a portal user reads his dealer's funds; he changes nothing by RPC
        self.assertEqual(self.env["dealer.fund"].with_user(portal).search([]), fund)
        with self.assertRaises(AccessError):
            fund.with_user(portal).write({"amount": 99999})
        with self.assertRaises(AccessError):
            self.request(fund, user=portal)
        request = self.approved(fund)
        with self.assertRaises(AccessError):
            self.env["dealer.fund.claim"].with_user(portal).create(
                {"request_id": request.id, "actual_cost": 1, "claimed_amount": 1}
            )
        # a salesperson sets no fund, and sees only his own dealers' requests
        with self.refused(AccessError, "Only a Dealer Manager"):
            fund.with_user(self.salesperson).write({"amount": 2})
        self.assertFalse(
            self.env["dealer.fund.request"].with_user(self.sales_a).search([])
        )
