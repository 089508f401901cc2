# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

from .dealer_selections import CRITERION_GROUPS, SOURCES

# source: (unit, higher is better)
MEASURES = {
    "payment_punctuality": ("days", False),
    "sales_growth": ("%", True),
    "return_rate": ("%", False),
    "target_achievement": ("%", True),
    "expense_ratio": ("%", False),
}


class DealerEvaluationCriterion(models.Model):
    """One line of the dealer scorecard: what is judged, its weight and its scale."""

    _name = "dealer.evaluation.criterion"
    _description = "Dealer Evaluation Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    criterion_group = fields.Selection(
        CRITERION_GROUPS, string="Group", required=True, default="enthusiasm"
    )
    code = fields.Char(
        help="The letter of the seeds' business capability measures (A-G)."
    )
    description = fields.Text(translate=True)
    weight = fields.Float(required=True, default=10.0)
    scale_max = fields.Integer(
        string="Scale Maximum",
        required=True,
        default=5,
        help="Scores go from 0 to this value.",
        aggregator=None,
    )
    source = fields.Selection(
        SOURCES,
        required=True,
        default="manual",
        help="Manual: the evaluator gives the score. Otherwise the figure is measured "
        "from the ERP for the period and the score read from the levels.",
    )
    level_ids = fields.One2many(
        "dealer.evaluation.criterion.level",
        "criterion_id",
        string="Score Levels",
        copy=True,
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the criterion applies to every company."
    )
    active = fields.Boolean(default=True)
    weight_total = fields.Float(
        compute="_compute_weight_total",
        help="Sum of the weights of the active criteria.",
    )

    @api.depends("weight", "active")
    def _compute_weight_total(self):
        totals = {}
        for criterion in self:
            company = criterion.company_id or self.env.company
            if company.id not in totals:
                totals[company.id] = sum(
                    self._active_criteria(company).mapped("weight")
                )
            criterion.weight_total = totals[company.id]

    @api.model
    def _active_criteria(self, company):
        return self.search([("company_id", "in", (False, company.id))])

    @api.constrains("weight", "active", "company_id")
    def _check_weight(self):
        for criterion in self:
            if criterion.weight < 0:
                raise ValidationError(
                    _(
                        "The weight of %(criterion)s cannot be negative.",
                        criterion=criterion.name,
                    )
                )
        companies = self.mapped("company_id") or self.env.company
        for company in companies:
            criteria = self._active_criteria(company)
            if criteria and not sum(criteria.mapped("weight")):
                raise ValidationError(
                    _(
                        "The weights of the active evaluation criteria sum to zero: "
                        "at least one criterion needs a positive weight."
                    )
                )

    @api.constrains("scale_max")
    def _check_scale_max(self):
        for criterion in self:
            if criterion.scale_max < 1:
                raise ValidationError(
                    _(
                        "The scale of %(criterion)s must reach at least 1.",
                        criterion=criterion.name,
                    )
                )

    def _evaluation_line_commands(self):
        """The lines of a new evaluation for these criteria: their weights and scales
        copied, so that later changes to the criteria leave the evaluation as it was."""
        return [
            Command.create(
                {
                    "criterion_id": criterion.id,
                    "weight": criterion.weight,
                    "scale_max": criterion.scale_max,
                    "source": criterion.source,
                }
            )
            for criterion in self
        ]

    def _score_for_measure(self, value):
        """The score of the level a measured ``value`` reaches.

        Where higher is better (growth, achievement) a level applies from its limit up;
        where lower is better (days late, return rate) from its limit down. The best
        reached level wins; below every level the score is 0."""
        self.ensure_one()
        higher_is_better = MEASURES[self.source][1]
        reached = self.level_ids.filtered(
            lambda level: value >= level.measure_limit
            if higher_is_better
            else value <= level.measure_limit
        )
        return max(reached.mapped("score"), default=0)


class DealerEvaluationCriterionLevel(models.Model):
    """An anchor of a criterion's scale: what a score means, and for measured criteria
    the figure from which it is given."""

    _name = "dealer.evaluation.criterion.level"
    _description = "Dealer Evaluation Criterion Level"
    _order = "criterion_id, score desc"

    criterion_id = fields.Many2one(
        "dealer.evaluation.criterion", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="criterion_id.company_id")
    score = fields.Integer(required=True, aggregator=None)
    name = fields.Char(string="Description", required=True, translate=True)
    measure_limit = fields.Float(
        help="Measured criteria: the figure from which this score is given (at least "
        "it where higher is better, at most it where lower is better).",
        aggregator=None,
    )

    _sql_constraints = [
        (
            "score_uniq",
            "unique(criterion_id, score)",
            "Each score of a scale is described once.",
        ),
    ]

    @api.constrains("score", "criterion_id")
    def _check_score(self):
        for level in self:
            if not 0 <= level.score <= level.criterion_id.scale_max:
                raise ValidationError(
                    _(
                        "Score %(score)s is outside the scale of %(criterion)s (0 to "
                        "%(max)s).",
                        score=level.score,
                        criterion=level.criterion_id.name,
                        max=level.criterion_id.scale_max,
                    )
                )
