# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DealerCommon


class RelationsCommon(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_env_user_manager()


@tagged("post_install", "-at_install")
class TestDealerContract(RelationsCommon):
    def contract(self, **vals):
        return (
            self.env["dealer.contract"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "product_category_ids": [Command.set(self.cookers.ids)],
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                    "reminder_days": 30,
                    "template_id": self.env.ref(
                        "dealer_management.dealer_contract_template_standard"
                    ).id,
                    **vals,
                }
            )
        )

    def contract_from_form(self):
        """A manager's contract, made in the form with the clauses of the template."""
        with Form(self.env["dealer.contract"].with_user(self.manager)) as form:
            form.partner_id = self.dealer
            form.product_category_ids.add(self.cookers)
            form.date_start = "2026-01-01"
            form.date_end = "2026-12-31"
            form.template_id = self.env.ref(
                "dealer_management.dealer_contract_template_standard"
            )
        return form.record

    def test_one_active_contract_per_dealer_and_product_line(self):
        first = self.contract()
        self.assertTrue(first.name.startswith("HT"))
        first.action_activate()
        overlapping = self.contract(date_start="2026-06-01", date_end="2027-05-31")
        with self.refused(ValidationError, "already has an active contract"):
            overlapping.action_activate()
        other_line = self.contract(product_category_ids=[Command.set(self.kettles.ids)])
        other_line.action_activate()
        self.assertEqual(other_line.state, "active")
        with self.refused(ValidationError, "ends before it starts"):
            self.contract(date_start="2026-05-01", date_end="2026-04-30")
        with self.refused(ValidationError, "cannot be negative"):
            self.contract(credit_limit=-1)

    def test_reminder_expiry_and_renewal(self):
        contract = self.contract()
        contract.action_activate()
        Contract = self.env["dealer.contract"]
        with freeze_time("2026-11-30"):  # 31 days before the end: not yet
            self.assertFalse(
                Contract._cron_contract_reminders(companies=self.company).filtered(
                    lambda c: c == contract
                )
            )
        with freeze_time("2026-12-01"):
            Contract._cron_contract_reminders(companies=self.company)
        activity = contract.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(str(activity.date_deadline), "2026-12-31")
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("dealer_management.mail_activity_type_contract_end"),
        )
        with freeze_time("2026-12-02"):
            Contract._cron_contract_reminders(companies=self.company)
        self.assertEqual(len(contract.activity_ids), 1)
        with freeze_time("2027-01-01"):
            Contract._cron_contract_reminders(companies=self.company)
        self.assertEqual(contract.state, "expired")
        action = contract.with_user(self.manager).action_renew()
        renewal = Contract.browse(action["res_id"])
        self.assertEqual(
            (renewal.state, str(renewal.date_start), str(renewal.date_end)),
            ("draft", "2027-01-01", "2027-12-31"),
        )
        self.assertEqual(renewal.renewed_from_id, contract)
        self.assertEqual(contract.renewal_id, renewal)
        self.assertEqual(renewal.clause_quality, contract.clause_quality)
        with self.refused(UserError, "already renewed"):
            contract.with_user(self.manager).action_renew()

    def test_termination_and_rights(self):
        contract = self.contract()
        with self.assertRaises(AccessError):
            contract.with_user(self.salesperson).action_activate()
        self.assertEqual(contract.with_user(self.salesperson).state, "draft")
        contract.action_activate()
        wizard = (
            self.env["dealer.contract.terminate"]
            .with_user(self.manager)
            .create(
                {"contract_id": contract.id, "reason": "Sold outside his territory"}
            )
        )
        wizard.action_confirm()
        self.assertEqual(
            (contract.state, contract.termination_reason),
            ("terminated", "Sold outside his territory"),
        )
        with self.refused(UserError, "Only active"):
            contract.action_terminate("again")

    def test_clauses_from_the_template_and_the_printed_contract(self):
        contract = self.contract_from_form()
        self.assertIn("within seven days", contract.clause_delivery)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "dealer_management.dealer_contract_document_lang", contract.ids
            )[0]
            .decode()
        )
        self.assertIn(contract.name, html)
        self.assertIn("Party B (Dealer)", html)
        self.assertIn("Evaluated Dealer", html)
        self.assertIn("within seven days", html)
        self.assertIn("Rice Cookers", html)

    def test_printed_in_chinese_for_a_chinese_dealer(self):
        self.load_zh_cn()
        self.dealer.lang = "zh_CN"
        contract = self.contract_from_form()
        self.assertIn("订货后七日内送达经销商仓库", contract.clause_delivery)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "dealer_management.dealer_contract_document_lang", contract.ids
            )[0]
            .decode()
        )
        self.assertIn("甲方(制造商)", html)
        self.assertIn("三、<span>发送</span>", html)
        self.assertIn("订货后七日内送达经销商仓库", html)


