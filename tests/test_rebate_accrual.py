# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Month-end rebate accruals (返利计提): the entries, their reversals and the accrued
rebates account's balance, every figure worked out by hand in the comments."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .test_rebate import RebateCommon

JAN31, FEB1 = date(2026, 1, 31), date(2026, 2, 1)


class TestRebateAccrual(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"].with_company(cls.company)
        cls.accrued = Account.create(
            {
                "code": "224199",
                "name": "Accrued Rebates",
                "account_type": "liability_current",
            }
        )
        cls.expense = Account.create(
            {"code": "660199", "name": "Rebate Expense", "account_type": "expense"}
        )
        cls.journal = cls.env["account.journal"].create(
            {
                "name": "Rebate Accruals",
                "code": "RACR",
                "type": "general",
                "company_id": cls.company.id,
            }
        )
        cls.company.write(
            {
                "dealer_rebate_accrual_journal_id": cls.journal.id,
                "dealer_rebate_accrued_account_id": cls.accrued.id,
                "dealer_rebate_expense_account_id": cls.expense.id,
            }
        )
        cls.Accrual = cls.env["dealer.rebate.accrual"]

    def balance(self, day, account=None):
        """The account's balance on ``day`` in the posted entries (credit < 0)."""
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", (account or self.accrued).id),
                ("parent_state", "=", "posted"),
                ("date", "<=", day),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def accrue(self, program, day, user=None):
        return self.Accrual.with_user(user or self.accountant)._accrue(program, day)

    def by_dealer(self, accrual):
        return {line.partner_id: line.amount for line in accrual.line_ids}

    def test_earned_to_date_posted_and_reversed(self):
        program = self.program()
        # dealer 9,000 -> 1 % = 90.00; dealer2 12,000 -> 2 % on the whole = 240.00
        self.sell("2026-01-10", 9000)
        self.sell("2026-01-20", 12000, partner=self.dealer2)
        accrual = self.accrue(program, JAN31)
        self.assertEqual(
            self.by_dealer(accrual), {self.dealer: 90.0, self.dealer2: 240.0}
        )
        self.assertEqual(accrual.amount, 330.0)
        move, reversal = accrual.move_id, accrual.reversal_move_id
        self.assertEqual((move.state, move.date), ("posted", JAN31))
        self.assertEqual((reversal.state, reversal.date), ("posted", FEB1))
        self.assertEqual(reversal.reversed_entry_id, move)
        # one line per dealer on each account, the liability on the dealer
        liability = move.line_ids.filtered(lambda line: line.account_id == self.accrued)
        self.assertEqual(
            sorted((line.partner_id.name, line.credit) for line in liability),
            sorted([("Second Dealer", 240.0), (self.dealer.name, 90.0)]),
        )
        self.assertEqual(self.balance(JAN31), -330.0)
        self.assertEqual(self.balance(JAN31, self.expense), 330.0)
        self.assertEqual(self.balance(FEB1), 0.0)

    def test_projected_from_last_years_run_rate(self):
        program = self.program(accrual_basis="projected")
        # last year's first quarter: 10,000 by 31 January of 40,000 -> a quarter
        self.sell("2025-01-10", 10000)
        self.sell("2025-02-20", 30000)
        # this year 9,000 by 31 January -> projected 36,000 (2 %: 720), a quarter of
        # it accrued: 180.00 (earned to date would be 1 %: 90.00)
        self.sell("2026-01-10", 9000)
        accrual = self.accrue(program, JAN31)
        self.assertEqual(self.by_dealer(accrual), {self.dealer: 180.0})
        self.assertEqual(accrual.basis, "projected")

    def test_approved_statements_until_settled_then_nothing(self):
        program = self.program()
        self.sell("2026-01-10", 9000)
        # the first quarter's statement: 90.00, approved in April, not settled
        rebate = self.statement(self.compute(program))
        rebate.with_user(self.manager).action_submit()
        rebate.with_user(self.manager_b).validate_tier()
        self.assertEqual(rebate.state, "approved")
        # 30 April: the second quarter has nothing yet; the statement is owed
        accrual = self.accrue(program, date(2026, 4, 30))
        line = accrual.line_ids
        self.assertEqual(
            (line.partner_id, line.earned_amount, line.unsettled_amount, line.amount),
            (self.dealer, 0.0, 90.0, 90.0),
        )
        self.assertEqual(self.balance(date(2026, 4, 30)), -90.0)
        # settled in May: nothing left to accrue on 31 May, the liability is zero
        rebate.with_user(self.accountant).action_settle()
        self.assertFalse(self.accrue(program, date(2026, 5, 31)))
        self.assertEqual(self.balance(date(2026, 5, 31)), 0.0)

    def test_submitted_partial_statements_are_not_accrued_twice(self):
        # annual program settled quarterly: Q1's statement (9,000 -> 90.00) submitted;
        # by 30 April 15,000 in the year -> 2 % = 300.00 earned, less the 90.00 the
        # statement granted = 210.00 earned, plus 90.00 waiting for approval = 300.00
        program = self.program(period_type="year", settlement_type="quarter")
        self.sell("2026-01-10", 9000)
        q1 = self.statement(self.compute(program, end="2026-03-31"))
        q1.with_user(self.manager).action_submit()
        self.sell("2026-04-10", 6000)
        line = self.accrue(program, date(2026, 4, 30)).line_ids
        self.assertEqual(
            (line.earned_amount, line.unsettled_amount, line.amount),
            (210.0, 90.0, 300.0),
        )

    def test_once_a_day_and_what_differs_is_said(self):
        program = self.program()
        self.sell("2026-01-10", 9000)
        accrual = self.accrue(program, JAN31)
        moves = self.env["account.move"].search_count(
            [("journal_id", "=", self.journal.id)]
        )
        with self.assertRaisesRegex(UserError, "Nothing differs since"):
            self.accrue(program, JAN31)
        # a late invoice of the day: 10,000 -> 2 % = 200.00; said, nothing replaced
        self.sell("2026-01-31", 1000)
        with self.assertRaisesRegex(UserError, r"What differs now[^$]*90\.00, 200\.00"):
            self.accrue(program, JAN31)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("journal_id", "=", self.journal.id)]
            ),
            moves,
        )
        self.assertEqual(accrual.amount, 90.0)
        # the daily job: the month's last day once, the missed one the next days
        Cron = self.Accrual.sudo()
        Cron._cron_accrue(today=date(2026, 2, 10), companies=self.company)
        Cron._cron_accrue(today=date(2026, 2, 28), companies=self.company)
        Cron._cron_accrue(today=date(2026, 2, 28), companies=self.company)
        self.assertEqual(
            self.Accrual.search([("program_id", "=", program.id)]).mapped("date"),
            [date(2026, 2, 28), JAN31],
        )

    def test_bad_settings_post_nothing(self):
        program = self.program()
        self.sell("2026-01-10", 9000)
        self.company.dealer_rebate_accrued_account_id = self.expense
        with self.assertRaisesRegex(UserError, "must be a current liability"):
            self.accrue(program, JAN31)
        self.company.dealer_rebate_accrued_account_id = False
        with self.assertRaisesRegex(UserError, "in the settings first"):
            self.accrue(program, JAN31)
        self.assertFalse(self.Accrual.search([("program_id", "=", program.id)]))

    def test_rights(self):
        program = self.program()
        self.sell("2026-01-10", 9000)
        with self.assertRaisesRegex(AccessError, "may accrue rebates"):
            self.accrue(program, JAN31, self.salesperson)
        with self.assertRaises(AccessError):
            self.env["dealer.rebate.accrue"].with_user(self.salesperson).create(
                {"date": JAN31, "program_ids": [Command.set(program.ids)]}
            )
        # nobody writes an accrual or its lines by RPC, a manager neither
        accrual = self.accrue(program, JAN31, self.manager)
        for record in (accrual, accrual.line_ids):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.manager).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            accrual.with_user(self.salesperson).read(["amount"])

    def test_analytic_by_territory_and_one_line_per_program(self):
        plan = self.env["account.analytic.plan"].create({"name": "Territories"})
        east = self.env["account.analytic.account"].create(
            {"name": "East", "plan_id": plan.id, "company_id": self.company.id}
        )
        territory = self.env["dealer.territory"].create(
            {
                "name": "East",
                "analytic_account_id": east.id,
                "dealer_ids": [Command.set(self.dealer.ids)],
            }
        )
        program = self.program()
        self.sell("2026-01-10", 9000)
        self.sell("2026-01-20", 12000, partner=self.dealer2)
        accrual = self.accrue(program, JAN31)
        self.assertEqual(accrual.line_ids.territory_id, territory)
        expense = accrual.move_id.line_ids.filtered(
            lambda line: line.account_id == self.expense
        )
        self.assertEqual(
            {line.partner_id: line.analytic_distribution for line in expense},
            {self.dealer: {str(east.id): 100.0}, self.dealer2: False},
        )
        # one line per program: the expense of 330.00, 90.00 of it (27.27 %) East's
        self.company.dealer_rebate_accrual_detail = "program"
        accrual = self.accrue(program, date(2026, 2, 28))
        expense = accrual.move_id.line_ids.filtered(
            lambda line: line.account_id == self.expense
        )
        self.assertEqual(len(expense), 1)
        self.assertEqual(expense.debit, 330.0)
        self.assertEqual(round(expense.analytic_distribution[str(east.id)], 2), 27.27)
