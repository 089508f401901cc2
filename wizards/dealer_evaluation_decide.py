# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..models.dealer_selections import DECISIONS


class DealerEvaluationDecide(models.TransientModel):
    """Ask a Dealer Manager for the decision (keep / train / reform / eliminate) and
    its reason on an approved evaluation."""

    _name = "dealer.evaluation.decide"
    _description = "Decide on a Dealer"

    evaluation_id = fields.Many2one(
        "dealer.evaluation", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="evaluation_id.partner_id")
    score = fields.Float(related="evaluation_id.score")
    grade = fields.Selection(related="evaluation_id.grade")
    decision = fields.Selection(DECISIONS, required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.evaluation_id.action_decide(self.decision, self.reason)
        return {"type": "ir.actions.act_window_close"}
