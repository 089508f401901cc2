# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import file_path

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestTierRun(DealerCommon):
    """ABC tiers on a dataset worked out by hand.

    Window: 12 months to 2026-06-30 (2025-07-01 to 2026-06-30). Net untaxed revenue:

    ====  =========================================  =====  =====  ====  ======  ====
    rank  dealer                                     basis  share  cum.  before  tier
    ====  =========================================  =====  =====  ====  ======  ====
    1     D1: invoice 700                            700    70     70    0       A
    2     D2: invoice 100 (tied with D3, older id)   100    10     80    70      A
    3     D3: invoice 100                            100    10     90    80      B
    4     D4: invoice 100 EUR at 2 EUR per unit      50     5      95    90      B
    5     D5: invoice 80, credit note 30             50     5      100   95      C
    -     D6: nothing; cooperation since 2026-01-15  0      0                    New
    -     D7: nothing; since 2020                    0      0                    C
    -     D8: 1,000 invoiced on 2025-06-15 (before)  0      0                    C
    ====  =========================================  =====  =====  ====  ======  ====
    total 1,000

    The tier follows the cumulative share before the dealer: A below 80, B below 95
    (D3 and D5 stand exactly at the thresholds), C from 95.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.d = {}
        for index in range(1, 9):
            # an active dealer: its status is a Dealer Manager's (governed)
            cls.d[index] = (
                Partner.sudo()
                .create(
                    {
                        "name": f"D{index}",
                        "is_company": True,
                        "is_dealer": True,
                        "dealer_level": "retailer",
                        "dealer_status": "active",
                        "dealer_since": "2026-01-15" if index == 6 else "2020-01-01",
                        "user_id": cls.salesperson.id,
                        "company_id": cls.company.id,
                    }
                )
                .sudo(False)
            )
        cls.invoice("2026-03-01", 700, partner=cls.d[1])
        cls.invoice("2026-02-01", 100, partner=cls.d[2])
        cls.invoice("2026-04-01", 100, partner=cls.d[3])
        cls.invoice("2026-05-01", 100, partner=cls.d[4], currency=cls.eur)
        cls.invoice("2025-07-01", 80, partner=cls.d[5])
        cls.invoice("2026-06-30", 30, partner=cls.d[5], move_type="out_refund")
        cls.invoice("2025-06-15", 1000, partner=cls.d[8])
        cls.ours = Partner.browse([p.id for p in cls.d.values()])

    def new_run(self, **vals):
        return (
            self.env["dealer.tier.run"]
            .with_user(self.manager)
            .create({"company_id": self.company.id, "date_to": "2026-06-30", **vals})
        )

    def compute(self, run, today="2026-07-05"):
        with freeze_time(today):
            run.action_compute()
            self.work_jobs()
        return run

    def lines_by_name(self, run):
        return {
            line.partner_id.name: line
            for line in run.line_ids
            if line.partner_id in self.ours
        }

    def test_tiers_shares_and_ranks(self):
        run = self.compute(self.new_run())
        self.assertEqual(str(run.date_from), "2025-07-01")
        self.assertEqual(run.state, "done")
        lines = self.lines_by_name(run)
        expected = {  # name: (rank, basis, share, cumulative, tier)
            "D1": (1, 700.0, 70.0, 70.0, "A"),
            "D2": (2, 100.0, 10.0, 80.0, "A"),
            "D3": (3, 100.0, 10.0, 90.0, "B"),
            "D4": (4, 50.0, 5.0, 95.0, "B"),
            "D5": (5, 50.0, 5.0, 100.0, "C"),
        }
        for name, (rank, basis, share, cumulative, tier) in expected.items():
            line = lines[name]
            self.assertEqual(
                (
                    line.rank,
                    line.basis_amount,
                    line.share,
                    line.cumulative_share,
                    line.tier,
                ),
                (rank, basis, share, cumulative, tier),
                name,
            )
        self.assertEqual(lines["D6"].tier, "new")
        self.assertEqual(lines["D7"].tier, "C")
        self.assertEqual((lines["D8"].tier, lines["D8"].basis_amount), ("C", 0.0))
        self.assertEqual(run.total_basis, 1000.0)
        self.assertEqual(
            [self.d[i].dealer_tier for i in range(1, 9)],
            ["A", "A", "B", "B", "C", "new", "C", "C"],
        )
        self.assertTrue(
            all(not lines[n].previous_tier and lines[n].changed for n in lines)
        )

    def test_thresholds_are_configurable(self):
        # A up to 70%: D1 (before 0) A; D2 (before 70, not below 70) B ... B up to 90:
        # D3 (before 80) B, D4 (before 90) C, D5 C
        run = self.compute(self.new_run(threshold_a=70, threshold_b=90))
        lines = self.lines_by_name(run)
        self.assertEqual(
            [lines[f"D{i}"].tier for i in range(1, 6)], ["A", "B", "B", "C", "C"]
        )

    def test_quantity_and_margin_bases(self):
        product = self.kettle  # cost 30, price 50
        dealer = self.env["res.partner"].create(
            {
                "name": "Kettle Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "company_id": self.company.id,
            }
        )
        self.invoice("2026-06-01", partner=dealer, lines=[(product, 10, 50.0)])
        self.invoice(
            "2026-06-10",
            partner=dealer,
            lines=[(product, 2, 50.0)],
            move_type="out_refund",
        )
        # quantity: 10 - 2 = 8 units; margin: (500 - 100) - 8 * 30 = 160
        line = self.compute(self.new_run(basis="quantity")).line_ids.filtered(
            lambda line: line.partner_id == dealer
        )
        self.assertEqual(line.basis_amount, 8.0)
        line = self.compute(self.new_run(basis="margin")).line_ids.filtered(
            lambda line: line.partner_id == dealer
        )
        self.assertEqual(line.basis_amount, 160.0)

    def test_recompute_with_unchanged_data_changes_nothing(self):
        run = self.compute(self.new_run())
        self.env.flush_all()
        # a row's ctid (its tuple's place) changes with any UPDATE of it
        versions = (
            "SELECT id, ctid::text FROM dealer_tier_run_line WHERE run_id = %s "
            "ORDER BY id"
        )
        self.env.cr.execute(versions, [run.id])
        rows = self.env.cr.fetchall()
        before = [
            (line.id, line.tier, line.previous_tier, line.changed)
            for line in run.line_ids
        ]
        messages = self.env["mail.message"].search_count(
            [("model", "=", "res.partner")]
        )
        computed_on = run.computed_on
        self.compute(run, today="2026-07-06")
        self.env.flush_all()
        run.invalidate_recordset()
        self.assertEqual(
            [
                (line.id, line.tier, line.previous_tier, line.changed)
                for line in run.line_ids
            ],
            before,
        )
        self.env.cr.execute(versions, [run.id])
        self.assertEqual(self.env.cr.fetchall(), rows)
        self.assertEqual(run.computed_on, computed_on)
        self.assertEqual(
            self.env["mail.message"].search_count([("model", "=", "res.partner")]),
            messages,
        )

    def test_monthly_cron_reuses_its_run_and_logs_tier_changes(self):
        with freeze_time("2026-07-01"):
            first = (
                self.env["dealer.tier.run"]
                .sudo()
                ._cron_run_tiers(companies=self.company)
            )
        mine = first.filtered(lambda r: r.company_id == self.company)
        self.assertEqual(len(mine), 1)
        self.assertEqual(str(mine.date_to), "2026-06-30")
        # a late invoice dated in June lifts D3 above D2's share: D3 150 (before 70: A)
        self.invoice("2026-06-29", 50, partner=self.d[3])
        with freeze_time("2026-07-02"):
            again = (
                self.env["dealer.tier.run"]
                .sudo()
                ._cron_run_tiers(companies=self.company)
            )
        self.assertEqual(again.filtered(lambda r: r.company_id == self.company), mine)
        # total 1050: D1 700 (66.67%) A; D3 150 (before 66.67) A;
        # D2 100 (before 80.95) B
        lines = self.lines_by_name(mine)
        self.assertEqual(
            (lines["D3"].rank, lines["D3"].tier, lines["D3"].previous_tier),
            (2, "A", False),
        )
        self.assertEqual((lines["D2"].tier, self.d[2].dealer_tier), ("B", "B"))
        self.assertEqual(self.d[3].dealer_tier, "A")
        self.env.cr.precommit.run()
        log = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.d[3].id)], limit=1
        )
        self.assertIn("B → A", log.body)

    def test_override_is_kept_until_its_lock_date(self):
        with Form(
            self.env["dealer.tier.override"]
            .with_user(self.manager)
            .with_context(default_partner_id=self.d[7].id)
        ) as wizard:
            wizard.tier = "A"
            wizard.reason = "Flagship store opens in July"
            wizard.locked_until = "2026-08-31"
        wizard.record.action_confirm()
        self.assertEqual(
            (self.d[7].dealer_tier, self.d[7].dealer_tier_override), ("A", True)
        )
        run = self.compute(self.new_run())
        line = self.lines_by_name(run)["D7"]
        self.assertEqual((line.tier, line.tier_kept, line.changed), ("C", True, False))
        self.assertEqual(self.d[7].dealer_tier, "A")
        # after the lock date the run applies its tier and lifts the override
        later = self.compute(self.new_run(date_to="2026-08-31"), today="2026-09-01")
        self.assertEqual(self.lines_by_name(later)["D7"].tier_kept, False)
        self.assertEqual(self.d[7].dealer_tier, "C")
        self.assertFalse(self.d[7].dealer_tier_override)

    def test_override_without_lock_date_holds_and_needs_a_manager(self):
        with self.assertRaises(AccessError):
            self.env["dealer.tier.override"].with_user(self.salesperson).create(
                {"partner_id": self.d[5].id, "tier": "A", "reason": "x"}
            )
        wizard = (
            self.env["dealer.tier.override"]
            .with_user(self.manager)
            .create(
                {"partner_id": self.d[5].id, "tier": "B", "reason": "Strategic account"}
            )
        )
        wizard.action_confirm()
        self.compute(self.new_run(), today="2027-01-01")
        self.assertEqual(self.d[5].dealer_tier, "B")
        with self.assertRaises(AccessError):
            self.d[5].with_user(self.salesperson).action_remove_dealer_tier_override()
        self.d[5].with_user(self.manager).action_remove_dealer_tier_override()
        self.compute(self.new_run(date_to="2026-07-31"), today="2027-01-01")
        self.assertEqual(self.d[5].dealer_tier, "C")

    def test_multi_company_isolation(self):
        company_2 = self.setup_other_company(name="Dealer Company 2")["company"]
        self.manager.write({"company_ids": [Command.link(company_2.id)]})
        other = self.env["res.partner"].create(
            {
                "name": "Other company dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "company_id": company_2.id,
            }
        )
        self.invoice("2026-05-01", 5000, partner=other, company=company_2)
        run = self.compute(self.new_run())
        self.assertNotIn(other, run.line_ids.partner_id)
        self.assertEqual(run.total_basis, 1000.0)
        run_2 = self.compute(self.new_run(company_id=company_2.id))
        self.assertEqual(run_2.line_ids.partner_id, other)
        self.assertEqual(run_2.line_ids.tier, "A")
        with self.assertRaises(AccessError):
            run_2.with_user(self.salesperson).read(["name"])

    def test_bad_thresholds_and_rights(self):
        with self.assertRaisesRegex(ValidationError, "0 < A < B <= 100"):
            self.new_run(threshold_a=95, threshold_b=80)
        with self.assertRaisesRegex(ValidationError, "0 < A < B <= 100"):
            self.new_run(threshold_a=80, threshold_b=80)
        with self.assertRaisesRegex(ValidationError, "0 < A < B <= 100"):
            self.new_run(threshold_b=120)
        with self.assertRaisesRegex(ValidationError, "0 < A < B <= 100"):
            self.company.dealer_tier_threshold_a = -5
        run = self.new_run()
        with self.assertRaises(AccessError):
            self.env["dealer.tier.run"].with_user(self.salesperson).create(
                {"company_id": self.company.id, "date_to": "2026-06-30"}
            )
        with self.assertRaises(UserError):
            run.with_user(self.salesperson).action_compute()
        self.assertEqual(run.state, "draft")
        self.compute(run)
        with self.assertRaisesRegex(UserError, "cannot change"):
            run.threshold_a = 70


@tagged("post_install", "-at_install")
class TestTierMigration(TransactionCase):
    def test_update_from_1_0_0_drops_line_log_columns_and_tier_index(self):
        cr = self.env.cr
        cr.execute("""
            ALTER TABLE dealer_tier_run_line
                ADD COLUMN create_uid int REFERENCES res_users ON DELETE SET NULL,
                ADD COLUMN write_date timestamp;
            CREATE INDEX res_partner__dealer_tier_index ON res_partner (dealer_tier)
        """)
        path = file_path("dealer_management/migrations/18.0.1.0.1/post-migrate.py")
        spec = importlib.util.spec_from_file_location("dealer_post_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.0.0")
        cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'dealer_tier_run_line'
                         AND column_name IN ('create_uid', 'write_uid', 'create_date',
                                             'write_date')""")
        self.assertEqual(cr.fetchall(), [])
        cr.execute(
            "SELECT 1 FROM pg_indexes "
            "WHERE indexname = 'res_partner__dealer_tier_index'"
        )
        self.assertEqual(cr.fetchall(), [])
