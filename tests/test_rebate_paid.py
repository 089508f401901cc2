# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebates on paid sales (按回款返利): a line counts when, and in the share in which,
its invoice is paid; a credit note when it is applied; a payment undone later is an
adjustment of the next statement. Every figure worked out by hand in the comments."""

from freezegun import freeze_time

from .test_rebate import RebateCommon


@freeze_time("2026-07-15")
class TestRebatePaid(RebateCommon):
    def paid_program(self):
        return self.program(sales_basis="paid")

    def test_partial_payments_count_in_their_periods(self):
        program = self.paid_program()
        # 10,000 invoiced in January: 4,000 paid in February (Q1), 6,000 in April
        invoice = self.sell("2026-01-10", 10000)
        self.pay(invoice, "2026-02-15", 4000)
        self.pay(invoice, "2026-04-10", 6000)
        # an invoice of March never paid counts nowhere
        self.sell("2026-03-01", 30000)
        q1 = self.statement(self.compute(program))
        self.assertEqual((q1.basis_amount, q1.amount), (4000.0, 40.0))  # 1 %
        q2 = self.statement(self.compute(program, "2026-04-01", "2026-06-30"))
        self.assertEqual((q2.basis_amount, q2.amount), (6000.0, 60.0))
        # each counted line says the payment that made it count, and when
        line = q1.line_ids
        self.assertEqual(
            (line.move_id, line.amount, str(line.date)),
            (invoice, 4000.0, "2026-02-15"),
        )
        self.assertEqual(line.partial_id.debit_move_id.move_id, invoice)
        self.assertEqual(q2.line_ids.amount, 6000.0)

    def test_a_credit_note_counts_when_applied(self):
        program = self.paid_program()
        # 5,000 invoiced; a credit note of 1,000 applied to it in March; 4,000 paid in
        # March: 1,000 + 4,000 of the invoice - 1,000 of the credit note = 4,000 paid
        invoice = self.sell("2026-02-01", 5000)
        refund = self.sell("2026-03-05", 1000, move_type="out_refund")
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.pay(invoice, "2026-03-20", 4000)
        q1 = self.statement(self.compute(program))
        self.assertEqual((q1.basis_amount, q1.amount), (4000.0, 40.0))
        self.assertEqual(
            sorted(q1.line_ids.mapped("amount")), [-1000.0, 1000.0, 4000.0]
        )

    def test_a_payment_undone_later_is_an_adjustment(self):
        program = self.paid_program()
        invoice = self.sell("2026-01-10", 10000)
        payment = self.pay(invoice, "2026-02-15", 4000)
        q1 = self.statement(self.compute(program))
        q1.with_user(self.manager).action_submit()
        q1.with_user(self.manager_b).validate_tier()
        self.assertEqual((q1.state, q1.amount), ("approved", 40.0))
        # in May the February payment bounces: undone; 6,000 paid in June
        payment.move_id.line_ids.remove_move_reconcile()
        self.pay(invoice, "2026-06-10", 6000)
        q2 = self.statement(self.compute(program, "2026-04-01", "2026-06-30"))
        # Q2: 6,000 -> 60.00; Q1 again: nothing paid -> 0, granted 40.00 -> -40.00
        self.assertEqual(q2.period_amount, 60.0)
        self.assertEqual(q2.adjustment_ids.mapped("amount"), [-40.0])
        self.assertEqual(q2.amount, 20.0)
        self.assertEqual(q1.amount, 40.0)  # the approved statement stays as it was

    def test_targets_on_paid_sales(self):
        self.company.dealer_target_source = "paid"
        invoice = self.sell("2026-01-10", 10000)
        self.pay(invoice, "2026-02-15", 4000)
        target = self.env["dealer.sales.target"].create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "period_type": "quarter",
                "date_start": "2026-01-01",
                "amount": 8000,
            }
        )
        target._refresh_achievement()
        # 4,000 of the 10,000 invoiced was paid in the quarter: 50 % of 8,000
        self.assertEqual((target.achieved_amount, target.achievement), (4000.0, 50.0))
        self.company.dealer_target_source = "invoice"
        target._refresh_achievement()
        self.assertEqual(target.achieved_amount, 10000.0)
