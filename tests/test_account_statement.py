# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Statements of account (对账单): the figures of a month, worked out by hand, and the
dealer's answer."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DealerCommon

JUNE = date(2026, 6, 1)


@tagged("post_install", "-at_install")
class TestAccountStatement(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # May: an invoice of 1,000 due 31 May
        cls.may_invoice = cls.invoice("2026-05-10", 1000.0, due="2026-05-31")
        # June: a credit note of 200, an invoice of 500 due 15 July, 600 paid on the
        # May invoice on 20 June
        cls.invoice("2026-06-05", 200.0, move_type="out_refund")
        cls.invoice("2026-06-15", 500.0, due="2026-07-15")
        cls.pay(cls.may_invoice, "2026-06-20", 600.0)
        cls.portal_user = cls.dealer_portal_user(
            "dm_stmt_portal", cls.dealer, "Dealer's clerk"
        )
        cls.accountant.company_ids = [Command.set(cls.company.ids)]

    def test_the_figures_of_june(self):
        values = self.env["dealer.account.statement"]._statement_values(
            self.dealer, self.company, JUNE
        )
        # opening: the May invoice, 1,000; invoiced 500; credited 200; paid 600;
        # closing 1,000 + 500 - 200 - 600 = 700, of which overdue the 400 left of the
        # May invoice (the credit note is an open credit, the June invoice not due)
        self.assertEqual(values["opening_balance"], 1000.0)
        self.assertEqual(values["invoiced_amount"], 500.0)
        self.assertEqual(values["credited_amount"], 200.0)
        self.assertEqual(values["paid_amount"], 600.0)
        self.assertEqual(values["closing_balance"], 700.0)
        self.assertEqual(values["overdue_amount"], 400.0)
        self.assertEqual(len(values["moves"]), 2)
        self.assertEqual(len(values["payments"]), 1)

    def test_each_document_open_at_the_months_end(self):
        """Issue 23: the documents showed what is open today (0.00 once paid) under
        the month-end balance. June's invoice of 500, paid in full on 10 July, was
        open for 500 at the end of June; the credit note of 200 for -200; the two
        add up, with the 400 left of May's invoice, to the closing 700."""
        june_invoice = self.env["account.move"].search(
            [("partner_id", "=", self.dealer.id), ("invoice_date", "=", "2026-06-15")]
        )
        self.pay(june_invoice, "2026-07-10")
        self.assertEqual(june_invoice.amount_residual, 0.0)
        values = self.env["dealer.account.statement"]._statement_values(
            self.dealer, self.company, JUNE
        )
        credit_note = values["moves"] - june_invoice
        self.assertEqual(
            values["open_at_end"], {june_invoice.id: 500.0, credit_note.id: -200.0}
        )
        self.assertEqual(
            sum(values["open_at_end"].values()) + 400.0, values["closing_balance"]
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html(
                "dealer_management.dealer_account_statement_report",
                self.dealer.ids,
                data={"month": "2026-06-01"},
            )[0]
            .decode()
        )
        self.assertIn("Open at Month End", html)

    def test_a_month_out_of_range_is_refused_not_a_server_error(self):
        Statement = self.env["dealer.account.statement"]
        with freeze_time("2026-07-10"):
            self.assertEqual(Statement._ended_month("2026-06-17"), JUNE)
            for value in (
                "2026-07-01",
                "2026-13-01",
                "0001-01-01",
                "9999-12-01",
                ["x"],
                None,
                "x",
            ):
                with self.subTest(value=value):
                    self.assertIsNone(Statement._ended_month(value))
            Report = self.env["ir.actions.report"].with_user(self.accountant)
            for month in ("2026-13-01", "0001-01-01", "9999-12-01"):
                with self.subTest(month=month), self.assertRaises(UserError):
                    Report._render_qweb_html(
                        "dealer_management.dealer_account_statement_report",
                        self.dealer.ids,
                        data={"month": month},
                    )

    def test_the_dealer_confirms(self):
        Statement = self.env["dealer.account.statement"].with_user(self.portal_user)
        with freeze_time("2026-07-02 10:00"):
            statement = Statement._answer(self.dealer, self.company, JUNE, "confirmed")
        self.assertEqual(
            (statement.state, statement.answered_uid, statement.closing_balance),
            ("confirmed", self.portal_user, 700.0),
        )
        self.assertEqual(str(statement.answered_on), "2026-07-02 10:00:00")
        self.assertFalse(statement.activity_ids)
        # once
        with freeze_time("2026-07-03"):
            self.assertEqual(
                Statement._answer(self.dealer, self.company, JUNE, "disputed", "again"),
                ["The statement of this month was answered already."],
            )

    def test_a_dispute_needs_a_comment_and_tells_the_accountants(self):
        Statement = self.env["dealer.account.statement"].with_user(self.portal_user)
        with freeze_time("2026-07-02"):
            self.assertEqual(
                Statement._answer(self.dealer, self.company, JUNE, "disputed", "  "),
                ["Say what is wrong: a dispute needs a comment."],
            )
            statement = Statement._answer(
                self.dealer, self.company, JUNE, "disputed", "The credit note is 250"
            )
        self.assertEqual(statement.comment, "The credit note is 250")
        self.assertIn(self.accountant, statement.activity_ids.user_id)
        # the accountant sees it in the aging
        aging = self.env["dealer.receivable.aging"].with_user(self.accountant)
        with freeze_time("2026-07-02"):
            row = aging.search([("partner_id", "=", self.dealer.id)])
            self.assertEqual(row.statement_state, "disputed")

    def test_a_month_is_answered_once_ended(self):
        Statement = self.env["dealer.account.statement"].with_user(self.portal_user)
        with freeze_time("2026-06-30"):
            self.assertEqual(
                Statement._answer(self.dealer, self.company, JUNE, "confirmed"),
                ["A month is answered once it has ended."],
            )
        with freeze_time("2026-07-01"):
            self.assertEqual(
                Statement._answer(self.dealer, self.company, JUNE, "maybe"),
                ["Confirm the statement or dispute it."],
            )

    def test_answers_are_not_written_by_rpc(self):
        with self.assertRaises(UserError):
            self.env["dealer.account.statement"].with_user(self.portal_user).create(
                {
                    "partner_id": self.dealer.id,
                    "month": JUNE,
                    "state": "confirmed",
                    "answered_uid": self.portal_user.id,
                    "answered_on": "2026-07-02 10:00:00",
                }
            )

    def test_the_pdf_of_june(self):
        """The PDF (its HTML) shows June's figures; the report route is open to every
        logged-in user, so the report itself refuses a portal user and a user outside
        the dealer groups."""
        Report = self.env["ir.actions.report"].with_user(self.accountant)
        report = "dealer_management.dealer_account_statement_report"
        html = Report._render_qweb_html(
            report, self.dealer.ids, data={"month": "2026-06-17"}
        )[0].decode()
        self.assertIn("Statement of Account 2026-06", html)
        # opening 1,000, invoiced 500, credited 200, paid 600, closing 700, overdue 400
        for figure in ("1,000.00", "500.00", "200.00", "600.00", "700.00", "400.00"):
            self.assertIn(figure, html)
        with self.assertRaises(UserError):
            Report._render_qweb_html(report, self.dealer.ids, data={})
        # a partner who is no dealer: refused, even to a user who reads it
        with self.assertRaises(AccessError):
            Report._render_qweb_html(
                report, self.customer.ids, data={"month": "2026-06-01"}
            )
        for user in (self.portal_user, new_test_user(self.env, login="dm_stmt_base")):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Report.with_user(user)._render_qweb_html(
                    report, self.dealer.ids, data={"month": "2026-06-01"}
                )
