# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Month-end rebate accruals (返利计提): the rebate owed but not settled, posted per
program and day on the company's accrual accounts and reversed the next day.

How it works: ``docs/design.md``, section ``models/dealer_rebate_accrual.py``."""

from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..tools import company_domain
from ..tools.rights import ACCOUNTANT, MANAGER, check_group
from .dealer_selections import ACCRUAL_BASES

# what the accrued rebates and their counterpart may be
LIABILITY_TYPES = ("liability_current",)
EXPENSE_TYPES = ("expense", "expense_direct_cost", "income", "income_other")


class DealerRebateAccrual(models.Model):
    """One program's accrual on one day: its journal entry and the reversal."""

    _name = "dealer.rebate.accrual"
    _description = "Dealer Rebate Accrual"
    _inherit = ["mail.thread"]
    _order = "date desc, program_id"

    name = fields.Char(compute="_compute_name")
    program_id = fields.Many2one(
        "dealer.rebate.program", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, index=True)
    basis = fields.Selection(ACCRUAL_BASES, required=True)
    amount = fields.Monetary(string="Accrued", currency_field="currency_id")
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    reversal_move_id = fields.Many2one("account.move", string="Reversal", readonly=True)
    # the numbers, read by those who may not read the entries (a Dealer Manager)
    move_name = fields.Char(related="move_id.name", string="Entry Number")
    reversal_move_name = fields.Char(
        related="reversal_move_id.name", string="Reversal Number"
    )
    line_ids = fields.One2many(
        "dealer.rebate.accrual.line", "accrual_id", string="Dealers"
    )

    _sql_constraints = [
        (
            "program_date_uniq",
            "unique(program_id, date)",
            "A program is accrued once a day.",
        ),
    ]

    @api.depends("program_id", "date")
    def _compute_name(self):
        for accrual in self:
            accrual.name = f"{accrual.program_id.name} {accrual.date or ''}"

    # ------------------------------------------------------------ the run

    @api.model
    def _cron_accrue(self, today=None, companies=None):
        """Daily: on a month's last day, accrue that day; on other days, the last
        month's end if it was missed. Each program once a day (a day accrued already
        is left as it is); companies without the accrual settings are skipped."""
        day = self._accrual_day(today or fields.Date.context_today(self))
        self._accrue(self._programs_to_accrue(day, companies), day)
        return True

    @api.model
    def _accrual_day(self, today):
        """The month-end the daily job accrues on ``today``: today on a month's last
        day, else the last month's end (done already, or missed)."""
        if (today + timedelta(days=1)).day == 1:
            return today
        return today.replace(day=1) - timedelta(days=1)

    @api.model
    def _programs_to_accrue(self, day, companies=None):
        """The programs (of ``companies``) with the accrual settings, started by
        ``day`` and not accrued on it yet."""
        programs = self.env["dealer.rebate.program"].search(
            [
                *company_domain(companies),
                ("date_start", "<=", day),
                ("company_id.dealer_rebate_accrual_journal_id", "!=", False),
            ]
        )
        done = self.search([("program_id", "in", programs.ids), ("date", "=", day)])
        return programs - done.program_id

    @api.model
    def _queue_accrual(self, programs, day):
        """Accrue Rebates (the wizard): the programs accrued on ``day`` in the
        background, one program per batch."""
        check_group(self.env, (ACCOUNTANT, MANAGER), _("accrue rebates"))
        return self.env["dealer.job"]._queue_for_user(
            "accruals",
            programs,
            {"program_ids": programs.ids, "day": day.isoformat()},
            groups=[ACCOUNTANT, MANAGER],
        )

    @api.model
    def _job_plan_accruals(self, params):
        """Batches of an accrual: one program each (those given, or for the daily
        job those not accrued on this month's end yet)."""
        day = self.env["dealer.job"]._day(params)
        if "program_ids" in params:
            # every program checked before any is posted: all or none, as at once
            programs = self.env["dealer.rebate.program"].browse(params["program_ids"])
            for program in programs.exists().sudo():
                self._accrual_ready(program, day)
            return [[pid, day.isoformat()] for pid in programs.exists().ids]
        day = self._accrual_day(day)
        return [[pid, day.isoformat()] for pid in self._programs_to_accrue(day).ids]

    @api.model
    def _job_step_accruals(self, batch, params):
        program_id, day = batch
        self._accrue(
            self.env["dealer.rebate.program"].browse(program_id).exists(),
            fields.Date.to_date(day),
        )

    @api.model
    def _accrue(self, programs, day):
        """Accrue ``programs`` on ``day``: a day accrued and posted already is refused
        with what differs from it now (nothing is replaced). Returns the accruals
        posted."""
        check_group(self.env, (ACCOUNTANT, MANAGER), _("accrue rebates"))
        Accrual = self.sudo()
        accruals = Accrual.browse()
        for program in programs.sudo():
            accounts, rows = self._accrual_ready(program, day)
            if rows:
                accruals |= Accrual._post(program, day, rows, accounts)
        return accruals

    @api.model
    def _accrual_ready(self, program, day):
        """(accounts, rows) of accruing ``program`` on ``day``, or the UserError that
        refuses it: the settings, or the day accrued already (with what differs)."""
        accounts = self._accrual_accounts(program.company_id)
        rows = self._accrual_rows(program, day)
        existing = self.sudo().search(
            [("program_id", "=", program.id), ("date", "=", day)]
        )
        if existing:
            raise UserError(existing._differences(rows))
        return accounts, rows

    @api.model
    def _accrual_accounts(self, company):
        """(journal, accrued rebates, rebate expense) of ``company``, checked."""
        journal = company.dealer_rebate_accrual_journal_id
        accrued = company.dealer_rebate_accrued_account_id
        expense = company.dealer_rebate_expense_account_id
        if not (journal and accrued and expense):
            raise UserError(
                _(
                    "Set the rebate accrual journal and accounts of %(company)s in "
                    "the settings first.",
                    company=company.name,
                )
            )
        if accrued.account_type not in LIABILITY_TYPES:
            raise UserError(
                _(
                    "The accrued rebates account %(account)s must be a current "
                    "liability.",
                    account=accrued.display_name,
                )
            )
        if expense.account_type not in EXPENSE_TYPES:
            raise UserError(
                _(
                    "The rebate expense account %(account)s must be an expense or a "
                    "deduction of income.",
                    account=expense.display_name,
                )
            )
        return journal, accrued, expense

    @api.model
    def _accrual_rows(self, program, day):
        """{dealer id: (earned, unsettled)} of ``program`` on ``day``, rounded, the
        dealers with nothing left out."""
        period = next(((s, e) for s, e in program._periods() if s <= day <= e), None)
        eligible = program._eligible_dealer_ids(*period) if period else []
        rows = self.env["dealer.rebate.calculation"]._accrued(
            program._policy(), day, eligible
        )
        currency = program.currency_id
        return {
            pid: (currency.round(earned), currency.round(unsettled))
            for pid, (earned, unsettled) in rows.items()
            if not currency.is_zero(earned + unsettled)
        }

    def _differences(self, rows):
        """The text of a refused second accrual of a day: what differs now."""
        self.ensure_one()
        currency = self.currency_id
        before = {line.partner_id.id: line.amount for line in self.line_ids}
        now = {pid: earned + unsettled for pid, (earned, unsettled) in rows.items()}
        changed = [
            pid
            for pid in sorted(set(before) | set(now))
            if not float_is_zero(
                before.get(pid, 0.0) - now.get(pid, 0.0),
                precision_rounding=currency.rounding,
            )
        ]
        text = _(
            "%(program)s was accrued on %(date)s already (entry %(move)s); nothing "
            "was replaced.",
            program=self.program_id.name,
            date=self.date,
            move=self.move_id.name or "-",
        )
        if not changed:
            return text + " " + _("Nothing differs since.")
        partners = self.env["res.partner"].sudo().browse(changed)
        return "\n".join(
            [text, _("What differs now (accrued, now):")]
            + [
                f"{partner.display_name}: {before.get(partner.id, 0.0):.2f}, "
                f"{now.get(partner.id, 0.0):.2f}"
                for partner in partners
            ]
        )

    @api.model
    def _post(self, program, day, rows, accounts):
        """The accrual record, its entry (posted) and the entry's reversal on the
        next day (posted, linked by Odoo's reversal)."""
        journal, accrued, expense = accounts
        company = program.company_id
        partners = self.env["res.partner"].browse(list(rows))
        territory = {p.id: p.dealer_territory_ids.sorted("id")[:1] for p in partners}
        lines = [
            {
                "partner_id": pid,
                "territory_id": territory[pid].id,
                "earned_amount": earned,
                "unsettled_amount": unsettled,
                "amount": company.currency_id.round(earned + unsettled),
            }
            for pid, (earned, unsettled) in sorted(rows.items())
        ]
        accrual = self.create(
            {
                "program_id": program.id,
                "date": day,
                "basis": program.accrual_basis,
                "amount": company.currency_id.round(
                    sum(line["amount"] for line in lines)
                ),
                "line_ids": [Command.create(line) for line in lines],
            }
        )
        label = _("Rebate accrual %(program)s %(date)s", program=program.name, date=day)
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": day,
                    "ref": label,
                    "line_ids": accrual._move_lines(label, accrued, expense),
                }
            )
        )
        move.action_post()
        reversal = move._reverse_moves(
            [
                {
                    "date": day + timedelta(days=1),
                    "ref": _("Reversal of %(entry)s", entry=label),
                }
            ]
        )
        reversal.action_post()
        accrual.write({"move_id": move.id, "reversal_move_id": reversal.id})
        return accrual

    def _move_lines(self, label, accrued, expense):
        """The entry's lines: per dealer (the expense with the analytic account of
        the dealer's territory, the liability on the dealer), or per program, as the
        company says."""
        self.ensure_one()
        company = self.company_id

        def pair(amount, partner=False, distribution=None):
            debit, credit = (amount, 0.0) if amount > 0 else (0.0, -amount)
            common = {"name": label, "partner_id": partner}
            return [
                Command.create(
                    {
                        **common,
                        "account_id": expense.id,
                        "debit": debit,
                        "credit": credit,
                        "analytic_distribution": distribution or False,
                    }
                ),
                Command.create(
                    {
                        **common,
                        "account_id": accrued.id,
                        "debit": credit,
                        "credit": debit,
                    }
                ),
            ]

        if company.dealer_rebate_accrual_detail == "program":
            weights = {}
            for line in self.line_ids:
                analytic = line.territory_id.analytic_account_id
                if analytic:
                    weights[analytic.id] = weights.get(analytic.id, 0.0) + line.amount
            total = self.amount
            distribution = (
                {str(aid): 100.0 * amount / total for aid, amount in weights.items()}
                if total and weights
                else None
            )
            return pair(self.amount, distribution=distribution)
        return [
            command
            for line in self.line_ids
            if line.amount
            for command in pair(
                line.amount,
                line.partner_id.id,
                {str(line.territory_id.analytic_account_id.id): 100.0}
                if line.territory_id.analytic_account_id
                else None,
            )
        ]


class DealerRebateAccrualLine(models.Model):
    """A dealer's part of an accrual: the accrual analysis' rows."""

    _name = "dealer.rebate.accrual.line"
    _description = "Dealer Rebate Accrual Line"
    _order = "date desc, program_id, partner_id"

    accrual_id = fields.Many2one(
        "dealer.rebate.accrual", required=True, ondelete="cascade", index=True
    )
    program_id = fields.Many2one(
        related="accrual_id.program_id", store=True, index=True
    )
    company_id = fields.Many2one(related="accrual_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(related="accrual_id.date", store=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True)
    territory_id = fields.Many2one("dealer.territory")
    earned_amount = fields.Monetary(
        string="Earned in Open Periods", currency_field="currency_id"
    )
    unsettled_amount = fields.Monetary(
        string="Statements Not Settled", currency_field="currency_id"
    )
    amount = fields.Monetary(string="Accrued", currency_field="currency_id")
