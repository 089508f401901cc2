# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestDealerFile(DealerCommon):
    """The dealer file (客户档案) on the commercial partner."""

    run_as_superuser = True

    def test_dealer_code_from_the_sequence(self):
        sequence = self.env.ref("dealer_management.seq_dealer_partner_code")
        sequence.number_next_actual = 42
        dealer = self.env["res.partner"].create(
            {
                "name": "Coded",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(dealer.dealer_code, "DL00042")
        contact = self.env["res.partner"].create(
            {"name": "Clerk", "parent_id": dealer.id}
        )
        self.assertTrue(contact.is_dealer)
        self.assertFalse(contact.dealer_code)
        customer = self.env["res.partner"].create({"name": "Becomes a dealer"})
        self.assertFalse(customer.dealer_code)
        customer.write({"is_dealer": True, "dealer_level": "retailer"})
        self.assertEqual(customer.dealer_code, "DL00043")
        customer.write({"is_dealer": True})
        self.assertEqual(customer.dealer_code, "DL00043")

    def test_dealer_code_unique_per_company(self):
        self.dealer.dealer_code = "DLX"
        self.other_dealer.dealer_code = "DLX"  # another company: allowed
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.distributor_a.dealer_code = "DLX"
                self.env.flush_all()

    def test_network_counts_every_level(self):
        Partner = self.env["res.partner"]
        retailers = Partner.create(
            [
                {
                    "name": f"Retailer {i}",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_level": "retailer",
                    "dealer_parent_id": self.wholesaler_a.id,
                    "company_id": self.company.id,
                }
                for i in range(3)
            ]
        )
        Partner.create({"name": "Shop contact", "parent_id": retailers[0].id})
        partners = self.distributor_a | self.wholesaler_a | self.dealer | retailers[0]
        partners.invalidate_recordset(
            ["dealer_network_count", "dealer_downstream_count"]
        )
        self.assertEqual(partners.mapped("dealer_network_count"), [4, 3, 0, 0])
        self.assertEqual(partners.mapped("dealer_downstream_count"), [1, 3, 0, 0])
        action = self.distributor_a.action_view_dealer_network()
        self.assertEqual(
            Partner.search(action["domain"]), self.wholesaler_a | retailers
        )

    def test_status_and_first_cooperation_follow_to_contacts(self):
        self.distributor_a.write(
            {"dealer_status": "probation", "dealer_since": "2020-03-01"}
        )
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.distributor_a.id}
        )
        self.assertEqual(contact.dealer_status, "probation")
        self.assertEqual(str(contact.dealer_since), "2020-03-01")

    def test_exclusive_territory_has_one_dealer(self):
        territory = self.env["dealer.territory"].create(
            {
                "name": "Pearl River Delta",
                "exclusive": True,
                "company_id": self.company.id,
                "state_ids": [(6, 0, self.env.ref("base.state_cn_GD").ids)],
            }
        )
        self.distributor_a.dealer_territory_ids = territory
        with self.assertRaisesRegex(ValidationError, "exclusive"):
            self.dealer.dealer_territory_ids = territory
        territory.exclusive = False
        self.dealer.dealer_territory_ids = territory
        self.assertEqual(territory.dealer_ids, self.distributor_a | self.dealer)

    def test_capacity_in_company_currency(self):
        self.company.currency_id = self.env.ref("base.CNY")
        self.distributor_a.write(
            {
                "dealer_registered_capital": 5000000,
                "dealer_warehouse_area": 1200.5,
                "dealer_outlet_count": 85,
            }
        )
        self.assertEqual(self.distributor_a.dealer_currency_id.name, "CNY")
        self.assertEqual(self.distributor_a.dealer_registered_capital, 5000000)

    def test_only_managers_configure_territories_and_brands(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["dealer.territory"].with_user(self.sales_a).create(
                {"name": "Mine"}
            )
        with self.assertRaises(AccessError):
            self.env["dealer.brand"].with_user(self.accountant).create({"name": "Fake"})
        brand = (
            self.env["dealer.brand"]
            .with_user(self.manager)
            .create({"name": "Test Brand", "own": True})
        )
        self.assertEqual(
            brand.with_user(self.sales_a).read(["name"])[0]["name"], "Test Brand"
        )

    def test_the_card_shows_twelve_months_of_net_sales_in_the_company_currency(self):
        """Issue 23: Odoo's partner card showed "$ 0" in a CNY company. On
        2026-07-01 the twelve months are 2025-07-02 to 2026-07-01: 1,000 invoiced,
        300 credited, the 2025-07-01 invoice outside them: 700."""
        dealer = self.env["res.partner"].create(
            {
                "name": "Card Dealer",
                "is_company": True,
                "is_dealer": True,
                "company_id": self.company.id,
            }
        )
        self.invoice("2025-07-01", 5000, partner=dealer)
        self.invoice("2025-07-02", 1000, partner=dealer)
        self.invoice("2026-06-30", 300, partner=dealer, move_type="out_refund")
        with freeze_time("2026-07-01"):
            dealer.invalidate_recordset(["dealer_sales_12m"])
            card = dealer.with_user(self.manager)
            self.assertEqual(card.dealer_sales_12m, 700.0)
            self.assertEqual(card.dealer_currency_id, self.company.currency_id)
        arch = (
            self.env["res.partner"]
            .with_user(self.manager)
            .get_view(self.env.ref("dealer_management.dealer_partner_view_kanban").id)[
                "arch"
            ]
        )
        self.assertIn('name="dealer_sales_12m"', arch)
        self.assertIn("dealer_currency_id", arch)
        action = self.env.ref("dealer_management.dealer_partner_action")
        self.assertEqual(
            action.view_ids.filtered(lambda v: v.view_mode == "kanban").view_id,
            self.env.ref("dealer_management.dealer_partner_view_kanban"),
        )
        # the form's button: the same figure, opening the documents it adds up
        with freeze_time("2026-07-01"):
            invoices = self.env["account.move"].search(
                dealer.with_user(self.manager).action_view_dealer_sales()["domain"]
            )
        self.assertEqual(
            sorted(invoices.mapped("amount_untaxed_signed")), [-300.0, 1000.0]
        )
        form = (
            self.env["res.partner"].with_user(self.manager).get_view(view_type="form")
        )
        self.assertIn('name="action_view_dealer_sales"', form["arch"])
        self.assertIn("is_dealer and not sale_order_count", form["arch"])
