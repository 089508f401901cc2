# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Printing as the users print, on the demo network: every group prints every report of
the addon on what it can open; several records at once make one PDF through the
wkhtmltopdf that Debian ships (ours and Odoo's reports alike); a Chinese scorecard
shows its Chinese."""

import io
import os
import re
import subprocess
import tempfile
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from PIL import Image
from PyPDF2 import PdfReader

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DemoCommon, DemoHttpCommon

DEMO_USERS = (
    "dm_wang",
    "dm_chen",
    "dm_zhao",
    "dm_liu",
)  # salesperson, manager, director, accountant
# what each report prints, when the model needs a narrower search than "all I can read"
REPORT_DOMAINS = {"res.partner": [("is_dealer", "=", True), ("parent_id", "=", False)]}
# what a report prints besides its records: the statement of account and the stock
# report's template, a month
MONTH_REPORTS = (
    "dealer_management.dealer_account_statement_document",
    "dealer_management.dealer_stock_template_xlsx",
)

# fontconfig as the machine has it, less every font with Chinese glyphs: a machine
# without a CJK font
NO_CJK_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="no">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern>
    <patelt name="lang"><string>zh-cn</string></patelt>
  </pattern></rejectfont></selectfont>
</fontconfig>
"""


def pdf_words(pdf, page=1):
    """[(word, (x, y, width, height) in points)] of a page (poppler's pdftotext)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        html = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", source.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
        r"([^<]*)</word>"
    )
    return [
        (text, (float(x0), float(y0), float(x1) - float(x0), float(y1) - float(y0)))
        for x0, y0, x1, y1, text in re.findall(pattern, html)
    ]


def pdf_text(pdf):
    return " ".join(
        word
        for page in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1)
        for word, _box in pdf_words(pdf, page)
    )


def ink(pdf, box, page=1):
    """How many dark pixels pdftoppm paints in ``box`` (points) of a page at 144dpi."""
    x, y, width, height = (round(v * 2) for v in box)
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "in.pdf")
        with open(source, "wb") as fh:
            fh.write(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "144",
                "-gray",
                "-f",
                str(page),
                "-l",
                str(page),
                "-x",
                str(x),
                "-y",
                str(y),
                "-W",
                str(width),
                "-H",
                str(height),
                source,
                os.path.join(folder, "out"),
            ],
            check=True,
            capture_output=True,
        )
        [image] = [name for name in os.listdir(folder) if name.startswith("out")]
        with Image.open(os.path.join(folder, image)) as picture:
            return sum(1 for value in picture.getdata() if value < 128)


@tagged("post_install", "-at_install")
class TestEveryGroupPrints(DemoCommon):
    """Each dealer group prints each PDF and XLSX report of the addon on records it can
    read (the Dealer Managers and Directors, who approve rebates, could not print a
    rebate statement: it read the invoices' numbers through account.move)."""

    def test_every_group_prints_every_report_it_can_open(self):
        reports = self.env["ir.actions.report"].search(
            [("report_name", "=like", "dealer_management.%")]
        )
        self.assertEqual(
            sorted(reports.mapped("report_type")), ["qweb-pdf"] * 6 + ["xlsx"] * 8
        )
        month = self.today.replace(day=1) - relativedelta(months=1)
        printed = []
        for login in DEMO_USERS:
            user = self.env.ref(f"dealer_management.demo_user_{login}")
            for report in reports:
                if report.groups_id and not report.groups_id & user.groups_id:
                    continue  # not offered to this user
                Model = self.env[report.model].with_user(user)
                if not Model.has_access("read"):
                    continue
                records = Model.search(REPORT_DOMAINS.get(report.model, []), limit=3)
                if not records:
                    continue
                with self.subTest(user=login, report=report.report_name):
                    content, kind = (
                        self.env["ir.actions.report"]
                        .with_user(user)
                        ._render(
                            report.report_name,
                            records.ids,
                            data={"month": str(month)}
                            if report.report_name in MONTH_REPORTS
                            else None,
                        )
                    )
                    self.assertIn(kind, ("html", "xlsx"))
                    self.assertTrue(content)
                    printed.append((login, report.report_name))
        # every group prints all twelve it shares, nothing it may open is refused; the
        # accruals' analysis besides for the manager, the director and the
        # accountant, the simulations' for the manager and the director
        self.assertEqual(len(printed), len(DEMO_USERS) * 12 + 3 + 2, printed)
        self.assertEqual(
            {
                login
                for login, report in printed
                if report == "dealer_management.dealer_rebate_simulation_xlsx"
            },
            {"dm_chen", "dm_zhao"},
        )


@tagged("post_install", "-at_install")
class TestPdfPrints(DemoHttpCommon):
    """Real PDFs through wkhtmltopdf (it loads the style sheets from the tests'
    server)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["ir.actions.report"].with_context(
            force_report_rendering=True
        )

    def pdf(self, report, records):
        content, kind = self.Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF-"))
        return content

    def three(self, model, domain):
        """Three records of the demo company, of three different dealers."""
        records = self.env[model].search(
            [("company_id", "=", self.company.id), *domain]
        )
        chosen = self.env[model]
        for record in records:
            if record.partner_id not in chosen.partner_id:
                chosen |= record
        return chosen[:3]

    def test_three_records_print_as_one_pdf(self):
        """Each record's dealer, in Chinese, stands in the one PDF (the Latin text is
        drawn by the web fonts as shapes; the Chinese is text of the CJK font)."""
        for report, records, min_pages in (
            (
                "dealer_management.dealer_contract_report",
                self.three("dealer.contract", []),
                3,
            ),
            (
                "dealer_management.dealer_rebate_report",
                self.three("dealer.rebate", [("state", "=", "settled")]),
                3,
            ),
            (
                "dealer_management.dealer_scorecard_report",
                self.env["res.partner"].search(
                    [
                        ("company_id", "=", self.company.id),
                        ("is_dealer", "=", True),
                        ("parent_id", "=", False),
                    ],
                    limit=3,
                ),
                3,
            ),
            (
                "account.account_invoices",
                self.three(
                    "account.move",
                    [("move_type", "=", "out_invoice"), ("state", "=", "posted")],
                ),
                3,
            ),
            # one document for the warnings chosen, not one per warning
            (
                "dealer_management.dealer_warning_digest_report",
                self.three("dealer.warning", [("state", "=", "open")]),
                1,
            ),
        ):
            with self.subTest(report=report):
                self.assertEqual(len(records), 3)
                dealers = (
                    records if records._name == "res.partner" else records.partner_id
                )
                self.assertEqual(len(dealers), 3)
                content = self.pdf(report, records)
                self.assertGreaterEqual(
                    len(PdfReader(io.BytesIO(content)).pages), min_pages
                )
                text = pdf_text(content).replace(" ", "")
                for dealer in dealers:
                    self.assertIn(dealer.name.replace(" ", ""), text)

    def test_the_manager_prints_rebate_statements_from_the_list(self):
        """Three statements selected and printed by a Dealer Manager, who may not read
        invoices: through the report routes of the web client (403 before), and as a
        real PDF with his rights (the routes' PDF cannot be had inside a test: the
        request holds the test cursor that the style-sheet request of wkhtmltopdf
        waits for)."""
        rebates = self.three("dealer.rebate", [("state", "=", "settled")])
        manager = self.env.ref("dealer_management.demo_user_dm_chen")
        # the counted invoices are not his (the salesman's rule of account.move)
        with self.assertRaises(AccessError):
            rebates.line_ids.move_id.with_user(manager).check_access("read")
        self.authenticate("dm_chen", "dm_chen")
        ids = ",".join(map(str, rebates.ids))
        response = self.url_open(
            f"/report/pdf/dealer_management.dealer_rebate_document_lang/{ids}",
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for rebate in rebates:
            self.assertIn(rebate.name, page)
            self.assertIn(rebate.move_name, page)  # the settlement's number, printed
        response = self.url_open(
            f"/report/xlsx/dealer_management.dealer_rebate_xlsx/{ids}", timeout=60
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        content, _kind = self.Report.with_user(manager)._render_qweb_pdf(
            "dealer_management.dealer_rebate_report", rebates.ids
        )
        self.assertGreaterEqual(len(PdfReader(io.BytesIO(content)).pages), 3)
        text = pdf_text(content).replace(" ", "")
        for dealer in rebates.partner_id:
            self.assertIn(dealer.name.replace(" ", ""), text)

    def test_chinese_statement_of_account(self):
        """The statement of account as the portal prints it for a Chinese dealer's
        staff: a real PDF with its Chinese title, labels and dealer (the Latin text and
        the digits are drawn by the web fonts as shapes, not text)."""
        self.load_zh_cn()
        dealer = self.env.ref("dealer_management.demo_dealer_0")
        month = self.today.replace(day=1) - relativedelta(months=1)
        content, kind = self.Report.with_context(lang="zh_CN")._render_qweb_pdf(
            MONTH_REPORTS[0].replace("_document", "_report"),
            dealer.ids,
            data={"month": str(month)},
        )
        self.assertEqual(kind, "pdf")
        words = {word for word, _box in pdf_words(content)}
        for word in ("对账单", "期末余额", "其中逾期"):
            self.assertTrue(any(w.startswith(word) for w in words), word)
        self.assertIn(dealer.name.replace(" ", ""), pdf_text(content).replace(" ", ""))

    def test_chinese_request_and_claim(self):
        """The market-expense claim's paper (申请与核销单) in the dealer's language: a
        Chinese dealer's settled claim prints its Chinese title and labels."""
        self.load_zh_cn()
        claim = self.env["dealer.fund.claim"].search(
            [("company_id", "=", self.company.id), ("state", "=", "settled")], limit=1
        )
        claim.partner_id.lang = "zh_CN"
        content = self.pdf("dealer_management.dealer_fund_claim_report", claim)
        words = {word for word, _box in pdf_words(content)}
        for word in ("申请与核销单", "计划费用", "可核销金额", "核准金额"):
            self.assertTrue(any(w.startswith(word) for w in words), word)

    def test_chinese_scorecard_shows_its_chinese(self):
        self.load_zh_cn()
        dealer = self.env["res.partner"].search(
            [
                ("company_id", "=", self.company.id),
                ("is_dealer", "=", True),
                ("parent_id", "=", False),
                ("dealer_since", "!=", False),
            ],
            limit=1,
        )
        dealer.lang = "zh_CN"

        def chinese_words(content):
            # the title, a section label and the 年 of a date in Chinese form
            # (2021年12月20日: the digits are drawn by the web font, as shapes)
            words = pdf_words(content)
            return {
                "title": next(
                    (box for word, box in words if word.startswith("经销商评分卡")),
                    None,
                ),
                "label": next((box for word, box in words if word == "客户档案"), None),
                "date": next((box for word, box in words if word == "年"), None),
            }

        content = self.pdf("dealer_management.dealer_scorecard_report", dealer)
        found = chinese_words(content)
        for what, box in found.items():
            self.assertIsNotNone(box, f"the Chinese {what} is missing from the PDF")
            # the glyphs are drawn: even the one small 年 paints dozens of dark pixels
            # at 144 dpi, a blank box none
            self.assertGreater(ink(content, box), 20, what)
        # the same scorecard on a machine without a CJK font: the checks above fail
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write(NO_CJK_FONTCONFIG)
            conf.flush()
            with patch.dict(os.environ, {"FONTCONFIG_FILE": conf.name}):
                blank = self.pdf("dealer_management.dealer_scorecard_report", dealer)
        self.assertEqual(chinese_words(blank), dict.fromkeys(found))
        self.assertLess(ink(blank, found["title"]), ink(content, found["title"]) / 4)
