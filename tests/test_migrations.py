# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The data migrations of the addon, run on a database as the version before left it."""

import importlib.util

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.misc import file_path

from .common import DemoCommon


def load_migration(version, step):
    path = file_path(f"dealer_management/migrations/{version}/{step}.py")
    spec = importlib.util.spec_from_file_location(f"migration_{step}", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


@tagged("post_install", "-at_install")
class TestMigrationFilesWithOneJob(DemoCommon):
    def test_18_0_1_0_4(self):
        """The rebates' period-end job moves to the program, and the two old indexes
        of dealer_rebate are dropped once (no longer by init() on every update)."""
        cron = self.env.ref("dealer_management.ir_cron_dealer_rebate_period_end")
        cr = self.env.cr
        # as 18.0.1.0.3 left it
        cron.sudo().model_id = self.env["ir.model"]._get("dealer.rebate")
        cr.execute(
            SQL(
                "CREATE INDEX dealer_rebate_program_period_idx "
                "ON dealer_rebate (program_id, period_start)"
            )
        )
        self.env.flush_all()
        load_migration("18.0.1.0.4", "post-migrate").migrate(cr, "18.0.1.0.3")
        self.env.invalidate_all()
        self.assertEqual(cron.model_id.model, "dealer.rebate.program")
        self.assertEqual(cron.model_name, "dealer.rebate.program")
        cr.execute(
            SQL(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'dealer_rebate' "
                "AND indexname IN ('dealer_rebate_program_period_idx', "
                "'dealer_rebate__program_id_index')"
            )
        )
        self.assertEqual(cr.fetchall(), [])
        # the job runs on its model
        self.assertTrue(cron.sudo().method_direct_trigger())

    def test_18_0_1_0_6(self):
        """The addon's standard contract template, installed with the installing
        company, is shared by every company once contract templates have a rule."""
        template = self.env.ref("dealer_management.dealer_contract_template_standard")
        first = self.env["res.company"].search([], order="id", limit=1)
        other = self.env["dealer.contract.template"].create(
            {"name": "本公司模板 Ours", "company_id": first.id}
        )
        template.company_id = first  # as 18.0.1.0.5 left it
        new_tier = self.env.ref("dealer_management.scope_tier_new")
        new_tier.with_context(lang="en_US").name = "New"  # as it was installed
        self.env.flush_all()
        load_migration("18.0.1.0.6", "post-migrate").migrate(self.env.cr, "18.0.1.0.5")
        self.env.invalidate_all()
        self.assertFalse(template.company_id)
        self.assertEqual(other.company_id, first)  # a template of the users' own
        # the tier "New" is a new dealer (新客户), not a new record (新建)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(
            (
                new_tier.with_context(lang="en_US").name,
                new_tier.with_context(lang="zh_CN").name,
            ),
            ("New Dealer", "新客户"),
        )

    def test_18_0_1_0_8(self):
        """A dismissed warning whose ``cleared`` is NULL is live: one that a newer live
        warning already stands beside is marked cleared, another counts as not cleared,
        and the unique index of the live warnings is made again to say so."""
        cr = self.env.cr
        rule = self.env["dealer.warning.rule"].create(
            {"name": "Migrated", "warning_type": "churn", "threshold_days": 90}
        )
        first, second = self.dealers[:2]
        Warning = self.env["dealer.warning"].sudo()
        vals = {
            "rule_id": rule.id,
            "company_id": self.company.id,
            "severity": "info",
            "first_seen": self.today,
            "last_seen": self.today,
        }
        stale = Warning.create({**vals, "partner_id": first.id, "state": "dismissed"})
        newer = Warning.create({**vals, "partner_id": first.id, "state": "resolved"})
        alone = Warning.create({**vals, "partner_id": second.id, "state": "dismissed"})
        self.env.flush_all()
        # as 18.0.1.0.7 left it: the index with NOT cleared, the column without default
        cr.execute(SQL("DROP INDEX dealer_warning_live_uniq"))
        cr.execute(
            SQL("""CREATE UNIQUE INDEX dealer_warning_live_uniq
                ON dealer_warning (rule_id, partner_id, company_id)
             WHERE state IN ('open', 'acknowledged')
                OR (state = 'dismissed' AND NOT cleared)""")
        )
        cr.execute(
            SQL(
                "UPDATE dealer_warning SET cleared = NULL WHERE id = ANY(%s)",
                (stale | alone).ids,
            )
        )
        # beside the dismissed one, a second live warning the old index let in
        cr.execute(
            SQL("UPDATE dealer_warning SET state = 'open' WHERE id = %s", newer.id)
        )
        load_migration("18.0.1.0.8", "pre-migrate").migrate(cr, "18.0.1.0.7")
        Warning.init()
        self.env.invalidate_all()
        self.assertEqual(
            (stale.cleared, newer.state, alone.cleared), (True, "open", False)
        )
        cr.execute(
            SQL(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'dealer_warning_live_uniq'"
            )
        )
        self.assertIn("cleared IS NOT TRUE", cr.fetchone()[0])
        # the lone dismissed warning now holds its place: no second live one beside it
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            cr.savepoint(),
        ):
            Warning.create({**vals, "partner_id": second.id, "state": "open"})
            self.env.flush_all()
