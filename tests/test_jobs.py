# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Background runs (models/dealer_job.py): the buttons queue, the worker does one
batch per call with its progress, the user is told how it ended; one run per key, one
scheduled run per day. Real processes (several servers, a killed one) are in
test_servers.py."""

import json
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError

from ..models.dealer_lock_mixin import LockBusy
from .test_rebate import RebateCommon

JAN31 = date(2026, 1, 31)


class TestJobs(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Job = cls.env["dealer.job"].sudo()
        cls.cron = cls.env.ref("dealer_management.ir_cron_dealer_job")
        cls.demo_jobs = cls.Job.search([])  # the demo's, done

    def new_jobs(self, user=None):
        """The runs made by this test (those ``user`` reads)."""
        Job = self.env["dealer.job"].with_user(user) if user else self.Job
        return Job.search([("id", "not in", self.demo_jobs.ids)])

    def jobs(self, kind):
        return self.new_jobs().filtered(lambda job: job.kind == kind)

    def notifications(self, user):
        """The payloads of the bus notifications sent to ``user`` in this transaction
        (the bus writes them when it commits)."""
        values = self.env.cr.precommit.data.get("bus.bus.values", [])
        return [
            json.loads(value["message"])["payload"]
            for value in values
            if json.loads(value["channel"])[1:] == ["res.partner", user.partner_id.id]
            and json.loads(value["message"])["type"] == "simple_notification"
        ]

    def process(self):
        """One call of the worker as the cron engine makes it: (done, remaining) as
        reported to the engine."""
        progress = (
            self.env["ir.cron.progress"]
            .sudo()
            .create({"cron_id": self.cron.id, "done": 0, "remaining": 0})
        )
        self.Job.with_context(ir_cron_progress_id=progress.id)._cron_process()
        return progress.done, progress.remaining

    def two_targets(self):
        """The first quarter's targets of dealer and dealer2: 1,000 each."""
        return (
            self.env["dealer.sales.target"]
            .with_user(self.manager)
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": self.company.id,
                        "period_type": "quarter",
                        "date_start": "2026-01-01",
                        "amount": 1000,
                    }
                    for partner in (self.dealer, self.dealer2)
                ]
            )
        )

    def tier_run(self, date_to="2026-06-30"):
        return (
            self.env["dealer.tier.run"]
            .with_user(self.manager)
            .create({"company_id": self.company.id, "date_to": date_to})
        )

    def test_the_tier_button_queues_and_the_worker_computes(self):
        # 12 months to 30 June: dealer 700, dealer2 200, dealer3 100 (of 1,000): the
        # cumulative share before each is 0, 70, 90 -> A, A (below 80), B (below 95)
        self.sell("2026-03-01", 700)
        self.sell("2026-03-02", 200, partner=self.dealer2)
        self.sell("2026-03-03", 100, partner=self.dealer3)
        run = self.tier_run()
        with freeze_time("2026-07-05"):
            action = run.with_user(self.manager).action_compute()
            # at once: a notification, nothing computed yet
            self.assertEqual(action["tag"], "display_notification")
            self.assertIn("is queued", action["params"]["message"])
            self.assertEqual((run.state, len(run.line_ids)), ("draft", 0))
            job = self.jobs("tiers")
            self.assertEqual(
                (job.state, job.user_id, job.batch_total), ("queued", self.manager, 0)
            )
            # a second manager starting the same run gets the same one
            again = run.with_user(self.director).action_compute()
            self.assertIn("already started by", again["params"]["message"])
            self.assertEqual(self.jobs("tiers"), job)
            self.assertEqual(self.process(), (1, 0))
        self.assertEqual((job.state, job.batch_done, job.batch_total), ("done", 1, 1))
        self.assertEqual(job.progress, 100.0)
        self.assertEqual(run.state, "done")
        self.assertEqual(
            (
                self.dealer.dealer_tier,
                self.dealer2.dealer_tier,
                self.dealer3.dealer_tier,
            ),
            ("A", "A", "B"),
        )
        [message] = self.notifications(self.manager)
        self.assertEqual(message["type"], "success")
        self.assertIn("is done (1 of 1 batches)", message["message"])
        self.assertFalse(self.notifications(self.director))
        # done: the same button queues a new run
        run.with_user(self.manager).action_compute()
        self.assertEqual(len(self.jobs("tiers")), 2)

    def test_one_batch_per_call_with_its_progress(self):
        runs = self.tier_run("2026-05-31") | self.tier_run("2026-06-30")
        runs.with_user(self.manager).action_compute()
        job = self.jobs("tiers")
        # first call: planned (two runs, two batches), the first worked
        self.assertEqual(self.process(), (1, 1))
        self.assertEqual(
            (job.state, job.batch_done, job.batch_total), ("running", 1, 2)
        )
        self.assertEqual(job.progress, 50.0)
        self.assertEqual(runs.mapped("state"), ["done", "draft"])
        self.assertEqual(self.process(), (1, 0))
        self.assertEqual((job.state, job.batch_done), ("done", 2))
        self.assertEqual(runs.mapped("state"), ["done", "done"])
        # nothing left: the engine is told so
        self.assertEqual(self.process(), (0, 0))

    def test_accruals_in_the_background_and_a_failure_told(self):
        program = self.program()
        # dealer 9,000 -> 1 % = 90.00; dealer2 12,000 -> 2 % = 240.00
        self.sell("2026-01-10", 9000)
        self.sell("2026-01-20", 12000, partner=self.dealer2)
        for account, name in (
            ("dealer_rebate_accrual_journal_id", "Rebate Accruals"),
            ("dealer_rebate_accrued_account_id", "Accrued Rebates"),
            ("dealer_rebate_expense_account_id", "Rebate Expense"),
        ):
            self.assertFalse(self.company[account], name)
        wizard = (
            self.env["dealer.rebate.accrue"]
            .with_user(self.accountant)
            .create({"date": JAN31, "program_ids": [Command.set(program.ids)]})
        )
        wizard.action_accrue()
        self.work_jobs()
        job = self.jobs("accruals")
        # no accrual settings: the run failed, with the reason, and he is told
        self.assertEqual(job.state, "failed")
        self.assertIn("in the settings first", job.error)
        [message] = self.notifications(self.accountant)
        self.assertEqual((message["type"], message["sticky"]), ("danger", True))
        self.assertIn("in the settings first", message["message"])
        self.assertFalse(
            self.env["dealer.rebate.accrual"].search([("program_id", "=", program.id)])
        )
        # with them, the same start is a new run (the failed one is over)
        self.company.write(self.accrual_settings())
        wizard.action_accrue()
        self.work_jobs()
        self.assertEqual(self.jobs("accruals").mapped("state"), ["done", "failed"])
        accrual = self.env["dealer.rebate.accrual"].search(
            [("program_id", "=", program.id)]
        )
        self.assertEqual(accrual.amount, 330.0)

    def test_rebate_computation_one_batch_per_period(self):
        program = self.program()
        self.sell("2026-01-10", 9000)
        self.sell("2026-04-10", 12000)
        with freeze_time("2026-07-05"):
            program.with_user(self.manager).action_compute_closed()
            self.work_jobs()
        job = self.jobs("rebates")
        # Q1 and Q2 have closed on 5 July: two batches
        self.assertEqual((job.state, job.batch_total), ("done", 2))
        rebates = self.env["dealer.rebate"].search(
            [("program_id", "=", program.id), ("partner_id", "=", self.dealer.id)]
        )
        # Q1: 9,000 at 1 % = 90.00; Q2: 12,000 at 2 % = 240.00
        self.assertEqual(sorted(rebates.mapped("amount")), [90.0, 240.0])

    def test_a_scheduled_run_once_a_day(self):
        with freeze_time("2026-07-05"):
            first = self.Job._queue_daily("warnings")
            self.assertEqual(self.Job._queue_daily("warnings"), first)
            self.work_jobs()
            self.assertEqual(first.state, "done")
            # done: the same day's scheduled job does not run it again
            self.assertEqual(self.Job._queue_daily("warnings"), first)
            self.assertFalse(self.work_jobs())
        with freeze_time("2026-07-06"):
            second = self.Job._queue_daily("warnings")
        self.assertNotEqual(second, first)
        self.assertEqual((second.day, second.state), (date(2026, 7, 6), "queued"))
        runs = self.env["dealer.warning.run"].search(
            [("company_id", "=", self.company.id), ("date", "=", "2026-07-05")]
        )
        self.assertEqual(len(runs), 1)

    def test_every_scheduled_job_queues_a_run_that_ends(self):
        crons = {
            "ir_cron_dealer_evaluation_campaign": "campaign",
            "ir_cron_dealer_rebate_accrual": "accruals",
            "ir_cron_dealer_tier_run": "tiers",
            "ir_cron_dealer_target_refresh": "targets",
            "ir_cron_dealer_warning_evaluate": "warnings",
            "ir_cron_dealer_rebate_period_end": "period_end",
        }
        self.program()
        with freeze_time("2026-07-05"):
            for xmlid, kind in crons.items():
                self.env.ref(f"dealer_management.{xmlid}").method_direct_trigger()
                self.assertEqual(len(self.jobs(kind)), 1, kind)
            self.work_jobs()
        jobs = self.new_jobs()
        self.assertEqual(set(jobs.mapped("state")), {"done"}, jobs.mapped("error"))
        self.assertEqual(
            self.jobs("period_end").batch_total,
            self.env["dealer.rebate.program"].sudo().search_count([]),
        )

    def test_targets_of_one_dealer_at_once_of_several_in_the_background(self):
        targets = self.two_targets()
        self.sell("2026-01-10", 500)
        with freeze_time("2026-02-15"):
            self.assertTrue(targets[0].action_refresh())
            self.assertEqual(targets[0].achieved_amount, 500.0)
            self.assertFalse(self.jobs("targets"))
            targets.action_refresh()
            self.assertEqual(len(self.jobs("targets")), 1)
            self.sell("2026-01-11", 250, partner=self.dealer2)
            self.work_jobs()
        self.assertEqual(targets.mapped("achieved_amount"), [500.0, 250.0])

    def test_rights(self):
        run = self.tier_run()
        run.with_user(self.manager).action_compute()
        job = self.jobs("tiers")
        # a salesperson sees the runs he started only, nobody writes one
        self.assertFalse(self.new_jobs(self.salesperson))
        self.assertEqual(self.new_jobs(self.accountant), job)
        for user in (self.manager, self.accountant, self.salesperson):
            with self.subTest(user=user.login):
                for call in (
                    lambda j: j.write({"state": "done"}),
                    lambda j: j.create({"kind": "tiers", "key": "x"}),
                    lambda j: j.unlink(),
                ):
                    with self.assertRaises(AccessError), self.env.cr.savepoint():
                        call(job.with_user(user))
        # the campaign and the evaluation: a Dealer Manager's
        with self.assertRaisesRegex(AccessError, "evaluation campaign"):
            self.env["dealer.evaluation.campaign"].with_user(
                self.salesperson
            )._start_campaign()
        self.env["dealer.evaluation.campaign"].with_user(self.manager)._start_campaign()
        self.assertEqual(len(self.jobs("campaign")), 1)
        # the portal: nothing
        portal = self.dealer_portal_user("dm_job_portal", self.dealer, "Portal")
        with self.assertRaises(AccessError):
            self.env["dealer.job"].with_user(portal).search([])

    # ------------------------------------------------------------ review findings

    def test_the_starters_rights_are_checked_again_before_each_batch(self):
        run = self.tier_run()
        run.with_user(self.manager).action_compute()
        job = self.jobs("tiers")
        # no longer a Dealer Manager when the batch comes: nothing computed
        self.manager.sudo().groups_id = [
            Command.unlink(self.env.ref("dealer_management.group_dealer_manager").id)
        ]
        self.work_jobs()
        self.assertEqual(job.state, "failed")
        self.assertIn("may run it", job.error)
        self.assertEqual(run.state, "draft")
        # archived: the same
        run.with_user(self.director).action_compute()
        self.director.sudo().active = False
        self.work_jobs()
        self.assertIn("is archived", self.jobs("tiers")[0].error)
        self.assertEqual(run.state, "draft")

    def test_a_lock_is_tried_again_later_then_the_run_goes_on(self):
        run = self.tier_run()
        run.with_user(self.manager).action_compute()
        job = self.jobs("tiers")
        real = type(run)._job_step_tiers
        busy = LockBusy("This tier run is being computed by someone else.")
        with (
            freeze_time("2026-07-05 10:00:00"),
            patch.object(type(run), "_job_step_tiers", side_effect=busy),
        ):
            self.process()
        # planned, the batch not done, to be tried again in 15 seconds
        self.assertEqual(
            (job.state, job.batch_done, job.batch_total, job.attempts),
            ("running", 0, 1, 1),
        )
        self.assertEqual(str(job.retry_after), "2026-07-05 10:00:15")
        with freeze_time("2026-07-05 10:00:10"):
            self.assertEqual(self.process(), (0, 0))  # not yet
        with (
            freeze_time("2026-07-05 10:00:16"),
            patch.object(type(run), "_job_step_tiers", real),
        ):
            self.process()
        self.assertEqual((job.state, job.attempts, run.state), ("done", 0, "done"))
        # always busy: failed after 5 tries
        run.with_user(self.manager).action_compute()
        job = self.jobs("tiers")[0]
        with patch.object(type(run), "_job_step_tiers", side_effect=busy):
            for second in range(0, 300, 60):
                with freeze_time(f"2026-07-05 11:{second // 60:02d}:00"):
                    self.process()
        self.assertEqual((job.state, job.attempts), ("failed", 4))
        self.assertIn("someone else", job.error)

    def test_interrupted_twice_fails_and_cancel(self):
        run = self.tier_run()
        run.with_user(self.manager).action_compute()
        job = self.jobs("tiers")
        progress = (
            self.env["ir.cron.progress"]
            .sudo()
            .create({"cron_id": self.cron.id, "timed_out_counter": 3})
        )
        self.Job.with_context(ir_cron_progress_id=progress.id)._cron_process()
        self.assertEqual(job.state, "failed")
        self.assertIn("interrupted twice", job.error)
        # a run is cancelled by its starter or a Dealer Manager, not by others
        run.with_user(self.manager).action_compute()
        job = self.jobs("tiers")[0]
        with self.assertRaises(AccessError):
            job.with_user(self.accountant).action_cancel()
        job.with_user(self.director).action_cancel()
        self.assertEqual(job.state, "cancelled")
        self.assertFalse(self.work_jobs())
        self.assertEqual(run.state, "draft")

    def test_scheduled_runs_are_every_companys_and_run_again_after_a_failure(self):
        with freeze_time("2026-07-05"):
            job = self.Job._queue_daily("tiers")
        self.assertFalse(job.company_id)
        # the managers of any company see it
        self.assertIn(job, self.new_jobs(self.other_manager))
        job.write({"state": "failed", "error": "x"})
        job._notify_user()
        # a failed scheduled run: the Dealer Managers are told
        self.assertTrue(self.notifications(self.manager))
        with freeze_time("2026-07-05"):
            again = self.Job._queue_daily("tiers")
        self.assertNotEqual(again, job)
        # yesterday's run still queued does not take today's place
        with freeze_time("2026-07-06"):
            today = self.Job._queue_daily("tiers")
        self.assertNotIn(today, again | job)
        self.assertEqual(str(today.day), "2026-07-06")

    def test_one_key_per_selection_and_user_and_nothing_selected(self):
        targets = self.two_targets()
        both = self.env["dealer.sales.target"].browse(
            [targets[1].id, targets[0].id, targets[0].id]
        )
        both.with_user(self.manager).action_refresh()
        targets.with_user(self.manager).action_refresh()
        self.assertEqual(len(self.jobs("targets")), 1)
        # a refresh is its starter's (his rules choose the targets)
        targets.with_user(self.director).action_refresh()
        self.assertEqual(len(self.jobs("targets")), 2)
        with self.assertRaisesRegex(UserError, "Select the records"):
            self.env["dealer.tier.run"].with_user(self.manager).action_compute()

    def test_an_accrual_is_checked_whole_before_any_program_is_posted(self):
        self.company.write(self.accrual_settings())
        accrued, other = self.program(), self.program(name="Second program")
        self.sell("2026-01-10", 9000)
        Accrual = self.env["dealer.rebate.accrual"]
        Accrual.with_user(self.accountant)._accrue(accrued, JAN31)
        # now 10,000: 2 % on the whole, 200.00; accrued 90.00
        self.sell("2026-01-11", 1000)
        wizard = (
            self.env["dealer.rebate.accrue"]
            .with_user(self.accountant)
            .create(
                {"date": JAN31, "program_ids": [Command.set((accrued | other).ids)]}
            )
        )
        wizard.action_accrue()
        self.work_jobs()
        job = self.jobs("accruals")
        # refused before the second program is posted, as at once
        self.assertEqual((job.state, job.batch_total), ("failed", 0))
        self.assertIn("90.00, 200.00", job.error)
        self.assertFalse(Accrual.search([("program_id", "=", other.id)]))

    def accrual_settings(self):
        Account = self.env["account.account"].with_company(self.company)
        journal = self.env["account.journal"].create(
            {
                "name": "Rebate Accruals",
                "code": "RACR",
                "type": "general",
                "company_id": self.company.id,
            }
        )
        accrued = Account.create(
            {
                "code": "224199",
                "name": "Accrued Rebates",
                "account_type": "liability_current",
            }
        )
        expense = Account.create(
            {"code": "660199", "name": "Rebate Expense", "account_type": "expense"}
        )
        return {
            "dealer_rebate_accrual_journal_id": journal.id,
            "dealer_rebate_accrued_account_id": accrued.id,
            "dealer_rebate_expense_account_id": expense.id,
        }
