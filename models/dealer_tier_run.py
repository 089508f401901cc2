# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ABC tiering of dealers by the 80/20 rule.

How it works: ``docs/design.md``, section ``models/dealer_tier_run.py``."""

from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import BulkWriter
from ..tools.rights import MANAGER, check_group
from ..tools.sql_arrays import array, unnest
from .dealer_selections import BASES, TIERS
from .dealer_tier_rules import Dealer, tier_results
from .res_partner import DEALER_DOMAIN, dealer_sql

# companies whose next run notes the corrected basis (migrations/18.0.1.0.3)
BASIS_NOTE_PARAM = "dealer_management.tier_basis_note_companies"

# the computed columns of a result line, in the order of the rows _write_lines makes
LINE_COLUMNS = [
    ("rank", "int[]"),
    ("basis_amount", "numeric[]"),
    ("share", "numeric[]"),
    ("cumulative_share", "numeric[]"),
    ("tier", "varchar[]"),
    ("tier_kept", "bool[]"),
    ("previous_tier", "varchar[]"),
    ("changed", "bool[]"),
]


class DealerTierRun(models.Model):
    """One classification of a company's dealers over a window, with a result line per
    dealer. Computing it again with the same data changes nothing."""

    _name = "dealer.tier.run"
    _description = "Dealer Tier Run"
    _inherit = ["mail.thread", "dealer.governed.mixin", "dealer.lock.mixin"]
    _order = "date_to desc, id desc"
    _governed_extra = ("state",)

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_to = fields.Date(
        string="Window End",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    window_months = fields.Integer(
        string="Window (Months)",
        required=True,
        default=12,
        tracking=True,
        aggregator=None,
    )
    date_from = fields.Date(
        string="Window Start", compute="_compute_date_from", store=True
    )
    basis = fields.Selection(
        BASES,
        required=True,
        default="revenue",
        tracking=True,
        help="Net invoiced revenue: posted customer invoices minus "
        "credit notes, untaxed, in company currency. Gross margin: that "
        "revenue minus the quantity at the product's cost. Quantity: "
        "units invoiced minus units credited, in the product's unit.",
    )
    threshold_a = fields.Float(
        string="A Threshold (%)",
        required=True,
        default=80.0,
        tracking=True,
        aggregator=None,
    )
    threshold_b = fields.Float(
        string="B Threshold (%)",
        required=True,
        default=95.0,
        tracking=True,
        aggregator=None,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    computed_on = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many(
        "dealer.tier.run.line", "run_id", string="Results", readonly=True, copy=False
    )
    total_basis = fields.Float(digits=(16, 2), readonly=True, copy=False)
    dealer_count = fields.Integer(compute="_compute_counts")
    count_a = fields.Integer(string="A Dealers", compute="_compute_counts")
    count_b = fields.Integer(string="B Dealers", compute="_compute_counts")
    count_c = fields.Integer(string="C Dealers", compute="_compute_counts")
    count_new = fields.Integer(string="New Dealers", compute="_compute_counts")
    changed_count = fields.Integer(string="Tier Changes", compute="_compute_counts")

    @api.depends("company_id", "date_to", "basis")
    def _compute_name(self):
        labels = dict(self._fields["basis"]._description_selection(self.env))
        for run in self:
            run.name = _(
                "ABC tiers %(company)s to %(date)s (%(basis)s)",
                company=run.company_id.name or "",
                date=run.date_to or "",
                basis=labels.get(run.basis, ""),
            )

    @api.depends("date_to", "window_months")
    def _compute_date_from(self):
        for run in self:
            # the N months that end on date_to: from the day after it, N months back
            # (30 June, 3 months: 1 April, not 31 March)
            run.date_from = run.date_to and (
                run.date_to
                + relativedelta(days=1)
                - relativedelta(months=run.window_months)
            )

    def _compute_counts(self):
        groups = self.env["dealer.tier.run.line"]._read_group(
            [("run_id", "in", self.ids)],
            groupby=["run_id", "tier"],
            aggregates=["__count"],
        )
        counts = {(run.id, tier): count for run, tier, count in groups}
        changes = dict(
            self.env["dealer.tier.run.line"]._read_group(
                [("run_id", "in", self.ids), ("changed", "=", True)],
                groupby=["run_id"],
                aggregates=["__count"],
            )
        )
        for run in self:
            run.count_a = counts.get((run.id, "A"), 0)
            run.count_b = counts.get((run.id, "B"), 0)
            run.count_c = counts.get((run.id, "C"), 0)
            run.count_new = counts.get((run.id, "new"), 0)
            run.dealer_count = run.count_a + run.count_b + run.count_c + run.count_new
            run.changed_count = changes.get(run, 0)

    @api.constrains("threshold_a", "threshold_b", "window_months")
    def _check_thresholds(self):
        for run in self:
            self._check_tier_settings(
                run.threshold_a, run.threshold_b, run.window_months
            )

    @api.model
    def _check_tier_settings(self, threshold_a, threshold_b, window_months):
        """The tier settings of a run or of a company's defaults (``res.company``)."""
        if not (0 < threshold_a < threshold_b <= 100):
            raise ValidationError(
                _(
                    "Tier thresholds must satisfy 0 < A < B <= 100 (A %(a)s, B %(b)s).",
                    a=threshold_a,
                    b=threshold_b,
                )
            )
        if window_months < 1:
            raise ValidationError(_("The window of a tier run is at least one month."))

    def write(self, vals):
        if self.filtered(lambda run: run.state == "done") and set(vals) & {
            "company_id",
            "date_to",
            "window_months",
            "basis",
            "threshold_a",
            "threshold_b",
        }:
            raise UserError(
                _(
                    "The parameters of a computed tier run cannot change: "
                    "create a new run."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_compute(self):
        """The "Recompute now" button: the run is queued, and measures, ranks,
        writes the lines and applies the tiers in the background."""
        check_group(self.env, MANAGER, _("compute dealer tiers"))
        self.check_access("write")
        return self.env["dealer.job"]._queue_for_user(
            "tiers", self, {"run_ids": self.ids}, groups=[MANAGER]
        )

    @api.model
    def _job_plan_tiers(self, params):
        """Batches of a background tier run: one run (one company) each; the
        scheduled run creates this month's runs first."""
        if "run_ids" in params:
            return params["run_ids"]
        day = self.env["dealer.job"]._day(params)
        return self._monthly_runs(day).ids

    @api.model
    def _job_step_tiers(self, run_id, params):
        run = self.browse(run_id).exists()
        if run:
            run._lock_rows()
            run.sudo()._classify()

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_tier_run_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    @api.model
    def _cron_run_tiers(self, today=None, companies=None):
        """Monthly: for every company with dealers (or those of ``companies``), the
        run of the window that ends on the last day of the previous month, created
        once and computed (again)."""
        runs = self._monthly_runs(today or fields.Date.context_today(self), companies)
        for run in runs:
            run._lock_rows()
            run._classify()
        return runs

    @api.model
    def _monthly_runs(self, today, companies=None):
        """The runs of the window that ends on the last day of the month before
        ``today``, one per company with dealers (or of ``companies``), created once."""
        date_to = today.replace(day=1) - relativedelta(days=1)
        todo = self.env["res.company"]
        for [company] in self.env["res.partner"]._read_group(
            DEALER_DOMAIN,
            groupby=["company_id"],
        ):
            # dealers shared by every company are ranked in each of them
            todo |= company or self.env["res.company"].search([])
        if companies is not None:
            todo &= companies
        runs = self.browse()
        for company in todo:
            runs |= self._run_for(company, date_to)
        return runs

    @api.model
    def _run_for(self, company, date_to):
        """The run of ``company`` for the window ending ``date_to`` with the company's
        settings: the existing one, or a new one."""
        vals = {
            "company_id": company.id,
            "date_to": date_to,
            "window_months": company.dealer_tier_window_months or 12,
            "basis": company.dealer_tier_basis or "revenue",
            "threshold_a": company.dealer_tier_threshold_a,
            "threshold_b": company.dealer_tier_threshold_b,
        }
        run = self.search([(key, "=", value) for key, value in vals.items()], limit=1)
        return run or self.create(vals)

    # -------------------------------------------------------------- the rule

    def _lock_busy_message(self):
        return _("This tier run is being computed by someone else.")

    def _basis_sql(self):
        """Per-dealer net sales of the window on the run's basis: one grouped query of
        the measurement layer (models/dealer_measure.py)."""
        self.ensure_one()
        return self.env["dealer.measure"]._net_sales_sql(
            self.company_id, None, self.date_from, self.date_to, self.basis
        )

    def _classify(self):
        """Measure, rank, write the lines and apply the tiers."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(self._basis_sql())
        amounts = dict(cr.fetchall())
        # The dealers of the company, with what the run needs of them: one query.
        cr.execute(
            SQL(
                """
            SELECT id, dealer_since, dealer_tier, dealer_tier_override,
                   dealer_tier_locked_until
              FROM res_partner
             WHERE %s AND active
               AND (company_id = %s OR company_id IS NULL)
            """,
                dealer_sql("res_partner"),
                self.company_id.id,
            )
        )
        dealers = [Dealer(*row) for row in cr.fetchall()]
        digits = 4 if self.basis == "quantity" else 2
        today = fields.Date.context_today(self)
        results, total = tier_results(
            amounts,
            dealers,
            self.threshold_a,
            self.threshold_b,
            (self.date_from, self.date_to),
            today,
            digits,
        )
        self._write_lines(results)
        self._apply_tiers(results, today)
        if self.state != "done" or round(self.total_basis, digits) != total:
            self.write(
                {
                    "state": "done",
                    "total_basis": total,
                    "computed_on": fields.Datetime.now(),
                }
            )

    def _write_lines(self, results):
        """Insert, update or delete only what differs from the lines already there,
        so that computing again with the same data writes nothing (the bulk writer:
        tens of thousands of lines)."""
        Line = self.env["dealer.tier.run.line"]
        writer = BulkWriter(Line, "partner_id", LINE_COLUMNS)
        current = writer.read(SQL("run_id = %s", self.id))
        rows = {}
        for partner_id, (
            rank,
            amount,
            share,
            cumulative,
            tier,
            kept,
            now,
        ) in results.items():
            row = current.get(partner_id)
            # the previous tier is the dealer's when the line was first written
            previous = (now or None) if row is None else row[1][6]
            changed = not kept and (now if row is None else previous) != tier
            rows[partner_id] = (
                rank,
                amount,
                share,
                cumulative,
                tier,
                kept,
                previous,
                changed,
            )
        writer.write(
            rows,
            current,
            fixed={"run_id": self.id, "date_to": self.date_to},
            delete_missing=True,
        )
        self.invalidate_recordset(["line_ids"])

    def _apply_tiers(self, results, today):
        """Write the new tier on the dealers whose tier changes (not those kept by a
        locked override) and log the change in their chatter. An override whose lock
        has passed is lifted."""
        changes = {
            partner_id: (current, tier)
            for partner_id, (_r, _a, _s, _c, tier, kept, current) in results.items()
            if not kept and current != tier
        }
        cr = self.env.cr
        if changes:
            # Raw SQL: every dealer changes on a first run, tens of thousands of them.
            cr.execute(
                SQL(
                    """UPDATE res_partner p
                       SET dealer_tier = v.tier, dealer_tier_date = %s
                     FROM %s WHERE p.id = v.id""",
                    today,
                    unnest(
                        [
                            ("id", "int[]", list(changes)),
                            (
                                "tier",
                                "varchar[]",
                                [new for _old, new in changes.values()],
                            ),
                        ]
                    ),
                )
            )
        cr.execute(
            SQL(
                """UPDATE res_partner SET dealer_tier_override = FALSE,
                      dealer_tier_locked_until = NULL,
                      dealer_tier_override_reason = NULL
                WHERE id = ANY(%s) AND dealer_tier_override
                  AND dealer_tier_locked_until < %s""",
                array(results),
                today,
            )
        )
        if changes or cr.rowcount:
            self.env["res.partner"].invalidate_model(
                [
                    "dealer_tier",
                    "dealer_tier_date",
                    "dealer_tier_override",
                    "dealer_tier_locked_until",
                    "dealer_tier_override_reason",
                ]
            )
        labels = dict(
            self.env["dealer.tier.run.line"]
            ._fields["tier"]
            ._description_selection(self.env)
        )
        # A change of tier is logged, with why: the dealer's rank and share; a first
        # classification is not (the run lines keep it), so that the first run does
        # not post a message per dealer.
        template = _(
            "Tier %(old)s → %(new)s (%(run)s): rank %(rank)s, %(share)s%% of the "
            "basis, the dealers ranked before it %(before)s%%."
        )
        note = self._basis_change_note()
        bodies = {
            pid: template
            % {
                "old": labels[old],
                "new": labels[new],
                "run": self.name,
                "rank": results[pid][0],
                "share": round(results[pid][2], 2),
                "before": round(results[pid][3] - results[pid][2], 2),
            }
            + note
            for pid, (old, new) in changes.items()
            if old
        }
        if bodies:
            self._log_on_partners(bodies)

    def _basis_change_note(self):
        """Version 18.0.1.0.3 corrected the basis (the documents that settle rebates are
        no sales): the first run of each company after the update says so in the tier
        changes it logs (the migration recomputes nothing itself)."""
        param = self.env["ir.config_parameter"].sudo()
        pending = [
            int(cid)
            for cid in (param.get_param(BASIS_NOTE_PARAM) or "").split(",")
            if cid
        ]
        if self.company_id.id not in pending:
            return ""
        pending.remove(self.company_id.id)
        param.set_param(BASIS_NOTE_PARAM, ",".join(map(str, pending)))
        return " " + _(
            "The basis no longer counts the credit notes and invoices that "
            "settle rebate statements (version 18.0.1.0.3): part of this "
            "change may come from that."
        )

    def _log_on_partners(self, bodies):
        """Log notes on the partners' chatter in one batch (no notification, no
        follower)."""
        self.env["res.partner"].browse(list(bodies))._message_log_batch(
            {pid: escape(body) for pid, body in bodies.items()}
        )


class DealerTierRunLine(models.Model):
    _name = "dealer.tier.run.line"
    _description = "Dealer Tier Run Line"
    _inherit = ["dealer.governed.mixin"]
    _order = "run_id desc, rank"
    _governed_all = True  # the run's results
    # Written by the run only, which records who computed it and when: no creator and
    # writer per line (two foreign keys checked on each of tens of thousands of rows).
    _log_access = False

    # run_id is indexed by the unique (run_id, partner_id) constraint
    run_id = fields.Many2one("dealer.tier.run", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id")
    date_to = fields.Date(related="run_id.date_to", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    rank = fields.Integer(aggregator=None)
    basis_amount = fields.Float(string="Basis", digits=(16, 2), aggregator="sum")
    share = fields.Float(string="Share (%)", digits=(16, 4), aggregator="sum")
    cumulative_share = fields.Float(
        string="Cumulative Share (%)", digits=(16, 4), aggregator="max"
    )
    previous_tier = fields.Selection(TIERS)
    tier = fields.Selection(TIERS, string="New Tier", required=True)
    tier_kept = fields.Boolean(
        string="Override Kept",
        help="The dealer's tier was set by hand and locked: the run did not change it.",
    )
    changed = fields.Boolean(string="Tier Changed")

    _sql_constraints = [
        (
            "run_partner_uniq",
            "unique(run_id, partner_id)",
            "A dealer is ranked once per run.",
        ),
    ]
