# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import DealerCommon, row_versions


@tagged("post_install", "-at_install")
class TestSalesTarget(DealerCommon):
    """Target achievement and pace, worked out by hand.

    July 2026, target 1,000. Invoiced (untaxed): 07-05 six rice cookers at 100 = 600;
    07-10 100 EUR at 2 EUR per unit = 50; 07-20 three kettles at 100 = 300; 07-21 credit
    note of one rice cooker = 100; 06-30 and 08-01 outside the month.
    Achieved 600 + 50 + 300 - 100 = 850.00 -> 85.00 %.
    On 2026-07-25, 25 of 31 days have elapsed: 80.645 %, pace 85.00 - 80.65 = 4.35.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice("2026-07-05", partner=cls.dealer, lines=[(cls.cooker, 6, 100.0)])
        cls.invoice("2026-07-10", 100, currency=cls.eur)
        cls.invoice("2026-07-20", lines=[(cls.kettle, 3, 100.0)])
        cls.invoice(
            "2026-07-21", lines=[(cls.cooker, 1, 100.0)], move_type="out_refund"
        )
        cls.invoice("2026-06-30", 999)
        cls.invoice("2026-08-01", 999)

    def target(self, user=None, **vals):
        with freeze_time("2026-07-25"):
            return (
                self.env["dealer.sales.target"]
                .with_user(user or self.manager)
                .create(
                    {
                        "partner_id": self.dealer.id,
                        "company_id": self.company.id,
                        "date_start": "2026-07-01",
                        "amount": 1000,
                        **vals,
                    }
                )
            )

    def test_achievement_and_pace_to_the_cent(self):
        target = self.target()
        self.assertEqual(str(target.date_end), "2026-07-31")
        self.assertEqual(target.achieved_amount, 850.0)
        self.assertEqual(target.achievement, 85.0)
        self.assertEqual(target.pace, 4.35)
        self.assertEqual(target.name, "Evaluated Dealer 2026-07")
        # at the end of the month the whole period has elapsed: 85 - 100 = -15
        with freeze_time("2026-08-02"):
            target.action_refresh()
        self.assertEqual(target.pace, -15.0)

    def test_grouped_achievement_is_a_ratio_of_sums(self):
        """Issue 23: the dashboard averaged percentages. Distributor A: target 3,000,
        300 invoiced in July: 10.00 %, pace 10.00 - 80.65 = -70.65. With the dealer's
        850 of 1,000 (85.00 %, pace 4.35): 1,150 / 4,000 = 28.75 %, not the average
        47.50 %; pace (1,000 x 4.35 + 3,000 x -70.65) / 4,000 = -51.90, which is
        28.75 - 80.65 as a pace should be."""
        self.invoice("2026-07-15", 300, partner=self.distributor_a)
        mine = self.target()
        other = self.target(partner_id=self.distributor_a.id, amount=3000)
        self.assertEqual((other.achievement, other.pace), (10.0, -70.65))
        Target = self.env["dealer.sales.target"].with_user(self.manager)
        domain = [("id", "in", (mine | other).ids)]
        # as the pivot, the graph and a grouped list ask (read_group), and the
        # dashboard's pivot grouped by salesperson
        [group] = Target.read_group(
            domain, ["amount", "achieved_amount", "achievement", "pace"], []
        )
        self.assertEqual((group["amount"], group["achieved_amount"]), (4000.0, 1150.0))
        self.assertEqual((group["achievement"], group["pace"]), (28.75, -51.9))
        by_salesperson = {
            salesperson: (achievement, pace)
            for salesperson, achievement, pace in Target._read_group(
                domain, ["salesperson_id"], ["achievement:avg", "pace:sum"]
            )
        }
        self.assertEqual(
            by_salesperson,
            {self.salesperson: (85.0, 4.35), self.sensitive_a: (10.0, -70.65)},
        )
        # no target in the group: no achievement (not a division by zero)
        mine.sudo().write({"amount": 0.0})
        self.assertEqual(
            Target._read_group([("id", "=", mine.id)], [], ["achievement:avg"]),
            [(False,)],
        )

    def test_quarter_target_and_product_lines(self):
        target = self.target(
            period_type="quarter",
            amount=2000,
            line_ids=[
                Command.create({"categ_id": self.appliances.id, "quantity": 10}),
                Command.create({"product_id": self.cooker.id, "amount": 1000}),
            ],
        )
        self.assertEqual(str(target.date_end), "2026-09-30")
        # July to September: 850 + 999 (08-01) = 1849 -> 92.45 %
        self.assertEqual(target.achieved_amount, 1849.0)
        self.assertEqual(target.achievement, 92.45)
        category_line, product_line = target.line_ids
        # the parent counts its subcategories: cookers 6 - 1 and kettles 3 = 8 units
        self.assertEqual(category_line.achieved_quantity, 8.0)
        self.assertEqual(category_line.achieved_amount, 800.0)
        self.assertEqual(category_line.achievement, 80.0)
        self.assertEqual(product_line.achieved_amount, 500.0)
        self.assertEqual(product_line.achievement, 50.0)

    def test_achievement_from_confirmed_sale_orders(self):
        self.company.dealer_target_source = "sale"
        with freeze_time("2026-07-25"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.kettle.id,
                                "product_uom_qty": 4,
                                "price_unit": 100,
                                "tax_id": [],
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            self.env["sale.order"].create(
                {  # a quotation does not count
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.kettle.id,
                                "product_uom_qty": 9,
                                "price_unit": 100,
                            }
                        )
                    ],
                }
            )
        target = self.target()
        self.assertEqual(target.achieved_amount, 400.0)
        self.assertEqual(target.achievement, 40.0)

    def test_bad_targets_are_refused(self):
        with self.refused(ValidationError, "cannot be negative"):
            self.target(amount=-5)
        customer = self.env["res.partner"].create({"name": "Walk-in"})
        with self.refused(ValidationError, "not a dealer"):
            self.target(partner_id=customer.id)
        with self.refused(ValidationError, "first day"):
            self.target(date_start="2026-07-02")
        with self.refused(ValidationError, "first day"):
            self.target(period_type="quarter", date_start="2026-08-01")
        self.target()
        with self.refused(ValidationError, "overlapping"):
            self.target(period_type="quarter")
        with self.refused(ValidationError, "category or for a product"):
            self.target(
                date_start="2026-08-01", line_ids=[Command.create({"quantity": 1})]
            )
        with self.refused(ValidationError, "cannot be negative"):
            self.target(
                date_start="2026-09-01",
                line_ids=[
                    Command.create({"product_id": self.cooker.id, "quantity": -1})
                ],
            )

    def test_rights(self):
        target = self.target()
        self.assertEqual(target.with_user(self.salesperson).achieved_amount, 850.0)
        with self.assertRaises(AccessError):
            target.with_user(self.salesperson).amount = 10
        with self.assertRaises(AccessError):
            self.target(user=self.salesperson, date_start="2026-08-01")
        other = self.sales_a  # another salesperson of the company
        with self.assertRaises(AccessError):
            target.with_user(other).read(["amount"])

    def test_import_from_a_spreadsheet(self):
        """Odoo's import (base_import's load()) with the columns a user would have."""
        second = self.env["res.partner"].create(
            {
                "name": "Second Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "company_id": self.company.id,
            }
        )
        with freeze_time("2026-07-25"):
            result = (
                self.env["dealer.sales.target"]
                .with_user(self.manager)
                .load(
                    ["partner_id", "period_type", "date_start", "amount"],
                    [
                        ["Evaluated Dealer", "month", "2026-07-01", "2000"],
                        ["Second Dealer", "quarter", "2026-07-01", "500.50"],
                    ],
                )
            )
        self.assertFalse(result["messages"])
        first, other = self.env["dealer.sales.target"].browse(result["ids"])
        self.assertEqual(
            (first.partner_id, first.amount, first.achieved_amount, first.achievement),
            (self.dealer, 2000.0, 850.0, 42.5),
        )
        self.assertEqual(
            (other.partner_id, str(other.date_end), other.amount),
            (second, "2026-09-30", 500.5),
        )
        with freeze_time("2026-07-25"):
            bad = (
                self.env["dealer.sales.target"]
                .with_user(self.manager)
                .load(
                    ["partner_id", "date_start", "amount"],
                    [["Evaluated Dealer", "2026-08-15", "100"]],
                )
            )
        self.assertFalse(bad["ids"])
        self.assertIn("first day of a month", bad["messages"][0]["message"])

    def test_refresh_is_idempotent(self):
        target = self.target()
        with freeze_time("2026-07-25"):
            target.action_refresh()
        versions = row_versions(target)
        with freeze_time("2026-07-25"):
            target.action_refresh()
        self.assertEqual(row_versions(target), versions)

    def test_target_achievement_criterion(self):
        criterion = self.env.ref("dealer_management.criterion_target").with_user(
            self.manager
        )
        self.assertFalse(criterion.active)
        criterion.active = True
        self.target()
        self.target(date_start="2026-08-01", amount=500)
        evaluation = (
            self.env["dealer.evaluation"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2026-07-01",
                    "date_end": "2026-09-30",
                }
            )
        )
        line = evaluation.line_ids.filtered(lambda line: line.criterion_id == criterion)
        # (850 + 999) / (1000 + 500) = 123.27 % -> target reached, 5
        self.assertEqual(line.measured_value, 123.27)
        self.assertEqual(line.score, 5)
        self.assertIn("2 targets", line.measure_basis)
