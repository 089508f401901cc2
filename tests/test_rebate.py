# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebate programs and statements: every figure worked out by hand in the comments."""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import DealerCommon, row_versions


class RebateCommon(DealerCommon):
    """Rebate programs on the base's catalogue (the appliances in scope, their display
    sample excluded), two more dealers, a rebate product with VAT 13 %, and a second
    Dealer Manager for the four-eyes approvals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_env_user_manager()
        Partner = cls.env["res.partner"]
        cls.dealer2 = Partner.create(
            {
                "name": "Second Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "general_distributor",
                "user_id": cls.salesperson.id,
                "company_id": cls.company.id,
            }
        )
        cls.dealer3 = Partner.create(
            {
                "name": "Third Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "secondary_wholesaler",
                "company_id": cls.company.id,
            }
        )
        cls.vat13 = cls.env["account.tax"].create(
            {
                "name": "VAT 13%",
                "amount": 13.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.rebate_product = cls.env["product.product"].create(
            {
                "name": "Rebate",
                "type": "service",
                "taxes_id": [Command.set(cls.vat13.ids)],
            }
        )
        cls.manager_b = cls.company_user(
            "dm_rb_manager_b", "dealer_management.group_dealer_manager"
        )

    @classmethod
    def program(
        cls, brackets=((0, 10000, 1), (10000, 50000, 2), (50000, 0, 3)), **vals
    ):
        return cls.env["dealer.rebate.program"].create(
            {
                "name": "Volume Rebate 2026",
                "company_id": cls.company.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "period_type": "quarter",
                "categ_ids": [Command.set(cls.appliances.ids)],
                "exclude_product_ids": [Command.set(cls.sample.ids)],
                "product_id": cls.rebate_product.id,
                "bracket_ids": [
                    Command.create({"amount_from": f, "amount_to": t, "rate": r})
                    for f, t, r in brackets
                ],
                **vals,
            }
        )

    def sell(
        self, day, amount, partner=None, product=None, move_type="out_invoice", **kw
    ):
        return self.invoice(
            day,
            partner=partner,
            move_type=move_type,
            lines=[(product or self.fridge, 1, amount)],
            **kw,
        )

    def compute(self, program, start="2026-01-01", end="2026-03-31"):
        return program._calculate_statements(
            date.fromisoformat(start), date.fromisoformat(end)
        )

    def statement(self, rebates, partner=None):
        return rebates.filtered(lambda r: r.partner_id == (partner or self.dealer))


class TestRebateRules(RebateCommon):
    def test_whole_brackets_at_and_across_boundaries(self):
        program = self.program()
        # dealer: 9,000 fridge + 990 cooker (child category) + 500 spare part (out of
        # scope) + 700 display sample (excluded) = 9,990 in scope -> 1% = 99.90
        self.sell("2026-01-10", 9000)
        self.sell("2026-02-10", 990, product=self.cooker)
        self.sell("2026-02-11", 500, product=self.part)
        self.sell("2026-02-12", 700, product=self.sample)
        # dealer2 exactly at 10,000 -> 2% on the whole = 200.00
        self.sell("2026-03-01", 10000, partner=self.dealer2)
        # dealer3: 62,000 - credit note 2,000 = 60,000 -> 3% = 1,800.00
        self.sell("2026-03-02", 62000, partner=self.dealer3)
        self.sell("2026-03-20", 2000, partner=self.dealer3, move_type="out_refund")
        # outside the period: not counted
        self.sell("2026-04-01", 50000, partner=self.dealer2)
        rebates = self.compute(program)
        self.assertEqual(len(rebates), 3)
        mine = self.statement(rebates)
        self.assertAlmostEqual(mine.basis_amount, 9990.0)
        self.assertAlmostEqual(mine.amount, 99.90)
        self.assertEqual(mine.line_count, 2)
        self.assertEqual(mine.next_bracket, 10000.0)
        self.assertAlmostEqual(mine.to_next_bracket, 10.0)
        self.assertTrue(mine.near_next_bracket)  # 10 <= 10% of 10,000
        self.assertAlmostEqual(self.statement(rebates, self.dealer2).amount, 200.0)
        third = self.statement(rebates, self.dealer3)
        self.assertAlmostEqual(third.basis_amount, 60000.0)
        self.assertAlmostEqual(third.amount, 1800.0)
        self.assertEqual(third.line_count, 2)
        self.assertEqual(sorted(third.line_ids.mapped("amount")), [-2000.0, 62000.0])
        self.assertFalse(third.next_bracket)
        self.assertEqual(
            mine.line_ids.move_line_id.move_id.mapped("invoice_date"),
            [date(2026, 1, 10), date(2026, 2, 10)],
        )

    def test_marginal_brackets_and_cap(self):
        program = self.program(bracket_mode="marginal")
        self.sell(
            "2026-01-10", 10000
        )  # exactly at the second bracket: 10,000 x 1% = 100
        self.sell("2026-01-10", 60000, partner=self.dealer2)
        # 10,000 x 1% + 40,000 x 2% + 10,000 x 3% = 100 + 800 + 300 = 1,200
        self.sell("2026-01-10", 9999, partner=self.dealer3)  # 99.99
        rebates = self.compute(program)
        self.assertAlmostEqual(self.statement(rebates).amount, 100.0)
        self.assertAlmostEqual(self.statement(rebates, self.dealer2).amount, 1200.0)
        self.assertAlmostEqual(self.statement(rebates, self.dealer3).amount, 99.99)
        capped = self.program(bracket_mode="marginal", cap_amount=1000, name="Capped")
        second = self.statement(self.compute(capped), self.dealer2)
        self.assertAlmostEqual(second.volume_rebate, 1200.0)
        self.assertAlmostEqual(second.cap_adjustment, -200.0)
        self.assertAlmostEqual(second.amount, 1000.0)

    def test_growth_and_target_bonus(self):
        program = self.program(
            growth_rate=5, target_bonus_type="fixed", target_bonus_amount=500
        )
        self.sell("2025-02-01", 8000)
        self.sell("2026-02-01", 12000)
        self.sell("2025-02-01", 5000, partner=self.dealer2)
        self.sell("2026-02-01", 4000, partner=self.dealer2)
        Target = self.env["dealer.sales.target"]
        for month, amount in (
            ("2026-01-01", 3000),
            ("2026-02-01", 3000),
            ("2026-03-01", 3000),
        ):
            Target.create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": month,
                    "amount": amount,
                }
            )
        Target.create(
            {
                "partner_id": self.dealer2.id,
                "company_id": self.company.id,
                "date_start": "2026-01-01",
                "amount": 5000,
            }
        )
        rebates = self.compute(program)
        mine = self.statement(rebates)
        # volume 12,000 x 2% = 240; growth (12,000 - 8,000) x 5% = 200; target 9,000
        # reached by 12,000: bonus 500 -> 940
        self.assertAlmostEqual(mine.volume_rebate, 240.0)
        self.assertAlmostEqual(mine.growth_rebate, 200.0)
        self.assertAlmostEqual(mine.target_amount, 9000.0)
        self.assertAlmostEqual(mine.target_bonus, 500.0)
        self.assertAlmostEqual(mine.amount, 940.0)
        second = self.statement(rebates, self.dealer2)
        # 4,000 x 1% = 40; no growth (down from 5,000); target 5,000 missed
        self.assertEqual(
            (second.growth_rebate, second.target_bonus, second.amount), (0.0, 0.0, 40.0)
        )
        rated = self.program(
            name="Rate bonus", target_bonus_type="rate", target_bonus_rate=1.5
        )
        # 240 + 1.5% x 12,000 = 180 -> 420
        self.assertAlmostEqual(self.statement(self.compute(rated)).amount, 420.0)

    def test_payment_discipline_at_period_end(self):
        forfeit = self.program(discipline="forfeit", discipline_days=30)
        # due 2026-02-01, paid 2026-04-15: 58 days overdue on 31 March -> forfeited,
        # although it is paid when the statement is computed
        late = self.sell("2026-01-02", 20000, due="2026-02-01")
        self.pay(late, "2026-04-15")
        # dealer2: due 2026-02-01 and paid 2026-03-10 -> in order on 31 March
        paid = self.sell("2026-01-02", 20000, partner=self.dealer2, due="2026-02-01")
        self.pay(paid, "2026-03-10")
        # dealer3: due 2026-03-15, 16 days overdue on 31 March, under 30 -> kept
        self.sell("2026-01-02", 20000, partner=self.dealer3, due="2026-03-15")
        with freeze_time("2026-04-20"):
            rebates = self.compute(forfeit)
        mine = self.statement(rebates)
        self.assertTrue(mine.overdue)
        self.assertAlmostEqual(mine.volume_rebate, 400.0)
        self.assertAlmostEqual(mine.discipline_amount, -400.0)
        self.assertEqual(mine.amount, 0.0)
        self.assertAlmostEqual(self.statement(rebates, self.dealer2).amount, 400.0)
        self.assertAlmostEqual(self.statement(rebates, self.dealer3).amount, 400.0)
        reduce = self.program(
            name="Reduce", discipline="reduce", discipline_days=30, discipline_rate=25
        )
        with freeze_time("2026-04-20"):
            # 400 - 25% = 300
            self.assertAlmostEqual(self.statement(self.compute(reduce)).amount, 300.0)

    def test_quantity_basis(self):
        program = self.program(basis="quantity", brackets=())
        program.bracket_ids = [
            Command.create({"amount_from": 0, "amount_to": 10, "unit_amount": 5}),
            Command.create({"amount_from": 10, "unit_amount": 8}),
        ]
        self.invoice("2026-01-05", lines=[(self.fridge, 12, 100.0)])
        self.invoice(
            "2026-01-06", move_type="out_refund", lines=[(self.fridge, 2, 100.0)]
        )
        # 12 - 2 = 10 units: whole at 8 per unit = 80
        self.assertAlmostEqual(self.statement(self.compute(program)).amount, 80.0)

    def test_foreign_currency_at_its_own_rate(self):
        program = self.program()
        # 30,000 EUR at 2 EUR per company unit = 15,000 -> 2% = 300
        self.sell("2026-02-01", 30000, currency=self.eur)
        mine = self.statement(self.compute(program))
        self.assertAlmostEqual(mine.basis_amount, 15000.0)
        self.assertAlmostEqual(mine.amount, 300.0)

    def test_eligibility(self):
        wholesalers = self.env.ref("dealer_management.scope_level_secondary_wholesaler")
        program = self.program(level_ids=[Command.set(wholesalers.ids)])
        self.sell("2026-01-10", 1000)
        self.sell("2026-01-10", 1000, partner=self.dealer3)
        self.assertEqual(self.compute(program).partner_id, self.dealer3)
        contract_program = self.program(name="Contract", contract_required=True)
        self.assertFalse(self.compute(contract_program))
        self.env["dealer.contract"].sudo().create(
            {  # an expired contract of last year
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "date_start": "2025-07-01",
                "date_end": "2026-02-15",
                "state": "expired",
                "rebate_program_ids": [Command.set(contract_program.ids)],
            }
        )
        self.assertEqual(self.compute(contract_program).partner_id, self.dealer)

    def test_recompute_draft_is_idempotent(self):
        program = self.program()
        self.sell("2026-01-10", 5000)
        first = self.statement(self.compute(program))
        self.assertAlmostEqual(first.amount, 50.0)
        versions = row_versions(first)
        again = self.statement(self.compute(program))
        self.assertEqual(again, first)
        self.assertEqual(row_versions(first), versions)
        self.sell("2026-02-10", 6000)
        self.env.invalidate_all()
        again = self.statement(self.compute(program))
        self.assertEqual(again, first)
        self.assertAlmostEqual(again.amount, 220.0)  # 11,000 x 2%
        self.assertEqual(again.line_count, 2)


class TestRebateSettlements(RebateCommon):
    def approve(self, rebate):
        rebate.with_user(self.manager).action_submit()
        rebate.with_user(self.manager_b).validate_tier()
        self.assertEqual(rebate.state, "approved")

    def settle(self, rebate):
        rebate.with_user(self.accountant).action_settle()

    def test_quarterly_then_annual_without_double_counting(self):
        program = self.program(
            period_type="year",
            settlement_type="quarter",
            brackets=((0, 20000, 1), (20000, 0, 2)),
        )
        self.sell("2026-02-01", 15000)
        q1 = self.compute(program, end="2026-03-31")
        self.assertAlmostEqual(q1.amount, 150.0)  # 15,000 x 1%
        self.approve(q1)
        self.settle(q1)
        # a credit note dated in Q1, issued after Q1 was settled, and Q2 sales
        self.sell("2026-03-20", 5000, move_type="out_refund")
        self.sell("2026-05-01", 10000)
        q2 = self.compute(program, end="2026-06-30")
        # cumulative 15,000 - 5,000 + 10,000 = 20,000 -> 2% = 400, less 150 granted
        self.assertAlmostEqual(q2.basis_amount, 20000.0)
        self.assertAlmostEqual(q2.period_total, 400.0)
        self.assertAlmostEqual(q2.previously_granted, 150.0)
        self.assertAlmostEqual(q2.amount, 250.0)
        self.assertEqual(q2.line_count, 2)  # the credit note and the Q2 invoice
        self.assertEqual(q1.line_count, 1)
        self.assertAlmostEqual(q1.amount, 150.0)
        q3 = self.compute(program, end="2026-09-30")
        self.assertEqual((q3.amount, q3.line_count), (0.0, 0))
        annual = self.compute(program, end="2026-12-31")
        self.assertTrue(annual.is_final)
        self.assertEqual((annual.amount, annual.line_count), (0.0, 0))
        lines = self.env["dealer.rebate.line"].search([("program_id", "=", program.id)])
        self.assertEqual(len(lines), 3)
        self.assertEqual(len(lines.move_line_id), 3)
        self.assertAlmostEqual(sum((q1 | q2 | q3 | annual).mapped("amount")), 400.0)

    def test_credit_note_after_settled_period_adjusts_next_statement(self):
        program = self.program(brackets=((0, 10000, 1), (10000, 0, 2)))
        self.sell("2026-02-01", 10000)
        q1 = self.compute(program)
        self.assertAlmostEqual(q1.amount, 200.0)
        self.approve(q1)
        self.settle(q1)
        self.sell("2026-03-25", 1000, move_type="out_refund")
        self.sell("2026-05-01", 5000)
        q2 = self.compute(program, "2026-04-01", "2026-06-30")
        # Q2: 5,000 x 1% = 50; Q1 again: 9,000 x 1% = 90 instead of 200 -> -110
        self.assertAlmostEqual(q2.period_amount, 50.0)
        self.assertEqual(len(q2.adjustment_ids), 1)
        self.assertEqual(q2.adjustment_ids.period_start, date(2026, 1, 1))
        self.assertAlmostEqual(q2.adjustment_ids.period_total, 90.0)
        self.assertAlmostEqual(q2.adjustment_ids.previously_granted, 200.0)
        self.assertAlmostEqual(q2.adjustment_amount, -110.0)
        self.assertAlmostEqual(q2.amount, -60.0)
        self.assertEqual(q2.line_count, 2)
        # the settled statement did not change
        self.assertEqual((q1.state, q1.amount, q1.line_count), ("settled", 200.0, 1))
        # computing Q2 again finds nothing new
        self.assertAlmostEqual(
            self.compute(program, "2026-04-01", "2026-06-30").amount, -60.0
        )
        # a statement that takes a rebate back is settled by a customer invoice
        self.approve(q2)
        self.settle(q2)
        self.assertEqual(q2.move_id.move_type, "out_invoice")
        self.assertAlmostEqual(q2.move_id.amount_untaxed, 60.0)

    def closed_year(self):
        """A one-year program with 12,000 sold in June, run by the daily job after the
        year closed: its final statement, 12,000 x 2% = 240, is submitted."""
        program = self.program(
            period_type="year", brackets=((0, 10000, 1), (10000, 0, 2))
        )
        self.sell("2026-06-01", 12000)
        self.job("2027-01-05")
        final = self.env["dealer.rebate"].search([("program_id", "=", program.id)])
        self.assertEqual(
            (final.partner_id, final.state, final.amount, final.is_final),
            (self.dealer, "to_approve", 240.0, True),
        )
        return program, final

    def job(self, day):
        with freeze_time(day):
            self.env["dealer.rebate.program"]._cron_period_end(companies=self.company)

    def test_credit_note_after_the_last_period_goes_to_a_closing_statement(self):
        program, final = self.closed_year()
        Rebate = self.env["dealer.rebate"]
        final.with_user(self.manager_b).validate_tier()
        self.settle(final)
        # a credit note dated in December, posted after the settlement: no statement of
        # the program is left to carry it
        self.sell("2026-12-20", 3000, move_type="out_refund")
        self.job("2027-01-20")
        closing = Rebate.search(
            [("program_id", "=", program.id), ("is_closing", "=", True)]
        )
        # the year again: 9,000 x 1% = 90 instead of the 240 granted -> -150
        self.assertEqual(
            (closing.partner_id, closing.state, closing.date_to),
            (self.dealer, "to_approve", date(2027, 1, 20)),
        )
        self.assertEqual(
            (closing.period_amount, closing.adjustment_amount, closing.amount),
            (0.0, -150.0, -150.0),
        )
        self.assertEqual(
            (
                closing.adjustment_ids.period_total,
                closing.adjustment_ids.previously_granted,
            ),
            (90.0, 240.0),
        )
        self.assertEqual(closing.line_ids.move_id.move_type, "out_refund")
        self.assertEqual(closing.line_ids.amount, -3000.0)
        self.assertEqual(
            (final.state, final.amount, final.line_count), ("settled", 240.0, 1)
        )
        self.assertIn(
            "Rebate statements to approve: Volume Rebate 2026 to 2027-01-20",
            program.activity_ids.mapped("summary"),
        )
        # the job again, the same day and the next: nothing changes
        statements = Rebate.search([("program_id", "=", program.id)])
        versions = row_versions(statements)
        for day in ("2027-01-20", "2027-01-21"):
            self.job(day)
        self.assertEqual(Rebate.search([("program_id", "=", program.id)]), statements)
        self.assertEqual(row_versions(statements), versions)
        # another credit note while the closing statement waits for approval: a second
        # closing statement. 8,000 x 1% = 80; granted 240 - 150 = 90 -> -10
        refund = self.sell("2026-11-10", 1000, move_type="out_refund")
        self.job("2027-01-22")
        second = Rebate.search(
            [
                ("program_id", "=", program.id),
                ("is_closing", "=", True),
                ("date_to", "=", "2027-01-22"),
            ]
        )
        self.assertEqual(
            (second.state, second.amount, second.line_count), ("to_approve", -10.0, 1)
        )
        self.assertEqual(second.line_ids.amount, -1000.0)
        self.assertEqual(closing.line_count, 1)
        # back to draft, and its credit note cancelled: the closing draft goes
        second.with_user(self.manager).action_reset_draft()
        refund.button_draft()
        refund.button_cancel()
        self.job("2027-01-23")
        self.assertFalse(second.exists())
        self.assertEqual(Rebate.search_count([("program_id", "=", program.id)]), 2)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("dealer_management.dealer_rebate_report", closing.ids)[0]
            .decode()
        )
        self.assertIn("Closing Adjustments", html)
        self.assertIn(closing.line_ids.move_id.name, html)
        # approved and settled: a customer invoice takes the 150 back
        closing.with_user(self.manager_b).validate_tier()
        self.settle(closing)
        self.assertEqual(
            (closing.move_id.move_type, closing.move_id.amount_untaxed),
            ("out_invoice", 150.0),
        )

    def test_a_statement_that_later_ones_build_on_does_not_change(self):
        program, final = self.closed_year()
        Rebate = self.env["dealer.rebate"]
        self.sell("2026-12-20", 3000, move_type="out_refund")
        self.job("2027-01-20")
        first = Rebate.search(
            [("program_id", "=", program.id), ("is_closing", "=", True)]
        )
        self.assertEqual((first.state, first.amount), ("to_approve", -150.0))
        self.sell("2026-11-10", 1000, move_type="out_refund")
        self.job("2027-01-22")
        second = Rebate.search(
            [("program_id", "=", program.id), ("date_to", "=", "2027-01-22")]
        )
        self.assertEqual(second.amount, -10.0)
        # the final statement and the first closing one: later ones stand on them
        manager = self.manager
        for rebate in (final, first):
            with self.refused(UserError, "builds on it"):
                rebate.with_user(manager).action_reset_draft()
            with self.refused(UserError, "builds on it"):
                rebate.with_user(manager).action_cancel()
        # undone from the latest: both closing statements back to draft
        second.with_user(manager).action_reset_draft()
        first.with_user(manager).action_reset_draft()
        # Recompute on a closing draft keeps it a closing statement, as of its own end
        # (sales after the program's end are not its own): the year again, 8,000 x 1% =
        # 80 instead of 240 -> -160, and the second one, carried by it, goes
        self.sell("2027-01-10", 5000)
        with freeze_time("2027-01-23"):
            self.env["dealer.rebate.program"].with_user(manager)._recompute_statements(
                first
            )
        self.assertEqual(
            (first.state, first.date_to, first.period_amount, first.amount),
            ("draft", date(2027, 1, 20), 0.0, -160.0),
        )
        self.assertEqual(sorted(first.line_ids.mapped("amount")), [-3000.0, -1000.0])
        self.assertFalse(second.exists())
        self.job("2027-01-23")
        self.assertEqual((first.state, first.amount), ("to_approve", -160.0))
        # the final statement once nothing stands on it: computed again over the year
        # with both credit notes (80), and the closing draft it now covers goes
        first.with_user(manager).action_reset_draft()
        final.with_user(manager).action_reset_draft()
        self.job("2027-01-24")
        self.assertEqual(
            (final.state, final.amount, final.line_count), ("to_approve", 80.0, 3)
        )
        self.assertFalse(first.exists())
        self.assertEqual(Rebate.search([("program_id", "=", program.id)]), final)

    def test_only_statements_that_build_on_one_hold_it_back(self):
        program = self.program()
        manager = self.manager
        self.sell("2026-02-01", 5000)
        q1 = self.compute(program)
        q1.with_user(manager).action_submit()
        self.sell("2026-05-01", 5000)
        q2 = self.compute(program, "2026-04-01", "2026-06-30")
        q2.with_user(manager).action_submit()
        # Q2 neither deducts nor adjusts anything of Q1: Q1 may go back to draft
        q1.with_user(manager).action_reset_draft()
        self.assertEqual(q1.state, "draft")
        q1.with_user(manager).action_submit()
        # a credit note dated in Q1, and Q2 computed again: it adjusts Q1 (4,000 x 1% =
        # 40 instead of 50 -> -10), so Q1 stays as it is while Q2 is submitted
        q2.with_user(manager).action_reset_draft()
        self.sell("2026-03-01", 1000, move_type="out_refund")
        q2 = self.compute(program, "2026-04-01", "2026-06-30")
        self.assertEqual(
            (q2.period_amount, q2.adjustment_amount, q2.amount), (50.0, -10.0, 40.0)
        )
        q2.with_user(manager).action_submit()
        with self.refused(UserError, "builds on it"):
            q1.with_user(manager).action_reset_draft()
        with self.refused(UserError, "builds on it"):
            q1.with_user(manager).action_cancel()
        self.assertEqual(q1.state, "to_approve")

    def test_approval_rights_and_self_approval(self):
        program = self.program(second_approval_amount=1000)
        self.sell("2026-01-10", 10000)
        self.sell("2026-01-10", 60000, partner=self.dealer2)
        rebates = self.compute(program)
        small, large = self.statement(rebates), self.statement(rebates, self.dealer2)
        self.assertEqual((small.amount, large.amount), (200.0, 1800.0))
        with self.refused(AccessError, "Dealer Manager"):
            small.with_user(self.salesperson).action_submit()
        with self.refused(UserError, "Approve: the statement"):
            small.with_user(self.manager).action_approve()
        (small | large).with_user(self.manager).action_submit()
        self.assertEqual(small.submitted_uid, self.manager)
        with self.refused(UserError, "he created or submitted"):
            small.with_user(self.manager).validate_tier()
        with self.refused(AccessError, "Dealer Manager"):
            small.with_user(self.accountant).validate_tier()
        # approving without the reviews given: the reviews are checked at the click
        with self.refused(UserError, "is not approved yet"):
            small.with_user(self.manager_b).action_approve()
        self.assertEqual(small.state, "to_approve")
        small.with_user(self.manager_b).validate_tier()
        self.assertEqual(small.state, "approved")
        self.assertEqual(small.approved_uid, self.manager_b)
        self.assertTrue(small.approved_date)
        # statements change through their buttons only (an approved one is frozen, a
        # draft cannot be approved by writing its state), and the rules that explain
        # submitted statements are frozen too
        with self.refused(UserError, "not edited"):
            small.with_user(self.manager_b).write({"amount": 1.0})
        with self.refused(UserError, "not edited"):
            large.with_user(self.manager_b).write({"state": "approved"})
        with self.refused(UserError, "not edited"):
            small.with_user(self.accountant).write({"state": "draft"})
        with self.refused(UserError, "cannot change once"):
            program.write({"growth_rate": 3.0})
        with self.refused(UserError, "cannot change once"):
            program.bracket_ids[0].rate = 5.0
        # above 1,000: the manager's approval, then the director's
        self.assertTrue(large.needs_second_approval)
        self.assertEqual(len(large.review_ids), 2)
        large.with_user(self.manager_b).validate_tier()
        self.assertEqual(large.state, "to_approve")
        with self.refused(UserError, "another person"):
            large.with_user(self.manager_b).validate_tier()
        large.with_user(self.director).validate_tier()
        self.assertEqual(large.state, "approved")
        self.assertEqual(large.approved_uid, self.director)
        self.assertEqual(
            set(large.review_ids.mapped("done_by")), {self.manager_b, self.director}
        )

    def test_director_gives_one_approval_per_click(self):
        program = self.program(second_approval_amount=100)
        self.sell("2026-01-10", 60000)
        rebate = self.compute(program)
        rebate.with_user(self.manager).action_submit()
        rebate.with_user(self.director).validate_tier()
        self.assertEqual(rebate.state, "to_approve")
        with self.refused(UserError, "another person"):
            rebate.with_user(self.director).validate_tier()

    def test_forged_reviews_leave_the_statement_awaiting_the_director(self):
        """Issue 22's forgery: the director's review written by a salesperson or a
        manager is refused; the manager's own approval leaves the statement awaiting
        approval until the director approves himself; a rejected statement is
        approved by nobody."""
        program = self.program(second_approval_amount=100)
        self.sell("2026-01-10", 60000)
        rebate = self.compute(program)
        rebate.with_user(self.manager).action_submit()
        reviews = rebate.review_ids
        self.assertEqual(len(reviews), 2)
        director_review = reviews.filtered(
            lambda r: self.director in r.definition_id.reviewer_group_id.users
            and self.manager_b not in r.definition_id.reviewer_group_id.users
        )
        self.assertEqual(len(director_review), 1)
        for forger in (self.salesperson, self.manager, self.manager_b):
            forged = director_review.with_user(forger)
            with self.refused(AccessError, "reviews are not created, changed"):
                forged.write({"status": "approved", "done_by": self.director.id})
            with self.refused(AccessError, "reviews are not created, changed"):
                forged.unlink()
            with self.refused(AccessError, "with their buttons"):
                rebate.with_user(forger).restart_validation()
        self.assertEqual(director_review.status, "waiting")
        rebate.with_user(self.manager_b).validate_tier()
        self.assertEqual(
            (rebate.state, rebate.validation_status), ("to_approve", "pending")
        )
        with self.refused(UserError, "is not approved yet"):
            rebate.with_user(self.manager_b).action_approve()
        self.assertEqual(rebate.state, "to_approve")
        rebate.with_user(self.director).validate_tier()
        self.assertEqual(
            (rebate.state, rebate.approved_uid), ("approved", self.director)
        )
        self.assertEqual(rebate.review_uids, self.manager_b | self.director)

    def test_a_rejected_statement_is_approved_by_nobody(self):
        program = self.program(second_approval_amount=100)
        self.sell("2026-01-10", 60000)
        rebate = self.compute(program)
        rebate.with_user(self.manager).action_submit()
        rebate.with_user(self.manager_b).reject_tier()
        self.assertEqual(rebate.validation_status, "rejected")
        with self.refused(UserError, "was rejected"):
            rebate.with_user(self.director).validate_tier()
        with self.refused(UserError, "was rejected"):
            rebate.with_user(self.director).reject_tier()
        with self.refused(UserError, "is not approved yet"):
            rebate.with_user(self.director).action_approve()
        self.assertEqual(rebate.state, "to_approve")

    def test_settlement_credit_note_with_taxes_once(self):
        program = self.program()
        self.sell("2026-01-10", 60000, taxes=self.vat13)
        rebate = self.compute(program)
        self.assertAlmostEqual(rebate.amount, 1800.0)
        with self.refused(UserError, "Settle: the statement"):
            rebate.with_user(self.accountant).action_settle()
        self.approve(rebate)
        with self.refused(AccessError, "Dealer Accountant"):
            rebate.with_user(self.manager_b).action_settle()
        self.settle(rebate)
        move = rebate.move_id
        self.assertEqual(
            (rebate.state, rebate.settled_uid), ("settled", self.accountant)
        )
        self.assertEqual((move.move_type, move.state), ("out_refund", "posted"))
        self.assertEqual(move.dealer_rebate_id, rebate)
        self.assertEqual(move.partner_id, self.dealer)
        self.assertEqual(move.invoice_line_ids.product_id, self.rebate_product)
        self.assertEqual(move.invoice_line_ids.tax_ids, self.vat13)
        # 1,800 + 13% VAT 234 = 2,034
        self.assertAlmostEqual(move.amount_untaxed, 1800.0)
        self.assertAlmostEqual(move.amount_tax, 234.0)
        self.assertAlmostEqual(move.amount_total, 2034.0)
        with self.refused(UserError, "Settle: the statement"):
            rebate.with_user(self.accountant).action_settle()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("dealer_rebate_id", "=", rebate.id)]
            ),
            1,
        )
        # its credit note stays posted as it was made
        with self.refused(UserError, "it stays posted as it was made"):
            move.sudo().button_draft()
        # nobody links a journal entry to a statement but its Settle button
        with self.refused(AccessError, "by their Settle button only"):
            move.copy({"dealer_rebate_id": rebate.id})
        # and even past both checks, the database takes one document per statement
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            move.sudo().copy({"dealer_rebate_id": rebate.id})
            self.env.flush_all()
        with self.refused(UserError, "Only draft"):
            rebate.unlink()

    def test_bad_input(self):
        with self.refused(ValidationError, "overlap"):
            self.program(brackets=((0, 10000, 1), (5000, 0, 2)))
        with self.refused(ValidationError, "negative"):
            self.program(brackets=((0, 0, -1),))
        with self.refused(ValidationError, "below zero"):
            self.program(cap_amount=-1)
        with self.refused(ValidationError, "no scope"):
            self.program(categ_ids=[], exclude_product_ids=[])
        with self.refused(ValidationError, "needs a period"):
            self.program(period_type=False)
        with self.refused(ValidationError, "needs a period"):
            self.program(date_end=False)

    def test_period_end_cron_and_activities(self):
        program = self.program()
        self.sell("2026-01-10", 60000)
        self.sell("2026-01-10", 50, partner=self.dealer2)  # 0.50 rebate
        self.sell("2026-04-10", 9500, partner=self.dealer3)
        Rebate = self.env["dealer.rebate"]
        # during Q1: drafts earned to date (the invoices of April are not there yet)
        with freeze_time("2026-03-15"):
            self.env["dealer.rebate.program"]._cron_period_end(companies=self.company)
        draft = Rebate.search(
            [("program_id", "=", program.id), ("partner_id", "=", self.dealer.id)]
        )
        self.assertEqual((draft.state, draft.amount), ("draft", 1800.0))  # 60,000 x 3%
        self.sell("2026-03-20", 5000)
        with freeze_time("2026-04-15"):
            self.env["dealer.rebate.program"]._cron_period_end(companies=self.company)
        q1 = Rebate.search(
            [("program_id", "=", program.id), ("date_to", "=", "2026-03-31")]
        )
        self.assertEqual(sorted(q1.mapped("state")), ["to_approve", "to_approve"])
        # the Q1 draft was computed again over the whole quarter: 65,000 x 3% = 1,950
        self.assertEqual(
            (draft.state, draft.amount, draft.line_count), ("to_approve", 1950.0, 2)
        )
        self.assertEqual(len(q1.review_ids), 2)
        managers = program.activity_ids.user_id
        self.assertIn(self.manager, managers)
        self.assertIn(self.director, managers)
        # earned to date: Q2 draft of dealer3, 500 under the next bracket
        open_q2 = Rebate.search(
            [("program_id", "=", program.id), ("state", "=", "draft")]
        )
        self.assertEqual(open_q2.partner_id, self.dealer3)
        self.assertEqual((open_q2.amount, open_q2.to_next_bracket), (95.0, 500.0))
        self.assertTrue(open_q2.near_next_bracket)
        self.env.flush_all()
        stamps = Rebate.search([("program_id", "=", program.id)]).mapped("write_date")
        count = len(program.activity_ids)
        with freeze_time("2026-04-15"):
            self.env["dealer.rebate.program"]._cron_period_end(companies=self.company)
        self.env.flush_all()
        self.assertEqual(
            Rebate.search([("program_id", "=", program.id)]).mapped("write_date"),
            stamps,
        )
        self.assertEqual(len(program.activity_ids), count)

    def test_salesperson_reads_only_his_dealers(self):
        program = self.program()
        self.sell("2026-01-10", 1000)
        self.sell("2026-01-10", 1000, partner=self.dealer3)
        self.compute(program)
        visible = (
            self.env["dealer.rebate"]
            .with_user(self.salesperson)
            .search([("program_id", "=", program.id)])
        )
        self.assertEqual(visible.partner_id, self.dealer)
        self.assertEqual(
            len(
                self.env["dealer.rebate.line"]
                .with_user(self.salesperson)
                .search([("program_id", "=", program.id)])
            ),
            1,
        )
        with self.refused(AccessError, ""):
            visible.with_user(self.salesperson).write({"state": "cancel"})

    def test_statement_reports_in_chinese_and_english_and_xlsx(self):
        import io

        import openpyxl

        program = self.program()
        self.sell("2026-01-10", 9000)
        self.sell("2026-02-10", 1000, move_type="out_refund")
        rebate = self.compute(program)
        self.assertAlmostEqual(rebate.amount, 80.0)  # 8,000 x 1%
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(
            "dealer_management.dealer_rebate_report", rebate.ids
        )[0].decode()
        self.assertIn("Rebate Statement", html)
        self.assertIn("Counted Invoice Lines", html)
        self.assertIn(rebate.line_ids[0].move_id.name, html)
        self.load_zh_cn()
        self.dealer.lang = "zh_CN"
        html = Report._render_qweb_html(
            "dealer_management.dealer_rebate_report", rebate.ids
        )[0].decode()
        self.assertIn("返利结算单", html)
        self.assertIn("计入的发票行", html)
        content, kind = Report.with_user(self.accountant)._render_xlsx(
            "dealer_management.dealer_rebate_xlsx", rebate.ids, {}
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        statements, lines = book.worksheets
        self.assertEqual(statements.freeze_panes, "A2")
        self.assertTrue(lines.auto_filter.ref)
        self.assertEqual(statements["A2"].value, rebate.name)
        self.assertEqual(statements["D2"].value.date(), date(2026, 1, 1))
        self.assertEqual(statements["P2"].value, 80.0)
        self.assertEqual(lines.max_row, 3)
        self.assertEqual(
            sorted(lines.cell(row, 8).value for row in (2, 3)), [-1000.0, 9000.0]
        )
        self.assertEqual(lines["C2"].number_format, "yyyy-mm-dd")

    def test_invoice_moved_out_of_a_settled_period_is_adjusted(self):
        program = self.program(brackets=((0, 10000, 1), (10000, 0, 2)))
        self.sell("2026-02-01", 8000)
        moved = self.sell("2026-03-01", 3000)
        q1 = self.compute(program)
        self.assertAlmostEqual(q1.amount, 220.0)  # 11,000 x 2%
        self.approve(q1)
        with freeze_time(
            "2026-04-20"
        ):  # the settlement is dated inside the windows below
            self.settle(q1)
        self.assertEqual(str(q1.move_id.invoice_date), "2026-04-20")
        # the March invoice is reset to draft, dated in April and posted again
        moved.button_draft()
        moved.invoice_date = "2026-04-05"
        moved.action_post()
        q2 = self.compute(program, "2026-04-01", "2026-06-30")
        # Q2: 3,000 x 1% = 30; Q1 again: 8,000 x 1% = 80 instead of 220 -> -140
        self.assertAlmostEqual(q2.period_amount, 30.0)
        self.assertAlmostEqual(q2.adjustment_ids.period_total, 80.0)
        self.assertAlmostEqual(q2.adjustment_amount, -140.0)
        self.assertAlmostEqual(q2.amount, -110.0)
        self.assertEqual(q2.line_ids.move_id, moved)
        # the settlement credit note (dated today) is no sale: a program whose scope
        # holds the rebate product does not count it, nor do the sales targets
        settlement_day = q1.move_id.invoice_date
        wide = self.program(
            name="Wide",
            categ_ids=[],
            product_ids=[Command.set(self.rebate_product.ids)],
            date_end=str(settlement_day.replace(month=12, day=31)),
            date_start=str(settlement_day.replace(month=1, day=1)),
            period_type="year",
        )
        self.assertFalse(
            self.compute(
                wide,
                str(settlement_day.replace(month=1, day=1)),
                str(settlement_day.replace(month=12, day=31)),
            )
        )
        targets = self.env["dealer.sales.target"]._achieved_amounts(
            self.company, self.dealer.ids, date(2026, 1, 1), date(2026, 12, 31)
        )
        self.assertAlmostEqual(
            targets[self.dealer.id], 11000.0
        )  # the 220 credit note not deducted

    def test_settlement_with_a_tax_included_in_prices(self):
        program = self.program()
        self.sell("2026-01-10", 60000, taxes=self.vat13)
        rebate = self.compute(program)
        self.vat13.price_include_override = "tax_included"
        self.approve(rebate)
        self.settle(rebate)
        # the untaxed rebate stays 1,800: the line's price is 2,034 with the VAT in it
        self.assertAlmostEqual(rebate.move_id.amount_untaxed, 1800.0)
        self.assertAlmostEqual(rebate.move_id.amount_total, 2034.0)

    def tax(self, rate, **vals):
        return self.env["account.tax"].create(
            {
                "name": f"VAT {rate:g}%",
                "amount": rate,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": self.company.id,
                **vals,
            }
        )

    def test_settlement_carries_the_taxes_of_the_counted_sales(self):
        """Issue 23: a rebate reduces the sales it counts, so its credit note carries
        their VAT, split pro rata of their untaxed amounts, not the rebate product's
        taxes (here 13%, deliberately unlike the sales' 9% below)."""
        vat9 = self.tax(9.0)
        program = self.program()
        self.sell("2026-01-10", 35000, taxes=self.vat13)
        self.sell("2026-02-10", 25000, taxes=vat9)
        self.sell("2026-02-11", 1000, product=self.sample, taxes=vat9)  # not counted
        rebate = self.compute(program)
        # 60,000 counted at 3%: 1,800 = 1,050 (35,000 at 13%) + 750 (25,000 at 9%)
        self.assertEqual(rebate.amount, 1800.0)
        self.approve(rebate)
        self.settle(rebate)
        lines = rebate.move_id.invoice_line_ids
        self.assertEqual(
            sorted((line.tax_ids.name, line.price_subtotal) for line in lines),
            [("VAT 13%", 1050.0), ("VAT 9%", 750.0)],
        )
        self.assertEqual(lines.product_id, self.rebate_product)
        # 1,050 x 13% = 136.50; 750 x 9% = 67.50
        self.assertEqual(
            (rebate.move_id.amount_untaxed, rebate.move_id.amount_tax),
            (1800.0, 204.0),
        )

    def test_settlement_of_sales_of_one_tax_and_the_fiscal_position(self):
        vat9, vat0 = self.tax(9.0), self.tax(0.0)
        program = self.program()
        self.sell("2026-01-10", 20000, taxes=vat9)
        self.sell("2026-01-11", 20000, partner=self.dealer2, taxes=vat9)
        rebates = self.compute(program)
        first, second = self.statement(rebates), self.statement(rebates, self.dealer2)
        # the second dealer exports: his fiscal position maps 9% to 0%
        self.dealer2.with_company(self.company).property_account_position_id = self.env[
            "account.fiscal.position"
        ].create(
            {
                "name": "出口 Export",
                "company_id": self.company.id,
                "tax_ids": [
                    Command.create({"tax_src_id": vat9.id, "tax_dest_id": vat0.id})
                ],
            }
        )
        for rebate in (first, second):
            self.approve(rebate)
            self.settle(rebate)
        # 20,000 at 2% = 400, one line of the sales' one tax
        self.assertEqual(
            [
                (line.tax_ids, line.price_subtotal)
                for line in first.move_id.invoice_line_ids
            ],
            [(vat9, 400.0)],
        )
        self.assertEqual(first.move_id.amount_tax, 36.0)
        self.assertEqual(
            [
                (line.tax_ids, line.price_subtotal)
                for line in second.move_id.invoice_line_ids
            ],
            [(vat0, 400.0)],
        )
        self.assertEqual(second.move_id.amount_tax, 0.0)

    def test_reset_to_draft_and_submit_again(self):
        program = self.program()
        self.sell("2026-01-10", 10000)
        rebate = self.compute(program)
        rebate.with_user(self.manager).action_submit()
        rebate.with_user(self.manager_b).reject_tier()
        self.assertEqual(rebate.validation_status, "rejected")
        rebate.with_user(self.manager).action_reset_draft()
        self.assertEqual((rebate.state, rebate.review_ids.ids), ("draft", []))
        rebate.with_user(self.manager).action_submit()
        rebate.with_user(self.manager_b).validate_tier()
        self.assertEqual(rebate.state, "approved")

    def test_open_period_job_computes_the_current_statement_only(self):
        program = self.program(period_type="year", settlement_type="quarter")
        self.sell("2026-04-10", 1000)
        with freeze_time("2026-05-01"):
            self.env["dealer.rebate.program"]._cron_period_end(companies=self.company)
        rebates = self.env["dealer.rebate"].search([("program_id", "=", program.id)])
        # Q1 closed with nothing to submit (no sale) stays a draft of 0;
        # Q2 earned to date
        self.assertEqual(
            sorted(str(d) for d in rebates.mapped("date_to")), ["2026-06-30"]
        )
        self.assertAlmostEqual(rebates.amount, 10.0)
