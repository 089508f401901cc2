# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.dealer_management.demo.demo_network import (
    MONTHS,
    contract_terms,
    invoice_day,
)

from .common import DealerCommon, DemoCommon


@tagged("post_install", "-at_install")
class TestDemoData(DemoCommon):
    """The demo network: what it holds."""

    def test_company_is_chinese_in_cny(self):
        self.assertEqual(self.company.currency_id.name, "CNY")
        self.assertEqual(self.company.country_id.code, "CN")
        self.assertTrue(self.company.chart_template)

    def test_network_size_provinces_and_levels(self):
        self.assertEqual(len(self.dealers), 29)
        self.assertEqual(len(self.dealers.state_id), 7)
        distributors = self.dealers.filtered(
            lambda d: d.dealer_level == "general_distributor"
        )
        downstream = self.dealers - distributors
        self.assertEqual(len(distributors), 7)
        self.assertEqual(
            set(downstream.mapped("dealer_level")), {"secondary_wholesaler", "retailer"}
        )
        self.assertEqual(downstream.dealer_parent_id, distributors)
        for dealer in downstream:
            self.assertEqual(dealer.state_id, dealer.dealer_parent_id.state_id)

    def test_dealer_file_is_filled(self):
        self.assertEqual(len(set(self.dealers.mapped("dealer_code"))), 29)
        self.assertTrue(
            all(code.startswith("DL") for code in self.dealers.mapped("dealer_code"))
        )
        self.assertEqual(set(self.dealers.mapped("dealer_status")), {"active"})
        self.assertTrue(all(self.dealers.mapped("dealer_since")))
        self.assertTrue(all(self.dealers.mapped("dealer_warehouse_area")))
        self.assertTrue(all(self.dealers.mapped("dealer_registered_capital")))
        self.assertEqual(len(self.dealers.dealer_product_category_ids), 4)
        self.assertTrue(
            all(
                d.dealer_brand_ids and all(d.dealer_brand_ids.mapped("own"))
                for d in self.dealers
            )
        )
        self.assertTrue(self.dealers.dealer_other_brand_ids)
        distributors = self.dealers.filtered(
            lambda d: d.dealer_level == "general_distributor"
        )
        for distributor in distributors:
            self.assertEqual(
                distributor.dealer_territory_ids.state_ids, distributor.state_id
            )
            self.assertTrue(distributor.dealer_territory_ids.exclusive)
            self.assertEqual(
                distributor.dealer_network_count,
                len(
                    self.dealers.filtered(
                        lambda d, p=distributor: d.dealer_parent_id == p
                    )
                ),
            )

    def test_three_salespeople_share_the_dealers(self):
        salespeople = self.dealers.user_id
        self.assertEqual(len(salespeople), 3)
        for user in salespeople:
            self.assertTrue(user.has_group("dealer_management.group_dealer_user"))
            self.assertFalse(user.has_group("dealer_management.group_dealer_manager"))
            own = (
                self.env["res.partner"]
                .with_user(user)
                .search([("id", "in", self.dealers.ids)])
            )
            self.assertEqual(
                own, self.dealers.filtered(lambda d, u=user: d.user_id == u)
            )

    def test_products_in_four_categories(self):
        products = self.invoices.invoice_line_ids.product_id
        self.assertEqual(len(products), 8)
        self.assertEqual(len(products.categ_id), 4)

    def test_twelve_months_of_invoices_for_every_dealer(self):
        first_month = self.today.replace(day=1) - relativedelta(months=12)
        expected = {
            (m.year, m.month)
            for m in (first_month + relativedelta(months=i) for i in range(13))
        }
        self.assertEqual(self.invoices.partner_id, self.dealers)
        self.assertLessEqual(max(self.invoices.mapped("invoice_date")), self.today)
        # every dealer has invoices in each of the 13 months, the current one included
        for dealer in self.dealers:
            mine = self.invoices.filtered(lambda m, d=dealer: m.partner_id == d)
            self.assertEqual(
                {(d.year, d.month) for d in mine.mapped("invoice_date")},
                expected,
                dealer.name,
            )
        self.assertTrue(self.moves.filtered(lambda m: m.move_type == "out_refund"))
        # returns reverse an invoice; the rebate credit notes settle a statement, the
        # market-expense ones a claim
        refunds = self.moves.filtered(
            lambda m: m.move_type == "out_refund"
            and not m.dealer_rebate_id
            and not m.dealer_fund_claim_id
        )
        self.assertTrue(all(r.reversed_entry_id for r in refunds))

    def test_paid_on_time_paid_late_and_overdue(self):
        on_time = late = 0
        for invoice in self.invoices.filtered(
            lambda m: m.payment_state in ("paid", "in_payment")
        ):
            payments = invoice._get_reconciled_payments()
            if not payments:
                continue
            if max(payments.mapped("date")) > invoice.invoice_date_due:
                late += 1
            else:
                on_time += 1
        self.assertGreater(on_time, 50)
        self.assertGreater(late, 50)
        overdue = self.invoices.filtered(
            lambda m: m.payment_state == "not_paid" and m.invoice_date_due < self.today
        )
        self.assertGreaterEqual(len(overdue.partner_id), 3)

    def test_some_dealers_grow_and_some_decline(self):
        """Untaxed revenue of the first three full months against the last three."""
        month = self.today.replace(day=1)
        early = (month - relativedelta(months=12), month - relativedelta(months=9))
        recent = (month - relativedelta(months=3), month)

        def revenue(start, end):
            groups = self.env["account.move"]._read_group(
                [
                    ("id", "in", self.moves.ids),
                    ("invoice_date", ">=", start),
                    ("invoice_date", "<", end),
                ],
                groupby=["partner_id"],
                aggregates=["amount_untaxed_signed:sum"],
            )
            return dict(groups)

        before, after = revenue(*early), revenue(*recent)
        growing = [d for d in self.dealers if after[d] > 1.2 * before[d]]
        declining = [d for d in self.dealers if after[d] < 0.8 * before[d]]
        self.assertGreaterEqual(len(growing), 5)
        self.assertGreaterEqual(len(declining), 5)

    def test_relation_notes_on_distributors(self):
        notes = self.env["dealer.relation.note"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(notes), 14)
        self.assertEqual(
            set(notes.partner_id.mapped("dealer_level")), {"general_distributor"}
        )

    def test_every_dealer_has_an_approved_evaluation_with_measured_figures(self):
        evaluations = self.env["dealer.evaluation"].search(
            [("partner_id", "in", self.dealers.ids)]
        )
        approved = evaluations.filtered(lambda e: e.state == "approved")
        self.assertEqual(approved.partner_id, self.dealers)
        for evaluation in approved:
            measured = evaluation.line_ids.filtered(
                lambda line: line.source != "manual"
            )
            self.assertEqual(len(measured), 3, evaluation.name)
            # growth and return rate are measured for every dealer, each with its basis
            for line in measured.filtered(
                lambda line: line.source != "payment_punctuality"
            ):
                self.assertIn(self.company.currency_id.symbol, line.measure_basis)
            self.assertNotEqual(evaluation.approver_id, evaluation.evaluator_id)
        # scores spread over the grades, a trend, decisions, a suspension proposed
        self.assertGreaterEqual(len(set(approved.mapped("grade"))), 2)
        self.assertTrue(any(self.dealers.mapped("dealer_score_trend")))
        self.assertGreaterEqual(
            len(set(self.dealers.mapped("dealer_decision")) - {False}), 3
        )
        self.assertEqual(
            len(evaluations.filtered(lambda e: e.suspension_state == "proposed")), 1
        )
        self.assertTrue(evaluations.filtered(lambda e: e.state == "submitted"))

    def test_targets_and_tiers(self):
        targets = self.env["dealer.sales.target"].search(
            [("partner_id", "in", self.dealers.ids)]
        )
        self.assertEqual(len(targets), 4 * len(self.dealers))
        self.assertTrue(targets.filtered(lambda t: t.achievement >= 100))
        self.assertTrue(targets.filtered(lambda t: 0 < t.achievement < 100))
        tiers = self.dealers.mapped("dealer_tier")
        for tier in ("A", "B", "C"):
            self.assertIn(tier, tiers)
        run = self.env["dealer.tier.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.dealer_count, len(self.dealers))
        self.assertEqual(len(self.dealers.filtered("dealer_tier_override")), 1)
        # computed as Chen Min's button does it: in the background, one batch
        job = self.env["dealer.job"].search([("kind", "=", "tiers")])
        self.assertEqual(
            (job.user_id.login, job.state, job.batch_done, job.batch_total),
            ("dm_chen", "done", 1, 1),
        )

    def test_contracts_stock_support_visits_service_incentives(self):
        def count(model, domain=()):
            return self.env[model].search_count(
                [("partner_id", "in", self.dealers.ids), *domain]
            )

        self.assertEqual(count("dealer.contract", [("state", "=", "active")]), 7)
        self.assertEqual(count("dealer.contract", [("state", "=", "expired")]), 7)
        self.assertEqual(count("dealer.contract", [("state", "=", "draft")]), 1)
        self.assertEqual(count("dealer.contract", [("end_reminded", "=", True)]), 1)
        self.assertEqual(count("dealer.support", [("state", "=", "done")]), 12)
        self.assertTrue(count("dealer.visit", [("is_overdue", "=", True)]))
        self.assertEqual(
            count("dealer.visit", [("state", "=", "done")]), len(self.dealers)
        )
        self.assertEqual(count("dealer.service.case"), 5)
        self.assertEqual(count("dealer.stock.report"), 18)
        self.assertTrue(
            self.env["dealer.stock.report"]
            .search([("partner_id", "in", self.dealers.ids)])
            .filtered("proposed_quantity")
        )
        self.assertEqual(count("dealer.incentive"), 2)

    def test_open_warnings_of_several_types(self):
        warnings = self.env["dealer.warning"].search(
            [("partner_id", "in", self.dealers.ids), ("state", "=", "open")]
        )
        types = set(warnings.mapped("warning_type"))
        for warning_type in ("receivable_overdue", "incident", "contract_expiry"):
            self.assertIn(warning_type, types)
        self.assertGreaterEqual(len(types), 4)

    def test_the_current_month_is_paced_by_the_days_elapsed(self):
        """Issue 23: on 6 December dealers stood at 103-136 % of their December
        target. The month's sales follow the days elapsed: the company at its pace
        (within half of it either way), no dealer at more than twice it (plus the
        least an invoice can be: three units)."""
        month = self.today.replace(day=1)
        days = ((month + relativedelta(months=1)) - month).days
        elapsed = self.today.day / days * 100
        targets = self.env["dealer.sales.target"].search(
            [("company_id", "=", self.company.id), ("date_start", "=", month)]
        )
        self.assertEqual(targets.partner_id, self.dealers)
        targets._refresh_achievement(self.today)
        company = sum(targets.mapped("achieved_amount")) / sum(targets.mapped("amount"))
        self.assertGreater(company * 100, elapsed * 0.5)
        self.assertLess(company * 100, elapsed * 1.5 + 5)
        self.assertLessEqual(max(targets.mapped("achievement")), 2 * elapsed + 10)
        if self.today.day > 3:
            paces = targets.mapped("pace")
            self.assertTrue(min(paces) < 0 < max(paces), paces)

    def test_rebate_statements_in_every_state(self):
        program = self.env.ref("dealer_management.demo_rebate_program")
        rebates = self.env["dealer.rebate"].search([("program_id", "=", program.id)])
        self.assertEqual(
            set(rebates.mapped("state")),
            {"draft", "to_approve", "approved", "settled", "cancel"},
        )
        settled = rebates.filtered(lambda r: r.state == "settled")
        self.assertTrue(
            all(
                r.move_id.state == "posted" and r.move_id.dealer_rebate_id == r
                for r in settled
            )
        )
        self.assertTrue(
            all(
                r.approved_uid
                for r in rebates.filtered(lambda r: r.state in ("approved", "settled"))
            )
        )
        # their credit notes carry the VAT of the sales they rebate (the demo's 13%),
        # the rebate product having none of its own (issue 23: 15% + 13% was charged)
        sales_taxes = self.moves.invoice_line_ids.tax_ids
        self.assertEqual(len(sales_taxes), 1)
        self.assertFalse(program.product_id.taxes_id)
        for rebate in settled:
            with self.subTest(rebate=rebate.name):
                move = rebate.move_id
                self.assertEqual(move.invoice_line_ids.tax_ids, sales_taxes)
                self.assertEqual(move.amount_untaxed, rebate.amount)
                self.assertAlmostEqual(
                    move.amount_tax,
                    rebate.currency_id.round(rebate.amount * sales_taxes.amount / 100),
                    delta=0.01,
                )
        # the current quarter's drafts are the earned-to-date list
        drafts = rebates.filtered(lambda r: r.state == "draft")
        self.assertEqual(len(set(drafts.mapped("date_to"))), 1)
        self.assertGreaterEqual(drafts[0].date_to, self.today)
        self.assertTrue(program.activity_ids)

    def test_a_paid_sales_program_and_a_simulation(self):
        paid = self.env.ref("dealer_management.demo_rebate_program_paid")
        self.assertEqual(paid.sales_basis, "paid")
        statements = paid.rebate_ids
        self.assertTrue(statements)
        # every counted line of it counts by a payment (or a credit note applied)
        lines = statements.line_ids
        self.assertTrue(lines)
        self.assertTrue(all(lines.mapped("partial_id")))
        simulation = self.env.ref("dealer_management.demo_rebate_simulation")
        self.assertEqual(simulation.state, "done")
        self.assertTrue(simulation.line_ids)
        self.assertAlmostEqual(
            simulation.variant_amount - simulation.program_amount,
            sum(simulation.line_ids.mapped("difference")),
            places=2,
        )
        self.assertGreater(simulation.variant_amount, simulation.program_amount)

    def test_accruals_of_the_last_three_month_ends(self):
        """Posted and reversed the next day; each the sum of its dealers' lines, and
        the approved statements not settled among them."""
        program = self.env.ref("dealer_management.demo_rebate_program")
        accruals = self.env["dealer.rebate.accrual"].search(
            [("program_id", "=", program.id)]
        )
        first = self.today.replace(day=1)
        self.assertEqual(
            accruals.mapped("date"),
            [first - relativedelta(months=n, days=1) for n in (0, 1, 2)],
        )
        for accrual in accruals:
            with self.subTest(date=accrual.date):
                self.assertEqual(accrual.move_id.state, "posted")
                self.assertEqual(
                    accrual.reversal_move_id.reversed_entry_id, accrual.move_id
                )
                self.assertEqual(
                    accrual.reversal_move_id.date, accrual.date + relativedelta(days=1)
                )
                self.assertAlmostEqual(
                    accrual.amount, sum(accrual.line_ids.mapped("amount"))
                )
                self.assertGreater(accrual.amount, 0)
        approved = self.env["dealer.rebate"].search(
            [
                ("program_id", "=", program.id),
                ("state", "in", ("to_approve", "approved")),
            ]
        )
        self.assertAlmostEqual(
            sum(accruals[0].line_ids.mapped("unsettled_amount")),
            sum(
                approved.filtered(lambda r: r.date_to <= accruals[0].date).mapped(
                    "amount"
                )
            ),
            places=2,
        )


# the install days on which dated code breaks: a year's first and last day, a leap day,
# the ends of the quarters, and every day of December
HARD_DAYS = [
    date(2027, 1, 1),
    date(2028, 2, 29),
    date(2027, 2, 28),
    date(2027, 3, 31),
    date(2027, 6, 30),
    date(2027, 9, 30),
    date(2027, 11, 30),
] + [date(2026, 12, day) for day in range(1, 32)]


@tagged("post_install", "-at_install")
class TestDemoDatesOnAnyDay(DealerCommon):
    """The dated parts of the demo network, built at frozen install days: the suite
    of the demo holds on whatever day CI installs it (make test-dates runs all of it on
    a few faked dates)."""

    run_as_superuser = True

    def test_invoices_fill_thirteen_months_up_to_the_install_day(self):
        for today in HARD_DAYS:
            first = today.replace(day=1) - relativedelta(months=MONTHS - 1)
            for month in range(MONTHS):
                start = first + relativedelta(months=month)
                days = {invoice_day(start, offset, today) for offset in range(28)}
                self.assertTrue(
                    all(d.replace(day=1) == start and d <= today for d in days),
                    (today, start),
                )
                # the lowest draw is the month's first day: every month has invoices
                self.assertIn(start, days, (today, start))

    def test_one_contract_in_its_reminder_window_on_any_day(self):
        dealers = self.env["res.partner"].create(
            [
                {
                    "name": f"Contract dealer {i}",
                    "is_company": True,
                    "is_dealer": True,
                    "dealer_level": "general_distributor",
                    "company_id": self.company.id,
                    "user_id": self.sales_a.id,
                }
                for i in range(7)
            ]
        )
        Contract = self.env["dealer.contract"].with_user(self.manager)
        for today in HARD_DAYS[:8] + HARD_DAYS[-1:]:
            with self.subTest(today=today), self.env.cr.savepoint(flush=False) as point:
                contracts = Contract.browse()
                for (start, end), dealer in zip(
                    contract_terms(today, 7), dealers, strict=False
                ):
                    self.assertLessEqual(start, today)
                    self.assertGreater(end, today)
                    contracts |= Contract.create(
                        {
                            "partner_id": dealer.id,
                            "company_id": self.company.id,
                            "user_id": self.manager.id,
                            "date_start": start,
                            "date_end": end,
                        }
                    )
                contracts.action_activate()
                reminded = Contract._cron_contract_reminders(
                    today, companies=self.company
                )
                self.assertEqual(reminded, contracts[0])
                self.assertEqual(set(contracts.mapped("state")), {"active"})
                point.rollback()
