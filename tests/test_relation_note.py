# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestRelationNoteKeyDates(DealerCommon):
    """Key dates of the relationship notes: a yearly reminder activity N days ahead,
    created once per occurrence."""

    run_as_superuser = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Note = cls.env["dealer.relation.note"]
        cls.birthday = Note.create(
            {
                "partner_id": cls.distributor_a.id,
                "company_id": cls.company.id,
                "category": "family",
                "name": "Owner's wife",
                "person": "Mrs Zhou",
                "key_date": "1975-03-10",
                "key_date_type": "birthday",
                "reminder_days": 7,
                "user_id": cls.sensitive_a.id,
            }
        )
        cls.leap = Note.create(
            {
                "partner_id": cls.dealer.id,
                "company_id": cls.company.id,
                "category": "family",
                "name": "Owner",
                "person": "Mr Sun",
                "key_date": "1984-02-29",
                "key_date_type": "birthday",
                "reminder_days": 3,
                "user_id": cls.sensitive_manager.id,
            }
        )
        cls.notes = cls.birthday | cls.leap

    def remind(self, today):
        with freeze_time(today):
            activities = self.env["dealer.relation.note"]._cron_key_date_reminders(
                companies=self.company
            )
        return activities.filtered(lambda a: a.res_id in self.notes.ids)

    def test_reminder_inside_the_window_only_and_once(self):
        # 10 March minus 7 days = 3 March: nothing on the 2nd, a reminder on the 3rd
        self.assertFalse(self.remind("2026-03-02"))
        activity = self.remind("2026-03-03")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.res_id, self.birthday.id)
        self.assertEqual(activity.user_id, self.sensitive_a)
        self.assertEqual(str(activity.date_deadline), "2026-03-10")
        self.assertEqual(activity.summary, "Birthday of Mrs Zhou (Distributor A)")
        self.assertFalse(self.remind("2026-03-04"))
        self.assertFalse(self.remind("2026-03-10"))
        # next year the same date is reminded again
        self.assertEqual(str(self.remind("2027-03-05").date_deadline), "2027-03-10")

    def test_29_february_falls_on_28_february_in_common_years(self):
        with freeze_time("2026-02-20"):
            self.assertEqual(str(self.leap.next_key_date), "2026-02-28")
        activity = self.remind("2026-02-25")  # 28 Feb minus 3 days
        self.assertEqual(str(activity.date_deadline), "2026-02-28")
        self.assertEqual(activity.user_id, self.sensitive_manager)
        with freeze_time("2028-02-20"):
            self.leap.invalidate_recordset(["next_key_date"])
            self.assertEqual(str(self.leap.next_key_date), "2028-02-29")

    def test_reminder_days_are_bounded(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 365"):
            self.birthday.reminder_days = -1
        with self.assertRaisesRegex(ValidationError, "between 0 and 365"):
            self.birthday.reminder_days = 400
