# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The PDF reports on the demo network: every dealer's scorecard, the warning digest and
a rebate statement, in English and Chinese; one of them through wkhtmltopdf."""

import io

from PyPDF2 import PdfReader

from odoo.tests import tagged

from .common import DemoCommon, DemoHttpCommon
from .test_report_prints import ink, pdf_words


@tagged("post_install", "-at_install")
class TestReports(DemoCommon):
    def html(self, report, records, lang="en_US"):
        return (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render_qweb_html(report, records.ids)[0]
            .decode()
        )

    def test_scorecard_of_every_dealer(self):
        html = self.html("dealer_management.dealer_scorecard_report", self.dealers)
        self.assertEqual(html.count("Dealer Scorecard:"), len(self.dealers))
        for title in (
            "Latest Evaluation",
            "Score Trend",
            "Tier",
            "Sales Targets",
            "Open Warnings",
            "Rebates of the Year",
        ):
            self.assertEqual(html.count(f'<h4 class="mt-3">{title}</h4>'), 29, title)
        dealer = self.dealers.filtered("dealer_last_evaluation_id")[0]
        one = self.html("dealer_management.dealer_scorecard_report", dealer)
        evaluation = dealer.dealer_last_evaluation_id
        for line in evaluation.line_ids:
            self.assertIn(line.criterion_id.name, one)
        self.assertIn(dealer.dealer_code, one)

    def test_every_rebate_statement_and_contract_prints(self):
        rebates = self.env["dealer.rebate"].search(
            [("company_id", "=", self.company.id)]
        )
        html = self.html("dealer_management.dealer_rebate_report", rebates)
        self.assertEqual(html.count("<h2>Rebate Statement"), len(rebates))
        contracts = self.env["dealer.contract"].search(
            [("company_id", "=", self.company.id)]
        )
        html = self.html("dealer_management.dealer_contract_report", contracts)
        self.assertEqual(
            html.count('<h2 class="text-center">Dealer Contract'), len(contracts)
        )

    def test_times_in_the_readers_time_zone(self):
        """Issue 23: approved at 23:30 Beijing time (15:30 UTC), the statement
        prints 23:30 for a reader in Beijing, and for a reader without a time zone
        of his own the company's (the demo's users and company are in Beijing)."""
        rebate = self.env["dealer.rebate"].search(
            [("company_id", "=", self.company.id), ("state", "=", "approved")],
            limit=1,
        )
        self.env.cr.execute(
            "UPDATE dealer_rebate SET approved_date = '2026-06-30 15:30:00' "
            "WHERE id = %s",
            [rebate.id],
        )
        self.env.invalidate_all()
        manager = self.env.ref("dealer_management.demo_user_dm_chen")
        self.assertEqual(manager.tz, "Asia/Shanghai")
        self.assertEqual(self.company.partner_id.tz, "Asia/Shanghai")
        reader_without_tz = self.company_user(
            "dm_tz_none", "dealer_management.group_dealer_manager"
        )
        reader_without_tz.tz = False
        for reader in (manager, reader_without_tz):
            with self.subTest(reader=reader.login):
                html = (
                    self.env["ir.actions.report"]
                    .with_user(reader)
                    .with_context(lang="en_US")
                    ._render_qweb_html(
                        "dealer_management.dealer_rebate_report", rebate.ids
                    )[0]
                    .decode()
                )
                self.assertIn("06/30/2026 23:30", html)
                self.assertNotIn("15:30", html)

    def test_scorecard_in_chinese(self):
        self.load_zh_cn()
        dealer = self.dealers[0]
        dealer.lang = "zh_CN"
        html = self.html("dealer_management.dealer_scorecard_report", dealer)
        self.assertIn("经销商评分卡", html)
        self.assertIn("年度返利", html)

    def test_warning_digest(self):
        warnings = self.env["dealer.warning"].search(
            [("company_id", "=", self.company.id), ("state", "=", "open")]
        )
        self.assertTrue(warnings)
        html = self.html("dealer_management.dealer_warning_digest_report", warnings)
        self.assertIn("Warning Digest", html)
        self.assertIn("Receivables Aging", html)
        for severity in set(warnings.mapped("severity")):
            label = dict(warnings._fields["severity"]._description_selection(self.env))[
                severity
            ]
            self.assertIn(f"<span>{label}</span>", html)
        for warning in warnings[:5]:
            self.assertIn(warning.partner_id.name, html)


@tagged("post_install", "-at_install")
class TestPdf(DemoHttpCommon):
    """wkhtmltopdf loads the report's style sheets from the server: an HttpCase, which
    pytest-odoo runs with --odoo-http (the README's test command passes it)."""

    def test_real_pdf_through_wkhtmltopdf(self):
        rebate = self.env["dealer.rebate"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "=", "settled"),
            ],
            limit=1,
        )
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("dealer_management.dealer_rebate_report", rebate.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        # wkhtmltopdf draws the web fonts as shapes, so the text is not extractable: the
        # document is checked as a PDF that parses, with its page and its drawings
        reader = PdfReader(io.BytesIO(pdf))
        self.assertGreaterEqual(len(reader.pages), 1)
        self.assertGreater(len(pdf), 100000)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "dealer_management.dealer_scorecard_report", rebate.partner_id.ids
            )
        )
        self.assertTrue(pdf.startswith(b"%PDF-"))

    def test_the_paper_has_the_company_header_and_page_numbers(self):
        """Issue 23: with Debian's wkhtmltopdf the papers had a blank band where the
        company's header should be and no page numbers. Looked at as a picture
        (pdftoppm): the first page's top band is drawn on (the logo, the name, the
        address), as dark as a line of text; each page carries "n / N" (stamped, as
        text, when the binary prints no footer)."""
        dealer = self.dealers.filtered("dealer_last_evaluation_id")[:1]
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("dealer_management.dealer_scorecard_report", dealer.ids)
        )
        pages = PdfReader(io.BytesIO(pdf)).pages
        self.assertGreaterEqual(len(pages), 2)
        for number, page in enumerate(pages, start=1):
            self.assertIn(f"{number} / {len(pages)}", page.extract_text())
        # the company's name (its Chinese is text in the PDF; the Latin is drawn)
        # at the top of the first page, above the title, and the band it is in drawn
        # on: the logo, the name, the address (595 x 34 points under the margin)
        words = pdf_words(pdf)
        name = next(box for word, box in words if word.startswith("华东家电"))
        title = next(box for word, box in words if dealer.name.split()[0] in word)
        self.assertLess(name[1], 80)
        self.assertLess(name[1], title[1])
        self.assertGreater(ink(pdf, (0, 36, 595, 34)), 2000)
