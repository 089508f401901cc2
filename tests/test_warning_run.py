# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Warning runs: one evaluation per company and day, never two at once.

The two-cursor tests open real connections of their own (a test's own cursor sees
nothing of another transaction), on the demo company and days far from its data."""

from datetime import date

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import DemoCommon

BUSY = "being evaluated by someone else"


@tagged("post_install", "-at_install")
class TestWarningRun(DemoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rules = cls.env["dealer.warning.rule"].search([])

    def runs(self, env, day):
        return env["dealer.warning.run"].search(
            [("company_id", "=", self.company.id), ("date", "=", day)]
        )

    def test_one_run_per_company_and_day(self):
        day = date(2099, 3, 2)
        self.rules._evaluate(companies=self.company, today=day)
        run = self.runs(self.env, day)
        self.assertEqual(len(run), 1)
        self.assertEqual(run.state, "done")
        in_scope = self.rules.filtered(
            lambda r: not r.company_ids or self.company in r.company_ids
        )
        self.assertEqual(run.rule_count, len(in_scope))
        opened = self.env["dealer.warning"].search_count(
            [("company_id", "=", self.company.id), ("first_seen", "=", day)]
        )
        self.assertEqual(run.new_warning_count, opened)
        # the same day again: the same run, and nothing new
        self.rules._evaluate(companies=self.company, today=day)
        self.assertEqual(self.runs(self.env, day), run)
        self.assertEqual(run.new_warning_count, 0)

    def test_runs_are_governed(self):
        manager = self.env.ref("dealer_management.demo_user_dm_chen")
        self.rules.with_user(manager).action_evaluate()
        self.work_jobs()
        run = self.env["dealer.warning.run"].with_user(manager).search([], limit=1)
        self.assertTrue(run)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            run.write({"state": "running"})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            run.create({"company_id": self.company.id, "date": date(2099, 1, 1)})

    def two_cursors(self):
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        # a wait instead of a refusal fails the test instead of hanging it
        cr2.execute(SQL("SET statement_timeout = '5s'"))
        return cr1, cr2

    def assert_second_refused(self, cr2, day):
        env2 = api.Environment(cr2, SUPERUSER_ID, {})
        rules = env2["dealer.warning.rule"].search([])
        with self.assertRaisesRegex(UserError, BUSY):
            rules._evaluate(
                companies=env2["res.company"].browse(self.company.id), today=day
            )

    def test_two_evaluations_of_a_new_day(self):
        """The first evaluation of a day creates its run; a second one at the same
        moment is refused at once (it would wait for the first, then meet the unique
        index)."""
        day = date(2099, 5, 4)
        cr1, cr2 = self.two_cursors()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            run = env1["dealer.warning.run"]._start(
                env1["res.company"].browse(self.company.id), day
            )
            self.assertTrue(run)
            self.assert_second_refused(cr2, day)
        finally:
            cr1.rollback()
            cr2.rollback()
            cr1.close()
            cr2.close()

    def test_two_evaluations_of_a_day_already_run(self):
        """A day evaluated before: the second evaluation finds its run locked."""
        day = date(2099, 6, 7)
        with self.registry.cursor() as cr0:
            env0 = api.Environment(cr0, SUPERUSER_ID, {})
            run_id = (
                env0["dealer.warning.run"]
                ._start(env0["res.company"].browse(self.company.id), day)
                .id
            )
            cr0.commit()
        cr1, cr2 = self.two_cursors()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            self.assertEqual(
                env1["dealer.warning.run"]
                ._start(env1["res.company"].browse(self.company.id), day)
                .id,
                run_id,
            )
            self.assert_second_refused(cr2, day)
            # once the first is over, the second goes through, on the same run
            cr1.rollback()
            cr2.rollback()
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env2["dealer.warning.rule"].search([])._evaluate(
                companies=env2["res.company"].browse(self.company.id), today=day
            )
            run = env2["dealer.warning.run"].browse(run_id)
            self.assertEqual(run.state, "done")
            cr2.rollback()
        finally:
            cr1.rollback()
            cr2.rollback()
            cr1.close()
            cr2.close()
            with self.registry.cursor() as cr0:
                cr0.execute(SQL("DELETE FROM dealer_warning_run WHERE id = %s", run_id))
                cr0.commit()
