# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer portal, as a portal user of dealer A (the demo's dealer_gz) would use it,
and what he must not reach: dealer B's pages and documents, by id or by a guessed
token, and every internal record, by any RPC method."""

import base64
import io

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..controllers.stock import XLSX_MIMETYPE
from .common import DemoCommon, DemoHttpCommon

SUBMITTED = ("to_approve", "approved", "settled")
# a 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class PortalCommon:
    @classmethod
    def setup_dealers(cls):
        ref = cls.env.ref
        cls.portal_user = ref("dealer_management.demo_portal_user_0")
        cls.dealer_a = ref("dealer_management.demo_dealer_0")
        cls.dealer_b = ref("dealer_management.demo_dealer_1")
        Rebate = cls.env["dealer.rebate"]
        cls.rebates_a = Rebate.search(
            [("partner_id", "=", cls.dealer_a.id), ("state", "in", SUBMITTED)]
        )
        cls.drafts_a = Rebate.search(
            [("partner_id", "=", cls.dealer_a.id), ("state", "=", "draft")]
        )
        cls.rebates_b = Rebate.search([("partner_id", "=", cls.dealer_b.id)])
        Target = cls.env["dealer.sales.target"]
        cls.targets_a = Target.search([("partner_id", "=", cls.dealer_a.id)])
        cls.targets_b = Target.search([("partner_id", "=", cls.dealer_b.id)])
        Contract = cls.env["dealer.contract"]
        cls.contracts_b = Contract.search([("partner_id", "=", cls.dealer_b.id)])
        # a product dealer A buys (invoiced to him)
        cls.product = cls.dealer_a._dealer_products(cls.company)[:1]


@tagged("post_install", "-at_install")
class TestPortalRecords(PortalCommon, DemoCommon):
    """What the portal user reaches by RPC (the ORM as his JSON-RPC calls run it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_dealers()

    def test_the_demo_gives_both_dealers_records(self):
        self.assertEqual(self.portal_user.commercial_partner_id, self.dealer_a)
        self.assertTrue(self.portal_user.share)
        for records in (self.rebates_a, self.drafts_a, self.rebates_b, self.targets_a):
            self.assertTrue(records)

    def test_reads_only_his_dealers_submitted_statements(self):
        Rebate = self.env["dealer.rebate"].with_user(self.portal_user)
        found = Rebate.search_read([], ["name", "amount"])
        self.assertEqual({r["id"] for r in found}, set(self.rebates_a.ids))
        groups = Rebate.read_group([], ["amount:sum"], ["partner_id"])
        self.assertEqual([g["partner_id"][0] for g in groups], [self.dealer_a.id])
        # exporting is refused to portal users altogether
        with self.assertRaises(UserError):
            Rebate.search([]).export_data(["name"])
        for other in (self.rebates_b[:1], self.drafts_a[:1]):
            with self.assertRaises(AccessError):
                Rebate.browse(other.ids).read(["amount"])

    def test_reads_only_his_dealers_targets(self):
        Target = self.env["dealer.sales.target"].with_user(self.portal_user)
        self.assertEqual(Target.search([]), self.targets_a.with_user(self.portal_user))
        with self.assertRaises(AccessError):
            Target.browse(self.targets_b[:1].ids).read(["amount"])

    def test_writes_nothing(self):
        rebate = self.rebates_a[:1].with_user(self.portal_user)
        # the buttons say who may use them (the group's name read by the addon)
        for button in ("validate_tier", "reject_tier", "action_submit"):
            with (
                self.subTest(button=button),
                self.assertRaisesRegex(AccessError, "Only a Dealer Manager may"),
            ):
                getattr(rebate, button)()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rebate.write({"amount": 999999})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.targets_a[:1].with_user(self.portal_user).write({"amount": 1})
        # load() (an import) reports its refusals as messages rather than raising
        for model, fields_, row in (
            (
                "dealer.sales.target",
                ["partner_id/.id", "date_start", "amount"],
                [str(self.dealer_a.id), "2030-01-01", "1"],
            ),
            ("dealer.rebate", ["name"], ["forged"]),
        ):
            with self.env.cr.savepoint():
                result = (
                    self.env[model].with_user(self.portal_user).load(fields_, [row])
                )
            self.assertFalse(result["ids"], model)
            self.assertTrue(result["messages"], model)

    def test_service_cases_are_raised_through_the_portal_only(self):
        Case = self.env["dealer.service.case"]
        mine = Case.search([("partner_id", "=", self.dealer_a.id)])
        self.assertTrue(mine)
        as_portal = Case.with_user(self.portal_user)
        self.assertEqual(as_portal.search([]).ids, mine.ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            as_portal.create({"partner_id": self.dealer_a.id, "reason": "by RPC"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            mine[:1].with_user(self.portal_user).write({"state": "resolved"})

    def test_internal_records_are_unreachable(self):
        for model in (
            "dealer.relation.note",
            "dealer.evaluation",
            "dealer.evaluation.line",
            "dealer.warning",
            "dealer.incident",
            "dealer.rebate.program",
            "dealer.rebate.line",
            "dealer.rebate.adjustment",
            "dealer.tier.run.line",
            "dealer.stock.report",
            "dealer.receivable.aging",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_user).search_read([], ["id"])
        # what the evaluations concluded of his dealer is the dealer groups' only
        for name in ("dealer_score", "dealer_grade", "dealer_decision"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.dealer_a.with_user(self.portal_user).read([name])


@tagged("post_install", "-at_install")
class TestPortalPages(PortalCommon, DemoHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_dealers()

    def setUp(self):
        super().setUp()
        self.authenticate("dealer_gz", "dealer_gz")

    def get(self, url, status=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, url)
        return response.text

    def test_home_and_dealer_file(self):
        home = self.get("/my/home")
        self.assertIn("/my/dealer/rebates", home)
        page = self.get("/my/dealer")
        self.assertIn(self.dealer_a.name, page)
        self.assertNotIn(self.dealer_b.name, page)

    def test_targets_and_rebates_lists(self):
        page = self.get("/my/dealer/targets")
        for target in self.targets_a:
            self.assertIn(target.name, page)
        page = self.get("/my/dealer/rebates")
        for rebate in self.rebates_a:
            self.assertIn(rebate.name, page)
        for rebate in self.rebates_b | self.drafts_a:
            self.assertNotIn(f"/my/dealer/rebates/{rebate.id}", page)

    def test_earned_to_date_and_the_next_bracket(self):
        """The open period's draft is not listed as a statement: its earned-to-date
        figure is, with the distance to the next bracket (the demo program's brackets:
        1 % to 50,000, 2 % to 150,000, 3 % beyond)."""
        self.portal_user.sudo().lang = "en_US"
        today = self.today
        draft = self.drafts_a.filtered(
            lambda r: r.period_start <= today <= r.period_end and not r.is_closing
        )[:1]
        self.assertTrue(draft)
        # beyond the last bracket there is no next one (a next bracket of 0)
        draft.sudo().write({"next_bracket": 0.0, "to_next_bracket": 0.0})
        self.assertNotIn("more this period to reach", self.get("/my/dealer/rebates"))
        # as the calculation would leave a dealer 12,000 short of the 150,000 bracket
        draft.sudo().write({"next_bracket": 150000.0, "to_next_bracket": 12000.0})
        page = self.get("/my/dealer/rebates")
        self.assertIn("12,000.00 more this period to reach 3.0%.", page)
        self.assertIn("Earned to date", page)
        self.assertNotIn(f"/my/dealer/rebates/{draft.id}", page)

    def test_his_statement_and_its_print(self):
        rebate = self.rebates_a[0]
        self.assertIn(rebate.name, self.get(f"/my/dealer/rebates/{rebate.id}"))
        html = self.get(f"/my/dealer/rebates/{rebate.id}?report_type=html")
        self.assertIn(rebate.name, html)

    def test_dealer_b_answers_404(self):
        rebate_b = self.rebates_b[0]
        rebate_b.sudo()._portal_ensure_token()
        for url in (
            f"/my/dealer/rebates/{rebate_b.id}",
            f"/my/dealer/rebates/{rebate_b.id}?report_type=pdf",
            f"/my/dealer/rebates/{rebate_b.id}?access_token=guessed-token",
            f"/my/dealer/rebates/{rebate_b.id}?report_type=pdf&access_token=0000",
            f"/my/dealer/rebates/{self.drafts_a[0].id}",
            "/my/dealer/rebates/999999999",
        ):
            with self.subTest(url=url):
                self.get(url, status=404)
        for contract in self.contracts_b:
            with self.subTest(contract=contract.name):
                self.get(f"/my/dealer/contracts/{contract.id}", status=404)

    def test_ask_for_a_correction(self):
        self.url_open(
            "/my/dealer/correction",
            data={"message": "Our warehouse is 1,200 m2", "csrf_token": self.csrf()},
        )
        note = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.dealer_a.id)],
            limit=1,
        )
        self.assertIn("Our warehouse is 1,200 m2", note.body)
        self.assertEqual(note.author_id, self.portal_user.partner_id)
        self.assertIn(self.dealer_a.user_id.partner_id, note.partner_ids)
        # an empty request is said, not dropped
        response = self.url_open(
            "/my/dealer/correction", data={"message": " ", "csrf_token": self.csrf()}
        )
        self.assertIn("Say what should be corrected.", response.text)

    def csrf(self):
        page = self.get("/my/dealer")
        marker = 'name="csrf_token" value="'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    # ---------------------------------------------------------- service cases

    def raise_case(self, photos, **values):
        data = {
            "case_type": "repair",
            "product_id": str(self.product.id),
            "quantity": "2",
            "reason": "The lid cracked in transport",
            "csrf_token": self.csrf(),
            **values,
        }
        return self.url_open(
            "/my/dealer/service/new",
            data=data,
            files=[("photos", photo) for photo in photos],
            allow_redirects=False,
        )

    def dealer_a_cases(self):
        return self.env["dealer.service.case"].search(
            [("partner_id", "=", self.dealer_a.id)]
        )

    def test_raise_a_service_case_with_a_photo(self):
        # raised in Chinese, numbered all the same (it once kept the label 新客户)
        self.portal_user.sudo().lang = "zh_CN"
        before = self.dealer_a_cases()
        response = self.raise_case([("crack.png", PNG, "image/png")])
        self.assertEqual(response.status_code, 303)
        case = self.dealer_a_cases() - before
        self.assertEqual(len(case), 1)
        self.assertEqual(
            (case.case_type, case.product_id, case.quantity, case.state),
            ("repair", self.product, 2.0, "new"),
        )
        self.assertEqual(case.user_id, self.dealer_a.user_id)
        self.assertRegex(case.name, r"^SH\d{4}-\d+$")
        self.assertTrue(response.headers["Location"].endswith(case.get_portal_url()))
        message = case.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertEqual(message.attachment_ids.mapped("name"), ["crack.png"])
        self.assertEqual(message.attachment_ids.raw, PNG)
        page = self.get(f"/my/dealer/service/{case.id}")
        self.assertIn("The lid cracked in transport", page)
        self.assertIn(case.name, self.get("/my/dealer/service"))
        # the photo is shown back to the dealer, and served to him (issue 23); the
        # pictures of an internal note and a file the staff attached are not
        photo = message.attachment_ids
        self.assertIn(f"/web/image/{photo.id}?access_token={photo.access_token}", page)
        staff = case.user_id or self.env.ref("base.user_admin")
        note = case.with_user(staff).message_post(
            body="内部 internal",
            subtype_xmlid="mail.mt_note",
            attachments=[("internal.png", PNG)],
        )
        filed = self.env["ir.attachment"].create(
            {
                "name": "staff.png",
                "raw": PNG,
                "res_model": "dealer.service.case",
                "res_id": case.id,
            }
        )
        self.assertEqual(case._portal_photos(), photo)
        page = self.get(f"/my/dealer/service/{case.id}")
        for hidden in (note.attachment_ids, filed):
            self.assertNotIn(f"/web/image/{hidden.id}?", page)
        served = self.url_open(
            f"/web/image/{photo.id}?access_token={photo.access_token}"
        )
        self.assertEqual((served.status_code, served.content), (200, PNG))

    def test_the_case_form_offers_the_products_the_dealer_buys(self):
        """Issue 23: the list offered 50 products, Odoo's demo furniture and expense
        items among them: only those invoiced to the dealer or of his product lines."""
        sold = (
            self.env["account.move.line"]
            .search(
                [
                    ("move_id.commercial_partner_id", "=", self.dealer_a.id),
                    ("parent_state", "=", "posted"),
                    ("product_id", "!=", False),
                ]
            )
            .product_id.filtered("sale_ok")
        )
        self.assertTrue(sold)
        offered = self.dealer_a._dealer_products(self.company)
        self.assertEqual(offered, sold)
        furniture = self.env["product.product"].create(
            {"name": "办公椅 Office Chair", "sale_ok": True}
        )
        self.assertNotIn(furniture, self.dealer_a._dealer_products(self.company))
        page = self.get("/my/dealer/service")
        self.assertNotIn("Office Chair", page)
        for product in offered:
            self.assertIn(f'value="{product.id}"', page)
        # a product of his authorised lines is offered before he bought it
        self.dealer_a.dealer_product_category_ids = [(4, furniture.categ_id.id)]
        self.assertIn(furniture, self.dealer_a._dealer_products(self.company))
        # and one outside them is refused when posted all the same
        self.dealer_a.dealer_product_category_ids = [(3, furniture.categ_id.id)]
        response = self.raise_case([], product_id=str(furniture.id))
        self.assertIn("Choose a product of the list", response.text)

    def test_a_wrong_case_writes_nothing(self):
        before = self.dealer_a_cases()
        too_large = b"\x89PNG" + b"0" * (5 * 1024 * 1024)
        for photos, values, error in (
            ([("big.png", too_large, "image/png")], {}, "is larger than 5 MB"),
            ([("notes.pdf", b"%PDF-1.4", "application/pdf")], {}, "is not a picture"),
            # the browser says a picture, the content is a page
            ([("x.png", b"<html><script>", "image/png")], {}, "is not a picture"),
            ([], {"quantity": "nan"}, "zero or more"),
            ([], {"quantity": "inf"}, "zero or more"),
            ([], {"reason": "  "}, "the reason is required"),
            ([], {"quantity": "-3"}, "zero or more"),
            ([], {"product_id": "999999999"}, "Choose a product of the list"),
        ):
            with self.subTest(error=error):
                response = self.raise_case(photos, **values)
                self.assertEqual(response.status_code, 200)
                self.assertIn(error, response.text)
                self.assertIn("Nothing was recorded", response.text)
        self.assertEqual(self.dealer_a_cases(), before)

    def test_dealer_b_cases_answer_404(self):
        case_b = self.env["dealer.service.case"].search(
            [("partner_id", "=", self.dealer_b.id)], limit=1
        ) or self.env["dealer.service.case"].create(
            {
                "partner_id": self.dealer_b.id,
                "company_id": self.company.id,
                "reason": "B's own case",
            }
        )
        self.get(f"/my/dealer/service/{case_b.id}", status=404)
        self.get(f"/my/dealer/service/{case_b.id}?access_token=guess", status=404)
        self.assertNotIn(case_b.name, self.get("/my/dealer/service"))

    # ------------------------------------------------------ statements of account

    def test_statement_of_account_confirmed_on_the_portal(self):
        self.portal_user.sudo().lang = "en_US"
        month = self.today.replace(day=1) - relativedelta(months=1)
        url = f"/my/dealer/statements/{month.year}/{month.month}"
        self.assertIn(url, self.get("/my/dealer/statements"))
        page = self.get(url)
        self.assertIn("Closing Balance", page)
        # a dispute without a comment: refused, said, nothing written
        response = self.url_open(
            f"{url}/answer",
            data={"answer": "disputed", "comment": "", "csrf_token": self.csrf()},
            allow_redirects=False,
        )
        self.assertIn("a dispute needs a comment", response.text)
        Statement = self.env["dealer.account.statement"]
        self.assertFalse(Statement.search([("partner_id", "=", self.dealer_a.id)]))
        response = self.url_open(
            f"{url}/answer",
            data={"answer": "confirmed", "csrf_token": self.csrf()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        answer = Statement.search([("partner_id", "=", self.dealer_a.id)])
        self.assertEqual(
            (answer.state, answer.month, answer.answered_uid),
            ("confirmed", month, self.portal_user),
        )
        self.assertIn("Confirmed", self.get(url))

    def test_statement_of_account_printed(self):
        """The month's PDF (here its HTML) for his dealer; dealer B's statement by the
        report route is refused."""
        self.portal_user.sudo().lang = "en_US"
        month = self.today.replace(day=1) - relativedelta(months=1)
        url = f"/my/dealer/statements/{month.year}/{month.month}"
        self.assertIn(f"{url}?report_type=pdf", self.get(url))
        html = self.get(f"{url}?report_type=html")
        self.assertIn(f"Statement of Account {month:%Y-%m}", html)
        self.assertIn(self.dealer_a.name, html)
        for dealer in (self.dealer_b, self.dealer_a):
            with self.subTest(dealer=dealer.name):
                response = self.url_open(
                    "/report/html/dealer_management.dealer_account_statement_document/"
                    f'{dealer.id}?options={{"month": "{month}"}}'
                )
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("Closing Balance", response.text)

    def test_statements_of_months_not_ended_answer_404(self):
        this_month = self.today.replace(day=1)
        for url in (
            f"/my/dealer/statements/{this_month.year}/{this_month.month}",
            f"/my/dealer/statements/{this_month.year}/13",
        ):
            with self.subTest(url=url):
                self.get(url, status=404)

    # ------------------------------------------------------------ stock reports

    def test_stock_report_submitted_on_the_portal(self):
        self.portal_user.sudo().lang = "en_US"
        month = self.today.replace(day=1) - relativedelta(months=1)
        Report = self.env["dealer.stock.report"]
        rows = Report._portal_rows(self.dealer_a, self.company, month)
        self.assertTrue(rows)
        product = next(
            p for p, row in rows.items() if row["report"].state != "accepted"
        )
        url = f"/my/dealer/stock?month={month:%Y-%m}"
        self.assertIn(product.display_name, self.get(url))
        data = {"month": f"{month:%Y-%m}", "csrf_token": self.csrf()}
        wrong = dict(
            data,
            **{
                f"opening_{product.id}": "3",
                f"received_{product.id}": "5",
                f"sold_{product.id}": "2",
                f"closing_{product.id}": "9",
            },
        )
        response = self.url_open("/my/dealer/stock/submit", data=wrong)
        self.assertIn("Nothing was recorded", response.text)
        self.assertIn("is not the closing 9.0", response.text)
        # no number, no infinity: said, never a server error
        for value in ("nan", "inf", "1e300"):
            with self.subTest(value=value):
                response = self.url_open(
                    "/my/dealer/stock/submit",
                    data=dict(wrong, **{f"closing_{product.id}": value}),
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(f"{value} is not a quantity.", response.text)
        # a month before any form: the last month's page
        self.assertEqual(self.url_open("/my/dealer/stock?month=1-1").status_code, 200)
        before = Report.search(
            [("partner_id", "=", self.dealer_a.id), ("month", "=", month)]
        )
        response = self.url_open(
            "/my/dealer/stock/submit",
            data=dict(wrong, **{f"closing_{product.id}": "6"}),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        report = Report.search(
            [
                ("partner_id", "=", self.dealer_a.id),
                ("month", "=", month),
                ("product_id", "=", product.id),
            ]
        )
        self.assertEqual(
            (report.opening, report.received, report.sold, report.closing),
            (3.0, 5.0, 2.0, 6.0),
        )
        self.assertEqual(
            len(
                Report.search(
                    [("partner_id", "=", self.dealer_a.id), ("month", "=", month)]
                )
            ),
            len(before | report),
        )

    def test_stock_report_uploaded_on_the_portal(self):
        """The month's template downloaded, filled and uploaded: a wrong row is said
        with its number and nothing is written; then the right file is recorded."""
        self.portal_user.sudo().lang = "en_US"
        month = self.today.replace(day=1) - relativedelta(months=1)
        Report = self.env["dealer.stock.report"]
        rows = Report._portal_rows(self.dealer_a, self.company, month)
        product = next(
            p for p, row in rows.items() if row["report"].state != "accepted"
        )
        response = self.url_open(f"/my/dealer/stock/template?month={month:%Y-%m}")
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(names, [p.name for p in rows])
        data = {"month": f"{month:%Y-%m}", "csrf_token": self.csrf()}
        wrong = f",{product.name},3,5,2,9\n".encode()
        response = self.url_open(
            "/my/dealer/stock/upload",
            data=data,
            files={"spreadsheet": ("stock.csv", wrong, "text/csv")},
        )
        self.assertIn("Nothing was recorded", response.text)
        self.assertIn("Row 1: ", response.text)
        domain = [
            ("partner_id", "=", self.dealer_a.id),
            ("month", "=", month),
            ("product_id", "=", product.id),
        ]
        response = self.url_open(
            "/my/dealer/stock/upload",
            data=data,
            files={"spreadsheet": ("stock.csv", wrong[:-2] + b"6\n", "text/csv")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        report = Report.search(domain)
        self.assertEqual(
            (report.opening, report.received, report.sold, report.closing),
            (3.0, 5.0, 2.0, 6.0),
        )

    # ------------------------------------------------------ bulletins and meetings

    def test_bulletins_read_on_the_portal(self):
        """The demo's bulletins to dealer A are listed; reading one keeps one receipt
        however often it is read; a bulletin to dealer B only, and its attachment,
        are not reachable (by id, by a guessed token)."""
        self.portal_user.sudo().lang = "en_US"
        Bulletin = self.env["dealer.bulletin"]
        mine = Bulletin.search(Bulletin._portal_domain(self.dealer_a))
        self.assertTrue(mine)
        page = self.get("/my/dealer/bulletins")
        for bulletin in mine:
            self.assertIn(f"/my/dealer/bulletins/{bulletin.id}", page)
        bulletin = mine[0]
        bulletin.receipt_ids.unlink()
        self.assertIn(bulletin.name, self.get(f"/my/dealer/bulletins/{bulletin.id}"))
        self.get(f"/my/dealer/bulletins/{bulletin.id}")
        self.assertEqual(bulletin.receipt_ids.user_id, self.portal_user)
        # read: no more in the unread ones; found by its title
        link = f"/my/dealer/bulletins/{bulletin.id}"
        self.assertNotIn(link, self.get("/my/dealer/bulletins?filterby=unread"))
        found = self.get(f"/my/dealer/bulletins?search={bulletin.name[:6]}")
        self.assertIn(link, found)
        self.assertNotIn(link, self.get("/my/dealer/bulletins?search=no-such-title"))
        # one to dealer A, one to dealer B, each with an attachment
        own, other = Bulletin.create(
            [
                {
                    "name": f"For {dealer.name} only",
                    "body": "<p>News</p>",
                    "audience_domain": f"[('id', '=', {dealer.id})]",
                    "company_id": self.company.id,
                }
                for dealer in (self.dealer_a, self.dealer_b)
            ]
        )
        for bulletin, content in ((own, b"A's prices"), (other, b"B's prices")):
            bulletin.attachment_ids = self.env["ir.attachment"].create(
                {
                    "name": "prices.txt",
                    "raw": content,
                    "res_model": "dealer.bulletin",
                    "res_id": bulletin.id,
                }
            )
        (own | other).action_publish()
        self.assertNotIn(other.name, self.get("/my/dealer/bulletins"))
        self.get(f"/my/dealer/bulletins/{other.id}", status=404)
        attachment = other.attachment_ids
        for url in (
            f"/web/content/{attachment.id}",
            f"/web/content/{attachment.id}?access_token=guessed",
            f"/web/content/{attachment.id}?access_token={own.attachment_ids.access_token}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("B's prices", response.text)
        # his own bulletin's attachment, by the page's link
        link = (
            f"/web/content/{own.attachment_ids.id}"
            f"?access_token={own.attachment_ids.access_token}&download=true"
        )
        page = self.get(f"/my/dealer/bulletins/{own.id}")
        self.assertIn(link.replace("&", "&amp;"), page)
        self.assertEqual(self.url_open(link).content, b"A's prices")

    def test_meeting_attendance_on_the_portal(self):
        self.portal_user.sudo().lang = "en_US"
        Visit = self.env["dealer.visit"]
        meeting = Visit.search(
            [
                *Visit._portal_domain(self.dealer_a),
                ("state", "=", "planned"),
                ("date_planned", ">=", self.today),
            ],
            limit=1,
        )
        self.assertTrue(meeting.location)
        page = self.get("/my/dealer/meetings")
        self.assertIn(meeting.location, page)
        self.assertIn(
            meeting.location, self.get("/my/dealer/meetings?filterby=upcoming")
        )
        self.assertNotIn(
            meeting.location, self.get("/my/dealer/meetings?filterby=past")
        )
        self.assertNotIn(meeting.purpose, page)  # the staff's, not the dealer's
        response = self.url_open(
            f"/my/dealer/meetings/{meeting.id}/attend",
            data={"answer": "declined", "csrf_token": self.csrf()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            (meeting.attendance, meeting.attendance_uid),
            ("declined", self.portal_user),
        )
        other = Visit.search(Visit._portal_domain(self.dealer_b), limit=1)
        self.assertTrue(other)
        response = self.url_open(
            f"/my/dealer/meetings/{other.id}/attend",
            data={"answer": "confirmed", "csrf_token": self.csrf()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotEqual(other.attendance_uid, self.portal_user)

    def test_every_page_in_english_and_chinese(self):
        self.load_zh_cn()
        month = self.today.replace(day=1) - relativedelta(months=1)
        rebate = self.rebates_a[0]
        Bulletin = self.env["dealer.bulletin"]
        bulletin = Bulletin.search(Bulletin._portal_domain(self.dealer_a), limit=1)
        pages = {
            "/my/home": ("Rebates", "返利"),
            "/my/dealer": ("Ask for a Correction", "申请更正"),
            "/my/dealer/targets": ("Sales Targets", "销售目标"),
            "/my/dealer/rebates": ("Statement", "结算单"),
            f"/my/dealer/rebates/{rebate.id}": ("Download", "下载"),
            f"/my/dealer/rebates/{rebate.id}?report_type=html": (rebate.name,) * 2,
            "/my/dealer/statements": ("Your Answer", "您的答复"),
            f"/my/dealer/statements/{month.year}/{month.month}": (
                "Closing Balance",
                "期末余额",
            ),
            f"/my/dealer/statements/{month.year}/{month.month}?report_type=html": (
                "Of Which Overdue",
                "其中逾期",
            ),
            "/my/dealer/stock": ("Submit the Stock Report", "提交库存报告"),
            "/my/dealer/service": ("Raise a Case", "提交售后单"),
            "/my/dealer/bulletins": ("Published On", "发布日期"),
            f"/my/dealer/bulletins/{bulletin.id}": ("Bulletins", "公告"),
            "/my/dealer/meetings": ("Business Meetings", "业务会"),
        }
        # a portal page is in the language its URL names (/zh_CN/my/...), English
        # without one, as Odoo's own portal pages
        for prefix, index in (("", 0), ("/zh_CN", 1)):
            for url, words in pages.items():
                with self.subTest(lang=prefix or "en_US", url=url):
                    self.assertIn(words[index], self.get(prefix + url))
