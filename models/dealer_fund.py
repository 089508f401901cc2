# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Market-expense funds (市场费用额度): what the manufacturer sets aside for a dealer's
advertising, promotion events, training and display in a period; what the approved
requests commit of it, what the claims ask and what is reimbursed. What no claim used
by the fund's expiry lapses (the daily job). The requests are
``dealer_fund_request.py``, the claims ``dealer_fund_claim.py``, the rules that set
funds from sales ``dealer_fund_rule.py``.

How it works: ``docs/design.md``, section ``models/dealer_fund.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_amount

from ..tools import MANAGER, check_group
from .dealer_selections import FUND_KINDS, FUND_STATES

# the fields of a fund a Dealer Manager sets; the rest is the requests', claims' and
# the daily job's
FUND_TERMS = (
    "partner_id",
    "company_id",
    "activity_kind",
    "date_start",
    "date_end",
    "date_expiry",
)


class DealerFund(models.Model):
    _name = "dealer.fund"
    _description = "Dealer Market-Expense Fund"
    _inherit = [
        "dealer.document.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "dealer.lock.mixin",
    ]
    _order = "date_start desc, id desc"
    _governed_extra = ("state", "rule_id")

    name = fields.Char(compute="_compute_name", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    activity_kind = fields.Selection(
        FUND_KINDS, string="Activity", required=True, tracking=True
    )
    date_start = fields.Date(string="Period Start", required=True, tracking=True)
    date_end = fields.Date(string="Period End", required=True, tracking=True)
    date_expiry = fields.Date(
        string="Claims Until",
        required=True,
        tracking=True,
        help="What is not claimed by this day lapses: the requests approved and not "
        "claimed, and what no request committed.",
    )
    amount = fields.Monetary(string="Fund", required=True, tracking=True)
    rule_id = fields.Many2one(
        "dealer.fund.rule",
        string="Set by Rule",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The rule that set this fund from the dealer's sales; empty: by hand.",
    )
    state = fields.Selection(
        FUND_STATES,
        required=True,
        default="open",
        readonly=True,
        tracking=True,
        index=True,
    )
    request_ids = fields.One2many(
        "dealer.fund.request", "fund_id", string="Requests", readonly=True
    )
    committed_amount = fields.Monetary(
        string="Committed",
        compute="_compute_amounts",
        store=True,
        help="What the approved requests hold of the fund: their approved share until "
        "their claim is decided, then what the claim was granted.",
    )
    claimed_amount = fields.Monetary(
        string="Claimed",
        compute="_compute_amounts",
        store=True,
        help="The reimbursable amounts of the claims submitted and not rejected.",
    )
    reimbursed_amount = fields.Monetary(
        string="Reimbursed",
        compute="_compute_amounts",
        store=True,
        help="What the settled claims were paid.",
    )
    remaining_amount = fields.Monetary(
        string="Remaining",
        compute="_compute_amounts",
        store=True,
        help="What new requests may still commit: nothing once the fund expired.",
    )
    lapsed_amount = fields.Monetary(
        string="Lapsed",
        compute="_compute_amounts",
        store=True,
        help="What the fund's expiry took back: what no request kept.",
    )

    _sql_constraints = [
        ("amount_positive", "CHECK (amount >= 0)", "A fund cannot be negative."),
    ]

    @api.depends("activity_kind", "date_start", "date_end")
    def _compute_name(self):
        for fund in self:
            fund.name = fund._name_in_language()

    @api.depends("activity_kind", "date_start", "date_end")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # the stored name is in its creator's language: each reader gets his own
        for fund in self:
            fund.display_name = fund._name_in_language()

    def _name_in_language(self):
        kinds = dict(self._fields["activity_kind"]._description_selection(self.env))
        return _(
            "%(kind)s %(start)s to %(end)s",
            kind=kinds.get(self.activity_kind, ""),
            start=self.date_start or "",
            end=self.date_end or "",
        )

    @api.depends(
        "amount",
        "state",
        "request_ids.committed_amount",
        "request_ids.claim_ids.state",
        "request_ids.claim_ids.reimbursable_amount",
        "request_ids.claim_ids.granted_amount",
    )
    def _compute_amounts(self):
        for fund in self:
            claims = fund.request_ids.claim_ids
            committed = fund.currency_id.round(
                sum(fund.request_ids.mapped("committed_amount"))
            )
            fund.committed_amount = committed
            fund.claimed_amount = sum(
                claims.filtered(
                    lambda c: c.state in ("submitted", "approved", "settled")
                ).mapped("reimbursable_amount")
            )
            fund.reimbursed_amount = sum(
                claims.filtered(lambda c: c.state == "settled").mapped("granted_amount")
            )
            left = fund.currency_id.round(fund.amount - committed)
            expired = fund.state == "expired"
            fund.remaining_amount = 0.0 if expired else left
            fund.lapsed_amount = left if expired else 0.0

    @api.constrains("date_start", "date_end", "date_expiry")
    def _check_dates(self):
        for fund in self:
            if fund.date_end < fund.date_start or fund.date_expiry < fund.date_end:
                raise ValidationError(
                    _(
                        "%(fund)s: the period ends after it starts, and claims are "
                        "accepted at least until the period ends.",
                        fund=fund.display_name,
                    )
                )

    @api.constrains("amount", "committed_amount")
    def _check_not_overcommitted(self):
        for fund in self:
            if fund.currency_id.compare_amounts(fund.amount, fund.committed_amount) < 0:
                raise ValidationError(
                    _(
                        "%(fund)s of %(dealer)s: the fund (%(amount)s) cannot be less "
                        "than what its approved requests hold (%(committed)s).",
                        fund=fund.display_name,
                        dealer=fund.partner_id.display_name,
                        amount=format_amount(self.env, fund.amount, fund.currency_id),
                        committed=format_amount(
                            self.env, fund.committed_amount, fund.currency_id
                        ),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_group(self.env, MANAGER, self.env._("set market-expense funds"))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & {"amount", *FUND_TERMS}:
            check_group(self.env, MANAGER, self.env._("change market-expense funds"))
            if set(vals) & set(FUND_TERMS) and self.request_ids:
                raise ValidationError(
                    _(
                        "%(fund)s has requests: its dealer, activity and dates stay "
                        "as they are (its amount may change).",
                        fund=self.filtered("request_ids")[:1].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_without_requests(self):
        if self.request_ids:
            raise ValidationError(
                _("A fund with requests is not deleted: it lapses at its expiry.")
            )

    # ---------------------------------------------------------------- the daily job

    @api.model
    def _cron_lapse(self, today=None):
        """Funds whose claim deadline passed expire: their approved requests that were
        not claimed lapse, and what no request kept is the fund's lapsed amount. A
        second run the same day finds nothing to do."""
        today = today or fields.Date.context_today(self)
        funds = self.sudo().search(
            [("state", "=", "open"), ("date_expiry", "<", today)]
        )
        if funds:
            funds.request_ids._lapse()
            funds._governed_write({"state": "expired"})
        return funds
