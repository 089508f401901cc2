# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Background runs: the long runs over many dealers, queued on Odoo's cron engine and
worked in batches, each committed on its own.

How it works: ``docs/design.md``, section ``models/dealer_job.py``."""

import json
import logging
from datetime import date, timedelta

from psycopg2 import errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.rights import MANAGER, check_group
from .dealer_lock_mixin import LockBusy
from .dealer_selections import JOB_KINDS, JOB_STATES

_logger = logging.getLogger(__name__)

# The model that plans and works each kind of run: ``_job_plan_<kind>(params)`` gives
# the run's batches (JSON values), ``_job_step_<kind>(batch, params)`` works one.
KIND_MODELS = {
    "tiers": "dealer.tier.run",
    "warnings": "dealer.warning.rule",
    "rebates": "dealer.rebate.program",
    "period_end": "dealer.rebate.program",
    "targets": "dealer.sales.target",
    "campaign": "dealer.evaluation.campaign",
    "accruals": "dealer.rebate.accrual",
}
CRON_XMLID = "dealer_management.ir_cron_dealer_job"
# a batch that meets a lock or a concurrent update is tried again, later, this many
# times in all; one interrupted twice in a row (its worker killed, e.g. by a time
# limit) fails its run
ATTEMPTS = 5
RETRY_SECONDS = 15
LOCK_TIMEOUT = "60s"
TRANSIENT = (
    LockBusy,
    errors.LockNotAvailable,
    errors.SerializationFailure,
    errors.DeadlockDetected,
)


class DealerJob(models.Model):
    """One run in the background: what to do (``kind`` and ``params``), its batches
    once planned, how many are done, and who is told when it ends."""

    _name = "dealer.job"
    _description = "Dealer Background Run"
    _inherit = ["dealer.governed.mixin"]
    _order = "id desc"
    _governed_all = True  # made and written by the queue only

    name = fields.Char(compute="_compute_name")
    kind = fields.Selection(JOB_KINDS, required=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="None: a scheduled run, of every company."
    )
    user_id = fields.Many2one(
        "res.users", string="Started By", required=True, index=True
    )
    key = fields.Char(
        required=True,
        help="What the run does: a second start of the same run while it is queued "
        "or running gives the same run.",
    )
    day = fields.Date(
        string="Scheduled Day",
        help="The day of a scheduled run: each scheduled run is done once a day.",
    )
    params = fields.Json()
    batches = fields.Json(
        string="Planned Batches", help="The run's batches, planned when it starts."
    )
    batch_done = fields.Integer(string="Batches Done")
    batch_total = fields.Integer(string="Batches")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    state = fields.Selection(JOB_STATES, required=True, default="queued", index=True)
    error = fields.Text(readonly=True)
    attempts = fields.Integer(
        help="Tries of the current batch that met a lock or a concurrent update."
    )
    retry_after = fields.Datetime(string="Next Try")
    started_on = fields.Datetime()
    ended_on = fields.Datetime()

    def init(self):
        # one queued or running run per key (two users, two servers: one run), and one
        # scheduled run per key and day
        self.env.cr.execute(
            SQL(
                """
            CREATE UNIQUE INDEX IF NOT EXISTS dealer_job_active_key_uniq
                ON dealer_job (key) WHERE state IN ('queued', 'running');
            CREATE UNIQUE INDEX IF NOT EXISTS dealer_job_daily_key_uniq
                ON dealer_job (key) WHERE day IS NOT NULL AND state != 'failed';
            """
            )
        )

    @api.depends("kind", "day", "create_date")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for job in self:
            when = job.day or (
                job.create_date
                and fields.Datetime.context_timestamp(job, job.create_date).strftime(
                    "%Y-%m-%d %H:%M"
                )
            )
            job.name = _(
                "%(kind)s of %(when)s", kind=labels.get(job.kind, ""), when=when or ""
            )

    @api.depends("batch_done", "batch_total", "state")
    def _compute_progress(self):
        for job in self:
            if job.state == "done":
                job.progress = 100.0
            else:
                job.progress = (
                    job.batch_total and job.batch_done * 100.0 / job.batch_total
                )

    # ------------------------------------------------------------------ queueing

    @api.model
    def _queue(self, kind, params, key, day=None, company=None):
        """Queue a run of ``kind`` and wake the cron engine; the run already queued or
        running with this ``key`` (or done for this ``day``) when there is one, so that
        two starts of the same run, on any server, give one run. Returns
        ``(job, created)``."""
        assert kind in KIND_MODELS, kind
        self.flush_model()
        cr = self.env.cr
        now = fields.Datetime.now()
        cr.execute(
            SQL(
                """
            INSERT INTO dealer_job (kind, company_id, user_id, key, day, params,
                                    state, batch_done, batch_total, attempts,
                                    create_uid, create_date, write_uid, write_date)
            VALUES (%(kind)s, %(company)s, %(uid)s, %(key)s, %(day)s, %(params)s,
                    'queued', 0, 0, 0, %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
                kind=kind,
                company=company.id if company else None,
                uid=self.env.uid,
                key=key,
                day=day,
                params=fields.Json().convert_to_column(params, self),
                now=now,
            )
        )
        row = cr.fetchone()
        if row:
            self.env.ref(CRON_XMLID).sudo()._trigger()
            return self.browse(row[0]), True
        cr.execute(
            SQL(
                """
            SELECT id FROM dealer_job
             WHERE key = %(key)s
               AND (state IN ('queued', 'running')
                    OR (day IS NOT NULL AND state != 'failed'))
             ORDER BY id DESC LIMIT 1
            """,
                key=key,
            )
        )
        return self.browse(cr.fetchone()[0]), False

    @api.model
    def _today(self):
        """The user's day, in his own time zone (not one a caller's context gives)."""
        return fields.Date.context_today(self.with_context(tz=self.env.user.tz))

    @api.model
    def _queue_for_user(self, kind, records, params, groups=(), per_user=False):
        """The buttons: queue the run of ``kind`` over ``records`` with ``params`` (the
        user's companies added) and tell the user at once (a notification). The same
        run started again while queued or running is the same run; ``per_user``: a
        run whose records the user's rules choose is his own (a salesperson's).
        ``groups``: one of them is checked again before each batch, as the user who
        started the run is then (a Dealer Manager no more runs nothing more)."""
        if not records:
            raise UserError(_("Select the records to run it on first."))
        # the same selection is the same run, whatever its order or repeats
        params = {
            key: sorted(set(value)) if isinstance(value, list) else value
            for key, value in params.items()
        }
        params.update(company_ids=sorted(self.env.companies.ids), groups=list(groups))
        key = f"{kind}:{json.dumps(params, sort_keys=True)}"
        if per_user:
            key += f":{self.env.uid}"
        job, created = self._queue(kind, params, key, company=self.env.company)
        job = job.sudo()
        if created:
            message = _(
                "%(run)s is queued: it runs in the background and you will be told "
                "when it ends.",
                run=job.name,
            )
        else:
            message = _(
                "%(run)s was already started by %(user)s: it runs once, and you can "
                "follow it under Background Runs.",
                run=job.name,
                user=job.user_id.name,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Background run"),
                "message": message,
                "type": "info",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _queue_daily(self, kind):
        """The scheduled jobs: today's run of ``kind`` for every company, once a day
        (again only after a failed one)."""
        today = fields.Date.context_today(self)
        job, _created = self._queue(
            kind, {"day": today.isoformat()}, f"daily:{kind}:{today}", day=today
        )
        return job

    def action_cancel(self):
        """Cancel queued or running runs (a Dealer Manager, or the user who started
        them): the batches done stay done, the others are not worked."""
        mine = self.filtered(lambda job: job.user_id == self.env.user)
        if self - mine:
            check_group(self.env, MANAGER, _("cancel other users' background runs"))
        self.check_access("read")
        jobs = self.sudo().filtered(lambda job: job.state in ("queued", "running"))
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM dealer_job WHERE id = ANY(%s) "
                        "FOR NO KEY UPDATE NOWAIT",
                        jobs.ids,
                    ),
                    log_exceptions=False,
                )
        except errors.LockNotAvailable as exc:
            raise UserError(
                _("A batch of this run is being worked: try again in a moment.")
            ) from exc
        jobs.invalidate_recordset()
        jobs.filtered(lambda job: job.state in ("queued", "running")).write(
            {
                "state": "cancelled",
                "ended_on": fields.Datetime.now(),
                "error": _("Cancelled by %(user)s.", user=self.env.user.name),
            }
        )
        return True

    # ------------------------------------------------------------------ the worker

    @api.model
    def _cron_process(self):
        """The cron engine's callback: one batch of the oldest run no other worker
        holds, committed by the engine with the run's progress; the engine calls it
        again while batches remain (``ir.cron._notify_progress``)."""
        job = self._claim()
        if job and self._interrupted():
            job._fail(
                _(
                    "Its batch was interrupted twice in a row (the worker stopped, "
                    "for instance by its time limit): see the deployment notes."
                )
            )
        elif job:
            job._work_one_batch()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT count(*) FILTER (WHERE state = 'queued'),
                   coalesce(sum(batch_total - batch_done)
                            FILTER (WHERE state = 'running'), 0)
              FROM dealer_job
             WHERE state IN ('queued', 'running')
               AND (retry_after IS NULL OR retry_after <= %s)
            """,
                fields.Datetime.now(),
            )
        )
        queued, batches = self.env.cr.fetchone()
        self.env["ir.cron"]._notify_progress(
            done=1 if job else 0, remaining=int(queued + batches)
        )

    @api.model
    def _interrupted(self):
        """Whether this worker's last two calls were interrupted (the engine counts
        them on its progress rows)."""
        progress_id = self.env.context.get("ir_cron_progress_id")
        progress = self.env["ir.cron.progress"].sudo().browse(progress_id)
        return bool(progress_id) and progress.timed_out_counter >= 3

    @api.model
    def _work_queued(self, limit=1000):
        """Work the queued runs now, in this transaction, a batch at a time as the
        worker does (the demo's data, a shell); returns the runs worked."""
        worked = self.browse()
        for _call in range(limit):
            job = self._claim()
            if not job:
                break
            job._work_one_batch()
            worked |= job
        return worked

    @api.model
    def _claim(self):
        """The oldest queued or running run not waiting to try again, locked for this
        transaction; none when every one is held by another worker."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM dealer_job
             WHERE state IN ('queued', 'running')
               AND (retry_after IS NULL OR retry_after <= %s)
             ORDER BY id
             LIMIT 1
               FOR NO KEY UPDATE SKIP LOCKED
            """,
                fields.Datetime.now(),
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _runner(self):
        """The model that plans and works this run, as the user who started it (his
        companies, his language), checked again: still active, still in one of the
        run's groups."""
        self.ensure_one()
        params = self.params or {}
        user = self.user_id
        context = {
            "allowed_company_ids": params.get("company_ids")
            or (user.company_ids.ids if user._is_superuser() else user.company_id.ids),
            "lang": user.lang,
            "tz": user.tz,
        }
        env = self.env(user=user, context=context, su=user._is_superuser())
        if not user.active and not user._is_superuser():
            raise AccessError(
                _("%(user)s, who started this run, is archived.", user=user.name)
            )
        if params.get("groups"):
            check_group(env, tuple(params["groups"]), _("run it"))
        return env[KIND_MODELS[self.kind]]

    def _work_one_batch(self):
        """Plan the run if it is new, then work its next batch; the batch and the
        count of batches done are committed together (the engine's commit), so a
        server killed in the middle leaves the batch to do again, never half. A batch
        that meets a lock or a concurrent update is tried again later."""
        self.ensure_one()
        job = self.sudo()
        params = job.params or {}
        try:
            runner = job._runner()
            if job.state == "queued":
                with self.env.cr.savepoint():
                    batches = getattr(runner, f"_job_plan_{job.kind}")(params)
                job.write(
                    {
                        "state": "running",
                        "batches": batches,
                        "batch_total": len(batches),
                        "batch_done": 0,
                        "started_on": fields.Datetime.now(),
                    }
                )
            if job.batch_done < job.batch_total:
                job._work_batch(runner, job.batches[job.batch_done], params)
            if job.state == "running" and job.batch_done >= job.batch_total:
                job.write({"state": "done", "ended_on": fields.Datetime.now()})
        except Exception as exc:  # noqa: BLE001 - a run's error is its outcome
            _logger.warning("Background run %s failed", job.id, exc_info=True)
            self.env.invalidate_all()
            job._fail(exc.args[0] if isinstance(exc, UserError) else str(exc))
        job.flush_recordset()
        if job.state == "done":
            job._notify_user()

    def _work_batch(self, runner, batch, params):
        """One batch, in a savepoint; a lock or a concurrent update leaves it to try
        again later (up to ``ATTEMPTS`` tries), any other error is raised."""
        try:
            with self.env.cr.savepoint():
                # a batch waits for a lock a minute at most, then tries again later
                self.env.cr.execute(
                    SQL("SELECT set_config('lock_timeout', %s, true)", LOCK_TIMEOUT)
                )
                getattr(runner, f"_job_step_{self.kind}")(batch, params)
                runner.env.flush_all()
        except TRANSIENT:
            self.env.invalidate_all()
            if self.attempts + 1 >= ATTEMPTS:
                raise
            retry = fields.Datetime.now() + timedelta(
                seconds=RETRY_SECONDS * (self.attempts + 1)
            )
            _logger.info("Background run %s: batch tried again at %s", self.id, retry)
            self.write({"attempts": self.attempts + 1, "retry_after": retry})
            self.env.ref(CRON_XMLID).sudo()._trigger(retry)
            return
        self.write(
            {"batch_done": self.batch_done + 1, "attempts": 0, "retry_after": False}
        )

    def _fail(self, error):
        self.ensure_one()
        self.write(
            {"state": "failed", "error": error, "ended_on": fields.Datetime.now()}
        )
        self._notify_user()

    def _notify_user(self):
        """Tell the user who started the run how it ended (the bus: a notification
        in his open browser tabs); a scheduled run's failure, the Dealer Managers."""
        self.ensure_one()
        users = self.user_id
        if self.state == "failed" and self.day:  # a scheduled run's
            users = self.env.ref(MANAGER).users.filtered("active")
        for user in users:
            job = self.with_context(lang=user.lang, tz=user.tz)
            if self.state == "done":
                title = job.env._("Background run done")
                message = job.env._(
                    "%(run)s is done (%(done)s of %(total)s batches).",
                    run=job.name,
                    done=self.batch_done,
                    total=self.batch_total,
                )
            else:
                title = job.env._("Background run failed")
                message = job.env._(
                    "%(run)s failed: %(error)s", run=job.name, error=self.error
                )
            user._bus_send(
                "simple_notification",
                {
                    "title": title,
                    "message": message,
                    "type": "success" if self.state == "done" else "danger",
                    "sticky": self.state != "done",
                },
            )

    # ------------------------------------------------------------------ helpers

    @api.model
    def _day(self, params):
        """The day a run works for (ISO in its parameters)."""
        return date.fromisoformat(params["day"])
