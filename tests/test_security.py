# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestDealerAccess(DealerCommon):
    """Who reads and writes which dealer; every forbidden path raises AccessError."""

    run_as_superuser = True

    def dealers_seen_by(self, user):
        return (
            self.env["res.partner"]
            .with_user(user)
            .search([("is_dealer", "=", True), ("id", "in", self.all_dealers.ids)])
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_dealers = (
            cls.distributor_a | cls.wholesaler_a | cls.dealer | cls.other_dealer
        )

    # --- Dealer User: only the dealers he is responsible for -------------------------

    def test_user_sees_only_own_dealers(self):
        self.assertEqual(self.dealers_seen_by(self.sales_a), self.wholesaler_a)
        self.assertEqual(self.dealers_seen_by(self.salesperson), self.dealer)

    def test_user_reads_and_edits_own_dealer(self):
        dealer = self.wholesaler_a.with_user(self.sales_a)
        dealer.write({"phone": "+86 571 1234 5678"})
        self.assertEqual(dealer.read(["phone"])[0]["phone"], "+86 571 1234 5678")

    def test_user_cannot_read_other_dealer(self):
        with self.assertRaises(AccessError):
            self.dealer.with_user(self.sales_a).read(["name"])

    def test_user_cannot_write_other_dealer(self):
        with self.assertRaises(AccessError):
            self.dealer.with_user(self.sales_a).write({"phone": "1"})
        self.assertFalse(self.dealer.phone)

    def test_user_cannot_create_dealer_for_another_salesperson(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.sales_a).create(
                {
                    "name": "Not mine",
                    "is_dealer": True,
                    "dealer_level": "retailer",
                    "user_id": self.salesperson.id,
                    "company_id": self.company.id,
                }
            )

    def test_user_creates_own_dealer_and_its_contacts_follow(self):
        Partner = self.env["res.partner"].with_user(self.sales_a)
        dealer = Partner.create(
            {
                "name": "New Retailer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "user_id": self.sales_a.id,
                "dealer_parent_id": self.wholesaler_a.id,
                "company_id": self.company.id,
            }
        )
        contact = Partner.create({"name": "Owner", "parent_id": dealer.id})
        self.assertTrue(contact.is_dealer)
        self.assertEqual(contact.dealer_level, "retailer")
        self.assertEqual(contact.dealer_parent_id, self.wholesaler_a)
        self.assertEqual(self.wholesaler_a.dealer_downstream_count, 1)

    def test_user_still_sees_partners_that_are_not_dealers(self):
        self.assertEqual(
            self.customer.with_user(self.sales_a).read(["name"])[0]["name"],
            "Walk-in Customer",
        )

    def test_user_cannot_unlink_other_dealer(self):
        with self.assertRaises(AccessError):
            self.dealer.with_user(self.sales_a).unlink()

    # --- Dealer Manager: every dealer of his companies --------------------------------

    def test_manager_sees_and_edits_all_dealers_of_his_company(self):
        self.assertEqual(
            self.dealers_seen_by(self.manager),
            self.distributor_a | self.wholesaler_a | self.dealer,
        )
        self.dealer.with_user(self.manager).write({"phone": "2"})
        self.assertEqual(self.dealer.phone, "2")

    def test_manager_cannot_read_dealer_of_another_company(self):
        with self.assertRaises(AccessError):
            self.other_dealer.with_user(self.manager).read(["name"])
        self.assertEqual(self.dealers_seen_by(self.other_manager), self.other_dealer)

    # --- Dealer Accountant: reads every dealer, changes none --------------------------

    def test_accountant_reads_all_dealers(self):
        self.assertEqual(
            self.dealers_seen_by(self.accountant),
            self.distributor_a | self.wholesaler_a | self.dealer,
        )

    def test_accountant_cannot_write_dealer(self):
        with self.assertRaises(AccessError):
            self.distributor_a.with_user(self.accountant).write({"phone": "3"})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.accountant).create(
                {
                    "name": "Sneaky",
                    "is_dealer": True,
                    "dealer_level": "retailer",
                    "company_id": self.company.id,
                }
            )

    def test_accountant_can_still_write_other_partners(self):
        self.customer.with_user(self.accountant).write({"phone": "4"})
        self.assertEqual(self.customer.phone, "4")

    def test_accountant_can_issue_invoices(self):
        self.assertTrue(self.accountant.has_group("account.group_account_invoice"))
        self.assertFalse(self.sales_a.has_group("account.group_account_invoice"))


