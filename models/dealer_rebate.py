# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebate statements: one per dealer, program and statement end.

A statement measures the sales of its period from the period start to its end
(cumulative, so that a partial statement and the final one apply the brackets to the
volume reached so far), computes the period's rebate with the program's rules, and
deducts what the earlier statements of the period granted.

Which invoice lines a statement counts is kept without a row per line (an annual program
of a large network counts millions of them, see benchmarks/README.md): every posting of
a customer invoice or credit note takes the next number of a sequence
(``account.move.dealer_post_seq``), and a statement records the last number it saw, its
*watermark*. A statement counts the in-scope lines of its dealer dated in its window and
posted up to its watermark that no earlier statement of the program counts;
``dealer.rebate.line`` lists them. So an invoice line is counted once per program, also
across partial and final settlements.

Credit notes (or late invoices) posted after the final statement of a period are found
by the next statement of the dealer: it computes that period again in full and carries
the difference with what the period was granted as an adjustment (which counts those
lines), instead of changing a settled statement. After the program's last period there is
no next statement: the daily job gives such a dealer a *closing* statement, adjustments
only (``_compute_closing``).

States: draft -> to approve -> approved -> settled, or cancelled. Approval goes through
OCA ``base_tier_validation`` (a Dealer Manager; above the program's amount a Dealer
Director after him); nobody approves a statement he submitted or created. Settlement by a
Dealer Accountant creates and posts a customer credit note on the program's rebate
product.
"""

from collections import defaultdict
from operator import itemgetter

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round

from ..sql_arrays import array, unnest
from ..tools import company_domain
from .dealer_rebate_program import rebate_figures

# the figures of a statement, as computed
FIGURES = (
    "basis_amount",
    "net_amount",
    "last_year_amount",
    "target_amount",
    "achieved_amount",
    "volume_rebate",
    "growth_rebate",
    "target_bonus",
    "discipline_amount",
    "cap_adjustment",
    "period_total",
    "previously_granted",
    "period_amount",
    "adjustment_amount",
    "amount",
    "next_bracket",
    "to_next_bracket",
)
STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("settled", "Settled"),
    ("cancel", "Cancelled"),
]
# What may be written on a statement directly: its chatter and activities. Everything
# else changes through the computation (raw SQL) and the buttons, which check rights and
# state first and then write as superuser (dealer.governed.mixin).


class DealerRebate(models.Model):
    _name = "dealer.rebate"
    _description = "Dealer Rebate Statement"
    _inherit = [
        "dealer.document.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
    ]
    _governed_all = True  # every figure is the calculation's, every state a button's
    _order = "date_to desc, id desc"
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(readonly=True, copy=False, default="/")
    # indexed by dealer_rebate_program_partner_period_idx below, which starts with it
    program_id = fields.Many2one(
        "dealer.rebate.program", required=True, readonly=True, ondelete="restrict"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        STATES, required=True, default="draft", tracking=True, copy=False, index=True
    )
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    date_to = fields.Date(
        string="Statement End",
        required=True,
        readonly=True,
        help="The sales from the period start up to this day are measured.",
    )
    is_final = fields.Boolean(
        string="Final", readonly=True, help="The last statement of the period."
    )
    is_closing = fields.Boolean(
        string="Closing Adjustments",
        readonly=True,
        copy=False,
        help="Issued after the program's last period: it has no sales of its own and "
        "carries the adjustments to the program's closed periods (a credit note posted "
        "after their statements were approved, say) that no later statement of the "
        "program is left to carry.",
    )
    computed_on = fields.Datetime(readonly=True)
    watermark = fields.Integer(
        readonly=True,
        copy=False,
        help="The last posting number of customer invoices this statement saw.",
    )
    basis_amount = fields.Float(
        string="Basis",
        digits=(16, 2),
        readonly=True,
        help="Cumulative basis of the period: net invoiced untaxed "
        "amount or net quantity in the program's scope.",
    )
    net_amount = fields.Monetary(string="Net Amount", readonly=True)
    last_year_amount = fields.Monetary(readonly=True)
    target_amount = fields.Monetary(string="Sales Target", readonly=True)
    achieved_amount = fields.Monetary(string="Target Achieved Amount", readonly=True)
    overdue = fields.Boolean(string="Overdue Receivables", readonly=True)
    volume_rebate = fields.Monetary(readonly=True)
    growth_rebate = fields.Monetary(readonly=True)
    target_bonus = fields.Monetary(readonly=True)
    discipline_amount = fields.Monetary(string="Payment Discipline", readonly=True)
    cap_adjustment = fields.Monetary(string="Cap", readonly=True)
    period_total = fields.Monetary(string="Rebate of the Period to Date", readonly=True)
    previously_granted = fields.Monetary(
        readonly=True, help="Granted by earlier statements of the period."
    )
    period_amount = fields.Monetary(readonly=True)
    adjustment_amount = fields.Monetary(
        string="Adjustments", readonly=True, help="Changes to earlier, closed periods."
    )
    amount = fields.Monetary(string="Rebate", readonly=True, aggregator="sum")
    next_bracket = fields.Float(
        string="Next Bracket From", digits=(16, 2), readonly=True
    )
    to_next_bracket = fields.Float(
        string="Distance to Next Bracket", digits=(16, 2), readonly=True
    )
    near_next_bracket = fields.Boolean(readonly=True)
    needs_second_approval = fields.Boolean(readonly=True)
    line_ids = fields.One2many(
        "dealer.rebate.line", "rebate_id", string="Counted Lines"
    )
    line_count = fields.Integer(compute="_compute_line_count")
    adjustment_ids = fields.One2many(
        "dealer.rebate.adjustment", "rebate_id", readonly=True
    )
    submitted_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    # the settlement's number, for those who approve rebates but may not read invoices
    # (Dealer Managers and Directors): a related field reads it as the superuser
    move_name = fields.Char(related="move_id.name", string="Credit Note Number")
    settled_uid = fields.Many2one(
        "res.users", string="Settled By", readonly=True, copy=False
    )
    settled_date = fields.Datetime(readonly=True, copy=False)

    def init(self):
        self.env.cr.execute(
            SQL("""
            CREATE UNIQUE INDEX IF NOT EXISTS dealer_rebate_statement_uniq
                ON dealer_rebate (program_id, partner_id, date_to) WHERE state != 'cancel';
            DROP INDEX IF EXISTS dealer_rebate_program_period_idx;
            DROP INDEX IF EXISTS dealer_rebate__program_id_index;
            CREATE INDEX IF NOT EXISTS dealer_rebate_program_partner_period_idx
                ON dealer_rebate (program_id, partner_id, period_start);
        """)
        )

    def _compute_line_count(self):
        counts = dict(
            self.env["dealer.rebate.line"]
            .sudo()
            ._read_group(
                [("rebate_id", "in", self.ids)],
                groupby=["rebate_id"],
                aggregates=["__count"],
            )
        )
        for rebate in self:
            rebate.line_count = counts.get(rebate, 0)

    def write(self, vals):
        self.check_access("write")  # who may not write at all is told so first
        return super().write(vals)

    def _governed_hint(self):
        return _(
            "rebate statements are computed, approved and settled through their "
            "buttons (Recompute, Submit, Approve, Reset to Draft, Cancel, Settle); "
            "they are not edited"
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda r: r.state not in ("draft", "cancel")):
            raise UserError(
                _("Only draft or cancelled rebate statements can be deleted.")
            )

    # ------------------------------------------------------------------ rights

    def _check_group(self, xmlid, what):
        if not self.env.su and not self.env.user.has_group(xmlid):
            raise AccessError(
                _(
                    "Only a %(group)s can %(what)s rebate statements.",
                    group=self.env.ref(xmlid).name,
                    what=what,
                )
            )

    @api.model
    def _check_manager(self):
        self._check_group(
            "dealer_management.group_dealer_manager", _("compute or approve")
        )

    def _check_state(self, states, action):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            raise UserError(
                _(
                    "%(action)s: the statement %(name)s is %(state)s.",
                    action=action,
                    name=wrong[0].name,
                    state=dict(STATES)[wrong[0].state],
                )
            )

    def _lock_rows(self):
        """Stop two users from acting on the same statements at the same moment."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM dealer_rebate WHERE id = ANY(%s) FOR UPDATE NOWAIT",
                        self.ids,
                    )
                )
        except errors.LockNotAvailable as exc:
            raise UserError(
                _(
                    "These rebate statements are being processed by someone "
                    "else: try again in a moment."
                )
            ) from exc
        self.invalidate_recordset()

    # ------------------------------------------------------------------ actions

    def action_recompute(self):
        self._check_manager()
        self._check_state(["draft"], _("Recompute"))
        today = fields.Date.context_today(self)
        for (program, period_start, date_to, closing), rebates in self.grouped(
            lambda r: (r.program_id, r.period_start, r.date_to, r.is_closing)
        ).items():
            if closing:
                self._compute_closing(program, today, rebates.partner_id.ids)
            else:
                self._compute_for(
                    program, period_start, date_to, rebates.partner_id.ids
                )
        return True

    def action_submit(self):
        self._check_manager()
        self._lock_rows()
        self._check_state(["draft"], _("Submit"))
        self._governed_write({"state": "to_approve", "submitted_uid": self.env.uid})
        self.request_validation()
        return True

    def validate_tier(self):
        """Give this user's approval: one review per click, so that the Dealer
        Director who is also a Dealer Manager does not give both approvals at once,
        and nobody approves his own statement or approves twice. The statement is
        approved when its last review is."""
        self.ensure_one()
        self._check_manager()
        self._check_state(["to_approve"], _("Approve"))
        self._check_not_own()
        review = self.review_ids.filtered(
            lambda r: r.sequence in self._get_sequences_to_approve(self.env.user)
        ).sorted("sequence")[:1]
        if self.review_ids.filtered(lambda r: r.done_by == self.env.user):
            raise UserError(
                _(
                    "The second approval of %(name)s is given by another person.",
                    name=self.name,
                )
            )
        if not review:
            raise AccessError(
                _(
                    "You are not a reviewer of the pending approval of %(name)s.",
                    name=self.name,
                )
            )
        self._validate_tier(review)
        self._update_counter({"review_deleted": True})
        if self.validation_status == "validated":
            self.action_approve()
        return True

    def _check_not_own(self):
        for rebate in self:
            if (
                self.env.user in (rebate.create_uid | rebate.submitted_uid)
                and not self.env.su
            ):
                raise UserError(
                    _(
                        "Nobody approves a rebate statement he created or "
                        "submitted (%(name)s).",
                        name=rebate.name,
                    )
                )

    def action_approve(self):
        """Approve the statements whose reviews are all done (the tier validation
        refuses the others)."""
        self._check_manager()
        self._check_not_own()
        self._lock_rows()
        self._check_state(["to_approve"], _("Approve"))
        self._governed_write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reset_draft(self):
        self._check_manager()
        self._lock_rows()
        self._check_state(["to_approve", "cancel"], _("Reset to draft"))
        self._check_nothing_built_on()
        for rebate in self.filtered(lambda r: r.state == "cancel"):
            if self.search_count(
                [
                    ("program_id", "=", rebate.program_id.id),
                    ("partner_id", "=", rebate.partner_id.id),
                    ("date_to", "=", rebate.date_to),
                    ("state", "!=", "cancel"),
                ]
            ):
                raise UserError(
                    _(
                        "%(name)s cannot come back: another statement of the same "
                        "dealer, program and end replaced it.",
                        name=rebate.name,
                    )
                )
        # the reviews go first: base_tier_validation refuses writes under validation
        self.sudo().review_ids.unlink()
        self._governed_write({"state": "draft", "submitted_uid": False})
        return True

    def _check_nothing_built_on(self):
        """A statement that a later statement of the dealer in the program has left draft
        on top of does not change: that later one would count the same sales again. A
        later statement builds on it when it deducts what this one granted for a period
        (a later statement of the same period) or adjusts a period this one granted for.
        Drafts are computed again anyway."""
        for rebate in self:
            periods = rebate.adjustment_ids.mapped("period_start")
            if not rebate.is_closing:
                periods.append(rebate.period_start)
            later = self.sudo().search(
                [
                    ("program_id", "=", rebate.program_id.id),
                    ("partner_id", "=", rebate.partner_id.id),
                    ("date_to", ">", rebate.date_to),
                    ("state", "in", ("to_approve", "approved", "settled")),
                    "|",
                    "&",
                    ("is_closing", "=", False),
                    ("period_start", "in", periods),
                    ("adjustment_ids.period_start", "in", periods),
                ]
            )
            if later:
                raise UserError(
                    _(
                        "%(name)s cannot change: %(later)s, issued after it for the same dealer "
                        "and program, builds on it. Reset or cancel that one first.",
                        name=rebate.name,
                        later=", ".join(later.mapped("name")),
                    )
                )

    def action_cancel(self):
        self._check_manager()
        self._lock_rows()
        self._check_state(["draft", "to_approve", "approved"], _("Cancel"))
        self._check_nothing_built_on()
        self._governed_write({"state": "cancel"})
        return True

    def action_settle(self):
        """A posted credit note (a customer invoice when the statement takes a rebate
        back) on the program's rebate product, linked both ways."""
        self._check_group("dealer_management.group_dealer_accountant", _("settle"))
        self._lock_rows()
        self._check_state(["approved"], _("Settle"))
        for rebate in self:
            move = rebate.sudo()._create_settlement_move()
            rebate.sudo()._governed_write(
                {
                    "state": "settled",
                    "move_id": move.id,
                    "settled_uid": self.env.uid,
                    "settled_date": fields.Datetime.now(),
                }
            )
            if move:
                rebate.sudo().message_post(
                    body=_("Settled by %(move)s.", move=move._get_html_link())
                )
        return True

    def _create_settlement_move(self):
        self.ensure_one()
        currency = self.currency_id
        if currency.is_zero(self.amount):
            return self.env["account.move"]
        product = self.program_id.product_id
        partner = self.partner_id
        price = abs(self.amount)
        # the rebate is untaxed: with taxes included in prices, the line's price is the
        # rebate with its taxes, so that the untaxed amount is the rebate
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(partner)
        )
        taxes = fiscal_position.map_tax(
            product.taxes_id.filtered(
                lambda t: t.company_id in self.company_id.parent_ids
            )
        )
        if any(taxes.mapped("price_include")):
            price = taxes.compute_all(
                price,
                currency,
                product=product,
                partner=partner,
                handle_price_include=False,
            )["total_included"]
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_refund" if self.amount > 0 else "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.context_today(self),
                    "dealer_rebate_id": self.id,
                    "ref": self.name,
                    "invoice_origin": self.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": _(
                                    "%(program)s, %(start)s to %(end)s",
                                    program=self.program_id.name,
                                    start=self.period_start,
                                    end=self.date_to,
                                ),
                                "quantity": 1,
                                "price_unit": price,
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_rebate_line_action"
        )
        action["domain"] = [("rebate_id", "=", self.id)]
        return action

    def action_view_move(self):
        self.ensure_one()
        return self.move_id._get_records_action() if self.move_id else False

    @api.model
    def _cron_period_end(self, today=None, companies=None):
        """Daily: compute the statements of every period (or partial settlement) that
        closed (the drafts computed while it was open are computed again over the
        whole period), submit those with an amount, and give each Dealer Manager one
        activity per program and period for them; compute the open statement's drafts
        up to today (the earned-to-date list); once the program is over, carry late
        changes to its periods in closing statements. Running it again changes nothing.
        ``companies``: only their programs (default: every company's)."""
        today = today or fields.Date.context_today(self)
        for program in self.env["dealer.rebate.program"].search(
            company_domain(companies)
        ):
            current = None
            for start, end, _final in program._statement_ends():
                if end < today:
                    # again every day: a dealer whose sales of a closed period arrive late
                    # gets his statement; the submitted ones are not touched
                    self._compute_for(program, start, end)._submit_closed(program)
                elif start <= today and current is None:
                    current = (start, end)  # the open statement, not the later ones
            if current:
                self._compute_for(program, *current)
            elif program.date_end and program.date_end < today:
                self._compute_closing(program, today)._submit_closed(program)
        return True

    def _submit_closed(self, program):
        """Submit the drafts with an amount among these statements of closed periods,
        with an activity for the managers."""
        rebates = self.filtered(
            lambda r: r.state == "draft" and not r.currency_id.is_zero(r.amount)
        )
        if rebates:
            rebates.sudo()._submit_system()
            for date_to in sorted(set(rebates.mapped("date_to"))):
                program._schedule_approval_activity(date_to)

    def _submit_system(self):
        self._governed_write({"state": "to_approve"})
        self.request_validation()

    # ---------------------------------------------------------- the computation

    @api.model
    def _compute_for(self, program, period_start, date_to, dealer_ids=None):
        """Compute (again) the statements of ``program`` ending ``date_to`` for its
        eligible dealers (or those of ``dealer_ids``): the drafts are updated, new ones
        inserted, statements past draft left as they are. Returns the statements."""
        program = program.sudo()
        self.env.flush_all()
        cr = self.env.cr
        self._lock_program(program)
        periods = dict((s, e) for s, e in program._periods())
        period_end = periods[period_start]
        eligible = program._eligible_dealer_ids(period_start, period_end)
        if dealer_ids is not None:
            eligible = list(set(eligible) & set(dealer_ids))
        cr.execute(
            SQL(
                """SELECT partner_id, id, state FROM dealer_rebate
                WHERE program_id = %s AND date_to = %s AND state != 'cancel'""",
                program.id,
                date_to,
            )
        )
        existing = {pid: (rid, state) for pid, rid, state in cr.fetchall()}
        # drafts of dealers no longer eligible go: they would be submitted as they were
        eligible_set = set(eligible)
        stale = [
            rid
            for pid, (rid, state) in existing.items()
            if state == "draft"
            and pid not in eligible_set
            and (dealer_ids is None or pid in dealer_ids)
        ]
        if stale:
            self.browse(stale).unlink()
            existing = {
                pid: value for pid, value in existing.items() if value[0] not in stale
            }
        dealers = [
            pid for pid in eligible if existing.get(pid, (0, "draft"))[1] == "draft"
        ]
        if not dealers:
            return self.browse([rid for rid, _s in existing.values()])
        current_ids = [existing[pid][0] for pid in dealers if pid in existing]
        watermark = self._watermark()
        measures = self._measure(program, period_start, date_to, dealers)
        adjustments = (
            self._adjustments(program, period_start, dealers, date_to)
            if period_start > program.date_start
            else {}
        )
        granted = self._granted(program, [period_start], dealers, date_to)
        rules = program._rules()
        rounding = rules.rounding
        watch = program.watch_distance / 100
        second = program.second_approval_amount
        rows = {}
        for pid in dealers:
            m = measures.get(pid)
            adjust = adjustments.get(pid, [])
            if not m and not adjust and pid not in existing:
                continue
            m = m or self._empty_measure()
            figures = rebate_figures(
                rules,
                m["basis"],
                m["amount"],
                m["last_year"],
                m["target"],
                m["achieved"],
                m["overdue"],
            )
            before = granted.get((pid, period_start), 0.0)
            period_amount = (
                float_round(figures.total - before, precision_rounding=rounding)
                if before
                else figures.total
            )
            adjustment = (
                float_round(
                    sum(a["amount"] for a in adjust), precision_rounding=rounding
                )
                if adjust
                else 0.0
            )
            amount = period_amount + adjustment
            near = bool(
                figures.next_bracket
                and watch
                and figures.to_next <= figures.next_bracket * watch
            )
            rows[pid] = {
                "basis_amount": m["basis"],
                "net_amount": m["amount"],
                "last_year_amount": m["last_year"],
                "target_amount": m["target"],
                "achieved_amount": m["achieved"],
                "overdue": bool(m["overdue"]),
                "volume_rebate": figures.volume,
                "growth_rebate": figures.growth,
                "target_bonus": figures.target_bonus,
                "discipline_amount": figures.discipline,
                "cap_adjustment": figures.capped,
                "period_total": figures.total,
                "previously_granted": before,
                "period_amount": period_amount,
                "adjustment_amount": adjustment,
                "amount": amount,
                "next_bracket": figures.next_bracket or 0.0,
                "to_next_bracket": figures.to_next or 0.0,
                "near_next_bracket": near,
                "needs_second_approval": bool(second and amount > second),
                "watermark": watermark,
                "adjustments": adjust,
            }
        program._store_scope()
        ids = self._write_statements(
            program, period_start, period_end, date_to, rows, existing
        )
        return self.browse(
            ids + [rid for pid, (rid, _s) in existing.items() if pid not in rows]
        )

    def _lock_program(self, program):
        """One computation of a program at a time (the job and a button, say)."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM dealer_rebate_program WHERE id = %s "
                        "FOR UPDATE NOWAIT",
                        program.id,
                    )
                )
        except errors.LockNotAvailable as exc:
            raise UserError(
                _(
                    "The statements of %(program)s are being computed by someone "
                    "else: try again in a moment.",
                    program=program.name,
                )
            ) from exc

    def _compute_closing(self, program, today, dealer_ids=None):
        """After the program's last period: the changes to its closed periods that no
        later statement of the program is left to carry (a credit note dated in the last
        period and posted after its statement was approved, say) go to a closing
        statement per dealer, ending ``today``: adjustments only. A closing draft is
        computed again in place, as of its own end; one past draft is followed by a new
        one when more changes come. Returns the statements written."""
        program = program.sudo()
        self.env.flush_all()
        cr = self.env.cr
        self._lock_program(program)
        cr.execute(
            SQL(
                """SELECT partner_id, id, date_to, state, is_closing FROM dealer_rebate
                WHERE program_id = %s AND state != 'cancel' AND (is_final OR is_closing)""",
                program.id,
            )
        )
        dealers, drafts, issued_today = set(), defaultdict(dict), set()
        for pid, rid, date_to, state, closing in cr.fetchall():
            if dealer_ids is not None and pid not in dealer_ids:
                continue
            dealers.add(pid)
            if closing and state == "draft":
                drafts[date_to][pid] = rid
            elif closing and date_to == today:
                issued_today.add(pid)  # one statement per day: the next one tomorrow
        with_draft = {pid for by_pid in drafts.values() for pid in by_pid}
        new = dealers - with_draft - issued_today
        ends = set(drafts) | ({today} if new else set())
        last_start, last_end = program._periods()[-1]
        after_end = last_end + relativedelta(days=1)
        rounding = program.currency_id.rounding
        second = program.second_approval_amount
        ids = []
        # earliest first: a later closing statement counts what an earlier one carries
        for date_to in sorted(ends):
            self.env.flush_all()
            existing = {
                pid: (rid, "draft") for pid, rid in drafts.get(date_to, {}).items()
            }
            pids = list(existing) + (list(new) if date_to == today else [])
            watermark = self._watermark()
            rows = {}
            for pid, adjust in self._adjustments(
                program, after_end, pids, date_to
            ).items():
                amount = float_round(
                    sum(a["amount"] for a in adjust), precision_rounding=rounding
                )
                if amount:
                    rows[pid] = {
                        **dict.fromkeys(FIGURES, 0.0),
                        "overdue": False,
                        "near_next_bracket": False,
                        "adjustment_amount": amount,
                        "amount": amount,
                        "watermark": watermark,
                        "adjustments": adjust,
                        "needs_second_approval": bool(second and amount > second),
                    }
            # a draft whose changes were undone (the credit note cancelled) goes
            stale = [rid for pid, (rid, _s) in existing.items() if pid not in rows]
            if stale:
                self.browse(stale).unlink()
            existing = {pid: value for pid, value in existing.items() if pid in rows}
            if rows:
                ids += self._write_statements(
                    program, last_start, last_end, date_to, rows, existing, closing=True
                )
        return self.browse(ids)

    @staticmethod
    def _empty_measure():
        return {
            "basis": 0.0,
            "amount": 0.0,
            "last_year": 0.0,
            "target": 0.0,
            "achieved": 0.0,
            "overdue": False,
        }

    def _watermark(self):
        """The last posting number among the moves this transaction sees (the
        sequence's own last value may belong to a posting not committed yet, or
        committed after this transaction's snapshot)."""
        self.env.cr.execute(
            SQL("SELECT COALESCE(MAX(dealer_post_seq), 0) FROM account_move")
        )
        return self.env.cr.fetchone()[0]

    def _measure_sql(self, program, period_start, date_to, dealers):
        """Per dealer, over the program's scope: the cumulative basis and net amount of
        the period to ``date_to`` and the net amount on the same dates a year earlier.

        Raw SQL: one grouped query over the invoice lines of every dealer (a million at
        scale)."""
        last_year_start = period_start - relativedelta(years=1)
        last_year_end = date_to - relativedelta(years=1)
        dates = SQL("sale.invoice_date BETWEEN %s AND %s", period_start, date_to)
        if program.growth_rate:
            dates = SQL(
                "(%s OR sale.invoice_date BETWEEN %s AND %s)",
                dates,
                last_year_start,
                last_year_end,
            )
        return SQL(
            """
            SELECT sale.partner_id,
                   COALESCE(SUM(sale.value) FILTER (WHERE sale.invoice_date >= %(start)s), 0),
                   COALESCE(SUM(sale.amount) FILTER (WHERE sale.invoice_date >= %(start)s), 0),
                   COALESCE(SUM(sale.amount) FILTER (WHERE sale.invoice_date < %(start)s), 0)
              FROM (%(sales)s) sale
             WHERE %(dates)s
             GROUP BY sale.partner_id
            """,
            start=period_start,
            dates=dates,
            sales=self._program_sales_sql(program, dealers),
        )

    def _program_sales_sql(self, program, dealers):
        """The invoice lines a program counts: the sales of ``dealers`` (the measurement
        layer's definition) in its scope of products, on its basis."""
        return self.env["dealer.measure"]._sales_lines_sql(
            program.company_id,
            dealers,
            product_ids=program._scope_product_ids(),
            basis="quantity" if program.basis == "quantity" else "revenue",
        )

    def _measure(self, program, period_start, date_to, dealers):
        """{dealer id: the figures the rules need} for one period to ``date_to``."""
        cr = self.env.cr
        cr.execute(self._measure_sql(program, period_start, date_to, dealers))
        result = {
            pid: {
                "basis": float(basis),
                "amount": float(amount),
                "last_year": float(last_year),
                "target": 0.0,
                "achieved": 0.0,
                "overdue": False,
            }
            for pid, basis, amount, last_year in cr.fetchall()
        }
        if program.target_bonus_type != "none":
            targets = (
                self.env["dealer.sales.target"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", program.company_id.id),
                        ("partner_id", "in", dealers),
                        ("date_start", ">=", period_start),
                        ("date_end", "<=", date_to),
                    ],
                    groupby=["partner_id"],
                    aggregates=["amount:sum"],
                )
            )
            if targets:
                achieved = self.env["dealer.sales.target"]._achieved_amounts(
                    program.company_id,
                    [p.id for p, _a in targets],
                    period_start,
                    date_to,
                )
                for partner, amount in targets:
                    figures = result.setdefault(partner.id, self._empty_measure())
                    figures["target"] = amount
                    figures["achieved"] = program.currency_id.round(
                        achieved.get(partner.id, 0.0)
                    )
        if program.discipline != "none" and result:
            # receivables as they stood at the period's end (or today, while it is
            # open): a payment made later does not change a closed period
            day = min(date_to, fields.Date.context_today(self))
            receivables = self.env["dealer.measure"]._receivables(
                program.company_id, list(result), day
            )
            for pid, receivable in receivables.items():
                if (receivable.oldest_days or 0) > program.discipline_days:
                    result[pid]["overdue"] = True
        return result

    def _granted(self, program, period_starts, dealers, date_to):
        """{(dealer, period start): rebate granted for that period} by the statements of
        the program ending before ``date_to`` (the ones being computed end on it): their
        own period's part and their adjustments."""
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, period_start, SUM(amount) FROM (
                SELECT partner_id, period_start, period_amount AS amount
                  FROM dealer_rebate
                 WHERE program_id = %(program)s AND state != 'cancel'
                   AND period_start = ANY(%(starts)s) AND partner_id = ANY(%(dealers)s)
                   AND date_to < %(date_to)s
                UNION ALL
                SELECT r.partner_id, adj.period_start, adj.amount
                  FROM dealer_rebate_adjustment adj
                  JOIN dealer_rebate r ON r.id = adj.rebate_id
                 WHERE r.program_id = %(program)s AND r.state != 'cancel'
                   AND adj.period_start = ANY(%(starts)s) AND r.partner_id = ANY(%(dealers)s)
                   AND r.date_to < %(date_to)s
            ) granted GROUP BY partner_id, period_start
            """,
                program=program.id,
                starts=period_starts,
                dealers=array(dealers),
                date_to=date_to,
            )
        )
        return {
            (pid, start): float(amount) for pid, start, amount in self.env.cr.fetchall()
        }

    def _late_sql(self, program, period_start, dealers, date_to):
        """(dealer, period start) of the earlier periods of the program, closed by a
        final statement, whose lines changed since the last statement (or adjustment)
        that covered them: a line posted after it, or what it counted no longer adds
        up to the basis it recorded (an invoice reset to draft and changed or
        cancelled). Raw SQL: one grouped query over the lines of those periods."""
        return SQL(
            """
            WITH covering AS (
                SELECT r.partner_id, r.period_start AS start, r.period_end AS stop,
                       r.watermark, r.basis_amount, r.date_to AS rank
                  FROM dealer_rebate r
                 WHERE r.program_id = %(program)s AND r.state != 'cancel' AND r.is_final
                   AND r.period_start < %(start)s AND r.partner_id = ANY(%(dealers)s)
                UNION ALL
                SELECT r.partner_id, adj.period_start, adj.period_end, r.watermark,
                       adj.basis_amount, r.date_to
                  FROM dealer_rebate_adjustment adj
                  JOIN dealer_rebate r ON r.id = adj.rebate_id
                 WHERE r.program_id = %(program)s AND r.state != 'cancel'
                   AND r.partner_id = ANY(%(dealers)s) AND r.date_to < %(date_to)s
            ), latest AS (
                SELECT DISTINCT ON (partner_id, start) *
                  FROM covering ORDER BY partner_id, start, rank DESC
            ), lines AS (
                SELECT sale.partner_id, sale.invoice_date, sale.post_seq AS seq, sale.value
                  FROM (%(sales)s) sale
                 WHERE sale.invoice_date >= %(program_start)s
                   AND sale.invoice_date < %(start)s
            )
            SELECT latest.partner_id, latest.start
              FROM latest
              LEFT JOIN lines ON lines.partner_id = latest.partner_id
                   AND lines.invoice_date BETWEEN latest.start AND latest.stop
             GROUP BY latest.partner_id, latest.start, latest.watermark, latest.basis_amount
            HAVING COALESCE(bool_or(lines.seq > latest.watermark), FALSE)
                OR ROUND(COALESCE(SUM(lines.value) FILTER (
                       WHERE lines.seq <= latest.watermark), 0)::numeric, 2)
                   != ROUND(latest.basis_amount::numeric, 2)
            """,
            program=program.id,
            start=period_start,
            dealers=array(dealers),
            date_to=date_to,
            program_start=program.date_start,
            sales=self._program_sales_sql(program, dealers),
        )

    def _adjustments(self, program, period_start, dealers, date_to):
        """{dealer: [adjustment]} for the earlier periods of the program whose final
        statement exists and which have lines posted after it (a credit note dated in a
        settled period, say): each such period is computed again in full and the
        difference with what was granted becomes an adjustment."""
        cr = self.env.cr
        cr.execute(self._late_sql(program, period_start, dealers, date_to))
        closed = defaultdict(list)
        for pid, start in cr.fetchall():
            closed[start].append(pid)
        periods = dict(program._periods())
        result = defaultdict(list)
        for start, pids in sorted(closed.items()):
            late = self._measure(program, start, periods[start], pids)
            granted = self._granted(program, [start], pids, date_to)
            for pid in pids:
                m = late.get(pid) or self._empty_measure()
                figures = program._rebate_figures(
                    m["basis"],
                    m["amount"],
                    m["last_year"],
                    m["target"],
                    m["achieved"],
                    m["overdue"],
                )
                before = granted.get((pid, start), 0.0)
                result[pid].append(
                    {
                        "period_start": start,
                        "period_end": periods[start],
                        "basis_amount": m["basis"],
                        "period_total": figures.total,
                        "previously_granted": before,
                        "amount": program.currency_id.round(figures.total - before),
                    }
                )
        return result

    def _write_statements(
        self, program, period_start, period_end, date_to, rows, existing, closing=False
    ):
        """Insert the new statements and update the drafts whose figures changed, one
        statement each (raw SQL: an annual program of a large network writes tens of
        thousands of statements; the ORM would take a minute). Computing again with the
        same data writes nothing. Returns the ids of the statements."""
        cr = self.env.cr
        # the watermark last: see the comparison below
        columns = [
            *FIGURES,
            "overdue",
            "near_next_bracket",
            "needs_second_approval",
            "watermark",
        ]
        types = {
            "overdue": "bool[]",
            "near_next_bracket": "bool[]",
            "needs_second_approval": "bool[]",
            "watermark": "int[]",
        }
        # numbers read as float8, as they are computed, to compare them as they are
        cr.execute(
            SQL(
                "SELECT partner_id, id, %s FROM dealer_rebate WHERE id = ANY(%s)",
                SQL(", ").join(
                    SQL("%s::float8", SQL.identifier(c))
                    if c not in types
                    else SQL.identifier(c)
                    for c in columns
                ),
                array(existing[pid][0] for pid in rows if pid in existing),
            )
        )
        current = {row[0]: row for row in cr.fetchall()}
        ids, inserts, updates, adjusted = [], [], [], {}
        in_order = itemgetter(*columns)
        for pid, values in rows.items():
            new = in_order(values)
            adjusted[pid] = values["adjustments"]
            row = current.get(pid)
            if row is None:
                inserts.append((pid, *new))
                continue
            ids.append(row[1])
            old = row[2:]
            if old[:-1] != new[:-1] or (old[-1] != new[-1] and values["adjustments"]):
                # the watermark alone moves with every posting anywhere: a draft whose
                # figures did not change keeps it, so that computing again writes nothing
                updates.append((row[1], *new))
        now = fields.Datetime.now()

        def values_of(rows_, first):
            return unnest(
                [(first, "int[]", [row[0] for row in rows_])]
                + [
                    (c, types.get(c, "numeric[]"), [row[i] for row in rows_])
                    for i, c in enumerate(columns, start=1)
                ]
            )

        names = SQL(", ").join(SQL.identifier(c) for c in columns)
        values = SQL(", ").join(SQL.identifier("v", c) for c in columns)
        if inserts:
            cr.execute(
                SQL(
                    """
                INSERT INTO dealer_rebate
                    (id, name, state, program_id, company_id, period_start, period_end,
                     date_to, is_final, is_closing, computed_on, validation_status,
                     partner_id,
                     salesperson_id, %(names)s, create_uid, create_date, write_uid, write_date)
                SELECT v.id, %(prefix)s || lpad(v.id::text, 6, '0'), 'draft', %(program)s,
                       %(company)s, %(start)s, %(end)s, %(date_to)s, %(final)s,
                       %(closing)s, %(now)s,
                       'no', v.partner_id, partner.user_id, %(values)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (SELECT nextval('dealer_rebate_id_seq') AS id, v.*
                          FROM %(unnest)s) v
                  JOIN res_partner partner ON partner.id = v.partner_id
                RETURNING id
                """,
                    names=names,
                    values=values,
                    prefix=f"RB/{date_to:%Y/%m}/",
                    program=program.id,
                    company=program.company_id.id,
                    start=period_start,
                    end=period_end,
                    date_to=date_to,
                    final=date_to == period_end,
                    closing=closing,
                    now=now,
                    unnest=values_of(inserts, "partner_id"),
                    uid=self.env.uid,
                )
            )
            ids += [row[0] for row in cr.fetchall()]
        if updates:
            cr.execute(
                SQL(
                    """
                UPDATE dealer_rebate r SET (%(names)s, computed_on, write_uid, write_date)
                     = (%(values)s, %(now)s, %(uid)s, %(now)s)
                  FROM %(unnest)s
                 WHERE r.id = v.id
                """,
                    names=names,
                    values=values,
                    now=now,
                    uid=self.env.uid,
                    unnest=values_of(updates, "id"),
                )
            )
        if inserts or updates:
            self.invalidate_model()
            self.env["dealer.rebate.program"].invalidate_model(["rebate_ids"])
        rebates = self.browse(ids)
        self._write_adjustments(rebates, adjusted)
        return ids

    def _write_adjustments(self, rebates, adjusted):
        """Replace the adjustments of the statements whose adjustments changed."""
        Adjustment = self.env["dealer.rebate.adjustment"].sudo()
        having = {
            rebate.id
            for [rebate] in Adjustment._read_group(
                [("rebate_id", "in", rebates.ids)], groupby=["rebate_id"]
            )
        }
        adjusted = {
            pid: adjustments for pid, adjustments in adjusted.items() if adjustments
        }
        if not adjusted and not having:
            return
        by_partner = {rebate.partner_id.id: rebate for rebate in rebates}
        for pid in set(adjusted) | {
            by_partner_pid
            for by_partner_pid, rebate in by_partner.items()
            if rebate.id in having
        }:
            adjustments = adjusted.get(pid, [])
            rebate = by_partner.get(pid)
            if rebate is None:
                continue
            new = sorted((str(a["period_start"]), a["amount"]) for a in adjustments)
            old = sorted((str(a.period_start), a.amount) for a in rebate.adjustment_ids)
            if new == old:
                continue
            rebate.adjustment_ids.sudo().unlink()
            Adjustment.create([{"rebate_id": rebate.id, **a} for a in adjustments])


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + ["dealer.rebate"]


class DealerRebateAdjustment(models.Model):
    """A change to an earlier, closed period of the program, carried by a later
    statement: that period computed again with the lines it had not counted."""

    _name = "dealer.rebate.adjustment"
    _description = "Dealer Rebate Adjustment"
    _inherit = ["dealer.governed.mixin"]
    _governed_all = True  # the calculation's
    _order = "period_start"

    rebate_id = fields.Many2one(
        "dealer.rebate", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="rebate_id.currency_id")
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    basis_amount = fields.Float(string="Basis", digits=(16, 2))
    period_total = fields.Monetary(string="Rebate of the Period")
    previously_granted = fields.Monetary()
    amount = fields.Monetary(string="Adjustment")


class DealerRebateLine(models.Model):
    """The invoice lines a statement counts: a read-only view over the statement's
    array of line ids and the invoice lines themselves."""

    _name = "dealer.rebate.line"
    _description = "Dealer Rebate Counted Line"
    _auto = False
    _order = "rebate_id, date, move_line_id"

    rebate_id = fields.Many2one("dealer.rebate", string="Statement", readonly=True)
    program_id = fields.Many2one("dealer.rebate.program", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", readonly=True
    )
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    # the number itself, printable by those who may not read the invoice
    move_name = fields.Char(string="Invoice Number", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")], readonly=True
    )
    date = fields.Date(string="Invoice Date", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(
        digits="Product Unit of Measure", readonly=True, aggregator="sum"
    )
    amount = fields.Monetary(
        string="Net Amount",
        readonly=True,
        aggregator="sum",
        help="Untaxed, in company currency; negative for credit notes.",
    )

    @property
    def _table_query(self):
        # A statement (or an adjustment it carries for an earlier period) covers the
        # in-scope sales of its dealer dated in its window and posted up to its
        # watermark; it counts those that no statement of the program ending earlier
        # covers. The id combines the statement and the invoice line: a line is counted
        # once per program, but by statements of several programs.
        return SQL(
            """
            SELECT c.rebate_id::bigint * 10000000000 + sale.line_id AS id, c.rebate_id,
                   c.program_id, c.partner_id, c.company_id, sale.line_id AS move_line_id,
                   sale.move_id, sale.move_name, sale.move_type, sale.invoice_date AS date,
                   sale.product_id, sale.quantity, sale.amount
              FROM (SELECT r.id AS rebate_id, r.program_id, r.partner_id, r.company_id,
                           r.period_start AS date_from, r.date_to AS date_until,
                           r.watermark, r.date_to AS rank
                      FROM dealer_rebate r
                     WHERE r.state != 'cancel' AND r.is_closing IS NOT TRUE
                    UNION ALL
                    SELECT r.id, r.program_id, r.partner_id, r.company_id, adj.period_start,
                           adj.period_end, r.watermark, r.date_to
                      FROM dealer_rebate_adjustment adj
                      JOIN dealer_rebate r ON r.id = adj.rebate_id
                     WHERE r.state != 'cancel') c
              JOIN dealer_rebate_program program ON program.id = c.program_id
              JOIN (%(sales)s) sale ON sale.partner_id = c.partner_id
                   AND sale.company_id = c.company_id
                   AND sale.invoice_date BETWEEN c.date_from AND c.date_until
                   AND sale.post_seq <= c.watermark
                   AND sale.product_id = ANY(program.scope_product_ids)
             WHERE NOT EXISTS (
                   SELECT 1 FROM dealer_rebate earlier
                    WHERE earlier.program_id = c.program_id
                      AND earlier.partner_id = c.partner_id AND earlier.date_to < c.rank
                      AND earlier.state != 'cancel' AND earlier.is_closing IS NOT TRUE
                      AND sale.invoice_date BETWEEN earlier.period_start AND earlier.date_to
                      AND sale.post_seq <= earlier.watermark)
               AND NOT EXISTS (
                   SELECT 1 FROM dealer_rebate_adjustment adj
                     JOIN dealer_rebate earlier ON earlier.id = adj.rebate_id
                    WHERE earlier.program_id = c.program_id
                      AND earlier.partner_id = c.partner_id AND earlier.date_to < c.rank
                      AND earlier.state != 'cancel'
                      AND sale.invoice_date BETWEEN adj.period_start AND adj.period_end
                      AND sale.post_seq <= earlier.watermark)
        """,
            sales=self.env["dealer.measure"]._sales_lines_sql(),
        )
