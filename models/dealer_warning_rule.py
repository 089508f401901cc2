# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Early-warning rules (预警管理): what to watch, for which dealers, from which
threshold, and who is told. What each type measures is in
``dealer_warning_measure.py``; an evaluation is a warning run
(``dealer_warning_run.py``); the warnings themselves are ``dealer_warning.py``.
"""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.rights import MANAGER, check_group
from .dealer_selections import SEVERITIES, WARNING_TYPES

# thresholds each type needs (at least one of each tuple)
REQUIRED = {
    "receivable_overdue": (("threshold_amount", "threshold_days"),),
    "credit_usage": (("threshold_percent",),),
    "sales_pace": (("threshold_percent",),),
    "expense_ratio": (("threshold_percent",), ("window_days",)),
    "churn": (("threshold_days", "threshold_percent"),),
    "contract_expiry": (("threshold_days",),),
    "dealer_stock": (("threshold_weeks",),),
    "incident": (),
}
# types whose percentage cannot exceed 100
PERCENT_MAX_100 = {"sales_pace", "churn"}


class DealerWarningRule(models.Model):
    _name = "dealer.warning.rule"
    _description = "Dealer Warning Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    warning_type = fields.Selection(
        WARNING_TYPES, string="Type", required=True, tracking=True
    )
    severity = fields.Selection(
        SEVERITIES, required=True, default="warning", tracking=True
    )
    threshold_amount = fields.Float(
        string="Amount Threshold",
        tracking=True,
        help="Overdue receivables: overdue amount from which "
        "the rule raises (company currency).",
        aggregator=None,
    )
    threshold_days = fields.Integer(
        string="Days Threshold",
        tracking=True,
        help="Overdue receivables: age of the oldest overdue "
        "invoice. Churn: days without an invoice. Contract "
        "expiry: days before the end.",
        aggregator=None,
    )
    threshold_percent = fields.Float(
        string="Percent Threshold",
        tracking=True,
        help="Credit usage: open receivable / credit limit. "
        "Sales pace: points behind the elapsed share of the "
        "target period. Expense ratio: support / revenue. "
        "Churn: revenue drop against last year.",
        aggregator=None,
    )
    threshold_weeks = fields.Float(
        string="Weeks of Cover Threshold",
        tracking=True,
        help="Dealer stock: cover above which stock is too high "
        "(stock under the safety stock always raises).",
        aggregator=None,
    )
    start_day = fields.Integer(
        string="From Day of Period",
        default=1,
        help="Sales pace: only from this day of the target period.",
        aggregator=None,
    )
    window_days = fields.Integer(
        string="Window (Days)",
        default=90,
        help="Expense ratio and churn: the period measured.",
        aggregator=None,
    )
    company_ids = fields.Many2many(
        "res.company", string="Companies", help="Empty: every company."
    )
    tier_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_warning_rule_tier_rel",
        string="Tiers",
        domain=[("kind", "=", "tier")],
        help="Empty: every tier.",
    )
    level_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_warning_rule_level_rel",
        string="Levels",
        domain=[("kind", "=", "level")],
        help="Empty: every level.",
    )
    territory_ids = fields.Many2many(
        "dealer.territory", string="Territories", help="Empty: every territory."
    )
    responsible = fields.Selection(
        [
            ("salesperson", "The Dealer's Salesperson"),
            ("users", "Users"),
            ("group", "A Group"),
        ],
        required=True,
        default="salesperson",
    )
    user_ids = fields.Many2many("res.users", string="Responsible Users")
    group_id = fields.Many2one("res.groups", string="Responsible Group")
    notify_activity = fields.Boolean(
        string="Activity",
        default=True,
        help="Schedule an activity for the responsible.",
    )
    notify_email = fields.Boolean(
        string="E-mail to Followers",
        help="Post the new warning to its followers by e-mail.",
    )
    in_digest = fields.Boolean(
        string="In Daily Digest",
        help="List the warnings in the accountants' daily digest.",
    )
    warning_ids = fields.One2many("dealer.warning", "rule_id", string="Warnings")
    open_warning_count = fields.Integer(compute="_compute_open_warning_count")

    def _compute_open_warning_count(self):
        counts = dict(
            self.env["dealer.warning"]._read_group(
                [
                    ("rule_id", "in", self.ids),
                    ("state", "in", ("open", "acknowledged")),
                ],
                groupby=["rule_id"],
                aggregates=["__count"],
            )
        )
        for rule in self:
            rule.open_warning_count = counts.get(rule, 0)

    @api.constrains(
        "warning_type",
        "threshold_amount",
        "threshold_days",
        "threshold_percent",
        "threshold_weeks",
        "start_day",
        "window_days",
        "responsible",
        "user_ids",
        "group_id",
    )
    def _check_thresholds(self):
        for rule in self:
            values = {
                name: rule[name]
                for name in (
                    "threshold_amount",
                    "threshold_days",
                    "threshold_percent",
                    "threshold_weeks",
                    "start_day",
                    "window_days",
                )
            }
            if any(value < 0 for value in values.values()):
                raise ValidationError(
                    _("The thresholds of %(rule)s cannot be negative.", rule=rule.name)
                )
            for alternatives in REQUIRED[rule.warning_type]:
                if not any(values[name] for name in alternatives):
                    labels = [
                        rule._fields[name].get_description(self.env)["string"]
                        for name in alternatives
                    ]
                    raise ValidationError(
                        _(
                            "%(rule)s needs a threshold: %(fields)s.",
                            rule=rule.name,
                            fields=_(" or ").join(labels),
                        )
                    )
            if rule.warning_type in PERCENT_MAX_100 and rule.threshold_percent > 100:
                raise ValidationError(
                    _(
                        "%(rule)s: a percentage above 100 makes no sense here.",
                        rule=rule.name,
                    )
                )
            if (
                rule.responsible == "users"
                and not rule.user_ids
                or (rule.responsible == "group" and not rule.group_id)
            ):
                raise ValidationError(_("%(rule)s has no responsible.", rule=rule.name))

    # ---------------------------------------------------------------- engine

    def action_evaluate(self):
        """Evaluate Now: the rules evaluated in the background, for the user's
        companies only (those he works in now), not every company of the rules."""
        check_group(self.env, MANAGER, _("run the warning rules"))
        Job = self.env["dealer.job"]
        return Job._queue_for_user(
            "warnings",
            self,
            {"rule_ids": self.ids, "day": Job._today().isoformat()},
            groups=[MANAGER],
        )

    @api.model
    def _job_plan_warnings(self, params):
        """Batches of a background evaluation: one company each."""
        rules = self._job_rules(params)
        companies = self.env["res.company"].browse(params.get("company_ids") or [])
        return rules._companies(companies or None).sorted("id").ids

    @api.model
    def _job_step_warnings(self, company_id, params):
        self._job_rules(params).sudo()._evaluate(
            companies=self.env["res.company"].browse(company_id),
            today=self.env["dealer.job"]._day(params),
        )

    @api.model
    def _job_rules(self, params):
        """The rules of a background evaluation: those given, or every rule."""
        if "rule_ids" in params:
            return self.browse(params["rule_ids"]).exists()
        return self.sudo().search([])

    @api.model
    def _cron_evaluate(self, today=None, companies=None):
        self.search([])._evaluate(companies=companies, today=today)

    def _evaluate(self, companies=None, partners=None, today=None):
        """Evaluate the rules of ``self`` for every company in their scope (or
        ``companies``), all dealers (or ``partners``), in one warning run per company
        and day (see ``dealer.warning.run``)."""
        today = today or fields.Date.context_today(self)
        return self.env["dealer.warning.run"]._evaluate(
            self, companies, partners, today
        )

    def _companies(self, companies=None):
        """The companies in the scope of these rules (among ``companies``)."""
        scope = self.env["res.company"]
        everywhere = self.env["res.company"].search([])
        for rule in self:
            scope |= rule.company_ids or everywhere
        return scope & companies if companies else scope

    def _scope_dealer_ids(self, company, partners=None):
        self.ensure_one()
        domain = self.env["dealer.scope.value"]._dealer_domain(
            company, self.tier_ids, self.level_ids, self.territory_ids
        )
        if partners:
            domain.append(("id", "in", partners.ids))
        return self.env["res.partner"].sudo()._search(domain).get_result_ids()

    def _responsible(self, partner):
        """Who answers for a warning of this rule on ``partner``."""
        self.ensure_one()
        if self.responsible == "users":
            users = self.user_ids
        elif self.responsible == "group":
            users = self.group_id.users
        else:
            users = partner.user_id
        company = partner.company_id
        return users.filtered(lambda u: not company or company in u.company_ids)
