# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One definition of every business figure (issue 15): on a dataset built for it, each
feature shows the measurement layer's net sales and receivables, and the layer shows
the figures worked out by hand below."""

import importlib.util
import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import file_path

from odoo.addons.dealer_management.models.dealer_tier_run import BASIS_NOTE_PARAM

from .test_rebate import RebateCommon

START, END = date(2026, 4, 1), date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestOneDefinition(RebateCommon):
    """Dealer D (shared by two companies) and its invoicing contact, Q2 2026:

    sales (company 1, untaxed, company currency USD)
      10 Apr invoice to D          1,000   due 10 Apr
       5 May invoice to the contact  400   due  5 May
      20 May credit note to D       -150   (a return; left open)
       1 Jun invoice in EUR 600 at 2 EUR/USD = 300   due 1 Jun
      25 Jun rebate credit note     (-200)  settles a statement: no sale
      26 Jun rebate claw-back invoice (80) takes a rebate back: no sale
      company 2: an invoice of 5,000 to D   another company: not counted
      net sales = 1,000 + 400 - 150 + 300 = 1,550; invoiced 1,700, credited 150

    receivables on 30 June (company 1)
      the 10 Apr invoice, 600 paid on 15 Jun: 400 open, 81 days late (61-90)
      the 5 May invoice, paid in full on 10 Jul (later): 400 open, 56 days (31-60)
      the EUR invoice: 300, 29 days (1-30); the claw-back: 80, 4 days (1-30)
      open credits, not due: the credit note -150, the rebate credit note -200, an
      unapplied payment of 20 Jun -100
      open 730, overdue 1,180, oldest 81 days, not due -450, 1-30 380, 31-60 400,
      61-90 400, 90+ 0
    receivables on 15 July: the 5 May invoice is paid: open 330, overdue 780"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Measure Company 2")["company"]
        Partner = cls.env["res.partner"].sudo()
        cls.shared = Partner.create(
            {
                "name": "Shared Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "general_distributor",
                "dealer_status": "active",
                "dealer_since": "2020-01-01",
                "user_id": cls.salesperson.id,
                "credit_limit": 1000.0,
            }
        )
        cls.contact = Partner.create(
            {"name": "Invoicing Contact", "type": "invoice", "parent_id": cls.shared.id}
        )
        D = cls.shared

        def sale(day, amount, **kw):
            return cls.invoice(
                day, partner=kw.pop("partner", D), lines=[(cls.fridge, 1, amount)], **kw
            )

        cls.inv_april = sale("2026-04-10", 1000)
        cls.inv_may = sale("2026-05-05", 400, partner=cls.contact)
        cls.refund = sale("2026-05-20", 150, move_type="out_refund")
        cls.inv_eur = sale("2026-06-01", 600, currency=cls.eur)
        program = cls.program()
        Rebate = cls.env["dealer.rebate"].sudo()
        settled = [
            Rebate.create(
                {
                    "partner_id": D.id,
                    "company_id": cls.company.id,
                    "program_id": program.id,
                    "period_start": "2026-01-01",
                    "period_end": "2026-03-31",
                    "date_to": end,
                    "name": name,
                }
            )
            for name, end in (("RB/T/1", "2026-03-31"), ("RB/T/2", "2026-02-28"))
        ]
        cls.rebate_refund = sale("2026-06-25", 200, move_type="out_refund")
        cls.clawback = sale("2026-06-26", 80)
        cls.rebate_refund.sudo().dealer_rebate_id = settled[0]
        cls.clawback.sudo().dealer_rebate_id = settled[1]
        cls.invoice("2026-05-15", 5000, partner=D, company=cls.company_2)
        cls.pay(cls.inv_april, "2026-06-15", amount=600)
        cls.pay(cls.inv_may, "2026-07-10")
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": D.id,
                "amount": 100.0,
                "date": "2026-06-20",
            }
        )
        payment.action_post()
        cls.Measure = cls.env["dealer.measure"]

    # -------------------------------------------------------------- the layer

    def test_the_layer_by_hand(self):
        D = self.shared.id
        self.assertEqual(
            self.Measure._net_sales(self.company, [D], START, END), {D: 1550.0}
        )
        self.assertEqual(
            self.Measure._sales_by_type(self.company, [D], START, END),
            {D: (1700.0, 150.0)},
        )
        self.assertEqual(
            self.Measure._net_sales(self.company_2, [D], START, END), {D: 5000.0}
        )
        on_end = self.Measure._receivables(self.company, [D], END, buckets=True)[D]
        self.assertEqual(
            tuple(on_end[:8]), (730.0, 1180.0, 81, -450.0, 380.0, 400.0, 400.0, 0.0)
        )
        self.assertEqual(
            set(on_end.move_ids),
            set((self.inv_april | self.inv_may | self.inv_eur | self.clawback).ids),
        )
        later = self.Measure._receivables(self.company, [D], date(2026, 7, 15))[D]
        self.assertEqual((later.open, later.overdue), (330.0, 780.0))

    # -------------------------------------------------------- every consumer

    def test_tier_run_basis(self):
        run = self.env["dealer.tier.run"].create(
            {"company_id": self.company.id, "date_to": END, "window_months": 3}
        )
        self.assertEqual(run.date_from, START)
        self.env.cr.execute(run._basis_sql())
        self.assertEqual(dict(self.env.cr.fetchall())[self.shared.id], 1550.0)
        with freeze_time("2026-07-01"):
            run.sudo()._classify()  # as the monthly job does
        line = run.line_ids.filtered(lambda line: line.partner_id == self.shared)
        self.assertEqual(line.basis_amount, 1550.0)

    def test_rebate_statement_and_its_counted_lines(self):
        program = self.program(
            name="Q2 Rebate", partner_ids=[Command.set(self.shared.ids)]
        )
        rebate = self.statement(
            self.compute(program, "2026-04-01", "2026-06-30"), self.shared
        )
        self.assertEqual(rebate.net_amount, 1550.0)
        self.assertAlmostEqual(sum(rebate.line_ids.mapped("amount")), 1550.0)
        self.assertNotIn(self.rebate_refund, rebate.line_ids.move_id)
        self.assertNotIn(self.clawback, rebate.line_ids.move_id)

    def test_sales_target_and_evaluation_measures(self):
        target = self.env["dealer.sales.target"].create(
            {
                "partner_id": self.shared.id,
                "company_id": self.company.id,
                "period_type": "quarter",
                "date_start": START,
                "amount": 3100,
            }
        )
        with freeze_time("2026-07-01"):
            target.action_refresh()
        self.assertEqual((target.achieved_amount, target.achievement), (1550.0, 50.0))
        Evaluation = self.env["dealer.evaluation.measure"]
        rate = Evaluation._measure_return_rate(
            self.company, [self.shared.id], START, END
        )
        self.assertEqual(rate[self.shared.id][0], 8.82)  # 150 / 1,700
        growth = Evaluation._measure_sales_growth(
            self.company, [self.shared.id], START, END
        )
        self.assertEqual(growth[self.shared.id][0], 100.0)  # nothing in Q1
        self.assertIn("1,550.00", growth[self.shared.id][1])

    def rule(self, warning_type, **vals):
        return self.env["dealer.warning.rule"].create(
            {
                "name": f"Measure {warning_type}",
                "warning_type": warning_type,
                "company_ids": [Command.set(self.company.ids)],
                **vals,
            }
        )

    def test_warnings(self):
        overdue = self.rule("receivable_overdue", threshold_amount=1)
        credit = self.rule("credit_usage", threshold_percent=50)
        expense = self.rule("expense_ratio", threshold_percent=5, window_days=91)
        self.env["dealer.support"].create(
            {
                "partner_id": self.shared.id,
                "company_id": self.company.id,
                "name": "Billboard",
                "support_type": "advertising",
                "cost": 155.0,
                "date": "2026-05-01",
            }
        ).action_done()
        with freeze_time("2026-06-30"):
            (overdue | credit | expense)._evaluate(
                companies=self.company, partners=self.shared
            )
        self.assertEqual(overdue.warning_ids.measured_value, 1180.0)
        self.assertIn("the oldest for 81 days", overdue.warning_ids.description)
        self.assertEqual(credit.warning_ids.measured_value, 73.0)  # 730 of 1,000
        self.assertEqual(expense.warning_ids.measured_value, 10.0)  # 155 / 1,550

    def test_aging_view_and_dealer_list(self):
        with freeze_time("2026-06-30 04:00:00"):
            row = self.env["dealer.receivable.aging"].search(
                [
                    ("partner_id", "=", self.shared.id),
                    ("company_id", "=", self.company.id),
                ]
            )
            self.assertEqual(
                (
                    row.not_due,
                    row.days_1_30,
                    row.days_31_60,
                    row.days_61_90,
                    row.days_90_plus,
                    row.total,
                ),
                (-450.0, 380.0, 400.0, 400.0, 0.0, 730.0),
            )
            content, _kind = self.env["ir.actions.report"]._render_xlsx(
                "dealer_management.dealer_list_xlsx", self.shared.ids, {}
            )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        values = {
            title: cell.value for title, cell in zip(header, sheet[2], strict=False)
        }
        self.assertEqual((values["Open Receivable"], values["Overdue"]), (730, 1180))

    def test_payment_discipline_as_at_the_period_end(self):
        program = self.program(
            name="Disciplined",
            partner_ids=[Command.set(self.shared.ids)],
            discipline="forfeit",
            discipline_days=60,
        )
        with freeze_time("2026-08-01"):
            measure = self.env["dealer.rebate.calculation"]._measure(
                program._policy(), START, END, [self.shared.id]
            )
        self.assertTrue(measure[self.shared.id].overdue)  # 81 days on 30 June
        with freeze_time("2026-08-01"):
            measure = self.env["dealer.rebate.calculation"]._measure(
                program.copy({"discipline_days": 90})._policy(),
                START,
                END,
                [self.shared.id],
            )
        self.assertFalse(measure[self.shared.id].overdue)

    def test_migration_notes_the_corrected_basis_in_the_next_run(self):
        """18.0.1.0.3 recomputes nothing; the next run of each company uses the
        corrected basis and says so in the tier changes it logs, once."""
        path = file_path("dealer_management/migrations/18.0.1.0.3/post-migrate.py")
        spec = importlib.util.spec_from_file_location("basis_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.2")
        param = self.env["ir.config_parameter"].sudo()
        self.assertIn(
            str(self.company.id), param.get_param(BASIS_NOTE_PARAM).split(",")
        )
        self.shared.sudo().dealer_tier = "C"  # as a run on the old basis left it
        run = self.env["dealer.tier.run"].create(
            {"company_id": self.company.id, "date_to": END, "window_months": 3}
        )
        with freeze_time("2026-07-01"):
            run.sudo()._classify()
        self.env.cr.precommit.run()
        log = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.shared.id)], limit=1
        )
        self.assertIn("C → A", log.body)
        self.assertIn("rank 1", log.body)
        self.assertIn(
            "no longer counts the credit notes and invoices that settle", log.body
        )
        self.assertNotIn(
            str(self.company.id), (param.get_param(BASIS_NOTE_PARAM) or "").split(",")
        )