@tagged("post_install", "-at_install")
class TestRelationNoteAccess(DealerCommon):
    """Social-relationship notes: only Sensitive Relations, only the dealers he sees."""

    run_as_superuser = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Note = cls.env["dealer.relation.note"]
        cls.note_a = Note.create(
            {
                "partner_id": cls.distributor_a.id,
                "company_id": cls.company.id,
                "category": "family",
                "name": "Married, two children",
                "note": "Wife keeps the books",
            }
        )
        cls.note_b = Note.create(
            {
                "partner_id": cls.dealer.id,
                "company_id": cls.company.id,
                "category": "risk",
                "name": "Owner ill",
                "note": "Surgery last year",
            }
        )
        cls.note_other = Note.create(
            {
                "partner_id": cls.other_dealer.id,
                "company_id": cls.other_company.id,
                "category": "social_standing",
                "name": "Chamber member",
            }
        )

    def test_sensitive_user_reads_notes_of_own_dealers_only(self):
        Note = self.env["dealer.relation.note"].with_user(self.sensitive_a)
        self.assertEqual(Note.search([]), self.note_a)
        self.assertEqual(
            self.note_a.with_user(self.sensitive_a).read(["note"])[0]["note"],
            "Wife keeps the books",
        )
        with self.assertRaises(AccessError):
            self.note_b.with_user(self.sensitive_a).read(["note"])

    def test_sensitive_manager_reads_all_notes_of_his_company(self):
        Note = self.env["dealer.relation.note"].with_user(self.sensitive_manager)
        self.assertEqual(Note.search([]), self.note_a | self.note_b)
        with self.assertRaises(AccessError):
            self.note_other.with_user(self.sensitive_manager).read(["name"])

    def test_without_sensitive_group_no_path_reads_a_note(self):
        for user in (self.sales_a, self.manager, self.accountant):
            Note = self.env["dealer.relation.note"].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Note.search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.note_a.with_user(user).read(["note"])
            with self.assertRaises(AccessError, msg=user.login):
                Note.search_read([], ["note"])
            with self.assertRaises(AccessError, msg=user.login):
                Note.create({"partner_id": self.distributor_a.id, "name": "x"})

    def test_without_sensitive_group_partner_fields_hide_notes(self):
        dealer = self.distributor_a.with_user(self.manager)
        with self.assertRaises(AccessError):
            dealer.read(["dealer_relation_note_ids"])
        with self.assertRaises(AccessError):
            dealer.export_data(["dealer_relation_note_ids/note"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.manager).search(
                [("dealer_relation_note_ids.note", "ilike", "books")]
            )
        # The form does not even show the tab.
        arch = (
            self.env["res.partner"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("dealer_relation_note_ids", arch)
        arch = (
            self.env["res.partner"]
            .with_user(self.sensitive_manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("dealer_relation_note_ids", arch)

    def test_sensitive_user_writes_notes_and_changes_are_tracked(self):
        Note = self.env["dealer.relation.note"].with_user(self.sensitive_a)
        note = Note.create(
            {
                "partner_id": self.distributor_a.id,
                "name": "Hobbies",
                "category": "lifestyle",
                "note": "Tea",
            }
        )
        self.commit_tracking()  # as if the creation had been committed
        note.write({"note": "Tea and fishing"})
        self.commit_tracking()
        messages = self.env["mail.message"].search(
            [("model", "=", "dealer.relation.note"), ("res_id", "=", note.id)]
        )
        tracked = messages.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "note"
        )
        self.assertEqual(tracked.old_value_text, "Tea")
        self.assertEqual(tracked.new_value_text, "Tea and fishing")
