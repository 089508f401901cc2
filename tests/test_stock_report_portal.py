# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer's monthly stock report from the portal (库存上报): proposed, checked like
the backend, all or nothing, and closed once the salesperson accepted it."""

import io
import re
import time
import zipfile
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.dealer_management.tools import spreadsheet

from .common import DealerCommon

MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


@tagged("post_install", "-at_install")
class TestStockReportPortal(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_env_user_manager()
        Report = cls.env["dealer.stock.report"]
        cls.may = Report.create(
            {
                "partner_id": cls.dealer.id,
                "company_id": cls.company.id,
                "month": MAY,
                "product_id": cls.kettle.id,
                "opening": 0,
                "received": 10,
                "sold": 6,
                "closing": 4,
            }
        )
        # June: 10 kettles and 2 rice cookers invoiced
        cls.invoice(
            "2026-06-10", lines=[(cls.kettle, 10, 50.0), (cls.cooker, 2, 100.0)]
        )
        cls.Report = Report

    def submit(self, rows):
        return self.Report._portal_submit(self.dealer, self.company, JUNE, rows)

    def template(self):
        return self.env["ir.actions.report"]._render_xlsx(
            "dealer_management.dealer_stock_template_xlsx_report",
            self.dealer.ids,
            {"month": JUNE.isoformat()},
        )[0]

    def said(self, result):
        """The errors a portal action returned (nothing written), one per line."""
        self.assertIsInstance(result, list)
        return "\n".join(result)

    def june(self):
        return self.Report.search(
            [("partner_id", "=", self.dealer.id), ("month", "=", JUNE)]
        )

    def test_the_form_proposes_last_closing_and_what_was_invoiced(self):
        rows = self.Report._portal_rows(self.dealer, self.company, JUNE)
        self.assertEqual(
            {
                k: rows[self.kettle][k]
                for k in ("opening", "received", "sold", "closing")
            },
            {"opening": 4.0, "received": 10.0, "sold": 0.0, "closing": 14.0},
        )

    def test_a_balanced_report_is_recorded_with_its_cover(self):
        report = self.submit({self.kettle.id: (4.0, 10.0, 8.0, 6.0)})
        self.assertEqual(report, self.june())
        self.assertEqual(
            (
                report.opening,
                report.received,
                report.sold,
                report.closing,
                report.state,
            ),
            (4.0, 10.0, 8.0, 6.0, "submitted"),
        )
        # average sell-out (6 + 8) / 2 = 7 a month, 7 x 12 / 52 = 1.615 a week;
        # cover 6 / 1.615 = 3.7 weeks; proposal: 4 weeks x 1.615 = 6.46 - 6 -> 1
        self.assertEqual(round(report.weeks_of_cover, 1), 3.7)
        self.assertEqual(report.proposed_quantity, 1.0)
        # changed again before it is accepted: the same report
        self.submit({self.kettle.id: (4.0, 10.0, 9.0, 5.0)})
        self.assertEqual((self.june(), self.june().sold), (report, 9.0))

    def test_a_wrong_row_writes_nothing(self):
        # the kettles balance, the cookers do not: neither is written
        for rows, error in (
            (
                {
                    self.kettle.id: (4.0, 10.0, 8.0, 6.0),
                    self.cooker.id: (0.0, 2.0, 0.0, 3.0),
                },
                "is not the closing 3.0",
            ),
            (
                {
                    self.kettle.id: (4.0, 10.0, 8.0, 6.0),
                    self.part.id: (0.0, 0.0, 0.0, 0.0),
                },
                "A product of the list only",
            ),
            ({self.kettle.id: (4.0, 10.0, 16.0, -2.0)}, "cannot be negative"),
        ):
            with self.subTest(error=error):
                self.assertRegex(self.said(self.submit(rows)), error)
        self.assertFalse(self.june())

    def test_an_accepted_report_stays(self):
        report = self.submit({self.kettle.id: (4.0, 10.0, 8.0, 6.0)})
        report.with_user(self.salesperson).action_accept()
        self.assertEqual(report.state, "accepted")
        self.assertRegex(
            self.said(self.submit({self.kettle.id: (4.0, 10.0, 9.0, 5.0)})),
            "accepted this month's report",
        )
        self.assertEqual(report.sold, 8.0)
        # the state is the button's
        with self.assertRaises(UserError):
            report.with_user(self.salesperson).write({"state": "submitted"})

    def test_the_proposal_becomes_a_quotation(self):
        report = self.submit({self.kettle.id: (4.0, 10.0, 8.0, 6.0)})
        self.assertEqual(report.proposed_quantity, 1.0)  # worked out above
        contact = self.env["res.partner"].create(
            {"name": "Clerk", "parent_id": self.dealer.id, "type": "contact"}
        )
        clerk = self.company_user("dm_stock_clerk", "base.group_portal")
        clerk.partner_id = contact
        order = self.Report.with_user(clerk)._portal_order(
            self.dealer, self.company, JUNE
        )
        self.assertEqual(order.order_line.product_id, self.kettle)
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertEqual((order.state, order.user_id), ("sent", self.salesperson))
        self.assertEqual(report.sale_order_id, order)
        self.assertIn(contact, order.message_partner_ids)
        self.assertEqual(order.activity_ids.user_id, self.salesperson)
        # once
        self.assertEqual(
            self.Report.with_user(clerk)._portal_order(self.dealer, self.company, JUNE),
            ["Nothing to order: no proposal, or already ordered."],
        )

    # ------------------------------------------------------------ spreadsheets

    def test_the_template_is_the_form(self):
        content = self.template()
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(
            [list(row) for row in sheet.iter_rows(values_only=True)],
            [
                ["Internal Reference", "Product", "Opening", "Received"]
                + ["Sold", "Closing"],
                # the references and names are text cells, empty ones too
                ["", "Kettle", 4, 10, 0, 14],
                ["", "Rice Cooker 4L", 0, 2, 0, 2],
            ],
        )

    def test_the_template_of_his_own_dealer_only(self):
        """On Odoo's /report route (report_xlsx renders as the user): a portal user
        gets his dealer's form, never another dealer's; a user outside the dealer
        groups none."""
        clerk = self.dealer_portal_user("dm_stock_tpl", self.dealer, "Clerk")
        Report = self.env["ir.actions.report"].with_user(clerk)
        ref = "dealer_management.dealer_stock_template_xlsx_report"
        data = {"month": JUNE.isoformat()}
        self.assertTrue(Report._render_xlsx(ref, self.dealer.ids, data)[0])
        other = self.env["res.partner"].create(
            {"name": "Other Dealer", "is_dealer": True, "is_company": True}
        )
        for user, dealers in (
            (clerk, other),
            (self.company_user("dm_tpl_x", "base.group_user"), other),
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["ir.actions.report"].with_user(user)._render_xlsx(
                    ref, dealers.ids, data
                )

    def test_the_filled_template_is_recorded(self):
        content = self.template()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
        sheet["E2"], sheet["F2"] = 8, 6  # kettles: 4 + 10 - 8 = 6
        sheet["E3"], sheet["F3"] = 1, 1  # cookers: 0 + 2 - 1 = 1
        output = io.BytesIO()
        workbook.save(output)
        self.Report._portal_import(
            self.dealer, self.company, JUNE, output.getvalue(), "june.XLSX"
        )
        self.assertEqual(
            {
                (r.product_id, r.opening, r.received, r.sold, r.closing)
                for r in self.june()
            },
            {(self.kettle, 4.0, 10.0, 8.0, 6.0), (self.cooker, 0.0, 2.0, 1.0, 1.0)},
        )

    def test_every_wrong_row_is_said_and_nothing_written(self):
        csv = (
            "Internal Reference,Product,Opening,Received,Sold,Closing\n"
            ",Kettle,4,10,8,6\n"
            ",Toaster,1,0,0,1\n"
            ",Rice Cooker 4L,0,2,abc,2\n"
            "\n"
            ",kettle,4,10,8,6\n"
            ",Rice Cooker 4L,0,2,1,2\n"
        )
        self.assertEqual(
            self.Report._portal_import(
                self.dealer, self.company, JUNE, csv.encode(), "june.csv"
            ),
            [
                "Row 3: Toaster is not a product of the form (its internal "
                "reference or name, as in the template).",
                "Row 4: abc is not a quantity.",
                "Row 6: Kettle is on row 2 already.",
                "Row 7: Rice Cooker 4L is on row 4 already.",
            ],
        )
        self.assertFalse(self.june())
        # the rows right, a balance wrong: said with its row
        csv = ",Kettle,4,10,8,6\n,Rice Cooker 4L,0,2,1,2\n"
        self.assertEqual(
            self.Report._portal_import(
                self.dealer, self.company, JUNE, csv.encode(), "june.csv"
            ),
            [
                "Row 2: Rice Cooker 4L: opening 0.0 + received 2.0 - sold 1.0 is not "
                "the closing 2.0."
            ],
        )
        self.assertFalse(self.june())

    def test_a_chinese_csv_by_internal_reference(self):
        """GB18030, as a Chinese spreadsheet program saves CSV; semicolons; products
        found by their internal reference; "1,200"-style thousands."""
        self.kettle.default_code = "K-01"
        csv = "内部参考;产品;期初;收货;销售;期末\nK-01;电水壶;4;1,210;1,200;14\n"
        self.Report._portal_import(
            self.dealer, self.company, JUNE, csv.encode("gb18030"), "六月.csv"
        )
        self.assertEqual(
            [(r.product_id, r.received, r.sold, r.closing) for r in self.june()],
            [(self.kettle, 1210.0, 1200.0, 14.0)],
        )

    def test_a_broken_or_oversized_workbook_is_refused(self):
        """Said, never a server error: a sheet that is no XML, more rows than the
        form's products and some room, a workbook that unpacks to gigabytes."""
        broken = io.BytesIO()
        content = self.template()
        with (
            zipfile.ZipFile(io.BytesIO(content)) as source,
            zipfile.ZipFile(broken, "w") as target,
        ):
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename.startswith("xl/worksheets/"):
                    data = b"<worksheet><sheetData><row><c>"
                target.writestr(info, data)
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
            target.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
        many = "".join(",Kettle,4,10,8,6\n" for _i in range(60)).encode()
        for content, name in (
            (broken.getvalue(), "broken.xlsx"),
            (bomb.getvalue(), "bomb.xlsx"),
            (many, "many.csv"),
        ):
            with self.subTest(name=name):
                self.said(
                    self.Report._portal_import(
                        self.dealer, self.company, JUNE, content, name
                    )
                )
        self.assertFalse(self.june())

    def test_not_a_spreadsheet(self):
        for content, name in ((b"%PDF-1.4", "june.pdf"), (b"not a zip", "june.xlsx")):
            with self.subTest(name=name):
                self.said(
                    self.Report._portal_import(
                        self.dealer, self.company, JUNE, content, name
                    )
                )
        self.assertFalse(self.june())

    # ------------------------------------------------------------ upload limits

    def filled_template(self, sheet_xml=None):
        """The template filled in (June's kettles and cookers balanced), its sheet's
        XML passed through ``sheet_xml``."""
        content = self.template()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
        sheet["E2"], sheet["F2"] = 8, 6
        sheet["E3"], sheet["F3"] = 1, 1
        filled = io.BytesIO()
        workbook.save(filled)
        if not sheet_xml:
            return filled.getvalue()
        output = io.BytesIO()
        with (
            zipfile.ZipFile(filled) as source,
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = sheet_xml(data.decode()).encode()
                target.writestr(info, data)
        return output.getvalue()

    def test_a_declared_dimension_is_not_what_is_read(self):
        """A 13 KB workbook whose sheet declares A1:XFD1048576 (openpyxl would pad
        every row to 16,384 cells, for minutes): read as the rows it holds, at once;
        an empty row numbered 1,048,576 is refused after MAX_EMPTY_ROWS empty rows,
        not read down to it."""
        # and 3,000 empty rows below (formatting only), each declared 16,384 wide
        empty = "".join(f'<row r="{n}" spans="1:16384"/>' for n in range(4, 3004))
        declared = self.filled_template(
            lambda xml: re.sub(
                r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml
            ).replace("</sheetData>", f"{empty}</sheetData>")
        )
        self.assertIn(
            b"XFD1048576",
            zipfile.ZipFile(io.BytesIO(declared)).read("xl/worksheets/sheet1.xml"),
        )
        # what is read is the form's six columns of the rows there, not the declared
        read = list(spreadsheet._xlsx_rows(declared, 6))
        self.assertEqual((len(read), {len(row) for row in read}), (3003, {6}))
        self.assertLess(len(declared), 20_000)
        started = time.perf_counter()
        self.Report._portal_import(self.dealer, self.company, JUNE, declared, "j.xlsx")
        self.assertLess(time.perf_counter() - started, 1.0)
        self.assertEqual(
            {(r.product_id, r.sold, r.closing) for r in self.june()},
            {(self.kettle, 8.0, 6.0), (self.cooker, 1.0, 1.0)},
        )
        self.june().unlink()
        far = self.filled_template(
            lambda xml: xml.replace(
                "</sheetData>",
                '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                "</c></row></sheetData>",
            )
        )
        started = time.perf_counter()
        self.assertRegex(
            self.said(
                self.Report._portal_import(
                    self.dealer, self.company, JUNE, far, "f.xlsx"
                )
            ),
            "of the template's columns",
        )
        self.assertLess(time.perf_counter() - started, 1.0)
        self.assertFalse(self.june())

    def test_a_product_name_is_never_a_formula(self):
        self.kettle.name = '=HYPERLINK("http://evil.example","Kettle")'
        content = self.template()
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        names = {row[1].value: row[1].data_type for row in sheet.iter_rows(min_row=2)}
        self.assertEqual(names[self.kettle.name], "s")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn(b"<f>", archive.read("xl/worksheets/sheet1.xml"))
