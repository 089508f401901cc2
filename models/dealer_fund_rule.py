# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rules that set market-expense funds: per tier, a rate of the dealer's net sales of
the previous period and a fixed amount, capped per dealer. Applying a rule to a period
sets the funds of every dealer in its scope with one grouped query of the measurement
layer; applying it again changes nothing."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import MANAGER, check_group
from .dealer_selections import FUND_KINDS, TIERS

PERIODS = {"month": relativedelta(months=1), "quarter": relativedelta(months=3)}


class DealerFundRule(models.Model):
    _name = "dealer.fund.rule"
    _description = "Dealer Fund Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    activity_kind = fields.Selection(
        FUND_KINDS, string="Activity", required=True, tracking=True
    )
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")],
        string="Period",
        required=True,
        default="quarter",
        tracking=True,
        help="The period of the funds it sets; the rate applies to the net sales of "
        "the period before, of the same length.",
    )
    claim_days = fields.Integer(
        string="Claims Accepted For (Days)",
        default=30,
        tracking=True,
        help="Days after the period's end until which claims are accepted.",
    )
    cap = fields.Monetary(
        string="Cap per Dealer",
        tracking=True,
        help="No fund above this amount (0: no cap).",
    )
    line_ids = fields.One2many(
        "dealer.fund.rule.line", "rule_id", string="Per Tier", copy=True
    )

    @api.constrains("claim_days", "cap")
    def _check_values(self):
        for rule in self:
            if rule.claim_days < 0 or rule.cap < 0:
                raise ValidationError(
                    _(
                        "%(rule)s: the days of claims and the cap cannot be negative.",
                        rule=rule.name,
                    )
                )

    def _period(self, date_start):
        """(start, end) of the period starting on ``date_start``, and of the one
        before it."""
        self.ensure_one()
        length = PERIODS[self.period_type]
        end = date_start + length - timedelta(days=1)
        return (date_start, end), (date_start - length, date_start - timedelta(days=1))

    def _fund_amount(self, line, net_sales):
        """A dealer's fund: the line's rate of his previous period's net sales plus
        its fixed amount, capped, in the company's currency (the hook a variant
        overrides)."""
        amount = max(net_sales, 0.0) * line.rate / 100 + line.fixed_amount
        if self.cap:
            amount = min(amount, self.cap)
        return self.currency_id.round(amount)

    def action_apply(self, date_start):
        """Set the funds of the period starting on ``date_start`` for every dealer of
        the rule's company in one of its tiers: a fund per dealer, once (applying the
        rule to the same period again sets nothing); the previous period's net sales
        of every dealer in one grouped query."""
        check_group(self.env, MANAGER, self.env._("set market-expense funds"))
        date_start = fields.Date.to_date(date_start)
        Fund = self.env["dealer.fund"]
        created = Fund.browse()
        for rule in self:
            if not rule.line_ids:
                raise UserError(
                    _("%(rule)s has no line: give a rate per tier.", rule=rule.name)
                )
            (start, end), (before_start, before_end) = rule._period(date_start)
            lines = {line.tier: line for line in rule.line_ids}
            dealers = (
                self.env["res.partner"]
                .sudo()
                .search(
                    self.env["dealer.scope.value"]._dealer_domain(rule.company_id)
                    + [("dealer_tier", "in", list(lines))]
                )
            )
            dealers.fetch(["dealer_tier"])
            done = set(
                Fund.sudo()
                .search(
                    [
                        ("rule_id", "=", rule.id),
                        ("date_start", "=", start),
                        ("partner_id", "in", dealers.ids),
                    ]
                )
                .mapped("partner_id.id")
            )
            sales = self.env["dealer.measure"]._net_sales(
                rule.company_id, dealers.ids, before_start, before_end
            )
            vals_list = []
            for dealer in dealers:
                if dealer.id in done:
                    continue
                amount = rule._fund_amount(
                    lines[dealer.dealer_tier], sales.get(dealer.id, 0.0)
                )
                if amount <= 0:
                    continue
                vals_list.append(
                    {
                        "partner_id": dealer.id,
                        "company_id": rule.company_id.id,
                        "activity_kind": rule.activity_kind,
                        "date_start": start,
                        "date_end": end,
                        "date_expiry": end + timedelta(days=rule.claim_days),
                        "amount": amount,
                        "rule_id": rule.id,
                    }
                )
            created |= Fund.sudo().create(vals_list)
            if vals_list:
                rule.message_post(
                    body=_(
                        "%(count)s funds set for %(start)s to %(end)s.",
                        count=len(vals_list),
                        start=start,
                        end=end,
                    )
                )
        return created


class DealerFundRuleLine(models.Model):
    _name = "dealer.fund.rule.line"
    _description = "Dealer Fund Rule per Tier"
    # its company is its rule's: not written through a line
    _inherit = ["dealer.governed.mixin"]
    _order = "tier"

    rule_id = fields.Many2one(
        "dealer.fund.rule", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    tier = fields.Selection(TIERS, required=True)
    rate = fields.Float(
        string="Rate (%)",
        digits=(16, 2),
        aggregator=None,
        help="Of the dealer's net sales of the previous period.",
    )
    fixed_amount = fields.Monetary()

    _sql_constraints = [
        (
            "rule_tier_uniq",
            "unique(rule_id, tier)",
            "A rule has one line per tier.",
        ),
    ]

    @api.constrains("rate", "fixed_amount")
    def _check_values(self):
        for line in self:
            if line.rate < 0 or line.fixed_amount < 0 or line.rate > 100:
                raise ValidationError(
                    _(
                        "%(rule)s: a rate is between 0 and 100 %%, a fixed amount not "
                        "negative.",
                        rule=line.rule_id.name,
                    )
                )
