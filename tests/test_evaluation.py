# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DealerCommon

# Manual scores given in the tests, by criterion xml id (default criteria, scale 0-5).
MANUAL_SCORES = {
    "criterion_attitude": 4,
    "criterion_resources": 3,
    "criterion_flexibility": 4,
    "criterion_distribution": 5,
    "criterion_capital": 3,
    "criterion_brands": 2,
    "criterion_logistics": 4,
    "criterion_credit": 4,
    "criterion_family": 3,
    "criterion_standing": 4,
}


@tagged("post_install", "-at_install")
class TestEvaluation(DealerCommon):
    """Weighted scorecard with measured criteria, figures worked out by hand.

    Period Q2 2026 (2026-04-01 to 2026-06-30, 91 days); the previous period of the same
    length is 2025-12-31 to 2026-03-31. Untaxed amounts:

    - 2026-02-10 invoice 8,000 due 2026-03-12, paid 2026-04-11: 30 days late
    - 2026-04-05 invoice 6,000 due 2026-05-05, paid 2026-05-15: 10 days late
    - 2026-05-10 invoice 4,000 due 2026-06-09, paid 2026-06-04: early, counts as 0
    - 2026-06-01 invoice 2,000 due 2026-07-01, unpaid
    - 2026-06-20 credit note 500

    punctuality = (8000*30 + 6000*10 + 4000*0) / 18000 = 300000 / 18000
                = 16.67 days -> 2
    growth = (6000 + 4000 + 2000 - 500 - 8000) / 8000 = 43.75 % -> 5
    return rate = 500 / 12000 = 4.17 % -> 2
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        previous = cls.invoice("2026-02-10", 8000, due="2026-03-12")
        cls.pay(previous, "2026-04-11")
        cls.pay(cls.invoice("2026-04-05", 6000, due="2026-05-05"), "2026-05-15")
        cls.pay(cls.invoice("2026-05-10", 4000, due="2026-06-09"), "2026-06-04")
        cls.invoice("2026-06-01", 2000, due="2026-07-01")
        cls.invoice("2026-06-20", 500, move_type="out_refund")

    def evaluate(self, user=None, **vals):
        Evaluation = self.env["dealer.evaluation"].with_user(user or self.salesperson)
        return Evaluation.create(
            {
                "partner_id": self.dealer.id,
                "company_id": self.company.id,
                "date_start": "2026-04-01",
                "date_end": "2026-06-30",
                **vals,
            }
        )

    def line(self, evaluation, xmlid):
        criterion = self.env.ref(f"dealer_management.{xmlid}")
        return evaluation.line_ids.filtered(lambda line: line.criterion_id == criterion)

    def complete(self, evaluation):
        """Every criterion not scored yet scored 1 (a submitted evaluation has a
        score for each criterion that applies)."""
        evaluation.line_ids.filtered(lambda line: not line.scored).write({"score": 1})

    def score_manually(self, evaluation):
        for xmlid, score in MANUAL_SCORES.items():
            self.line(evaluation, xmlid).score = score

    def test_measured_criteria_from_invoices_and_payments(self):
        evaluation = self.evaluate()
        self.assertEqual(len(evaluation.line_ids), 13)
        punctuality = self.line(evaluation, "criterion_payment")
        self.assertAlmostEqual(punctuality.measured_value, 16.67)
        self.assertEqual(punctuality.score, 2)
        # money as the reader's language writes it (issue 23: "18000.0 CNY")
        symbol = self.company.currency_id.symbol
        self.assertEqual(
            punctuality.measure_basis,
            "16.67 days on average after the due date, weighted by "
            f"{symbol}\xa018,000.00 paid on 3 invoices",
        )
        growth = self.line(evaluation, "criterion_growth")
        self.assertAlmostEqual(growth.measured_value, 43.75)
        self.assertEqual(growth.score, 5)
        self.assertIn(
            f"{symbol}\xa011,500.00 against {symbol}\xa08,000.00", growth.measure_basis
        )
        returns = self.line(evaluation, "criterion_returns")
        self.assertAlmostEqual(returns.measured_value, 4.17)
        self.assertEqual(returns.score, 2)

    def test_weighted_score_and_grade(self):
        evaluation = self.evaluate()
        self.score_manually(evaluation)
        # sum(weight * score) = 40+20+15+32+50+24+8+20+50+28+16+21+32 = 356 over
        # weights 100 and scale 5: 356 / 5 = 71.2 -> grade B (70 and up)
        self.assertAlmostEqual(evaluation.score, 71.2)
        self.assertEqual(evaluation.grade, "B")

    def test_weights_not_summing_to_100_are_normalised(self):
        Criterion = self.env["dealer.evaluation.criterion"].with_user(self.manager)
        Criterion.search([]).active = False
        first = Criterion.create(
            {
                "name": "Service",
                "criterion_group": "enthusiasm",
                "weight": 30,
                "scale_max": 5,
            }
        )
        second = Criterion.create(
            {
                "name": "Shelf space",
                "criterion_group": "capability",
                "weight": 20,
                "scale_max": 10,
            }
        )
        self.assertEqual(first.weight_total, 50)
        evaluation = self.evaluate()
        evaluation.line_ids.filtered(lambda line: line.criterion_id == first).score = 5
        evaluation.line_ids.filtered(lambda line: line.criterion_id == second).score = 4
        # (30 * 5/5 + 20 * 4/10) / 50 * 100 = 38 / 50 * 100 = 76
        self.assertAlmostEqual(evaluation.score, 76.0)
        self.assertEqual(evaluation.grade, "B")  # 76: B from 70

    def test_only_managers_configure_criteria(self):
        criterion = self.env.ref("dealer_management.criterion_attitude")
        with self.assertRaises(AccessError):
            criterion.with_user(self.salesperson).weight = 50
        criterion.with_user(self.manager).weight = 12
        self.assertEqual(criterion.weight, 12)

    def test_bad_weights_and_scores_are_refused(self):
        criterion = self.env.ref("dealer_management.criterion_attitude").with_user(
            self.manager
        )
        with self.assertRaisesRegex(ValidationError, "negative"):
            criterion.weight = -1
        with self.assertRaisesRegex(ValidationError, "sum to zero"):
            self.env["dealer.evaluation.criterion"].with_user(self.manager).search(
                []
            ).weight = 0
        evaluation = self.evaluate()
        with self.assertRaisesRegex(ValidationError, "between 0 and 5"):
            self.line(evaluation, "criterion_attitude").score = 6
        with self.assertRaisesRegex(ValidationError, "outside the scale"):
            criterion.level_ids[0].score = 9

    def test_one_evaluation_per_dealer_and_period_and_only_dealers(self):
        self.evaluate()
        with self.assertRaisesRegex(ValidationError, "already has an evaluation"):
            self.evaluate(date_start="2026-06-01", date_end="2026-09-30")
        customer = self.env["res.partner"].create({"name": "Not a dealer"})
        with self.assertRaisesRegex(ValidationError, "not a dealer"):
            self.evaluate(partner_id=customer.id)

    def test_a_new_evaluation_proposes_its_period_and_shows_its_criteria(self):
        """Issue 23: on 2026-08-10 the last closed quarter is April to June; the 13
        criteria are on the form before it is saved; of what the form sends back,
        the server keeps the scores and marks, never the weights."""
        with freeze_time("2026-08-10"):
            form = Form(self.env["dealer.evaluation"].with_user(self.salesperson))
            form.partner_id = self.dealer
            self.assertEqual(
                (str(form.date_start), str(form.date_end)),
                ("2026-04-01", "2026-06-30"),
            )
            self.assertEqual(len(form.line_ids), 13)
            attitude = self.env.ref("dealer_management.criterion_attitude").sudo()
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    if line.criterion_id == attitude:
                        line.score = 4
            evaluation = form.save()
        self.assertEqual(len(evaluation.line_ids), 13)
        line = self.line(evaluation, "criterion_attitude")
        self.assertEqual(
            (line.score, line.scored, line.weight), (4, True, attitude.weight)
        )
        # a client sending a weight of its own: the criterion's is kept
        forged = (
            self.env["dealer.evaluation"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2026-07-01",
                    "date_end": "2026-09-30",
                    "line_ids": [
                        (0, 0, {"criterion_id": attitude.id, "weight": 90, "score": 5})
                    ],
                }
            )
        )
        line = self.line(forged, "criterion_attitude")
        self.assertEqual((line.weight, line.score), (attitude.weight, 5))
        # measured criteria sent as not applicable: they apply (the ERP's figure);
        # commands of another shape are not read at all
        growth = self.env.ref("dealer_management.criterion_growth").sudo()
        hidden = (
            self.env["dealer.evaluation"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2025-10-01",
                    "date_end": "2025-12-31",
                    "line_ids": [
                        (0, 0, {"criterion_id": growth.id, "not_applicable": True}),
                        (0, 0, {"criterion_id": attitude.id, "score": "x"}),
                        (0, 0, None),
                        [0],
                        (0, 0, {"criterion_id": [attitude.id]}),
                    ],
                }
            )
        )
        self.assertFalse(hidden.line_ids.filtered("not_applicable"))
        self.assertEqual(self.line(hidden, "criterion_attitude").score, 0)

    def test_unscored_criteria_are_named_and_not_applicable_ones_left_out(self):
        """Issue 23: an evaluation was submitted with 10 of 13 criteria unscored,
        each counted 0. Those left are listed; one marked Not Applicable counts
        neither in the score nor in the weights; a 0 given is a score."""
        evaluation = self.evaluate()
        left = list(MANUAL_SCORES)[-2:]
        for xmlid, score in MANUAL_SCORES.items():
            if xmlid not in left:
                self.line(evaluation, xmlid).score = score
        unscored = evaluation.line_ids.filtered(lambda line: not line.scored)
        self.assertEqual(
            unscored.criterion_id,
            self.env.ref(f"dealer_management.{left[0]}")
            | self.env.ref(f"dealer_management.{left[1]}"),
        )
        with self.assertRaises(UserError) as raised:
            evaluation.action_submit()
        for name in unscored.criterion_id.mapped("name"):
            self.assertIn(name, str(raised.exception))
        self.assertEqual(evaluation.state, "draft")
        before = evaluation.score
        weights = sum(evaluation.line_ids.mapped("weight"))
        first, rest = unscored[:1], unscored[1:]
        rest.write({"score": 0})
        self.assertTrue(all(rest.mapped("scored")))
        self.assertEqual(evaluation.score, before)  # 0 was already counted as 0
        first.not_applicable = True
        # the same weighted sum over the weights less the one left out
        self.assertAlmostEqual(
            evaluation.score, round(before * weights / (weights - first.weight), 2)
        )
        # nothing applies: nothing to submit
        everything = self.evaluate(date_start="2025-01-01", date_end="2025-03-31")
        everything.line_ids.filtered(lambda line: line.source == "manual").write(
            {"not_applicable": True}
        )
        everything.line_ids.filtered(lambda line: not line.scored).write(
            {"not_applicable": True}
        )
        if everything.line_ids.filtered(lambda line: not line.not_applicable):
            everything.line_ids.sudo().write({"not_applicable": True})
        with self.assertRaisesRegex(UserError, "no criterion applies"):
            everything.action_submit()
        # a measured criterion is not set aside (its figure is the ERP's)
        growth = self.line(evaluation, "criterion_growth")
        self.assertTrue(growth.scored)
        with self.assertRaisesRegex(UserError, "measured from the ERP"):
            growth.not_applicable = True
        evaluation.action_submit()
        self.assertEqual(evaluation.state, "submitted")

    def test_approval_rights(self):
        evaluation = self.evaluate()
        self.score_manually(evaluation)
        self.complete(evaluation)
        evaluation.action_submit()
        with self.assertRaises(AccessError):
            evaluation.action_approve()  # a salesperson does not approve
        own = self.evaluate(
            user=self.manager, date_start="2026-07-01", date_end="2026-09-30"
        )
        self.complete(own)
        own.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(UserError, "Nobody approves"):
            own.with_user(self.manager).action_approve()
        evaluation.with_user(self.manager).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approver_id, self.manager)
        self.assertTrue(evaluation.approval_date)

    def test_approved_evaluation_is_frozen(self):
        evaluation = self.evaluate()
        self.complete(evaluation)
        evaluation.action_submit()
        evaluation.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "frozen"):
            evaluation.with_user(self.manager).comment = "<p>changed</p>"
        with self.assertRaisesRegex(UserError, "frozen"):
            evaluation.line_ids[0].with_user(self.manager).score = 1
        with self.assertRaises(UserError):
            evaluation.with_user(self.manager).action_reset_draft()

    def test_salesperson_sees_only_his_dealers_evaluations(self):
        evaluation = self.evaluate()
        other = self.sales_a  # another salesperson of the company
        with self.assertRaises(AccessError):
            evaluation.with_user(other).read(["score"])
        self.assertEqual(
            evaluation.with_user(self.salesperson).read(["grade"])[0]["grade"],
            evaluation.grade,
        )


@tagged("post_install", "-at_install")
class TestEvaluationDecision(DealerCommon):
    """Latest score, trend and decision on the partner; the keep / train / reform /
    eliminate decision and the suspension it proposes."""

    def approved(self, date_start, date_end, score):
        """An evaluation by the salesperson, every criterion at ``score`` of 5,
        approved by the manager."""
        evaluation = (
            self.env["dealer.evaluation"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": date_start,
                    "date_end": date_end,
                }
            )
        )
        evaluation.line_ids.write({"score": score})
        evaluation.action_submit()
        evaluation.with_user(self.manager).action_approve()
        return evaluation

    def decide(self, evaluation, decision, reason, user=None):
        with Form(
            self.env["dealer.evaluation.decide"]
            .with_user(user or self.manager)
            .with_context(default_evaluation_id=evaluation.id)
        ) as wizard:
            wizard.decision = decision
            wizard.reason = reason
        wizard.record.action_confirm()

    def test_partner_shows_latest_score_grade_and_trend(self):
        self.assertFalse(
            self.dealer.with_user(self.salesperson).dealer_last_evaluation_id
        )
        q1 = self.approved("2026-01-01", "2026-03-31", 3)
        # every criterion at 3 of 5: 60.0 -> grade C (55 to 70)
        self.assertAlmostEqual(q1.score, 60.0)
        self.assertEqual(self.dealer.dealer_score, 60.0)
        self.assertEqual(self.dealer.dealer_grade, "C")
        self.assertEqual(self.dealer.dealer_score_trend, 0.0)
        q2 = self.approved("2026-04-01", "2026-06-30", 4)
        # every criterion at 4 of 5: 80.0 -> grade B; trend 80 - 60 = +20 points
        self.assertEqual(
            self.dealer.with_user(self.salesperson).dealer_last_evaluation_id, q2
        )
        self.assertEqual(self.dealer.dealer_score, 80.0)
        self.assertEqual(self.dealer.dealer_grade, "B")
        self.assertEqual(self.dealer.dealer_score_trend, 20.0)
        # a draft evaluation of a later period changes nothing until it is approved
        draft = (
            self.env["dealer.evaluation"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2026-07-01",
                    "date_end": "2026-09-30",
                }
            )
        )
        draft.line_ids.write({"score": 1})
        dealer = self.dealer.with_user(self.salesperson)
        self.assertEqual(dealer.dealer_score, 80.0)
        self.assertEqual(dealer.dealer_evaluation_count, 3)
        self.assertEqual(dealer.dealer_evaluation_history_ids, q2 | q1)

    def test_decision_and_its_history_on_the_partner(self):
        q1 = self.approved("2026-01-01", "2026-03-31", 2)
        self.decide(q1, "train", "Sales staff do not know the new models")
        self.assertEqual(
            (q1.decision, q1.decision_reason),
            ("train", "Sales staff do not know the new models"),
        )
        self.assertEqual(self.dealer.dealer_decision, "train")
        q2 = self.approved("2026-04-01", "2026-06-30", 4)
        # no decision yet on Q2: the current decision is still the one taken on Q1
        self.assertEqual(self.dealer.dealer_decision, "train")
        self.decide(q2, "keep", "Training done, sales back on plan")
        self.assertEqual(self.dealer.dealer_decision, "keep")
        self.assertEqual(
            self.dealer.with_user(self.manager).dealer_evaluation_history_ids.mapped(
                "decision"
            ),
            ["keep", "train"],
        )
        self.assertFalse(q2.suspension_state)

    def test_eliminate_proposes_a_suspension_that_a_manager_confirms(self):
        self.dealer.sudo().dealer_status = "active"
        evaluation = self.approved("2026-04-01", "2026-06-30", 1)
        self.decide(evaluation, "eliminate", "Two years of overdue receivables")
        self.assertEqual(evaluation.suspension_state, "proposed")
        self.assertEqual(self.dealer.dealer_status, "active")  # only proposed
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).action_confirm_suspension()
        self.assertEqual(self.dealer.dealer_status, "active")
        evaluation.with_user(self.manager).action_confirm_suspension()
        self.assertEqual(evaluation.suspension_state, "confirmed")
        self.assertEqual(self.dealer.dealer_status, "suspended")
        with self.assertRaisesRegex(UserError, "no proposed suspension"):
            evaluation.with_user(self.manager).action_confirm_suspension()

    def test_decision_needs_a_manager_an_approved_evaluation_and_a_reason(self):
        evaluation = self.approved("2026-04-01", "2026-06-30", 3)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesperson).action_decide("keep", "fine")
        with self.assertRaises(AccessError):
            self.env["dealer.evaluation.decide"].with_user(self.salesperson).create(
                {"evaluation_id": evaluation.id, "decision": "keep", "reason": "fine"}
            )
        with self.assertRaisesRegex(UserError, "reason"):
            evaluation.with_user(self.manager).action_decide("keep", "  ")
        draft = (
            self.env["dealer.evaluation"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": self.dealer.id,
                    "company_id": self.company.id,
                    "date_start": "2026-07-01",
                    "date_end": "2026-09-30",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "approved evaluations only"):
            draft.with_user(self.manager).action_decide("keep", "fine")
        self.assertFalse(evaluation.decision)
        self.assertFalse(draft.decision)


@tagged("post_install", "-at_install")
class TestEvaluationCampaign(DealerCommon):
    """The scheduled campaign: a draft evaluation per active dealer for the period that
    just ended and an activity for its salesperson; a second run creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.sudo().write(
            {"dealer_status": "active", "dealer_since": "2020-05-01"}
        )
        Partner = cls.env["res.partner"].sudo()  # dealers of every status (governed)
        cls.probation = Partner.create(
            {
                "name": "Probation Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "dealer_status": "probation",
                "user_id": cls.salesperson.id,
                "company_id": cls.company.id,
            }
        )
        cls.prospect = Partner.create(
            {
                "name": "Prospect Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "dealer_status": "prospect",
                "company_id": cls.company.id,
            }
        )
        cls.newcomer = Partner.create(
            {
                "name": "Newcomer Dealer",
                "is_company": True,
                "is_dealer": True,
                "dealer_level": "retailer",
                "dealer_status": "active",
                "dealer_since": "2026-07-02",
                "company_id": cls.company.id,
            }
        )
        cls.ours = cls.dealer | cls.probation | cls.prospect | cls.newcomer
        cls.invoice("2026-05-10", 4000)

    def run_campaign(self, today):
        with freeze_time(today):
            # as the scheduler runs it: as the superuser
            created = (
                self.env["dealer.evaluation.campaign"]
                .sudo()
                ._cron_create_evaluations(companies=self.company)
            )
        return created.filtered(lambda e: e.partner_id in self.ours)

    def test_quarterly_campaign_is_idempotent(self):
        created = self.run_campaign("2026-07-15")
        self.assertEqual(created.partner_id, self.dealer | self.probation)
        for evaluation in created:
            self.assertEqual(
                (str(evaluation.date_start), str(evaluation.date_end)),
                ("2026-04-01", "2026-06-30"),
            )
            self.assertEqual(evaluation.state, "draft")
            self.assertEqual(evaluation.evaluator_id, self.salesperson)
            self.assertEqual(len(evaluation.line_ids), 13)
            activity = evaluation.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.salesperson)
            self.assertEqual(str(activity.date_deadline), "2026-07-29")
        # measured from the ERP at once: 4,000 against nothing before -> +100 %
        growth = created.filtered(
            lambda e: e.partner_id == self.dealer
        ).line_ids.filtered(lambda line: line.source == "sales_growth")
        self.assertEqual(growth.measured_value, 100.0)
        self.assertFalse(self.run_campaign("2026-07-16"))
        self.assertFalse(self.run_campaign("2026-09-30"))
        self.assertEqual(
            self.env["dealer.evaluation"]
            .sudo()
            .search_count([("partner_id", "in", self.ours.ids)]),
            2,
        )
        # the next quarter: the newcomer (since 2026-07-02) is evaluated too
        q3 = self.run_campaign("2026-10-01")
        self.assertEqual(q3.partner_id, self.dealer | self.probation | self.newcomer)
        self.assertEqual({str(e.date_start) for e in q3}, {"2026-07-01"})

    def test_monthly_period_setting(self):
        settings = (
            self.env["res.config.settings"]
            .sudo()
            .create({"dealer_evaluation_period_months": "1"})
        )
        settings.execute()
        created = self.run_campaign("2026-07-15")
        self.assertEqual(
            {(str(e.date_start), str(e.date_end)) for e in created},
            {("2026-06-01", "2026-06-30")},
        )

    def test_rejected_evaluation_does_not_block_a_new_one(self):
        created = self.run_campaign("2026-07-15")
        mine = created.filtered(lambda e: e.partner_id == self.dealer)
        mine.line_ids.write({"score": 1})
        mine.action_submit()
        mine.with_user(self.manager).action_reject()
        again = self.run_campaign("2026-07-20")
        self.assertEqual(again.partner_id, self.dealer)
