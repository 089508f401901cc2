# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Background runs: the long runs over many dealers, queued on Odoo's cron engine and
worked in batches, each committed on its own.

How it works: ``docs/design.md``, section ``models/dealer_job.py``."""

import logging
from datetime import date

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
ACTIVE = ("queued", "running")
CRON_XMLID = "dealer_management.ir_cron_dealer_job"


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
    company_id = fields.Many2one("res.company", required=True, index=True)
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
            CREATE UNIQUE INDEX IF NOT EXISTS dealer_job_day_key_uniq
                ON dealer_job (key, day) WHERE day IS NOT NULL;
            """
            )
        )

    @api.depends("kind", "day", "create_date")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for job in self:
            job.name = _(
                "%(kind)s of %(when)s",
                kind=labels.get(job.kind, ""),
                when=job.day or job.create_date or "",
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
        cr = self.env.cr
        company = company or self.env.company
        now = fields.Datetime.now()
        cr.execute(
            SQL(
                """
            INSERT INTO dealer_job (kind, company_id, user_id, key, day, params,
                                    state, batch_done, batch_total,
                                    create_uid, create_date, write_uid, write_date)
            VALUES (%(kind)s, %(company)s, %(uid)s, %(key)s, %(day)s, %(params)s,
                    'queued', 0, 0, %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
                kind=kind,
                company=company.id,
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
               AND (state IN ('queued', 'running') OR day = %(day)s)
             ORDER BY id DESC LIMIT 1
            """,
                key=key,
                day=day,
            )
        )
        return self.browse(cr.fetchone()[0]), False

    @api.model
    def _queue_for_user(self, kind, params, key, company=None):
        """The buttons: queue the run and tell the user at once (a notification)."""
        job, created = self._queue(kind, params, key, company=company)
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
        """The scheduled jobs: today's run of ``kind`` for every company, once a
        day."""
        today = fields.Date.context_today(self)
        company = self.env["res.company"].search([], order="id", limit=1)
        job, _created = self._queue(
            kind,
            {"day": today.isoformat()},
            f"daily:{kind}",
            day=today,
            company=company,
        )
        return job

    # ------------------------------------------------------------------ the worker

    @api.model
    def _cron_process(self):
        """The cron engine's callback: one batch of the oldest run no other worker
        holds, committed by the engine with the run's progress; the engine calls it
        again while batches remain (``ir.cron._notify_progress``)."""
        job = self._claim()
        if job:
            job._work_one_batch()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT count(*) FILTER (WHERE state = 'queued'),
                   coalesce(sum(batch_total - batch_done)
                            FILTER (WHERE state = 'running'), 0)
              FROM dealer_job WHERE state IN ('queued', 'running')
            """
            )
        )
        queued, batches = self.env.cr.fetchone()
        self.env["ir.cron"]._notify_progress(
            done=1 if job else 0, remaining=int(queued + batches)
        )

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
        """The oldest queued or running run, locked for this transaction; none when
        every one is held by another worker."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM dealer_job
             WHERE state IN ('queued', 'running')
             ORDER BY id
             LIMIT 1
               FOR NO KEY UPDATE SKIP LOCKED
            """
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _runner(self):
        """The model that plans and works this run, in the environment of the user who
        started it (his companies, his language)."""
        self.ensure_one()
        params = self.params or {}
        context = {
            "allowed_company_ids": params.get("company_ids") or [self.company_id.id],
            "lang": self.user_id.lang,
            "tz": self.user_id.tz,
        }
        env = self.env(user=self.user_id, context=context, su=False)
        if self.user_id._is_superuser() or self.user_id._is_public():
            env = env(su=True)
        return env[KIND_MODELS[self.kind]]

    def _work_one_batch(self):
        """Plan the run if it is new, then work its next batch; the batch and the
        count of batches done are committed together (the engine's commit), so a
        server killed in the middle leaves the batch to do again, never half."""
        self.ensure_one()
        job = self.sudo()
        runner = job._runner()
        params = job.params or {}
        try:
            with self.env.cr.savepoint():
                if job.state == "queued":
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
                    batch = job.batches[job.batch_done]
                    getattr(runner, f"_job_step_{job.kind}")(batch, params)
                    runner.env.flush_all()
                    job.batch_done += 1
                if job.batch_done >= job.batch_total:
                    job.write({"state": "done", "ended_on": fields.Datetime.now()})
                job.flush_recordset()
        except Exception as exc:  # noqa: BLE001 - a run's error is its outcome
            _logger.warning("Background run %s failed", job.id, exc_info=True)
            self.env.invalidate_all()
            job.write(
                {
                    "state": "failed",
                    "error": exc.args[0] if isinstance(exc, UserError) else str(exc),
                    "ended_on": fields.Datetime.now(),
                }
            )
        if job.state in ("done", "failed"):
            job._notify_user()

    def _notify_user(self):
        """Tell the user who started the run how it ended (the bus: a notification
        in his open browser tabs)."""
        self.ensure_one()
        job = self.with_context(lang=self.user_id.lang)
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
        self.user_id._bus_send(
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
