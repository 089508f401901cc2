# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.formats import text_lang
from ..tools.rights import MANAGER, check_group
from .dealer_selections import DECISIONS, GRADES, GRADES_SELECTION, SOURCES

# what may still change on an approved evaluation: the decision taken on it
FROZEN_WRITABLE = {
    "message_main_attachment_id",
    "activity_ids",
    "decision",
    "decision_reason",
    "suspension_state",
}


class DealerEvaluation(models.Model):
    """A periodic weighted scorecard of one dealer (经销商评价)."""

    _name = "dealer.evaluation"
    _description = "Dealer Evaluation"
    _inherit = ["dealer.document.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_end desc, partner_id"
    # who evaluated, submitted and approved: the server's (the evaluator is who submits)
    _governed_extra = ("state", "decision", "decision_reason", "evaluator_id")

    name = fields.Char(compute="_compute_name", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(
        string="Period Start",
        required=True,
        default=lambda self: self._default_period()[0],
    )
    date_end = fields.Date(
        string="Period End",
        required=True,
        default=lambda self: self._default_period()[1],
    )
    evaluator_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    submitted_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    approver_id = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False
    )
    approval_date = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    # a copy starts from the criteria as they are now, like a new evaluation
    line_ids = fields.One2many(
        "dealer.evaluation.line", "evaluation_id", string="Criteria"
    )
    score = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Weighted score from 0 to 100.",
    )
    grade = fields.Selection(GRADES_SELECTION, compute="_compute_score", store=True)
    comment = fields.Html()
    decision = fields.Selection(
        DECISIONS,
        tracking=True,
        copy=False,
        help="Usable dealers are kept, trained or reformed; unusable ones are "
        "eliminated. Taken by a Dealer Manager on an approved evaluation.",
    )
    decision_reason = fields.Text(tracking=True, copy=False)
    suspension_state = fields.Selection(
        [("proposed", "Suspension Proposed"), ("confirmed", "Suspension Confirmed")],
        readonly=True,
        copy=False,
        tracking=True,
    )

    _sql_constraints = [
        (
            "period_check",
            "CHECK(date_start <= date_end)",
            "The period of an evaluation cannot end before it starts.",
        ),
    ]

    @api.depends("partner_id", "date_start", "date_end")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = "%s %s - %s" % (
                evaluation.partner_id.display_name or "",
                evaluation.date_start or "",
                evaluation.date_end or "",
            )

    @api.depends(
        "line_ids.weight",
        "line_ids.score",
        "line_ids.scale_max",
        "line_ids.not_applicable",
    )
    def _compute_score(self):
        for evaluation in self:
            lines = evaluation.line_ids.filtered(lambda line: not line.not_applicable)
            total_weight = sum(lines.mapped("weight"))
            if not total_weight:
                evaluation.score = 0.0
                evaluation.grade = False
                continue
            score = sum(line.weight * line.score / line.scale_max for line in lines)
            evaluation.score = round(score / total_weight * 100, 2)
            evaluation.grade = next(
                g for g, limit in GRADES if evaluation.score >= limit
            )

    @api.constrains("partner_id", "date_start", "date_end")
    def _check_period_overlap(self):
        for evaluation in self:
            clash = evaluation._overlapping([("state", "!=", "rejected")])
            if clash:
                raise ValidationError(
                    _(
                        "%(dealer)s already has an evaluation for this period: "
                        "%(other)s.",
                        dealer=evaluation.partner_id.display_name,
                        other=clash.name,
                    )
                )

    @api.model
    def _default_period(self):
        """The period a new evaluation proposes: the last one closed (as the
        evaluation campaign opens them)."""
        return self.env["dealer.evaluation.campaign"]._period(
            fields.Date.context_today(self)
        )

    @api.onchange("company_id", "partner_id")
    def _onchange_company_id_lines(self):
        """A new evaluation shows its criteria at once (the company's, as they will
        be copied when it is saved)."""
        if self._origin.id or (
            self.line_ids and self.line_ids.criterion_id.company_id <= self.company_id
        ):
            return
        criteria = self.env["dealer.evaluation.criterion"]._active_criteria(
            self.company_id or self.env.company
        )
        self.line_ids = [Command.clear(), *criteria._evaluation_line_commands()]

    @api.model_create_multi
    def create(self, vals_list):
        # The lines the form proposed come back with the criteria's weights and
        # scales, which are the server's: the lines are made from the criteria here,
        # and of those sent only the scores, notes and not-applicable marks are kept.
        given = []
        for vals in vals_list:
            kept = {}
            for command in vals.pop("line_ids", None) or []:
                if not (
                    isinstance(command, list | tuple)
                    and len(command) == 3
                    and command[0] == Command.CREATE
                    and isinstance(command[2], dict)
                    and isinstance(command[2].get("criterion_id"), int)
                ):
                    continue  # nothing of the lines but what the form proposes
                # (a score of 0 is the form's empty cell, not a score given)
                kept[command[2]["criterion_id"]] = {
                    key: command[2][key]
                    for key, kind in (
                        ("score", int),
                        ("note", str),
                        ("not_applicable", bool),
                    )
                    if command[2].get(key) and isinstance(command[2][key], kind)
                }
            given.append(kept)
        evaluations = super().create(vals_list)
        evaluations._create_lines()
        for evaluation, kept in zip(evaluations, given, strict=True):
            for line in evaluation.line_ids:
                values = dict(kept.get(line.criterion_id.id) or {})
                if line.source != "manual":
                    # measured: its figure is the ERP's, it applies
                    values.pop("not_applicable", None)
                if values:
                    line.write(values)
        evaluations._fill_measures()
        return evaluations

    def write(self, vals):
        frozen = self.filtered(lambda e: e.state == "approved")
        if frozen and set(vals) - FROZEN_WRITABLE:
            raise UserError(
                _(
                    "An approved evaluation is frozen: %(names)s (%(fields)s).",
                    names=", ".join(frozen.mapped("name")),
                    fields=", ".join(sorted(set(vals) - FROZEN_WRITABLE)),
                )
            )
        return super().write(vals)

    def _create_lines(self):
        """One line per active criterion of the company; weights and scales are copied
        so that later changes to the criteria leave this evaluation as it was."""
        Criterion = self.env["dealer.evaluation.criterion"]
        for evaluation in self:
            criteria = Criterion._active_criteria(evaluation.company_id)
            evaluation.sudo().line_ids = criteria._evaluation_line_commands()

    def _fill_measures(self):
        """Fill the measured lines from the ERP: one grouped query per measure and
        period for all the evaluations of ``self``."""
        # The figures are accounting facts about a dealer the evaluator may see: they
        # are measured whatever invoices his own access rights would show him.
        Measure = self.env["dealer.evaluation.measure"].sudo()
        batches = defaultdict(list)  # ids: a recordset grown one by one costs n²
        for evaluation in self.filtered(lambda e: e.state == "draft"):
            batches[
                evaluation.company_id, evaluation.date_start, evaluation.date_end
            ].append(evaluation.id)
        for (company, date_start, date_end), evaluation_ids in batches.items():
            evaluations = self.browse(evaluation_ids)
            lines = evaluations.line_ids.filtered(lambda line: line.source != "manual")
            partner_ids = evaluations.partner_id.ids
            # the bases in the language of those who score them
            lang = text_lang(self.env, evaluations.salesperson_id, company)
            for source in set(lines.mapped("source")):
                measures = Measure.with_context(lang=lang)._measure(
                    source, company, partner_ids, date_start, date_end
                )
                for line in lines.filtered(lambda line, s=source: line.source == s):
                    value, basis = measures.get(
                        line.evaluation_id.partner_id.id,
                        (
                            False,
                            self.with_context(lang=lang).env._(
                                "Nothing to measure in the period: score it by hand."
                            ),
                        ),
                    )
                    vals = {"measured_value": value, "measure_basis": basis}
                    if value is not False:
                        vals["score"] = line.criterion_id._score_for_measure(value)
                        vals["scored"] = True
                    line.sudo().write(vals)

    def action_refresh_measures(self):
        self.check_access("write")
        if self.filtered(lambda e: e.state != "draft"):
            raise UserError(
                _("The measures of a submitted evaluation are kept as they were.")
            )
        self._fill_measures()

    def _governed_hint(self):
        return _(
            "use Submit, Approve, Reject, Reset to Draft, Decide and Confirm "
            "Suspension; the measured lines are filled from the ERP"
        )

    def action_submit(self):
        if self.filtered(lambda e: e.state != "draft"):
            raise UserError(_("Only draft evaluations can be submitted."))
        for evaluation in self:
            if not evaluation.line_ids.filtered(lambda line: not line.not_applicable):
                raise UserError(
                    _(
                        "%(name)s: no criterion applies; an evaluation scores the "
                        "dealer on some.",
                        name=evaluation.name,
                    )
                )
            unscored = evaluation.line_ids.filtered(
                lambda line: not line.scored and not line.not_applicable
            )
            if unscored:
                raise UserError(
                    _(
                        "%(name)s has criteria without a score: %(criteria)s. Score "
                        "them, or mark those that do not apply to the dealer Not "
                        "Applicable.",
                        name=evaluation.name,
                        criteria=", ".join(unscored.criterion_id.mapped("name")),
                    )
                )
        # the evaluator is the user who submits the scores, whoever was asked to
        self._governed_write(
            {
                "state": "submitted",
                "evaluator_id": self.env.uid,
                "submitted_uid": self.env.uid,
            }
        )

    def _check_can_approve(self):
        check_group(self.env, MANAGER, _("approve or reject evaluations"))
        if self.filtered(lambda e: e.state != "submitted"):
            raise UserError(
                _("Only submitted evaluations can be approved or rejected.")
            )
        own = self.filtered(
            lambda e: self.env.user in (e.evaluator_id | e.submitted_uid | e.create_uid)
        )
        if own:
            raise UserError(
                _(
                    "Nobody approves or rejects an evaluation he created, evaluated "
                    "or submitted: %(names)s.",
                    names=", ".join(own.mapped("name")),
                )
            )

    def action_approve(self):
        self._check_can_approve()
        self._governed_write(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "approval_date": fields.Datetime.now(),
            }
        )

    def action_reject(self):
        self._check_can_approve()
        self._governed_write(
            {
                "state": "rejected",
                "approver_id": self.env.user.id,
                "approval_date": fields.Datetime.now(),
            }
        )

    def action_open_decide(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Decide on %(dealer)s", dealer=self.partner_id.display_name),
            "res_model": "dealer.evaluation.decide",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_evaluation_id": self.id,
                "default_decision": self.decision,
            },
        }

    def action_decide(self, decision, reason):
        """Record the decision on approved evaluations; eliminating proposes a
        suspension of the dealer, which a Dealer Manager confirms."""
        check_group(self.env, MANAGER, _("decide on a dealer"))
        if self.filtered(lambda e: e.state != "approved"):
            raise UserError(_("A decision is taken on approved evaluations only."))
        if decision not in dict(DECISIONS):
            raise UserError(
                _(
                    "Unknown decision %(decision)r: choose one of %(choices)s.",
                    decision=decision,
                    choices=", ".join(dict(DECISIONS)),
                )
            )
        if not (reason or "").strip():
            raise UserError(_("Give the reason for the decision."))
        self._governed_write(
            {
                "decision": decision,
                "decision_reason": reason,
                "suspension_state": "proposed" if decision == "eliminate" else False,
            }
        )

    def action_confirm_suspension(self):
        check_group(self.env, MANAGER, _("confirm a suspension"))
        if self.filtered(lambda e: e.suspension_state != "proposed"):
            raise UserError(_("There is no proposed suspension to confirm."))
        self._governed_write({"suspension_state": "confirmed"})
        self.partner_id.sudo().write({"dealer_status": "suspended"})
        for evaluation in self:
            evaluation.partner_id.message_post(
                body=_(
                    "Dealer suspended after evaluation %(evaluation)s: %(reason)s",
                    evaluation=evaluation.name,
                    reason=evaluation.decision_reason,
                )
            )

    def action_reset_draft(self):
        if self.filtered(lambda e: e.state not in ("submitted", "rejected")):
            raise UserError(
                _("Only submitted or rejected evaluations go back to draft.")
            )
        self._governed_write({"state": "draft", "submitted_uid": False})


