# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer's monthly stock report from the portal (库存上报): proposed, checked like
the backend, all or nothing, and closed once the salesperson accepted it."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

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
        with self.assertRaisesRegex(UserError, "is not the closing 3.0"):
            self.submit(
                {
                    self.kettle.id: (4.0, 10.0, 8.0, 6.0),
                    self.cooker.id: (0.0, 2.0, 0.0, 3.0),
                }
            )
        with self.assertRaisesRegex(UserError, "A product of the list only"):
            self.submit(
                {
                    self.kettle.id: (4.0, 10.0, 8.0, 6.0),
                    self.part.id: (0.0, 0.0, 0.0, 0.0),
                }
            )
        with self.assertRaisesRegex(UserError, "no negative quantity"):
            self.submit({self.kettle.id: (4.0, 10.0, 16.0, -2.0)})
        self.assertFalse(self.june())

    def test_an_accepted_report_stays(self):
        report = self.submit({self.kettle.id: (4.0, 10.0, 8.0, 6.0)})
        report.with_user(self.salesperson).action_accept()
        self.assertEqual(report.state, "accepted")
        with self.assertRaisesRegex(UserError, "accepted this month's report"):
            self.submit({self.kettle.id: (4.0, 10.0, 9.0, 5.0)})
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
        with self.assertRaises(UserError):
            self.Report.with_user(clerk)._portal_order(self.dealer, self.company, JUNE)
