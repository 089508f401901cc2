# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebate statements and their workflow: one statement per dealer, program and
statement end.

How it works: ``docs/design.md``, section ``models/dealer_rebate.py``."""

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import ACCOUNTANT, MANAGER, check_group
from .dealer_rebate_rules import split_pro_rata
from .dealer_selections import REBATE_STATES

# What may be written on a statement directly: its chatter and activities. Everything
# else changes through the computation (raw SQL) and the buttons, which check rights and
# state first and then write as superuser (dealer.governed.mixin).


class DealerRebate(models.Model):
    _name = "dealer.rebate"
    _description = "Dealer Rebate Statement"
    _inherit = [
        "dealer.document.mixin",
        "dealer.approval.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
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
        REBATE_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
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
        aggregator=None,
    )
    basis_amount = fields.Float(
        string="Basis",
        digits=(16, 2),
        readonly=True,
        help="Cumulative basis of the period: net invoiced untaxed "
        "amount or net quantity in the program's scope.",
    )
    net_amount = fields.Monetary(readonly=True)
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
        string="Next Bracket From", digits=(16, 2), readonly=True, aggregator=None
    )
    to_next_bracket = fields.Float(
        string="Distance to Next Bracket",
        digits=(16, 2),
        readonly=True,
        aggregator=None,
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
    review_uids = fields.Many2many(
        "res.users",
        "dealer_rebate_review_user_rel",
        "rebate_id",
        "user_id",
        string="Approvals Given By",
        readonly=True,
        copy=False,
        help="Who gave an approval of this statement, as the addon recorded it when "
        "he clicked: what the approval is checked against, not the reviews' stored "
        "statuses.",
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
                ON dealer_rebate (program_id, partner_id, date_to)
             WHERE state != 'cancel';
            CREATE INDEX IF NOT EXISTS dealer_rebate_program_partner_period_idx
                ON dealer_rebate (program_id, partner_id, period_start);
        """)
        )

    def _compute_access_url(self):  # pylint: disable=missing-return
        # a compute returns nothing; super() sets the default URL first
        super()._compute_access_url()
        for rebate in self:
            rebate.access_url = f"/my/dealer/rebates/{rebate.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.name} {self.partner_id.name}"

    @api.model
    def _get_under_validation_exceptions(self):
        # the portal's share link may be made while the statement waits for approval
        return super()._get_under_validation_exceptions() + ["access_token"]

    @api.model
    def _get_after_validation_exceptions(self):
        return super()._get_after_validation_exceptions() + ["access_token"]

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

    @api.model
    def _check_manager(self):
        check_group(
            self.env,
            MANAGER,
            self.env._("submit, approve or cancel rebate statements"),
        )

    def _check_state(self, states, action):
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            raise UserError(
                _(
                    "%(action)s: the statement %(name)s is %(state)s.",
                    action=action,
                    name=wrong[0].name,
                    state=dict(REBATE_STATES)[wrong[0].state],
                )
            )

    def _lock_busy_message(self):
        return _(
            "These rebate statements are being processed by someone else: try again "
            "in a moment."
        )

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        self._check_manager()
        self._lock_rows()
        self._check_state(["draft"], _("Submit"))
        self._governed_write({"state": "to_approve", "submitted_uid": self.env.uid})
        self.sudo().request_validation()
        return True

    def _approval_texts(self):
        return {
            "buttons": _(
                "Rebate statements are submitted, approved, rejected and reset "
                "with their buttons (Submit, Approve, Reject, Reset to Draft)."
            ),
            "own": _(
                "Nobody approves a rebate statement he created or submitted (%(name)s)."
            ),
            "message": _(
                "A message on a rebate statement is posted in its author's own name, "
                "and its approvals' messages by the approval buttons."
            ),
        }

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
        self._reset_approval({})
        return True

    def _check_nothing_built_on(self):
        """A statement that a later statement of the dealer in the program has left
        draft on top of does not change: that later one would count the same sales
        again. A later statement builds on it when it deducts what this one granted for
        a period (a later statement of the same period) or adjusts a period this one
        granted for. Drafts are computed again anyway."""
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
                        "%(name)s cannot change: %(later)s, issued after it for the "
                        "same dealer and program, builds on it. Reset or cancel that "
                        "one first.",
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
        check_group(self.env, ACCOUNTANT, self.env._("settle rebate statements"))
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

    def _settlement_lines(self):
        """[(taxes, untaxed amount)] of the settlement: a rebate reduces the sales it
        counts, so its credit note carries their taxes. The statement's amount is split
        pro rata of the counted untaxed sales of each tax combination (rounded so that
        the lines add up to it), the dealer's fiscal position applied. A statement
        counting no sales (or sales adding up to nothing) takes the rebate product's
        taxes."""
        self.ensure_one()
        Taxes = self.env["account.tax"]
        amount = abs(self.amount)
        by_taxes = {}
        for move_line, counted in (
            self.env["dealer.rebate.line"]
            .sudo()
            ._read_group(
                [("rebate_id", "=", self.id)], ["move_line_id"], ["amount:sum"]
            )
        ):
            key = tuple(sorted(move_line.tax_ids.ids))
            by_taxes[key] = by_taxes.get(key, 0.0) + counted
        keys = sorted(by_taxes)
        weights = [by_taxes[key] for key in keys]
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(self.partner_id)
        )
        if sum(weights) > 0:
            shares = split_pro_rata(amount, weights, self.currency_id.rounding)
            lines = [
                (Taxes.browse(key), share)
                for key, share in zip(keys, shares, strict=True)
                if not self.currency_id.is_zero(share)
            ]
        else:
            product = self.program_id.product_id
            lines = [
                (
                    product.taxes_id.filtered(
                        lambda t: t.company_id in self.company_id.parent_ids
                    ),
                    amount,
                )
            ]
        return [(fiscal_position.map_tax(taxes), share) for taxes, share in lines]

    def _prepare_settlement_move_line_vals(self, taxes, untaxed):
        """The values of one line of the settlement: ``untaxed`` of the statement
        with ``taxes`` (a hook per line, as OCA commission's ``_prepare_*``)."""
        self.ensure_one()
        product = self.program_id.product_id
        price = untaxed
        # the rebate is untaxed: with taxes included in prices, the line's price is
        # the rebate with its taxes, so that the untaxed amount is the rebate
        if any(taxes.mapped("price_include")):
            price = taxes.compute_all(
                untaxed,
                self.currency_id,
                product=product,
                partner=self.partner_id,
                handle_price_include=False,
            )["total_included"]
        return {
            "product_id": product.id,
            "name": _(
                "%(program)s, %(start)s to %(end)s",
                program=self.program_id.name,
                start=self.period_start,
                end=self.date_to,
            ),
            "quantity": 1,
            "price_unit": price,
            "tax_ids": [Command.set(taxes.ids)],
        }

    def _prepare_settlement_move_vals(self):
        """The values of the settlement's credit note (a customer invoice when the
        statement takes a rebate back), its lines those of
        :meth:`_prepare_settlement_move_line_vals`."""
        self.ensure_one()
        return {
            "move_type": "out_refund" if self.amount > 0 else "out_invoice",
            "partner_id": self.partner_id.id,
            "invoice_date": fields.Date.context_today(self),
            "dealer_rebate_id": self.id,
            "ref": self.name,
            "invoice_origin": self.name,
            "invoice_line_ids": [
                Command.create(self._prepare_settlement_move_line_vals(taxes, untaxed))
                for taxes, untaxed in self._settlement_lines()
            ],
        }

    def _create_settlement_move(self):
        """The settlement, posted: nothing for a statement of nothing."""
        self.ensure_one()
        if self.currency_id.is_zero(self.amount):
            return self.env["account.move"]
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_settlement_move_vals())
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

    def _submit_closed(self):
        """Submit the drafts with an amount among these statements of closed periods,
        with an activity for the managers."""
        rebates = self.filtered(
            lambda r: r.state == "draft" and not r.currency_id.is_zero(r.amount)
        )
        if rebates:
            rebates.sudo()._submit_system()
            for program, date_to in sorted(
                rebates.grouped(lambda r: (r.program_id, r.date_to)),
                key=lambda key: (key[0].id, key[1]),
            ):
                self._schedule_approval_activity(program, date_to)

    @api.model
    def _schedule_approval_activity(self, program, date_to):
        """One activity on ``program`` per Dealer Manager of its company for its
        statements ending ``date_to`` that wait for approval; none twice."""
        waiting = self.search_count(
            [
                ("program_id", "=", program.id),
                ("date_to", "=", date_to),
                ("state", "=", "to_approve"),
            ]
        )
        if not waiting:
            return
        summary = _(
            "Rebate statements to approve: %(program)s to %(date)s",
            program=program.name,
            date=date_to,
        )
        managers = self.env.ref(MANAGER).users.filtered(
            lambda u: program.company_id in u.company_ids and not u.share
        )
        existing = program.activity_ids.filtered(lambda a: a.summary == summary).user_id
        for user in managers - existing:
            program.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=user.id,
                note=_("%(count)s statements wait for approval.", count=waiting),
            )

    def _submit_system(self):
        self._governed_write({"state": "to_approve"})
        self.sudo().request_validation()

    def unlink(self):
        self.check_access("unlink")
        self._unlink_only_draft()
        return super().unlink()