class DealerEvaluationLine(models.Model):
    _name = "dealer.evaluation.line"
    _description = "Dealer Evaluation Line"
    _inherit = ["dealer.governed.mixin"]
    _order = "evaluation_id, sequence, id"
    # the criterion, its weight and scale are copied from the criteria when the
    # evaluation is created; the measured figures come from the ERP
    _governed_extra = (
        "evaluation_id",
        "criterion_id",
        "weight",
        "scale_max",
        "source",
        "measured_value",
        "measure_basis",
    )

    evaluation_id = fields.Many2one(
        "dealer.evaluation", required=True, ondelete="cascade", index=True
    )
    criterion_id = fields.Many2one(
        "dealer.evaluation.criterion", required=True, ondelete="restrict"
    )
    # whose line it is, for the record rules (the evaluation's dealer and company)
    partner_id = fields.Many2one(related="evaluation_id.partner_id")
    company_id = fields.Many2one(related="evaluation_id.company_id")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    criterion_group = fields.Selection(
        related="criterion_id.criterion_group", store=True, string="Group"
    )
    weight = fields.Float(required=True)
    scale_max = fields.Integer(required=True, aggregator=None)
    source = fields.Selection(SOURCES, required=True, default="manual")
    score = fields.Integer(aggregator=None)
    # a score of 0 is a score (the lowest level): whether one was given is said here,
    # set when the score is written or measured
    scored = fields.Boolean(readonly=True, copy=False)
    not_applicable = fields.Boolean(
        help="The criterion does not apply to this dealer: it counts neither in the "
        "score nor in its weights.",
    )
    measured_value = fields.Float(digits=(16, 2), aggregator=None)
    measure_basis = fields.Char(string="Measured From")
    weighted_score = fields.Float(compute="_compute_weighted_score", digits=(16, 2))
    note = fields.Char()

    def _governed_hint(self):
        return _(
            "the lines come from the evaluation criteria and the measures from the "
            "ERP (Refresh Measures); only the scores and notes are yours"
        )

    @api.depends("weight", "score", "scale_max")
    def _compute_weighted_score(self):
        for line in self:
            line.weighted_score = (
                line.weight * line.score / line.scale_max if line.scale_max else 0
            )

    @api.constrains("score", "scale_max")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= line.scale_max:
                raise ValidationError(
                    _(
                        "The score of %(criterion)s must be between 0 and %(max)s.",
                        criterion=line.criterion_id.name,
                        max=line.scale_max,
                    )
                )

    def write(self, vals):
        if self.evaluation_id.filtered(lambda e: e.state == "approved"):
            raise UserError(
                _(
                    "An approved evaluation is frozen (%(fields)s).",
                    fields=", ".join(sorted(vals)),
                )
            )
        # what the approver approves is what was submitted: a score changed after
        # the submission would be approved by someone who did not see it given
        submitted = self.evaluation_id.filtered(lambda e: e.state != "draft")
        if submitted and not self.env.su:
            raise UserError(
                _(
                    "The scores of %(name)s were submitted: they change only after "
                    "it is reset to draft.",
                    name=submitted[0].name,
                )
            )
        # a measured figure is the ERP's: not set aside as not applicable
        measured = self.filtered(lambda line: line.source != "manual" and line.scored)
        if vals.get("not_applicable") and measured and not self.env.su:
            raise UserError(
                _(
                    "%(criteria)s: measured from the ERP, it applies.",
                    criteria=", ".join(measured.criterion_id.mapped("name")),
                )
            )
        result = super().write(vals)
        if "score" in vals:
            super(DealerEvaluationLine, self.sudo()).write({"scored": True})
        return result
