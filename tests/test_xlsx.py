# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
@freeze_time(
    "2026-06-10 04:00:00"
)  # the aging and the overdue figures count from today
class TestXlsxExports(DealerCommon):
    """The XLSX exports, opened with openpyxl: header, values, number and date cells,
    frozen header row and filters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.sudo().write({"dealer_status": "active", "dealer_tier": "A"})
        today = date(2026, 6, 10)
        cls.invoice(
            str(today - timedelta(days=80)), 1200, due=str(today - timedelta(days=45))
        )  # 31-60
        cls.invoice(str(today), 300, due=str(today + timedelta(days=30)))  # not due

    def workbook(self, report, records, user):
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(f"dealer_management.{report}", records.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref)
        return sheet

    def test_dealer_list(self):
        sheet = self.workbook("dealer_list_xlsx", self.dealer, self.salesperson)
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[:3], ["Code", "Dealer", "Level"])
        row = {title: cell.value for title, cell in zip(header, sheet[2], strict=False)}
        self.assertEqual(row["Dealer"], "Evaluated Dealer")
        self.assertEqual(row["Level"], "General Distributor")
        self.assertEqual(row["Tier"], "A")
        self.assertEqual(row["Open Receivable"], 1500)
        self.assertEqual(row["Overdue"], 1200)
        self.assertIsInstance(
            sheet.cell(2, header.index("Open Receivable") + 1).value, (int, float)
        )

    def test_evaluations_with_their_lines(self):
        manager = self.manager
        evaluation = (
            self.env["dealer.evaluation"]
            .with_user(manager)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2026-01-01",
                    "date_end": "2026-03-31",
                }
            )
        )
        evaluation.line_ids.write({"score": 4})
        sheet = self.workbook("dealer_evaluation_xlsx", evaluation, manager)
        self.assertEqual(sheet.max_row, 1 + 13)  # a row per criterion
        header = [cell.value for cell in sheet[1]]
        first = {
            title: cell.value for title, cell in zip(header, sheet[2], strict=False)
        }
        self.assertEqual(first["Period Start"], datetime.datetime(2026, 1, 1))
        self.assertEqual(
            sheet.cell(2, header.index("Period Start") + 1).number_format, "yyyy-mm-dd"
        )
        self.assertEqual(first["Score"], 80.0)
        self.assertEqual(first["Line Score"], 4)
        self.assertEqual(first["Criterion"], "Attitude")

    def test_receivables_aging_with_warnings(self):
        rule = (
            self.env["dealer.warning.rule"]
            .sudo()
            .create(
                {
                    "name": "Overdue 30 days",
                    "warning_type": "receivable_overdue",
                    "threshold_days": 30,
                    "company_ids": [Command.set(self.company.ids)],
                }
            )
        )
        rule._evaluate(companies=self.company)
        self.env.flush_all()
        rows = (
            self.env["dealer.receivable.aging"]
            .with_user(self.accountant)
            .search([("partner_id", "=", self.dealer.id)])
        )
        sheet = self.workbook("dealer_aging_xlsx", rows, self.accountant)
        header = [cell.value for cell in sheet[1]]
        row = {title: cell.value for title, cell in zip(header, sheet[2], strict=False)}
        self.assertEqual(
            (row["Not Due"], row["1-30"], row["31-60"], row["Total"]),
            (300, 0, 1200, 1500),
        )
        self.assertEqual(row["Open Warnings"], 1)
        self.assertIn("Overdue 30 days: ", row["Warnings"])
        self.assertIn("1,200.00 overdue", row["Warnings"])
