# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bulletin to dealers (内部刊物) and the business meetings (业务会) on the portal:
who is addressed, who gets the e-mail, read receipts, attendance, and the refusals."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestBulletin(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the dealer has a portal user (a contact of his); distributor A has none,
        # but an e-mail address
        cls.portal_user = cls.dealer_portal_user(
            "dm_bulletin_portal", cls.dealer, "Dealer's clerk"
        )
        cls.distributor_a.email = "boss@distributor-a.example.com"
        cls.Bulletin = cls.env["dealer.bulletin"].with_user(cls.manager)

    def draft(self, audience="[('dealer_level', '=', 'general_distributor')]"):
        bulletin = self.Bulletin.create(
            {
                "name": "Spring price list",
                "body": "<p>New prices from 1 March.</p>",
                "audience_domain": audience,
                "company_id": self.company.id,
            }
        )
        bulletin.attachment_ids = (
            self.env["ir.attachment"]
            .with_user(self.manager)
            .create(
                {
                    "name": "prices.txt",
                    "raw": b"Kettle 50",
                    "res_model": "dealer.bulletin",
                    "res_id": bulletin.id,
                }
            )
        )
        return bulletin

    def test_published_to_the_dealers_chosen_and_emailed(self):
        bulletin = self.draft()
        # the company's general distributors: distributor A and the dealer; not the
        # secondary wholesaler, not the other company's distributor
        self.assertEqual(bulletin.audience_count, 2)
        bulletin.action_publish()
        self.assertEqual(
            (bulletin.state, bulletin.published_uid, bulletin.partner_ids),
            ("published", self.manager, self.distributor_a | self.dealer),
        )
        self.assertTrue(bulletin.attachment_ids.access_token)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "dealer.bulletin"), ("res_id", "=", bulletin.id)])
        )
        # the dealer's portal user, and distributor A itself (no portal user)
        self.assertEqual(
            mails.recipient_ids, self.portal_user.partner_id | self.distributor_a
        )
        self.assertEqual(mails.attachment_ids, bulletin.attachment_ids)
        self.assertIn(f"/my/dealer/bulletins/{bulletin.id}", mails[0].body_html)
        self.assertIn("New prices from 1 March.", mails[0].body_html)
        self.assertEqual(set(mails.mapped("subject")), {"Spring price list"})
        # what was sent stays
        with self.assertRaises(UserError):
            bulletin.body = "<p>Other prices</p>"
        with self.assertRaises(UserError):
            bulletin.audience_domain = "[]"
        with self.assertRaises(UserError):
            bulletin.unlink()
        with self.assertRaises(UserError):
            bulletin.action_publish()

    def test_the_mail_is_in_each_recipients_language(self):
        self.load_zh_cn()
        self.portal_user.partner_id.lang = "zh_CN"
        self.distributor_a.lang = "en_US"
        bulletin = self.draft()
        bulletin.action_publish()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "dealer.bulletin"), ("res_id", "=", bulletin.id)])
        )
        by_recipient = {mail.recipient_ids: mail.body_html for mail in mails}
        self.assertIn("在经销商门户中阅读", by_recipient[self.portal_user.partner_id])
        self.assertIn("Read it on your dealer portal", by_recipient[self.distributor_a])

    def test_chosen_by_tier(self):
        self.distributor_a.sudo().dealer_tier = "A"
        self.dealer.sudo().dealer_tier = "B"
        bulletin = self.draft("[('dealer_tier', '=', 'A')]")
        bulletin.action_publish()
        self.assertEqual(bulletin.partner_ids, self.distributor_a)

    def test_chosen_with_a_relative_date(self):
        """The domain editor's relative dates (context_today, relativedelta) work."""
        bulletin = self.draft(
            "[('dealer_level', '=', 'general_distributor'), ('create_date', '>', "
            "(context_today() - relativedelta(years=100)).strftime('%Y-%m-%d'))]"
        )
        self.assertEqual(bulletin.audience_count, 2)

    def test_chosen_by_territory_and_level(self):
        territory = (
            self.env["dealer.territory"]
            .sudo()
            .create(
                {
                    "name": "Zhejiang",
                    "company_id": self.company.id,
                    "dealer_ids": [Command.set((self.wholesaler_a | self.dealer).ids)],
                }
            )
        )
        bulletin = self.draft(
            f"[('dealer_territory_ids', 'in', [{territory.id}]), "
            "('dealer_level', '=', 'secondary_wholesaler')]"
        )
        self.assertEqual(bulletin.audience_count, 1)
        bulletin.action_publish()
        self.assertEqual(bulletin.partner_ids, self.wholesaler_a)

    def test_nobody_or_no_valid_filter_is_refused(self):
        for audience in (
            "[('dealer_tier', '=', 'Z')]",
            "[('no_such_field', '=', 1)]",
            "[('create_date', '>', unknown_name)]",
            "not a domain",
        ):
            bulletin = self.draft(audience)
            with self.subTest(audience=audience), self.assertRaises(UserError):
                bulletin.action_publish()
            self.assertEqual(bulletin.state, "draft")

    def test_the_audience_runs_no_code(self):
        """The filter is evaluated with values only: no record (env.user would be a
        superuser record whose methods a filter could call), no time.sleep."""
        for audience in (
            "[('id', '!=', user.id)]",
            "[('id', '!=', time.sleep(0))]",
            "[('id', '!=', context_today().__class__)]",
        ):
            bulletin = self.draft(audience)
            with self.subTest(audience=audience), self.assertRaises(UserError):
                bulletin.action_publish()

    def test_only_its_own_files(self):
        """A file of another record linked by its id is refused: publishing would
        e-mail it and give it a token that opens it to the dealers."""
        secret = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "payslip.pdf",
                    "raw": b"secret",
                    "res_model": "res.partner",
                    "res_id": self.salesperson.partner_id.id,
                }
            )
        )
        bulletin = self.draft()
        with self.assertRaises(AccessError):
            bulletin.write({"attachment_ids": [Command.link(secret.id)]})
        with self.assertRaises(AccessError):
            self.Bulletin.create(
                {
                    "name": "Leak",
                    "body": "<p>x</p>",
                    "attachment_ids": [Command.link(secret.id)],
                }
            )
        self.assertNotIn(secret, bulletin.attachment_ids)
        self.assertFalse(secret.access_token)

    def test_the_files_of_a_published_bulletin_stay(self):
        bulletin = self.draft()
        bulletin.action_publish()
        attachment = bulletin.attachment_ids.with_user(self.manager)
        with self.assertRaises(UserError):
            attachment.raw = b"other prices"
        with self.assertRaises(UserError):
            attachment.unlink()
        self.assertEqual(bulletin.attachment_ids.raw, b"Kettle 50")

    def test_only_managers_write_and_publish(self):
        bulletin = self.draft()
        salesperson = self.env["dealer.bulletin"].with_user(self.salesperson)
        with self.assertRaises(AccessError):
            salesperson.create({"name": "Mine", "body": "<p>x</p>"})
        with self.assertRaises(AccessError):
            salesperson.browse(bulletin.id).action_publish()
        # the governed fields: by the Publish button only, even for a manager
        for vals in (
            {"state": "published"},
            {"partner_ids": [Command.set(self.wholesaler_a.ids)]},
            {"published_uid": self.manager.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                bulletin.write(vals)
        self.assertEqual(bulletin.state, "draft")

    def test_read_receipts(self):
        bulletin = self.draft()
        bulletin.action_publish()
        with freeze_time("2026-03-02 09:00"):
            bulletin.with_user(self.portal_user)._portal_read(self.dealer)
        with freeze_time("2026-03-05 09:00"):
            bulletin.with_user(self.portal_user)._portal_read(self.dealer)
        receipt = bulletin.receipt_ids
        self.assertEqual(
            (receipt.partner_id, receipt.user_id, str(receipt.read_on)),
            (self.dealer, self.portal_user, "2026-03-02 09:00:00"),
        )
        bulletin.invalidate_recordset()
        self.assertEqual((bulletin.dealer_count, bulletin.read_dealer_count), (2, 1))

    def test_the_portal_user_reaches_no_bulletin_by_rpc(self):
        bulletin = self.draft()
        bulletin.action_publish()
        bulletin.with_user(self.portal_user)._portal_read(self.dealer)
        for model in ("dealer.bulletin", "dealer.bulletin.receipt", "dealer.visit"):
            Model = self.env[model].with_user(self.portal_user)
            with self.subTest(model=model), self.assertRaises(AccessError):
                Model.search_read([], ["id"])
        with self.assertRaises(AccessError):
            self.env["dealer.bulletin"].with_user(self.portal_user).browse(
                bulletin.id
            ).read(["partner_ids"])


@tagged("post_install", "-at_install")
class TestMeetingAttendance(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.dealer_portal_user(
            "dm_meeting_portal", cls.dealer, "Dealer's boss"
        )
        Visit = cls.env["dealer.visit"].sudo()
        values = {
            "company_id": cls.company.id,
            "user_id": cls.salesperson.id,
            "date_planned": date(2026, 4, 10),
            "purpose": "Internal: push them on the overdue invoices",
        }
        cls.meeting, cls.visit, cls.other_meeting = Visit.create(
            [
                dict(
                    values,
                    partner_id=cls.dealer.id,
                    visit_type="annual_meeting",
                    location="Hangzhou Expo Center",
                    agenda="New products",
                ),
                dict(values, partner_id=cls.dealer.id, visit_type="dealer_visit"),
                dict(
                    values,
                    partner_id=cls.wholesaler_a.id,
                    visit_type="quarterly_meeting",
                ),
            ]
        )

    def attend(self, meeting, answer):
        return meeting.with_user(self.portal_user)._portal_attend(self.dealer, answer)

    def test_the_dealer_answers_until_the_day(self):
        with freeze_time("2026-04-01 08:00"):
            self.attend(self.meeting, "declined")
        with freeze_time("2026-04-10 08:00"):
            self.attend(self.meeting, "confirmed")
        self.assertEqual(
            (
                self.meeting.attendance,
                self.meeting.attendance_uid,
                str(self.meeting.attendance_on),
            ),
            ("confirmed", self.portal_user, "2026-04-10 08:00:00"),
        )
        # told on the meeting's chatter, to the salesperson
        message = self.meeting.message_ids.filtered(
            lambda m: "answered on the portal" in m.body
        )[:1]
        self.assertIn("Will Attend", message.body)
        self.assertIn(self.salesperson.partner_id, message.partner_ids)
        with freeze_time("2026-04-11 08:00"):
            self.assertEqual(
                self.attend(self.meeting, "declined"),
                ["The meeting is past: it is answered no more."],
            )
        self.assertEqual(self.meeting.attendance, "confirmed")

    def test_refusals(self):
        with freeze_time("2026-04-01"):
            self.assertEqual(
                self.attend(self.meeting, "maybe"), ["Say whether you will attend."]
            )
            # a visit is no meeting; another dealer's meeting is not his
            for visit in (self.visit, self.other_meeting):
                with self.subTest(visit=visit.name), self.assertRaises(AccessError):
                    self.attend(visit, "confirmed")
            self.meeting.sudo().action_cancel()
            with self.assertRaises(AccessError):
                self.attend(self.meeting, "confirmed")
        meetings = self.meeting | self.visit | self.other_meeting
        self.assertEqual(meetings.mapped("attendance"), [False] * 3)
        # the answer is the dealer's: nobody writes it directly
        with self.assertRaises(AccessError):
            self.meeting.with_user(self.salesperson).attendance = "confirmed"
