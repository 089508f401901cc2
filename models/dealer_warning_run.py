# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Warning runs: one evaluation of the warning rules for a company on a day.

How it works: ``docs/design.md``, section ``models/dealer_warning_run.py``."""

from psycopg2 import errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# how long an evaluation waits for another one that is creating the same run (the
# insert of a run waits on the unique index until the other transaction ends)
CREATE_LOCK_TIMEOUT = "100ms"


class DealerWarningRun(models.Model):
    _name = "dealer.warning.run"
    _description = "Dealer Warning Run"
    _inherit = ["dealer.governed.mixin", "dealer.lock.mixin"]
    _order = "date desc, id desc"
    _governed_all = True  # made and written by the evaluation only

    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Date(required=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")], required=True, default="running"
    )
    evaluated_on = fields.Datetime(string="Last Evaluated On")
    rule_count = fields.Integer(string="Rules Evaluated")
    new_warning_count = fields.Integer(
        string="New Warnings", help="Warnings opened by the last evaluation."
    )

    _sql_constraints = [
        (
            "company_date_uniq",
            "unique(company_id, date)",
            "A company has one warning run per day.",
        ),
    ]

    @api.depends("company_id", "date")
    def _compute_display_name(self):
        for run in self:
            run.display_name = _(
                "Warnings of %(company)s on %(date)s",
                company=run.company_id.name or "",
                date=run.date or "",
            )

    def _lock_busy_message(self):
        return _(
            "The warning rules of %(company)s are being evaluated by someone else: try "
            "again in a moment.",
            company=", ".join(self.company_id.mapped("name")),
        )

    @api.model
    def _start(self, company, day):
        """The run of ``company`` on ``day``, created if need be, locked for this
        transaction; a UserError at once when another evaluation holds it."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                "SELECT id FROM dealer_warning_run WHERE company_id = %s AND date = %s",
                company.id,
                day,
            )
        )
        row = cr.fetchone()
        if not row:
            try:
                with cr.savepoint(flush=False):
                    cr.execute(SQL("SHOW lock_timeout"))
                    previous = cr.fetchone()[0]
                    cr.execute(
                        SQL(
                            "SELECT set_config('lock_timeout', %s, true)",
                            CREATE_LOCK_TIMEOUT,
                        )
                    )
                    cr.execute(
                        SQL(
                            """
                            INSERT INTO dealer_warning_run
                                (company_id, date, state, create_uid, create_date,
                                 write_uid, write_date)
                            VALUES (%(company)s, %(day)s, 'running', %(uid)s,
                                    %(now)s, %(uid)s, %(now)s)
                            ON CONFLICT (company_id, date) DO NOTHING
                            RETURNING id
                            """,
                            company=company.id,
                            day=day,
                            uid=self.env.uid,
                            now=fields.Datetime.now(),
                        ),
                        log_exceptions=False,  # busy: said to the user, not logged
                    )
                    row = cr.fetchone()
                    cr.execute(
                        SQL("SELECT set_config('lock_timeout', %s, true)", previous)
                    )
            except errors.LockNotAvailable as exc:
                raise UserError(self.browse()._busy(company)) from exc
            if row:  # ours: nobody else sees it before this transaction ends
                return self.browse(row[0])
            cr.execute(
                SQL(
                    "SELECT id FROM dealer_warning_run "
                    "WHERE company_id = %s AND date = %s",
                    company.id,
                    day,
                )
            )
            row = cr.fetchone()
        run = self.browse(row[0])
        run._lock_rows()
        return run

    def _busy(self, company):
        return self.new({"company_id": company.id})._lock_busy_message()

    @api.model
    def _evaluate(self, rules, companies, partners, today):
        """Evaluate ``rules`` for the companies in their scope (among ``companies``),
        every dealer (or those of ``partners``) on ``today``: one run per company,
        locked, one measure per rule and company."""
        runs = self.browse()
        for company in rules._companies(companies).sorted("id"):
            runs |= self.sudo()._start(company, today)
        Warnings = self.env["dealer.warning"]
        Measure = self.env["dealer.warning.measure"]
        new = dict.fromkeys(runs.company_id.ids, 0)
        with Measure._sharing_receivables():
            for rule in rules:
                for company in rule._companies(companies):
                    dealer_ids = rule._scope_dealer_ids(company, partners)
                    measures = Measure._measure_for_readers(
                        rule, company, dealer_ids, today
                    )
                    new[company.id] += len(
                        Warnings._sync(
                            rule, company, dealer_ids, measures, today, partners
                        )
                    )
                    # what the rule read of the dealers is not kept for the next one
                    del measures
                    self.env.flush_all()
                    self.env.invalidate_all()
        for run in runs:
            run.sudo().write(
                {
                    "state": "done",
                    "evaluated_on": fields.Datetime.now(),
                    "rule_count": len(
                        rules.filtered(
                            lambda r, c=run.company_id: not r.company_ids
                            or c in r.company_ids
                        )
                    ),
                    "new_warning_count": new[run.company_id.id],
                }
            )
        return True