@tagged("post_install", "-at_install")
class TestDealerStock(RelationsCommon):
    """Sell-out April 30, May 36, June 42: average 36 a month, 36 x 12 / 52 = 8.3077 a
    week. June closes at 48: 48 / 8.3077 = 5.8 weeks of cover. Summer safety stock 20
    and cover wanted 6 weeks: 8.3077 x 6 + 20 - 48 = 21.85, proposal 22 units."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["dealer.safety.stock"].create(
            {
                "product_id": cls.cooker.id,
                "company_id": cls.company.id,
                "month_from": 6,
                "month_to": 8,
                "quantity": 20,
                "cover_weeks": 6,
            }
        )
        Report = cls.env["dealer.stock.report"].with_user(cls.salesperson)
        cls.reports = Report.create(
            [
                {
                    "partner_id": cls.dealer.id,
                    "company_id": cls.company.id,
                    "product_id": cls.cooker.id,
                    "month": month,
                    "opening": opening,
                    "received": received,
                    "sold": sold,
                    "closing": closing,
                }
                for month, opening, received, sold, closing in (
                    ("2026-04-01", 60, 20, 30, 50),
                    ("2026-05-01", 50, 36, 36, 50),
                )
            ]
        )
        cls.invoice("2026-06-10", lines=[(cls.cooker, 40, 200.0)])

    def june(self):
        with Form(self.env["dealer.stock.report"].with_user(self.salesperson)) as form:
            form.partner_id = self.dealer
            form.product_id = self.cooker
            form.month = "2026-06-01"
            # proposed: opening from May's closing, received from our invoices of June
            self.assertEqual((form.opening, form.received), (50, 40))
            form.sold = 42
            form.closing = 48
        return form.record

    def test_cover_and_replenishment_proposal(self):
        june = self.june()
        self.assertAlmostEqual(june.average_sold, 36.0)
        self.assertEqual(round(june.weeks_of_cover, 1), 5.8)
        self.assertEqual(june.safety_stock, 20)
        self.assertEqual(june.proposed_quantity, 22)
        self.assertFalse(june.is_overstock)
        action = june.action_create_sale_order()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.dealer)
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in order.order_line],
            [(self.cooker, 22)],
        )
        self.assertEqual(june.sale_order_id, order)
        with self.refused(UserError, "Nothing to replenish"):
            june.action_create_sale_order()

    def test_import_from_a_spreadsheet(self):
        result = (
            self.env["dealer.stock.report"]
            .with_user(self.salesperson)
            .load(
                [
                    "partner_id",
                    "product_id",
                    "month",
                    "opening",
                    "received",
                    "sold",
                    "closing",
                ],
                [
                    [
                        "Evaluated Dealer",
                        "Rice Cooker 4L",
                        "2026-06-01",
                        "50",
                        "40",
                        "42",
                        "48",
                    ]
                ],
            )
        )
        self.assertFalse(result["messages"])
        june = self.env["dealer.stock.report"].browse(result["ids"])
        self.assertEqual(june.proposed_quantity, 22)
        result = (
            self.env["dealer.stock.report"]
            .with_user(self.salesperson)
            .load(
                [
                    "partner_id",
                    "product_id",
                    "month",
                    "opening",
                    "received",
                    "sold",
                    "closing",
                ],
                [
                    [
                        "Evaluated Dealer",
                        "Rice Cooker 4L",
                        "2026-07-01",
                        "48",
                        "10",
                        "20",
                        "30",
                    ]
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("is not the closing", result["messages"][0]["message"])

    def test_overstock_and_balance(self):
        # May closing 50 at 33 a month (30 and 36): 33 x 12 / 52 = 7.615 a week -> 6.6
        # weeks; June closes at 120 (sold 42, received 112): 120 / 8.3077 = 14.4 > 12
        june = self.env["dealer.stock.report"].create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "product_id": self.cooker.id,
                "month": "2026-06-01",
                "opening": 50,
                "received": 112,
                "sold": 42,
                "closing": 120,
            }
        )
        self.assertEqual(round(june.weeks_of_cover, 1), 14.4)
        self.assertTrue(june.is_overstock)
        self.assertEqual(june.proposed_quantity, 0)
        with self.refused(ValidationError, "is not the closing"):
            june.closing = 119
        with self.refused(ValidationError, "cannot be negative"):
            june.write({"sold": -1, "closing": 163})
        with self.refused(ValidationError, "date it on the 1st"):
            june.month = "2026-06-15"
        # the limit is a company setting: at 15 weeks, 14.4 is no longer overstock
        self.env["res.config.settings"].sudo().create(
            {"company_id": self.company.id, "dealer_overstock_weeks": 15}
        ).execute()
        self.assertEqual(self.company.dealer_overstock_weeks, 15)
        june.invalidate_recordset(["is_overstock"])
        self.assertFalse(june.is_overstock)


@tagged("post_install", "-at_install")
class TestSupportVisitsServiceIncentives(RelationsCommon):
    def test_support_costs_make_the_expense_ratio(self):
        self.invoice("2026-03-10", 10000)
        Support = self.env["dealer.support"].with_user(self.salesperson)
        vals = {"partner_id": self.dealer.id, "company_id": self.company.id}
        given = Support.create(
            [
                dict(
                    vals,
                    name="Billboard",
                    support_type="advertising",
                    date="2026-03-01",
                    cost=600,
                ),
                dict(
                    vals,
                    name="Training",
                    support_type="training",
                    date="2026-04-01",
                    cost=300,
                ),
            ]
        )
        given.action_done()
        Support.create(dict(vals, name="Planned fair", date="2026-04-02", cost=1000))
        Support.create(
            dict(vals, name="Cancelled", date="2026-04-03", cost=200)
        ).action_cancel()
        # (600 + 300) / 10,000 = 9.00 %
        ratios = self.env["dealer.support"]._expense_ratios(
            self.company, self.dealer.ids, "2026-01-01", "2026-06-30"
        )
        self.assertEqual(ratios[self.dealer.id], (900.0, 10000.0, 9.0))
        self.assertEqual(
            self.dealer.with_user(self.salesperson).dealer_support_cost, 900.0
        )
        with self.refused(ValidationError, "cannot be negative"):
            Support.create(dict(vals, name="x", cost=-5))
        customer = self.env["res.partner"].create({"name": "Not a dealer"})
        with self.refused(ValidationError, "not a dealer"):
            Support.create(dict(vals, name="x", partner_id=customer.id))

    def test_visit_schedules_an_activity_and_shows_when_overdue(self):
        visit = (
            self.env["dealer.visit"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "visit_type": "quarterly_meeting",
                    "date_planned": "2026-07-10",
                    "purpose": "Review Q2 sales and plan Q3",
                }
            )
        )
        activity = visit.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("dealer_management.mail_activity_type_quarterly_meeting"),
        )
        self.assertEqual(
            (activity.user_id, str(activity.date_deadline)),
            (self.salesperson, "2026-07-10"),
        )
        Visit = self.env["dealer.visit"].with_user(self.salesperson)
        with freeze_time("2026-07-10"):
            self.assertFalse(
                Visit.search([("is_overdue", "=", True), ("id", "=", visit.id)])
            )
        with freeze_time("2026-07-12"):
            visit.invalidate_recordset(["is_overdue"])
            self.assertTrue(visit.is_overdue)
            self.assertEqual(
                Visit.search([("is_overdue", "=", True), ("id", "=", visit.id)]), visit
            )
            with self.refused(UserError, "outcome"):
                visit.action_done()
            visit.outcome = "Q3 target agreed: 1.2 million"
            visit.action_done()
            self.assertEqual(
                (visit.state, str(visit.date_done)), ("done", "2026-07-12")
            )
            self.assertFalse(visit.activity_ids)
            self.assertFalse(
                Visit.search([("is_overdue", "=", True), ("id", "=", visit.id)])
            )

    def test_service_deadline_and_overdue(self):
        Case = self.env["dealer.service.case"].with_user(self.salesperson)
        vals = {
            "partner_id": self.dealer.id,
            "company_id": self.company.id,
            "date_received": "2026-07-01 09:00:00",
            "reason": "Broken lid",
        }
        complaint = Case.create(dict(vals, case_type="complaint"))  # 8 hours
        returned = Case.create(
            dict(vals, case_type="return", product_id=self.cooker.id, quantity=2)
        )  # 24 hours
        repair = Case.create(dict(vals, case_type="repair"))  # 48 hours
        self.assertEqual(str(complaint.response_deadline), "2026-07-01 17:00:00")
        self.assertEqual(str(returned.response_deadline), "2026-07-02 09:00:00")
        self.assertEqual(str(repair.response_deadline), "2026-07-03 09:00:00")
        with freeze_time("2026-07-01 20:00:00"):
            returned.action_answer()
        with freeze_time("2026-07-04 10:00:00"):
            repair.action_answer()  # answered a day late
            cases = complaint | returned | repair
            cases.invalidate_recordset(["is_overdue"])
            self.assertEqual(cases.mapped("is_overdue"), [True, False, True])
            self.assertEqual(
                Case.search([("is_overdue", "=", True), ("id", "in", cases.ids)]),
                complaint | repair,
            )
            with self.refused(UserError, "resolution"):
                returned.action_resolve()
            refund = self.invoice("2026-07-04", 400, move_type="out_refund")
            returned.write(
                {"resolution": "Two cookers taken back", "credit_note_id": refund.id}
            )
            returned.action_resolve()
            self.assertEqual(returned.state, "resolved")
        self.assertTrue(complaint.name.startswith("SH"))
        with self.refused(ValidationError, "cannot be negative"):
            Case.create(dict(vals, quantity=-1))

    def test_incentives_in_the_dealer_file(self):
        Incentive = self.env["dealer.incentive"].with_user(self.manager)
        award = Incentive.create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "name": "Best distributor 2026",
                "incentive_type": "training_trip",
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
            }
        )
        self.assertEqual(
            self.dealer.with_user(self.salesperson).dealer_incentive_ids, award
        )
        with self.assertRaises(AccessError):
            self.env["dealer.incentive"].with_user(self.salesperson).create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "name": "x",
                    "period_start": "2026-01-01",
                    "period_end": "2026-12-31",
                }
            )
        with self.refused(ValidationError, "ends before it starts"):
            Incentive.create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "name": "x",
                    "period_start": "2026-02-01",
                    "period_end": "2026-01-31",
                }
            )
