# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from ..tools import company_domain
from ..tools.rights import MANAGER, check_group
from .dealer_selections import EVALUATION_PERIODS
from .res_partner import DEALER_DOMAIN

PERIOD_PARAM = "dealer_management.evaluation_period_months"


class DealerEvaluationCampaign(models.AbstractModel):
    """The periodic evaluation campaign: a draft evaluation per active dealer for the
    period that just ended, and an activity for its salesperson. Idempotent."""

    _name = "dealer.evaluation.campaign"
    _description = "Dealer Evaluation Campaign"

    @api.model
    def _period(self, today):
        """The last complete period before ``today``; periods of N months (system
        parameter dealer_management.evaluation_period_months, default 3: quarters)
        counted from January."""
        months = int(self.env["ir.config_parameter"].sudo().get_param(PERIOD_PARAM, 3))
        if str(months) not in dict(EVALUATION_PERIODS):
            months = 3
        current_start = date(today.year, ((today.month - 1) // months) * months + 1, 1)
        start = current_start - relativedelta(months=months)
        return start, current_start - relativedelta(days=1)

    @api.model
    def _start_campaign(self):
        """Start the evaluation campaign now (a Dealer Manager): the evaluations of
        the last closed period, created in the background for his companies."""
        check_group(self.env, MANAGER, _("start the evaluation campaign"))
        Job = self.env["dealer.job"]
        return Job._queue_for_user(
            "campaign",
            self.env.companies,
            {"day": Job._today().isoformat(), "manual": True},
            groups=[MANAGER],
        )

    @api.model
    def _job_plan_campaign(self, params):
        """One batch: the evaluations are created together (of the user's companies,
        or of every company and the shared dealers for the scheduled campaign)."""
        return [params["company_ids"] if params.get("manual") else None]

    @api.model
    def _job_step_campaign(self, company_ids, params):
        self.sudo()._cron_create_evaluations(
            self.env["dealer.job"]._day(params),
            None
            if company_ids is None
            else self.env["res.company"].browse(company_ids),
        )

    @api.model
    def _cron_create_evaluations(self, today=None, companies=None):
        """The evaluations of the last closed period for the dealers that have none
        (of ``companies`` only, when given), each with an activity for its evaluator."""
        today = today or fields.Date.context_today(self)
        date_start, date_end = self._period(today)
        Evaluation = self.env["dealer.evaluation"]
        # Active dealers that already cooperated with us during the period.
        dealers = self.env["res.partner"].search(
            [
                *DEALER_DOMAIN,
                ("dealer_status", "in", ("active", "probation")),
                "|",
                ("dealer_since", "=", False),
                ("dealer_since", "<=", date_end),
                *company_domain(companies),
            ]
        )
        # One query for the dealers already evaluated for (part of) the period.
        evaluated = {
            partner.id
            for [partner] in Evaluation._read_group(
                [
                    ("partner_id", "in", dealers.ids),
                    ("state", "!=", "rejected"),
                    ("date_start", "<=", date_end),
                    ("date_end", ">=", date_start),
                ],
                groupby=["partner_id"],
            )
        }
        todo = dealers.filtered(lambda d: d.id not in evaluated)
        if not todo:
            return Evaluation
        evaluations = Evaluation.create(
            [
                {
                    "partner_id": dealer.id,
                    "company_id": (dealer.company_id or self.env.company).id,
                    "date_start": date_start,
                    "date_end": date_end,
                    "evaluator_id": (dealer.user_id or self.env.user).id,
                }
                for dealer in todo
            ]
        )
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("dealer.evaluation"),
                    "res_id": evaluation.id,
                    "activity_type_id": todo_type.id,
                    "user_id": evaluation.evaluator_id.id,
                    "date_deadline": today + relativedelta(days=14),
                    "summary": _(
                        "Evaluate %(dealer)s for %(start)s - %(end)s",
                        dealer=evaluation.partner_id.display_name,
                        start=date_start,
                        end=date_end,
                    ),
                }
                for evaluation in evaluations
            ]
        )
        return evaluations
