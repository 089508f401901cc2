# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebate programs: the policy the rebate calculation follows.

How it works: ``docs/design.md``, section ``models/dealer_rebate_program.py``."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import MANAGER, check_group, company_domain
from .dealer_rebate_calculation import Policy
from .dealer_rebate_rules import Rules
from .dealer_selections import (
    ACCRUAL_BASES,
    BONUS_TYPES,
    BRACKET_MODES,
    REBATE_PERIOD_TYPES,
)
from .res_partner import DEALER_DOMAIN

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


class DealerRebateProgram(models.Model):
    _name = "dealer.rebate.program"
    _description = "Dealer Rebate Program"
    _inherit = ["mail.thread", "mail.activity.mixin", "dealer.lock.mixin"]
    _order = "date_start desc, name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # required by the check below (a clear message) and on the form, not by the database
    date_start = fields.Date(
        tracking=True, help="First day of the program's first period."
    )
    date_end = fields.Date(
        tracking=True,
        help="Last day of the program; periods beyond it are not computed.",
    )
    period_type = fields.Selection(
        REBATE_PERIOD_TYPES,
        default="quarter",
        tracking=True,
        help="The period whose sales make one rebate.",
    )
    settlement_type = fields.Selection(
        REBATE_PERIOD_TYPES,
        string="Settled Every",
        tracking=True,
        help="Partial settlements inside the period (e.g. quarterly on an annual "
        "program): each partial statement computes the rebate on the sales from the "
        "start of the period and deducts what earlier statements of the period "
        "granted. Empty: once per period.",
    )
    # eligibility
    tier_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_rebate_program_tier_rel",
        string="Tiers",
        domain=[("kind", "=", "tier")],
    )
    level_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_rebate_program_level_rel",
        string="Dealer Levels",
        domain=[("kind", "=", "level")],
    )
    territory_ids = fields.Many2many("dealer.territory", string="Territories")
    partner_ids = fields.Many2many(
        "res.partner",
        string="Listed Dealers",
        domain=DEALER_DOMAIN,
    )
    contract_required = fields.Boolean(
        help="Only dealers with a contract that lists this program and is in force at "
        "some time in the period.",
    )
    # scope
    categ_ids = fields.Many2many(
        "product.category",
        "dealer_rebate_program_categ_rel",
        string="Product Categories",
    )
    product_ids = fields.Many2many(
        "product.product", "dealer_rebate_program_product_rel", string="Products"
    )
    exclude_categ_ids = fields.Many2many(
        "product.category",
        "dealer_rebate_program_exclude_categ_rel",
        string="Excluded Categories",
    )
    exclude_product_ids = fields.Many2many(
        "product.product",
        "dealer_rebate_program_exclude_product_rel",
        string="Excluded Products",
    )
    # rules
    basis = fields.Selection(
        [("amount", "Net Invoiced Amount"), ("quantity", "Quantity")],
        required=True,
        default="amount",
        tracking=True,
    )
    sales_basis = fields.Selection(
        [("invoiced", "Invoiced Sales"), ("paid", "Paid Sales")],
        default="invoiced",
        required=True,
        tracking=True,
        help="Paid sales: an invoice line counts in the period in which its invoice is "
        "paid, in the share each payment settles (by the date of the reconciliation); "
        "a credit note when it is applied; a payment undone later is an adjustment of "
        "the next statement.",
    )
    bracket_mode = fields.Selection(
        BRACKET_MODES,
        required=True,
        default="whole",
        tracking=True,
    )
    bracket_ids = fields.One2many(
        "dealer.rebate.bracket", "program_id", string="Brackets", copy=True
    )
    growth_rate = fields.Float(
        string="Growth Rebate (%)",
        digits=(16, 4),
        tracking=True,
        help="Rate on the increase of the net amount over the same "
        "dates of the previous year.",
        aggregator=None,
    )
    target_bonus_type = fields.Selection(
        BONUS_TYPES,
        string="Target Bonus",
        required=True,
        default="none",
        tracking=True,
    )
    target_bonus_amount = fields.Monetary(currency_field="currency_id", aggregator=None)
    target_bonus_rate = fields.Float(
        string="Target Bonus Rate (%)", digits=(16, 4), aggregator=None
    )
    discipline = fields.Selection(
        [
            ("none", "None"),
            ("forfeit", "Forfeit the Rebate"),
            ("reduce", "Reduce by a Rate"),
        ],
        string="Payment Discipline",
        required=True,
        default="none",
        tracking=True,
    )
    discipline_days = fields.Integer(
        string="Overdue Days",
        default=30,
        help="Receivables overdue by more than this many days at the end of the "
        "period.",
        aggregator=None,
    )
    discipline_rate = fields.Float(
        string="Reduction (%)", digits=(16, 4), aggregator=None
    )
    cap_amount = fields.Monetary(
        string="Cap per Dealer and Period",
        currency_field="currency_id",
        tracking=True,
        help="0: no cap.",
        aggregator=None,
    )
    accrual_basis = fields.Selection(
        ACCRUAL_BASES,
        default="earned",
        required=True,
        tracking=True,
        help="Month-end accruals of the open period: the rebate the rules give on the "
        "sales so far, or the rate of the bracket the period is heading for (its sales "
        "projected from the run rate of the same period last year) on the sales so "
        "far.",
    )
    second_approval_amount = fields.Monetary(
        string="Second Approval Above",
        currency_field="currency_id",
        tracking=True,
        help="Statements above this amount are approved by a Dealer Director after the "
        "Dealer Manager. 0: never.",
        aggregator=None,
    )
    watch_distance = fields.Float(
        string="Watch Distance (%)",
        default=10.0,
        help="The earned-to-date list flags dealers whose basis is within this share "
        "of their next bracket's lower bound.",
        aggregator=None,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Rebate Product",
        required=True,
        default=lambda self: self.env.ref(
            "dealer_management.product_dealer_rebate", raise_if_not_found=False
        ),
        help="The product of the credit note lines that settle the statements: its "
        "income account and customer taxes are used.",
    )
    contract_ids = fields.Many2many("dealer.contract", string="Contracts")

    rebate_ids = fields.One2many("dealer.rebate", "program_id", string="Statements")
    rebate_count = fields.Integer(compute="_compute_rebate_count")

    def _compute_rebate_count(self):
        counts = dict(
            self.env["dealer.rebate"]._read_group(
                [("program_id", "in", self.ids)],
                groupby=["program_id"],
                aggregates=["__count"],
            )
        )
        for program in self:
            program.rebate_count = counts.get(program, 0)

    @api.constrains("date_start", "date_end", "period_type", "settlement_type")
    def _check_period(self):
        for program in self:
            if (
                not program.period_type
                or not program.date_start
                or not program.date_end
            ):
                raise ValidationError(
                    _("A rebate program needs a period and its dates.")
                )
            if program.date_end < program.date_start:
                raise ValidationError(
                    _("The program %(name)s ends before it starts.", name=program.name)
                )
            if program.settlement_type and (
                PERIOD_MONTHS[program.settlement_type]
                > PERIOD_MONTHS[program.period_type]
            ):
                raise ValidationError(
                    _(
                        "Partial settlements of %(name)s cannot be longer than its "
                        "period.",
                        name=program.name,
                    )
                )

    @api.constrains("categ_ids", "product_ids")
    def _check_scope(self):
        for program in self:
            if not program.categ_ids and not program.product_ids:
                raise ValidationError(
                    _(
                        "The rebate program %(name)s has no scope: list product "
                        "categories or products.",
                        name=program.name,
                    )
                )

    @api.constrains(
        "growth_rate",
        "target_bonus_amount",
        "target_bonus_rate",
        "discipline_rate",
        "cap_amount",
        "discipline_days",
        "second_approval_amount",
        "watch_distance",
    )
    def _check_amounts(self):
        for program in self:
            if (
                min(
                    program.growth_rate,
                    program.target_bonus_amount,
                    program.target_bonus_rate,
                    program.discipline_rate,
                    program.discipline_days,
                    program.second_approval_amount,
                    program.watch_distance,
                )
                < 0
            ):
                raise ValidationError(
                    _(
                        "Rates, amounts and days of the rebate program "
                        "%(name)s cannot be negative.",
                        name=program.name,
                    )
                )
            if program.cap_amount < 0:
                raise ValidationError(
                    _("The cap of %(name)s cannot be below zero.", name=program.name)
                )
            if program.discipline_rate > 100:
                raise ValidationError(_("A reduction cannot exceed 100%."))

    # ---------------------------------------------------------------- periods

    def _periods(self, kind=None):
        """[(start, end)] of the program's periods (or partial settlements)."""
        self.ensure_one()
        months = PERIOD_MONTHS[kind or self.period_type]
        periods, start = [], self.date_start
        while start <= self.date_end:
            end = min(start + relativedelta(months=months, days=-1), self.date_end)
            periods.append((start, end))
            start = end + relativedelta(days=1)
        return periods

    def _period_of(self, day):
        """(start, end) of the program period containing ``day``, or None."""
        self.ensure_one()
        for start, end in self._periods():
            if start <= day <= end:
                return start, end
        return None

    def _statement_ends(self):
        """[(period start, statement end, final)]: one per partial settlement of each
        period, the last one final."""
        self.ensure_one()
        result = []
        for start, end in self._periods():
            ends = (
                [e for _s, e in self._periods(self.settlement_type) if start <= e < end]
                if self.settlement_type
                else []
            )
            result += [(start, e, False) for e in ends] + [(start, end, True)]
        return result

    # ---------------------------------------------------------------- eligibility

    def _eligible_dealer_ids(self, period_start, period_end):
        """Ids of the dealers this program applies to in a period: one search."""
        self.ensure_one()
        domain = self.env["dealer.scope.value"]._dealer_domain(
            self.company_id, self.tier_ids, self.level_ids, self.territory_ids
        )
        if self.partner_ids:
            domain.append(("id", "in", self.partner_ids.ids))
        if self.contract_required:
            contracts = (
                self.env["dealer.contract"]
                .sudo()
                .search(
                    [
                        ("rebate_program_ids", "in", self.ids),
                        ("state", "in", ("active", "expired")),
                        ("date_start", "<=", period_end),
                        ("date_end", ">=", period_start),
                    ]
                )
            )
            domain.append(("id", "in", contracts.partner_id.ids))
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search(domain)
            .get_result_ids()
        )

    def init(self):
        # The products in scope when the statements were last computed, as an array:
        # dealer.rebate.line reads it (see _store_scope).
        self.env.cr.execute(
            SQL("""
            ALTER TABLE dealer_rebate_program
                ADD COLUMN IF NOT EXISTS scope_product_ids integer[] DEFAULT '{}'
        """)
        )

    def _store_scope(self, product_ids):
        """Record the products in scope for the counted-lines view, when they
        changed."""
        self.ensure_one()
        products = sorted(product_ids)
        self.env.cr.execute(
            SQL(
                """UPDATE dealer_rebate_program SET scope_product_ids = %s
                WHERE id = %s AND scope_product_ids IS DISTINCT FROM %s::int[]""",
                products,
                self.id,
                products,
            )
        )

    def write(self, vals):
        frozen = {
            "categ_ids",
            "product_ids",
            "exclude_categ_ids",
            "exclude_product_ids",
            "basis",
            "bracket_mode",
            "bracket_ids",
            "growth_rate",
            "target_bonus_type",
            "target_bonus_amount",
            "target_bonus_rate",
            "discipline",
            "discipline_days",
            "discipline_rate",
            "cap_amount",
            "date_start",
            "date_end",
            "second_approval_amount",
            "period_type",
            "settlement_type",
            "company_id",
        }
        if set(vals) & frozen:
            self._check_not_frozen()
        return super().write(vals)

    def _check_not_frozen(self):
        """The rules and scope explain the submitted statements: they stay as they
        are."""
        if self and self.env["dealer.rebate"].sudo().search_count(
            [
                ("program_id", "in", self.ids),
                ("state", "in", ("to_approve", "approved", "settled")),
            ],
            limit=1,
        ):
            raise UserError(
                _(
                    "The rules and scope of a rebate program cannot change once "
                    "statements were submitted: create a new program."
                )
            )

    def _scope_product_ids(self):
        """Ids of the products whose sales count (categories with their children, listed
        products, minus the exclusions)."""
        self.ensure_one()
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        included = (
            Product.search(
                [
                    "|",
                    ("categ_id", "child_of", self.categ_ids.ids),
                    ("id", "in", self.product_ids.ids),
                ]
            )
            if self.categ_ids
            else self.product_ids
        )
        excluded = self.exclude_product_ids
        if self.exclude_categ_ids:
            excluded |= Product.search(
                [("categ_id", "child_of", self.exclude_categ_ids.ids)]
            )
        return (included - excluded).ids

    # ---------------------------------------------------------------- the rules

    def _rules(self, brackets=None, **changes):
        """The program's rules as plain values, read once per computation: the
        statements of a large network apply them tens of thousands of times. A
        variant's (a simulation's): its ``brackets`` and ``changes`` (Rules' fields)
        instead of the program's."""
        self.ensure_one()
        per_unit = self.basis == "quantity"
        brackets = self.bracket_ids if brackets is None else brackets
        return Rules(
            marginal=self.bracket_mode == "marginal",
            brackets=tuple(
                (
                    b.amount_from,
                    b.amount_to or float("inf"),
                    b.unit_amount if per_unit else b.rate / 100,
                )
                for b in brackets.sorted("amount_from")
            ),
            growth_rate=self.growth_rate,
            bonus_type=self.target_bonus_type,
            bonus_amount=self.target_bonus_amount,
            bonus_rate=self.target_bonus_rate,
            discipline=self.discipline,
            discipline_rate=self.discipline_rate,
            cap=self.cap_amount,
            rounding=self.currency_id.rounding,
        )._replace(**changes)

    def _policy(self):
        """What the calculation follows (:class:`Policy`), the program read as the
        superuser."""
        self.ensure_one()
        program = self.sudo()
        return Policy(
            program=program,
            periods=program._periods(),
            rules=program._rules(),
            scope_product_ids=program._scope_product_ids(),
        )

    # ---------------------------------------------------------------- actions

    @api.model
    def _check_manager(self):
        check_group(self.env, MANAGER, self.env._("compute rebate statements"))

    def action_view_rebates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_rebate_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {"default_program_id": self.id}
        return action

    def action_new_simulation(self):
        """A new what-if simulation of this program (by default on the same period
        last year)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "dealer.rebate.simulation",
            "view_mode": "form",
            "context": {"default_program_id": self.id},
        }

    def action_compute_to_date(self):
        """Compute (again) the draft statements of the open period, up to today: the
        earned-to-date figures, in the background."""
        return self._queue_compute("to_date")

    def action_compute_closed(self):
        """Compute the statements of every period that has closed, in the
        background."""
        return self._queue_compute("closed")

    def _queue_compute(self, mode):
        self._check_manager()
        Job = self.env["dealer.job"]
        return Job._queue_for_user(
            "rebates",
            self,
            {
                "program_ids": self.ids,
                "mode": mode,
                "day": Job._today().isoformat(),
            },
            groups=[MANAGER],
        )

    @api.model
    def _job_plan_rebates(self, params):
        """Batches of a background computation: one program and period each (the
        open period's, or every closed one's)."""
        today = self.env["dealer.job"]._day(params)
        batches = []
        for program in self.browse(params["program_ids"]).exists():
            for start, end, _final in program._statement_ends():
                open_now = start <= today <= end
                if end < today if params["mode"] == "closed" else open_now:
                    batches.append([program.id, str(start), str(end)])
                if open_now:
                    break  # the periods after the open one have not started
        return batches

    @api.model
    def _job_step_rebates(self, batch, params):
        program_id, start, end = batch
        self.browse(program_id)._calculate_statements(
            fields.Date.to_date(start), fields.Date.to_date(end)
        )

    @api.model
    def _job_plan_period_end(self, params):
        """Batches of the daily period end: one program each."""
        return self.sudo().search([]).ids

    @api.model
    def _job_step_period_end(self, program_id, params):
        program = self.browse(program_id).exists()
        if program:
            program._period_end(self.env["dealer.job"]._day(params))

    # ---------------------------------------------------------------- the calculation

    def _lock_busy_message(self):
        return _(
            "The statements of %(program)s are being computed by someone else: try "
            "again in a moment.",
            program=self.name,
        )

    def _calculate_statements(
        self, period_start, date_to, dealer_ids=None, submit=False
    ):
        """Compute (again) this program's statements ending ``date_to`` for its
        eligible dealers (see ``dealer.rebate.calculation``); ``submit``: submit the
        drafts with an amount. Returns the statements."""
        self.ensure_one()
        program = self.sudo()
        self.env.flush_all()
        program._lock_rows()
        policy = program._policy()
        period_end = dict(policy.periods)[period_start]
        eligible = program._eligible_dealer_ids(period_start, period_end)
        program._store_scope(policy.scope_product_ids)
        return self.env["dealer.rebate.calculation"]._calculate(
            policy, period_start, date_to, eligible, dealer_ids, submit=submit
        )

    def _calculate_closing(self, today, dealer_ids=None, submit=False):
        """The closing statements of this program, after its last period."""
        self.ensure_one()
        program = self.sudo()
        self.env.flush_all()
        program._lock_rows()
        return self.env["dealer.rebate.calculation"]._calculate_closing(
            program._policy(), today, dealer_ids, submit=submit
        )

    @api.model
    def _recompute_statements(self, rebates):
        """The statements' Recompute button: their drafts computed again, a closing
        one as of its own end."""
        self._check_manager()
        today = fields.Date.context_today(self)
        drafts_by_run = self.env["dealer.rebate.calculation"]._drafts_to_recompute(
            rebates.with_env(self.env)
        )
        for (program, period_start, date_to, closing), drafts in drafts_by_run.items():
            if closing:
                program._calculate_closing(today, drafts.partner_id.ids)
            else:
                program._calculate_statements(
                    period_start, date_to, drafts.partner_id.ids
                )
        return True

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
        for program in self.search(company_domain(companies)):
            program._period_end(today)
        return True

    def _period_end(self, today):
        """The daily period end of one program (see ``_cron_period_end``)."""
        self.ensure_one()
        current = None
        for start, end, _final in self._statement_ends():
            if end < today:
                # again every day: a dealer whose sales of a closed period arrive
                # late gets his statement; the submitted ones are not touched
                self._calculate_statements(start, end, submit=True)
            elif start <= today and current is None:
                current = (start, end)  # the open statement, not the later ones
        if current:
            self._calculate_statements(*current)
        elif self.date_end and self.date_end < today:
            self._calculate_closing(today, submit=True)


class DealerRebateBracket(models.Model):
    _name = "dealer.rebate.bracket"
    _description = "Dealer Rebate Bracket"
    _order = "program_id, amount_from"

    program_id = fields.Many2one(
        "dealer.rebate.program", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="program_id.company_id")
    amount_from = fields.Float(
        string="From",
        digits=(16, 2),
        required=True,
        help="Lower bound of the basis (amount or quantity), included.",
        aggregator=None,
    )
    amount_to = fields.Float(
        string="Up To",
        digits=(16, 2),
        help="Upper bound, excluded; 0: no upper bound.",
        aggregator=None,
    )
    rate = fields.Float(
        string="Rate (%)",
        digits=(16, 4),
        help="For an amount basis: percentage of the amount.",
        aggregator=None,
    )
    unit_amount = fields.Float(
        string="Amount per Unit",
        digits=(16, 4),
        help="For a quantity basis: rebate per unit.",
        aggregator=None,
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["dealer.rebate.program"].browse(
            {vals["program_id"] for vals in vals_list if vals.get("program_id")}
        )._check_not_frozen()
        return super().create(vals_list)

    def write(self, vals):
        # the program it leaves and the one it moves onto
        (
            self.program_id
            | self.env["dealer.rebate.program"].browse(vals.get("program_id") or [])
        )._check_not_frozen()
        return super().write(vals)

    def unlink(self):
        self.program_id._check_not_frozen()
        return super().unlink()

    @api.constrains("amount_from", "amount_to", "rate", "unit_amount")
    def _check_bracket(self):
        for program in self.program_id:
            self._check_brackets(program.name, program.bracket_ids)

    @api.model
    def _check_brackets(self, name, brackets):
        """The brackets of a program (or of a simulation's variant) named ``name``:
        no negative bound or rate, none that ends before it starts, no overlap."""
        previous_to = None
        for bracket in brackets.sorted("amount_from"):
            if bracket.amount_from < 0 or bracket.rate < 0 or bracket.unit_amount < 0:
                raise ValidationError(
                    _(
                        "Brackets of %(name)s cannot have negative bounds or rates.",
                        name=name,
                    )
                )
            if bracket.amount_to and bracket.amount_to <= bracket.amount_from:
                raise ValidationError(
                    _("A bracket of %(name)s ends before it starts.", name=name)
                )
            if previous_to is not None and (
                previous_to == 0 or bracket.amount_from < previous_to
            ):
                raise ValidationError(
                    _(
                        "The brackets of %(name)s overlap at %(amount)s.",
                        name=name,
                        amount=bracket.amount_from,
                    )
                )
            previous_to = bracket.amount_to
