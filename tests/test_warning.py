# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import file_path, mute_logger
from odoo.tools.misc import formatLang

from ..models import dealer_warning as warning_module
from .common import DealerCommon, row_versions


@tagged("post_install", "-at_install")
class TestWarnings(DealerCommon):
    """Every rule type raises at its threshold and not below, with the measured value;
    warnings are deduplicated, resolve themselves and come back as new ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_env_user_manager()
        cls.dealer.write({"dealer_status": "active", "dealer_since": "2020-01-01"})

    def rule(self, warning_type, **vals):
        return self.env["dealer.warning.rule"].create(
            {
                "name": f"Test {warning_type}",
                "warning_type": warning_type,
                "company_ids": [Command.set(self.company.ids)],
                **vals,
            }
        )

    def evaluate(self, rules, today):
        with freeze_time(today):
            rules._evaluate(companies=self.company)
        return self.env["dealer.warning"].search(
            [("rule_id", "in", rules.ids), ("partner_id", "=", self.dealer.id)]
        )

    def live(self, warnings):
        return warnings.filtered(lambda w: w.state in ("open", "acknowledged"))

    # ------------------------------------------------------------ receivables

    def test_receivables_overdue_by_amount_and_by_age(self):
        first = self.invoice("2026-05-01", 1000, due="2026-06-01")
        self.invoice("2026-05-20", 500, due="2026-06-20")
        by_amount = self.rule(
            "receivable_overdue",
            threshold_amount=1500,
            responsible="group",
            group_id=self.env.ref("dealer_management.group_dealer_accountant").id,
        )
        by_age = self.rule("receivable_overdue", threshold_days=30)
        # 2026-06-25: 1,500 overdue (at the threshold), the oldest 24 days (below 30)
        warning = self.evaluate(by_amount, "2026-06-25")
        self.assertEqual(
            (warning.state, warning.measured_value, warning.threshold),
            ("open", 1500.0, 1500.0),
        )
        self.assertEqual(
            sorted(warning.move_ids.mapped("amount_total")), [500.0, 1000.0]
        )
        self.assertIn("the oldest for 24 days", warning.description)
        self.assertEqual(warning.activity_ids.user_id, self.accountant)
        self.assertFalse(self.evaluate(by_age, "2026-06-25"))
        # the same day again: nothing written
        versions = row_versions(warning)
        self.assertEqual(self.evaluate(by_amount, "2026-06-25"), warning)
        self.assertEqual(row_versions(warning), versions)
        # 30 days after the first due date the age rule raises, for the salesperson
        aged = self.evaluate(by_age, "2026-07-01")
        self.assertEqual((aged.measured_value, aged.threshold), (30.0, 30.0))
        self.assertEqual(aged.activity_ids.user_id, self.salesperson)
        # a payment clears both conditions: the warnings resolve themselves
        self.pay(first, "2026-07-02")
        self.evaluate(by_amount | by_age, "2026-07-02")
        self.assertEqual(
            (warning.state, str(warning.resolved_on)), ("resolved", "2026-07-02")
        )
        self.assertEqual(aged.state, "resolved")
        # the 500 left (due 2026-06-20) ages past 30 days: a new warning, history kept
        warnings = self.evaluate(by_age, "2026-08-15")
        self.assertEqual(len(warnings), 2)
        self.assertEqual(self.live(warnings).measured_value, 56.0)

    def test_credit_usage(self):
        self.dealer.with_company(self.company).credit_limit = 2000
        self.invoice("2026-06-01", 1500, due="2026-07-01")
        # 1,500 / 2,000 = 75 %
        raised = self.evaluate(
            self.rule("credit_usage", threshold_percent=75), "2026-06-05"
        )
        self.assertEqual(raised.measured_value, 75.0)
        self.assertFalse(
            self.evaluate(
                self.rule("credit_usage", threshold_percent=75.01), "2026-06-05"
            )
        )

    # ------------------------------------------------------------ sales

    def test_sales_pace(self):
        self.env["dealer.sales.target"].create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "date_start": "2026-07-01",
                "amount": 1000,
            }
        )
        self.invoice("2026-07-03", 300)
        # 2026-07-20: 20 of 31 days = 64.52 %, achieved 30 %: 34.52 points behind
        rule = self.rule("sales_pace", threshold_percent=34.52, start_day=10)
        self.assertEqual(self.evaluate(rule, "2026-07-20").measured_value, -34.52)
        self.assertFalse(
            self.evaluate(
                self.rule("sales_pace", threshold_percent=34.53), "2026-07-20"
            )
        )
        # before day 10 of the period the rule waits (day 5: 16.13 - 30 = 13.87 behind)
        early = self.rule("sales_pace", threshold_percent=1, start_day=10)
        self.assertFalse(self.evaluate(early, "2026-07-05"))

    def test_expense_ratio_from_support_given(self):
        self.invoice("2026-05-10", 10000)
        supports = self.env["dealer.support"].create(
            [
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "name": name,
                    "support_type": kind,
                    "cost": cost,
                    "date": "2026-05-20",
                }
                for name, kind, cost in (
                    ("Billboard", "advertising", 600),
                    ("Training", "training", 300),
                )
            ]
        )
        supports.action_done()
        # 900 / 10,000 = 9 % over the 90 days to 2026-06-30
        raised = self.evaluate(
            self.rule("expense_ratio", threshold_percent=9, window_days=90),
            "2026-06-30",
        )
        self.assertEqual(raised.measured_value, 9.0)
        self.assertFalse(
            self.evaluate(
                self.rule("expense_ratio", threshold_percent=9.01, window_days=90),
                "2026-06-30",
            )
        )

    def test_churn_by_silence_and_by_decline(self):
        self.invoice("2025-05-01", 1000)
        self.invoice("2026-05-01", 600)
        # no invoice for 45 days on 2026-06-15
        silent = self.evaluate(self.rule("churn", threshold_days=45), "2026-06-15")
        self.assertEqual(silent.measured_value, 45.0)
        self.assertFalse(
            self.evaluate(self.rule("churn", threshold_days=46), "2026-06-15")
        )
        # 90 days to 2026-06-15 against the same days of 2025: 600 against 1,000 = -40 %
        declining = self.evaluate(
            self.rule("churn", threshold_percent=40, window_days=90), "2026-06-15"
        )
        self.assertEqual(declining.measured_value, 40.0)
        self.assertFalse(
            self.evaluate(
                self.rule("churn", threshold_percent=40.01, window_days=90),
                "2026-06-15",
            )
        )

    def test_live_warnings_compared_a_page_at_a_time(self):
        """An evaluation reads the live warnings a page at a time (pages of one here):
        each is updated, resolved or kept dismissed as with one page, once, and the
        same day again writes nothing."""
        dealers = self.distributor_a | self.dealer | self.wholesaler_a
        dealers.write({"dealer_status": "active", "dealer_since": "2026-01-01"})
        rule = self.rule("churn", threshold_days=100)
        with patch.object(warning_module, "LIVE_PAGE", 1):
            # 2026-04-11 is the 100th day since 2026-01-01: all three raise
            self.evaluate(rule, "2026-04-11")
            first = self.env["dealer.warning"].search([("rule_id", "=", rule.id)])
            self.assertEqual(len(first), 3)
            self.assertEqual(set(first.mapped("measured_value")), {100.0})
            by_dealer = {w.partner_id: w for w in first}
            by_dealer[self.wholesaler_a].action_dismiss("Visited, he is fine")
            self.invoice("2026-04-11", 500, partner=self.distributor_a)
            self.evaluate(rule, "2026-04-12")
            versions = row_versions(first)
            self.evaluate(rule, "2026-04-12")  # again the same day
            self.assertEqual(row_versions(first), versions)
        self.assertEqual(
            self.env["dealer.warning"].search([("rule_id", "=", rule.id)]), first
        )
        # invoiced on the 11th: one day without an invoice, resolved
        resolved = by_dealer[self.distributor_a]
        self.assertEqual(
            (resolved.state, resolved.resolved_on, resolved.measured_value),
            ("resolved", date(2026, 4, 12), 100.0),
        )
        kept = by_dealer[self.dealer]
        self.assertEqual(
            (kept.state, kept.measured_value, kept.last_seen, kept.description),
            ("open", 101.0, date(2026, 4, 12), "no invoice for 101 days"),
        )
        dismissed = by_dealer[self.wholesaler_a]
        self.assertEqual(
            (dismissed.state, dismissed.cleared, dismissed.measured_value),
            ("dismissed", False, 101.0),
        )

    def test_links_follow_the_measure_day_by_day(self):
        """The invoices behind a live warning follow the day's measure: the paid one
        leaves, the newly overdue one joins, the one still unpaid stays; each dealer's
        warning keeps its own (pages of one)."""
        self.distributor_a.write({"dealer_status": "active"})
        rule = self.rule("receivable_overdue", threshold_amount=1500)
        first = self.invoice("2026-05-01", 1000, due="2026-06-01")
        paid = self.invoice("2026-05-02", 800, due="2026-06-20")
        later = self.invoice("2026-05-03", 900, due="2026-06-26")
        theirs = self.invoice(
            "2026-05-01", 2000, due="2026-06-01", partner=self.distributor_a
        )
        with patch.object(warning_module, "LIVE_PAGE", 1):
            warning = self.evaluate(rule, "2026-06-25")
            self.assertEqual(
                (warning.measured_value, warning.move_ids), (1800.0, first | paid)
            )
            self.pay(paid, "2026-06-26")
            self.assertEqual(self.evaluate(rule, "2026-06-27"), warning)
            versions = row_versions(warning)
            self.evaluate(rule, "2026-06-27")  # again the same day
            self.assertEqual(row_versions(warning), versions)
        self.assertEqual(
            (warning.measured_value, warning.move_ids), (1900.0, first | later)
        )
        other = self.env["dealer.warning"].search(
            [("rule_id", "=", rule.id), ("partner_id", "=", self.distributor_a.id)]
        )
        self.assertEqual(
            (other.state, other.measured_value, other.move_ids),
            ("open", 2000.0, theirs),
        )

    # ------------------------------------------------------------ the rest

    def test_incident_raises_at_its_own_severity(self):
        rule = self.rule("incident", severity="info")
        incident = self.env["dealer.incident"].create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "name": "Warehouse break-in",
                "incident_type": "theft",
                "date": "2026-06-01",
                "severity": "critical",
            }
        )
        warning = self.evaluate(rule, "2026-06-02")
        self.assertEqual(
            (warning.severity, warning.incident_ids), ("critical", incident)
        )
        incident.action_close()
        self.evaluate(rule, "2026-06-03")
        self.assertEqual(warning.state, "resolved")

    def test_contract_expiry(self):
        contract = self.env["dealer.contract"].create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "product_category_ids": [Command.set(self.cookers.ids)],
                "date_start": "2026-01-01",
                "date_end": "2026-07-20",
            }
        )
        contract.action_activate()
        raised = self.evaluate(
            self.rule("contract_expiry", threshold_days=19), "2026-07-01"
        )
        self.assertEqual((raised.measured_value, raised.contract_ids), (19.0, contract))
        self.assertFalse(
            self.evaluate(self.rule("contract_expiry", threshold_days=18), "2026-07-01")
        )

    def test_dealer_stock_over_cover_and_under_safety_stock(self):
        product = self.kettle
        self.env["dealer.safety.stock"].create(
            {"product_id": product.id, "company_id": self.company.id, "quantity": 20}
        )
        Report = self.env["dealer.stock.report"]
        vals = {
            "partner_id": self.dealer.id,
            "company_id": self.company.id,
            "product_id": product.id,
        }
        Report.create(
            dict(vals, month="2026-05-01", opening=0, received=100, sold=30, closing=70)
        )
        # June: average sell-out (30 + 30) / 2 = 30 a month, 6.92 a week:
        # 120 = 17.3 weeks
        june = Report.create(
            dict(
                vals, month="2026-06-01", opening=70, received=80, sold=30, closing=120
            )
        )
        self.assertEqual(round(june.weeks_of_cover, 1), 17.3)
        raised = self.evaluate(
            self.rule("dealer_stock", threshold_weeks=17), "2026-07-01"
        )
        self.assertEqual((raised.measured_value, raised.stock_report_ids), (17.3, june))
        self.assertFalse(
            self.evaluate(self.rule("dealer_stock", threshold_weeks=18), "2026-07-01")
        )
        july = Report.create(
            dict(
                vals, month="2026-07-01", opening=120, received=0, sold=110, closing=10
            )
        )  # under the safety stock of 20
        under = self.evaluate(
            self.rule("dealer_stock", threshold_weeks=52), "2026-07-31"
        )
        self.assertEqual(under.stock_report_ids, july)

    # ------------------------------------------------------------ engine

    def test_scope_and_multi_company(self):
        self.invoice("2026-05-01", 1000, due="2026-05-01")
        self.dealer.sudo().dealer_tier = "C"
        tier_a = self.rule(
            "receivable_overdue",
            threshold_days=1,
            tier_ids=[Command.set(self.env.ref("dealer_management.scope_tier_a").ids)],
        )
        self.assertFalse(self.evaluate(tier_a, "2026-06-01"))
        retailers = self.rule(
            "receivable_overdue",
            threshold_days=1,
            level_ids=[
                Command.set(self.env.ref("dealer_management.scope_level_retailer").ids)
            ],
        )
        self.assertFalse(
            self.evaluate(retailers, "2026-06-01")
        )  # a general distributor
        company_2 = self.setup_other_company(name="Warning Company 2")["company"]
        elsewhere = self.rule(
            "receivable_overdue",
            threshold_days=1,
            company_ids=[Command.set(company_2.ids)],
        )
        with freeze_time("2026-06-01"):
            elsewhere._evaluate()
        self.assertFalse(elsewhere.warning_ids)
        # run for one dealer only: another overdue dealer is left alone
        other = self.env["res.partner"].create(
            {
                "name": "Other Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "company_id": self.company.id,
            }
        )
        self.invoice("2026-05-01", 100, due="2026-05-01", partner=other)
        one = self.rule("receivable_overdue", threshold_days=1)
        with freeze_time("2026-06-01"):
            one._evaluate(partners=self.dealer)
        self.assertEqual(one.warning_ids.partner_id, self.dealer)
        everywhere = self.rule(
            "receivable_overdue", threshold_days=1, company_ids=[Command.clear()]
        )
        with freeze_time("2026-06-01"):
            everywhere._evaluate(companies=self.company | company_2)
        self.assertEqual(everywhere.warning_ids.partner_id, self.dealer | other)
        self.assertEqual(everywhere.warning_ids.company_id, self.company)
        # narrowed to retailers: the general distributor's warning resolves
        everywhere.level_ids = self.env.ref("dealer_management.scope_level_retailer")
        with freeze_time("2026-06-02"):
            everywhere._evaluate(companies=self.company | company_2)
        live = everywhere.warning_ids.filtered(lambda w: w.state == "open")
        self.assertEqual(live.partner_id, other)

    def test_dismiss_needs_a_reason_and_holds_until_the_condition_clears(self):
        invoice = self.invoice("2026-05-01", 1000, due="2026-05-01")
        rule = self.rule("receivable_overdue", threshold_days=10)
        warning = self.evaluate(rule, "2026-06-01")
        with self.refused(UserError, "needs a reason"):
            warning.with_user(self.salesperson).action_dismiss(" ")
        warning.with_user(self.salesperson).action_dismiss(
            "Promised by transfer Friday"
        )
        self.assertEqual(self.evaluate(rule, "2026-06-02"), warning)  # not raised again
        self.pay(invoice, "2026-06-03")
        self.evaluate(rule, "2026-06-03")
        self.assertTrue(warning.cleared)
        self.invoice("2026-06-04", 200, due="2026-06-04")
        warnings = self.evaluate(rule, "2026-06-20")
        self.assertEqual(len(warnings), 2)
        self.assertEqual(self.live(warnings).state, "open")

    def test_daily_digest_for_accountants(self):
        self.invoice("2026-05-01", 1000, due="2026-05-01")
        rule = self.rule("receivable_overdue", threshold_days=10, in_digest=True)
        self.evaluate(rule, "2026-06-01")
        with freeze_time("2026-06-01"):
            mails = self.env["dealer.warning"]._cron_send_digest(companies=self.company)
            mine = mails.filtered(
                lambda m: self.accountant.partner_id in m.recipient_ids
            )
            self.assertEqual(len(mine), 1)
            self.assertIn("Evaluated Dealer", mine.body_html)
            self.assertIn(
                formatLang(self.env, 1000.0, currency_obj=self.company.currency_id),
                mine.body_html,
            )
            self.assertIn("the oldest for 31 days", mine.body_html)
            self.assertFalse(
                self.env["dealer.warning"]._cron_send_digest(companies=self.company)
            )

    def test_texts_in_the_language_of_their_reader_with_money_formatted(self):
        """Issue 23: the daily job wrote English activities for Chinese users (no
        language in a list comprehension's frame) and raw floats ("1234.5 CNY").
        The accountant reads Chinese, the salesperson English: each rule's
        description in its responsible's language, money grouped with the currency's
        symbol; each activity's summary in its user's language."""
        self.load_zh_cn()
        self.accountant.lang = "zh_CN"
        self.salesperson.lang = "en_US"
        self.invoice("2026-05-01", 1234.5, due="2026-05-01")
        group = self.env.ref("dealer_management.group_dealer_accountant")
        for_accountants = self.rule(
            "receivable_overdue",
            threshold_days=10,
            responsible="group",
            group_id=group.id,
        )
        for_salesperson = self.rule("receivable_overdue", threshold_days=10)
        money = formatLang(self.env, 1234.5, currency_obj=self.company.currency_id)
        self.assertIn("1,234.50", money)
        chinese = self.evaluate(for_accountants, "2026-06-01")
        self.assertEqual(chinese.description, f"逾期 {money}，最早一笔已逾期 31 天")
        english = self.evaluate(for_salesperson, "2026-06-01")
        self.assertEqual(
            english.description, f"{money} overdue, the oldest for 31 days"
        )
        severity = dict(
            self.env["dealer.warning"]
            .with_context(lang="zh_CN")
            ._fields["severity"]
            ._description_selection(
                self.env["dealer.warning"].with_context(lang="zh_CN").env
            )
        )[chinese.severity]
        self.assertNotEqual(severity, chinese.severity.title())
        self.assertEqual(
            chinese.activity_ids.filtered(
                lambda a: a.user_id == self.accountant
            ).summary,
            # (the Chinese catalogue writes no space after the colon)
            f"{severity}:{chinese.name}",
        )
        self.assertTrue(
            english.activity_ids.summary.startswith(
                dict(
                    self.env["dealer.warning"]
                    ._fields["severity"]
                    ._description_selection(
                        self.env["dealer.warning"].with_context(lang="en_US").env
                    )
                )[english.severity]
            )
        )

    def test_email_to_followers_and_incidents_need_date_and_type(self):
        rule = self.rule("incident", notify_email=True, notify_activity=False)
        self.env["dealer.incident"].create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "name": "Owner in hospital",
                "incident_type": "illness",
                "date": "2026-06-01",
            }
        )
        warning = self.evaluate(rule, "2026-06-02")
        self.assertFalse(warning.activity_ids)
        self.assertIn(self.salesperson.partner_id, warning.message_partner_ids)
        posted = warning.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertIn("Owner in hospital", posted.body)
        self.assertIn(self.salesperson.partner_id, posted.notified_partner_ids)
        Incident = self.env["dealer.incident"]
        for missing in ("date", "incident_type"):
            vals = {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "name": "x",
                "incident_type": "theft",
                "date": "2026-06-01",
            }
            del vals[missing]
            with (
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
                mute_logger("odoo.sql_db"),
            ):
                Incident.create(vals)

    def aging(self, user, moment):
        """The aging row of the dealer as ``user`` sees it at ``moment`` (UTC)."""
        self.env.invalidate_all()
        with freeze_time(moment):
            row = (
                self.env["dealer.receivable.aging"]
                .with_user(user)
                .search([("partner_id", "=", self.dealer.id)])
            )
            return row, (
                row.not_due,
                row.days_1_30,
                row.days_31_60,
                row.days_61_90,
                row.days_90_plus,
                row.total,
            )

    def test_receivables_aging_per_dealer(self):
        today = date(2026, 6, 10)
        for days_late, amount in (
            (-5, 100),
            (10, 200),
            (45, 300),
            (75, 400),
            (120, 500),
        ):
            due = today - timedelta(days=days_late)
            self.invoice(str(due - timedelta(days=30)), amount, due=str(due))
        row, buckets = self.aging(self.accountant, "2026-06-10 04:00:00")
        self.assertEqual(buckets, (100, 200, 300, 400, 500, 1500))
        rule = self.rule("receivable_overdue", threshold_days=100)
        self.evaluate(rule, "2026-06-10")
        self.assertEqual(row.warning_count, 1)
        other = self.sales_a  # another salesperson of the company
        self.assertFalse(
            self.env["dealer.receivable.aging"]
            .with_user(other)
            .search([("partner_id", "=", self.dealer.id)])
        )

    def test_receivables_aging_follows_the_users_day(self):
        """Due 10 May: on 9 June it is 30 days late (1-30), on 10 June 31 (31-60). In
        Shanghai (UTC+8) 10 June begins at 16:00 UTC on the 9th: the bucket changes at
        the user's midnight, not at the database's."""
        self.invoice("2026-04-10", 700, due="2026-05-10")
        self.accountant.tz = "Asia/Shanghai"
        in_1_30 = (0, 700, 0, 0, 0, 700)
        in_31_60 = (0, 0, 700, 0, 0, 700)
        for moment, shanghai, expected in (
            ("2026-06-09 15:30:00", "9 June 23:30", in_1_30),
            ("2026-06-09 16:30:00", "10 June 00:30", in_31_60),
            ("2026-06-10 15:30:00", "10 June 23:30", in_31_60),
        ):
            self.assertEqual(self.aging(self.accountant, moment)[1], expected, shanghai)
        self.accountant.tz = "UTC"
        self.assertEqual(self.aging(self.accountant, "2026-06-09 16:30:00")[1], in_1_30)

    def test_aging_migration_drops_the_old_view(self):
        path = file_path("dealer_management/migrations/18.0.1.0.2/pre-migrate.py")
        spec = importlib.util.spec_from_file_location("aging_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        cr.execute("CREATE VIEW dealer_receivable_aging AS SELECT 1 AS id")
        migration.migrate(cr, "18.0.1.0.1")
        cr.execute("SELECT to_regclass('dealer_receivable_aging')")
        self.assertIsNone(cr.fetchone()[0])

    def test_bad_rules_are_refused(self):
        with self.refused(ValidationError, "cannot be negative"):
            self.rule("receivable_overdue", threshold_days=-1)
        with self.refused(ValidationError, "needs a threshold"):
            self.rule("credit_usage")
        with self.refused(ValidationError, "above 100 makes no sense"):
            self.rule("sales_pace", threshold_percent=120)
        with self.refused(ValidationError, "no responsible"):
            self.rule("incident", responsible="users")
        self.assertTrue(self.rule("credit_usage", threshold_percent=120))
