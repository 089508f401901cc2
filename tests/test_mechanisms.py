# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every control holds against the mechanisms beside the addon's fields (issue 22),
each swept over the mechanism, so that a new model or field is covered without anyone
remembering it:

(a) the rows of a dependency that a workflow trusts: the ``tier.review`` rows of the
    rebate approvals, the signed scan of a contract, the followers of a statement;
(b) ``ir.default`` on every governed field of every model;
(c) the record rules of every model of the addon, read from ``ir.model``;
(d) the fields that name who did a step.

(The upload limits are in ``test_stock_report_portal.py``.)"""

import json
from contextlib import suppress

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.dealer_management.models.tier_definition import APPROVAL_MODELS

from .common import DemoCommon, row_versions

# Fields that name a person without recording a step he took: who is to do something
# (assigned by those who may write the record). None of them grants a right: the
# record rules follow the dealer's salesperson (res.partner's user_id, which a Dealer
# Manager assigns), never these.
ASSIGNMENTS = {
    ("dealer.contract", "user_id"): "the owner, who follows the contract up",
    ("dealer.relation.note", "user_id"): "who is reminded of the key dates",
    ("dealer.service.case", "user_id"): "who handles the case",
    ("dealer.support", "user_id"): "who gives the support",
    ("dealer.visit", "user_id"): "who is to visit",
    ("dealer.warning.rule", "user_ids"): "who answers the rule's warnings",
}
# Models shared by every company (no company of their own): brands are the makers',
# the tiers and levels listed as tags are the same everywhere.
NO_COMPANY = {"dealer.brand", "dealer.scope.value"}
# Models of a dealer that every dealer group of the company reads: a bulletin's read
# receipts are the company's record of who read its word (docs/access-rights.md).
NOT_BY_DEALER = {"dealer.bulletin.receipt"}


class Rollback(Exception):
    """Raised to leave a savepoint rolled back."""


@tagged("post_install", "-at_install")
class TestMechanisms(DemoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.users = cls.demo_users("dm_wang", "dm_li", "dm_chen", "dm_zhao", "dm_liu")
        cls.users["internal"] = cls.company_user("dm_mech_internal", "base.group_user")
        cls.users["portal"] = ref("dealer_management.demo_portal_user_0")
        # a salesperson who also reads relationship notes, with one dealer of his own
        cls.users["sensitive"] = cls.company_user(
            "dm_mech_sensitive", "dealer_management.group_dealer_sensitive"
        )
        cls.dealers[-1].user_id = cls.users["sensitive"]
        cls.wang, cls.chen, cls.zhao = (
            cls.users["dm_wang"],
            cls.users["dm_chen"],
            cls.users["dm_zhao"],
        )
        cls.other_company = cls.env["res.company"].create({"name": "其他公司 Other"})
        cls.models = sorted(
            model.model
            for model in cls.env["ir.model"].search([("model", "=like", "dealer.%")])
            if model.model in cls.env
            and not cls.env[model.model]._abstract
            and not cls.env[model.model]._transient
        )

    def rebate_to_approve(self):
        rebate = self.env["dealer.rebate"].search(
            [("company_id", "=", self.company.id), ("state", "=", "to_approve")],
            limit=1,
        )
        self.assertTrue(rebate.review_ids)
        return rebate

    # ------------------------------------------------------------ (a) dependencies

    def test_sweep_tier_reviews_refused_to_every_group(self):
        """Every user, whatever his group, is refused the reviews of a statement
        awaiting approval: creating one, writing one (the forgery of the issue) and
        deleting one; and the approval's public methods outside the buttons."""
        rebate = self.rebate_to_approve()
        reviews = rebate.review_ids
        before = row_versions(reviews)
        status = (rebate.state, rebate.validation_status)
        director_tier = self.env.ref(
            "dealer_management.tier_definition_rebate_director"
        )
        tried = 0
        for login, user in self.users.items():
            Review = self.env["tier.review"].with_user(user)
            attempts = {
                "create": lambda Review=Review: Review.create(
                    {
                        "model": "dealer.rebate",
                        "res_id": rebate.id,
                        "definition_id": director_tier.id,
                        "status": "approved",
                        "done_by": self.zhao.id,
                    }
                ),
                "write": lambda Review=Review: Review.browse(reviews.ids).write(
                    {"status": "approved", "done_by": self.zhao.id}
                ),
                "unlink": lambda Review=Review: Review.browse(reviews.ids).unlink(),
                "request_validation": lambda user=user: rebate.with_user(
                    user
                ).request_validation(),
                "restart_validation": lambda user=user: rebate.with_user(
                    user
                ).restart_validation(),
                "comment wizard": lambda user=user: self.env["comment.wizard"]
                .with_user(user)
                .create(
                    {
                        "res_model": "dealer.rebate",
                        "res_id": rebate.id,
                        "validate_reject": "validate",
                        "review_ids": [Command.set(reviews.ids)],
                        "comment": "ok",
                    }
                )
                .add_comment(),
            }
            for what, attempt in attempts.items():
                with (
                    self.subTest(user=login, attempt=what),
                    self.assertRaises(AccessError),
                    self.env.cr.savepoint(),
                ):
                    tried += 1
                    attempt()
        self.assertEqual(tried, len(self.users) * 6)
        self.env.invalidate_all()
        self.assertEqual(row_versions(reviews), before)
        self.assertEqual((rebate.state, rebate.validation_status), status)
        # who is outside the dealer groups does not even read them
        for login in ("internal", "portal"):
            with self.subTest(user=login):
                self.assertFalse(
                    self.env["tier.review"]
                    .with_user(self.users[login])
                    .search([("model", "in", list(APPROVAL_MODELS))])
                )
        # a salesperson reads the reviews of his own dealers' statements and requests
        # only, as he reads them
        ours = [("model", "in", list(APPROVAL_MODELS))]
        every = self.env["tier.review"].search(ours)
        own = every.filtered(
            lambda r: (r.dealer_rebate_id or r.dealer_fund_request_id).salesperson_id
            == self.wang
        )
        self.assertTrue(own)
        self.assertLess(len(own), len(every))
        self.assertEqual(self.env["tier.review"].with_user(self.wang).search(ours), own)
        self.assertEqual(
            self.env["tier.review"].with_user(self.users["dm_liu"]).search(ours), every
        )

    def test_forged_review_rows_do_not_approve(self):
        """Rows that reached the table without the addon (here by SQL, as a forged
        row would) are not trusted at the moment of approving: each review must have
        been given and written by an eligible, distinct person."""
        rebate = self.rebate_to_approve()
        self.env.cr.execute(
            SQL(
                "UPDATE tier_review SET status = 'approved', done_by = %s "
                "WHERE id = ANY(%s)",
                self.zhao.id,
                rebate.review_ids.ids,
            )
        )
        # the stored status follows, as OCA's compute would have set it
        self.env.cr.execute(
            SQL(
                "UPDATE dealer_rebate SET validation_status = 'validated' "
                "WHERE id = %s",
                rebate.id,
            )
        )
        self.env.invalidate_all()
        self.assertEqual(rebate.validation_status, "validated")
        approver = self.users["dm_chen"]
        if approver in rebate.create_uid | rebate.submitted_uid:
            approver = self.zhao
        with self.refused(UserError, "is not approved yet"):
            rebate.with_user(approver).action_approve()
        self.assertEqual(rebate.state, "to_approve")

    def test_signed_contract_scan_stays(self):
        contract = self.env["dealer.contract"].search(
            [("company_id", "=", self.company.id), ("state", "=", "active")], limit=1
        )
        contract.sudo().write(
            {"signed_document": b"JVBERi0xLjQ=", "signed_document_name": "s.pdf"}
        )
        scan = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "dealer.contract"),
                    ("res_id", "=", contract.id),
                    ("res_field", "=", "signed_document"),
                ]
            )
        )
        self.assertEqual(len(scan), 1)
        for login in ("dm_chen", "dm_zhao", "dm_wang"):
            user = self.users[login]
            for attempt in (
                lambda u=user: contract.with_user(u).write({"signed_document": False}),
                lambda u=user: contract.with_user(u).write({"date_signed": "2020-1-1"}),
                lambda u=user: scan.with_user(u).write({"datas": b"Zm9yZ2Vk"}),
                lambda u=user: scan.with_user(u).unlink(),
                # a second scan, older ids first: Odoo would read the forged one
                lambda u=user: self.env["ir.attachment"]
                .with_user(u)
                .create(
                    {
                        "name": "signed_document",
                        "res_model": "dealer.contract",
                        "res_id": contract.id,
                        "res_field": "signed_document",
                        "datas": b"Zm9yZ2Vk",
                    }
                ),
                # an attachment of his own moved onto the scan's field
                lambda u=user: self.env["ir.attachment"]
                .with_user(u)
                .create({"name": "mine.pdf", "datas": b"Zm9yZ2Vk"})
                .write(
                    {
                        "res_model": "dealer.contract",
                        "res_id": contract.id,
                        "res_field": "signed_document",
                    }
                ),
            ):
                with (
                    self.subTest(user=login),
                    self.assertRaises(UserError),
                    self.env.cr.savepoint(),
                ):
                    attempt()
        self.assertEqual(scan.sudo().datas, b"JVBERi0xLjQ=")
        self.env.invalidate_all()
        self.assertEqual(contract.signed_document, b"JVBERi0xLjQ=")
        self.assertEqual(
            self.env["ir.attachment"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "dealer.contract"),
                    ("res_id", "=", contract.id),
                    ("res_field", "=", "signed_document"),
                ]
            ),
            1,
        )

    def test_no_message_claims_an_approval_or_another_author(self):
        rebate = self.rebate_to_approve()
        liu = self.users["dm_liu"]
        for kwargs in (
            {"author_id": self.zhao.partner_id.id},
            {"subtype_xmlid": "base_tier_validation.mt_tier_validation_accepted"},
            {
                "subtype_id": self.env.ref(
                    "base_tier_validation.mt_tier_validation_accepted"
                ).id
            },
        ):
            with self.subTest(kwargs=kwargs), self.refused(AccessError, "own name"):
                rebate.with_user(liu).message_post(
                    body="A review was accepted", message_type="comment", **kwargs
                )
        message = rebate.with_user(liu).message_post(body="已核对 Checked")
        self.assertEqual(message.author_id, liu.partner_id)

    def test_followers_grant_no_portal_read(self):
        """A portal user made a follower of another dealer's statement (by the one
        group that may add followers) still reads nothing of it; a salesperson may
        not add followers to a statement at all."""
        rebate = self.env["dealer.rebate"].search(
            [
                ("company_id", "=", self.company.id),
                ("state", "in", ("to_approve", "approved", "settled")),
                (
                    "partner_id",
                    "!=",
                    self.users["portal"].partner_id.commercial_partner_id.id,
                ),
            ],
            limit=1,
        )
        portal = self.users["portal"]
        salesperson = rebate.salesperson_id or self.wang
        with self.refused(AccessError, ""):
            rebate.with_user(salesperson).message_subscribe(
                partner_ids=portal.partner_id.ids
            )
        rebate.with_user(self.chen).message_subscribe(partner_ids=portal.partner_id.ids)
        self.assertIn(portal.partner_id, rebate.message_partner_ids)
        self.assertFalse(
            self.env["dealer.rebate"].with_user(portal).search([("id", "=", rebate.id)])
        )
        with self.assertRaises(AccessError):
            rebate.with_user(portal).read(["amount"])

    # ------------------------------------------------------------ (b) ir.default

    def governed_models(self):
        Mixin = self.env.registry["dealer.governed.mixin"]
        return [
            name
            for name in [*self.models, "res.partner"]
            if isinstance(self.env[name], Mixin)
        ]

    def sample(self, Model, field):
        """A value of the field's type, as ir.default stores it (JSON), other than
        the one the field starts with."""
        own = field.default(Model) if field.default else None
        own = field.convert_to_write(
            field.convert_to_cache(own, Model, validate=False), Model
        )
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next((key for key in keys if key != own), None)
        if field.type in ("many2one", "many2many", "one2many"):
            record = (
                self.env[field.comodel_name]
                .sudo()
                .search([("id", "!=", own if field.type == "many2one" else 0)], limit=1)
            )
            return record.id if field.type == "many2one" else record.ids
        if field.type == "boolean":
            return not own
        return {
            "integer": 7,
            "float": 7.5,
            "monetary": 7.5,
            "char": "x",
            "text": "x",
            "html": "<p>x</p>",
            "date": "2020-01-01",
            "datetime": "2020-01-01 08:00:00",
        }.get(field.type)

    def test_sweep_no_default_for_any_governed_field(self):
        """Setting a personal or company default on any governed field is refused,
        naming the field; and one that was there before (planted by SQL) is not what
        a new record starts with."""
        Default = self.env["ir.default"]
        user = self.wang
        tried = planted = 0
        for model in self.governed_models():
            Model = self.env[model]
            for name in sorted(Model._governed_fields()):
                value = self.sample(Model.with_user(user), Model._fields[name])
                if value is None:
                    continue
                for scope in ({"user_id": True}, {"company_id": True}):
                    with (
                        self.subTest(model=model, field=name, scope=scope),
                        self.assertRaisesRegex(AccessError, rf"\({name}\)"),
                        self.env.cr.savepoint(),
                    ):
                        tried += 1
                        Default.with_user(self.chen).set(model, name, value, **scope)
                field_id = self.env["ir.model.fields"]._get(model, name).id
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO ir_default (field_id, user_id, json_value) "
                        "VALUES (%s, %s, %s)",
                        field_id,
                        user.id,
                        json.dumps(value),
                    )
                )
                self.env.registry.clear_cache()
                with self.subTest(model=model, field=name):
                    planted += 1
                    # core's defaults hold it, the model's do not
                    self.assertEqual(
                        Default.with_user(user)._get_model_defaults(model)[name], value
                    )
                    defaults = Model.with_user(user).default_get([name])
                    self.assertNotEqual(defaults.get(name), value)
        self.assertGreater(tried, 200)
        self.assertGreater(planted, 100)

    def test_tier_a_through_a_personal_default_is_refused(self):
        Default = self.env["ir.default"]
        with self.refused(AccessError, r"\(dealer_tier\)"):
            Default.with_user(self.wang).set("res.partner", "dealer_tier", "A", True)
        field_id = self.env["ir.model.fields"]._get("res.partner", "dealer_tier").id
        self.env.cr.execute(
            SQL(
                "INSERT INTO ir_default (field_id, user_id, json_value) "
                "VALUES (%s, %s, '\"A\"')",
                field_id,
                self.wang.id,
            )
        )
        self.env.registry.clear_cache()
        dealer = (
            self.env["res.partner"]
            .with_user(self.wang)
            .create(
                {
                    "name": "新经销商 New",
                    "is_company": True,
                    "is_dealer": True,
                    "user_id": self.wang.id,
                }
            )
        )
        self.assertFalse(dealer.dealer_tier)
        with self.refused(AccessError, r"\(dealer_tier\)"):
            self.env["res.partner"].with_user(self.wang).create(
                {
                    "name": "A?",
                    "is_dealer": True,
                    "user_id": self.wang.id,
                    "dealer_tier": "A",
                }
            )

    # ------------------------------------------------------------ (c) record rules

    def move_to(self, users, company):
        """The users work in ``company`` only."""
        for user in users:
            user.sudo().write(
                {
                    "company_ids": [Command.link(company.id)],
                    "company_id": company.id,
                }
            )
            user.sudo().company_ids = [Command.set(company.ids)]
        self.env.invalidate_all()

    def readable(self, record, user):
        return bool(
            self.env[record._name]
            .with_user(user)
            .search_count([("id", "=", record.id)])
        )

    def record_of(self, model, domain=()):
        """A record of ``model`` in the demo company (made for models the demo
        leaves empty)."""
        Model = self.env[model].sudo()
        field = "company_ids" if "company_ids" in Model._fields else "company_id"
        company = [] if model in NO_COMPANY else [(field, "=", self.company.id)]
        record = Model.search([*company, *domain], limit=1)
        if record or domain:
            return record
        return self.make(model)

    def make(self, model):
        """A record of a dealer of nobody who tries (not dm_wang's, nor the other
        salesperson's, nor the portal user's) in the demo company."""
        mine = self.users["portal"].partner_id.commercial_partner_id
        dealer = self.dealers.filtered(
            lambda d: d.user_id not in (self.wang, self.users["sensitive"])
            and d != mine
        )[:1]
        if model in ("dealer.evaluation.criterion", "dealer.warning.rule"):
            field = "company_ids" if model == "dealer.warning.rule" else "company_id"
            value = (
                [Command.set(self.company.ids)]
                if field == "company_ids"
                else (self.company.id)
            )
            return self.env[model].sudo().search([], limit=1).copy({field: value})
        shared = self.env[model].sudo().search([("company_id", "=", False)], limit=1)
        if shared:
            # the standard ones are shared (no company): a copy of the company's own
            return shared.copy({"company_id": self.company.id})
        if model == "dealer.evaluation.criterion.level":
            criterion = self.make("dealer.evaluation.criterion")
            return criterion.level_ids[:1] or self.env[model].sudo().create(
                {"criterion_id": criterion.id, "score": 1, "name": "x"}
            )
        if model == "dealer.sales.target.line":
            target = self.env["dealer.sales.target"].search(
                [("partner_id", "=", dealer.id)], limit=1
            )
            return (
                self.env[model]
                .sudo()
                .create(
                    {
                        "target_id": target.id,
                        "categ_id": self.env["product.category"].search([], limit=1).id,
                        "amount": 100.0,
                    }
                )
            )
        if model == "dealer.rebate.adjustment":
            rebate = self.env["dealer.rebate"].search(
                [("partner_id", "=", dealer.id)], limit=1
            )
            return (
                self.env[model]
                .sudo()
                .create(
                    {
                        "rebate_id": rebate.id,
                        "period_start": "2020-01-01",
                        "period_end": "2020-03-31",
                        "amount": 1.0,
                    }
                )
            )
        made = {
            "dealer.incentive": {
                "name": "年度最佳 Best of the year",
                "period_start": "2020-01-01",
                "period_end": "2020-12-31",
            },
            "dealer.safety.stock": {
                "product_id": self.env["product.product"].search([], limit=1).id,
                "quantity": 10.0,
            },
            "dealer.stock.report": {
                "product_id": self.env["product.product"].search([], limit=1).id,
                "month": "2020-01-01",
                "received": 5.0,
                "closing": 5.0,
            },
            "dealer.service.case": {"reason": "破损 Broken"},
            "dealer.visit": {"date_planned": "2020-01-01", "purpose": "拜访 Visit"},
            "dealer.support": {"name": "培训 Training"},
            "dealer.relation.note": {"name": "生日 Birthday"},
            "dealer.incident": {
                "name": "仓库失窃 Theft",
                "incident_type": "theft",
                "date": "2020-01-01",
            },
        }
        if model in made:
            return (
                self.env[model]
                .sudo()
                .create(
                    dict(made[model], partner_id=dealer.id, company_id=self.company.id)
                )
            )
        if model in ("dealer.fund", "dealer.fund.request", "dealer.fund.claim"):
            period = {"date_start": "2020-01-01", "date_end": "2020-03-31"}
            fund = (
                self.env["dealer.fund"]
                .sudo()
                .create(
                    dict(
                        period,
                        partner_id=dealer.id,
                        company_id=self.company.id,
                        activity_kind="display",
                        date_expiry="2099-12-31",
                        amount=1000,
                    )
                )
            )
            if model == "dealer.fund":
                return fund
            request = (
                self.env["dealer.fund.request"]
                .sudo()
                .create(
                    dict(
                        period,
                        partner_id=dealer.id,
                        company_id=self.company.id,
                        fund_id=fund.id,
                        title="陈列 Display",
                        planned_cost=100,
                        requested_amount=50,
                    )
                )
            )
            if model == "dealer.fund.request":
                return request
            request.state = "approved"
            return self.env[model].sudo().create({"request_id": request.id})
        if model == "dealer.account.statement":
            return (
                self.env[model]
                .sudo()
                .create(
                    {
                        "partner_id": dealer.id,
                        "company_id": self.company.id,
                        "month": "2020-01-01",
                        "state": "confirmed",
                        "answered_uid": self.users["portal"].id,
                        "answered_on": "2020-02-01 08:00:00",
                    }
                )
            )
        self.fail(
            f"{model}: no record in the demo, and none made here to try its rules"
        )

    def test_sweep_every_model_hides_other_companies_and_other_dealers(self):
        """For every model of the addon (read from ir.model, so a new one is tried
        without anyone listing it) and every group that reads it: a record of another
        company, and one of another salesperson's (or portal user's) dealer, are not
        readable."""
        hidden_company = hidden_dealer = 0
        portal_dealer = self.users["portal"].partner_id.commercial_partner_id
        readers, samples = {}, {}
        for model in self.models:
            Model = self.env[model]
            readers[model] = {
                login: user
                for login, user in self.users.items()
                if Model.with_user(user).has_access("read")
            }
            if not readers[model]:
                continue
            if model in NO_COMPANY:
                self.assertNotIn("company_id", Model._fields, model)
                continue
            self.assertTrue(
                {"company_id", "company_ids"} & set(Model._fields),
                f"{model} has no company",
            )
            samples[model] = record = self.record_of(model)
            # it can be read where it belongs: the test below can fail
            self.assertTrue(
                any(self.readable(record, user) for user in readers[model].values()),
                f"{model}: nobody reads it even in its own company",
            )
        for model in self.models:
            if NOT_BY_DEALER & {model} or "partner_id" not in self.env[model]._fields:
                continue
            for login in ("dm_wang", "sensitive", "portal"):
                user = readers[model].get(login)
                if not user:
                    continue
                if login == "portal":
                    mine = [("partner_id.commercial_partner_id", "=", portal_dealer.id)]
                else:
                    mine = [("partner_id.commercial_partner_id.user_id", "=", user.id)]
                others = self.record_of(
                    model, [("partner_id", "!=", False), "!", *mine]
                ) or self.make(model)
                own = self.record_of(model, [("partner_id", "!=", False), *mine])
                with self.subTest(model=model, user=login, of="dealer"):
                    hidden_dealer += 1
                    self.assertFalse(self.readable(others, user))
                    # and a salesperson's own are (the rules hide what they must,
                    # not all; a portal user reads some states of his own only)
                    if login != "portal" and own:
                        self.assertTrue(self.readable(own, user))
        # the same records, by the same users working in another company
        with suppress(Rollback), self.env.cr.savepoint():
            self.move_to(self.users.values(), self.other_company)
            for model, record in samples.items():
                for login, user in readers[model].items():
                    with self.subTest(model=model, user=login, of="company"):
                        hidden_company += 1
                        self.assertFalse(self.readable(record, user))
            raise Rollback
        # the users' companies are cached by the registry, not only by the env
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        self.assertGreater(hidden_company, 80)
        self.assertGreater(hidden_dealer, 25)

    def test_a_manager_evaluates_the_warnings_of_his_companies_only(self):
        """A rule of every company, run by a Dealer Manager of the demo company: the
        other company gets no run (the daily job, which runs for all, gives it one)."""
        rule = self.env["dealer.warning.rule"].search([("company_ids", "=", False)])[:1]
        self.assertTrue(rule)
        Runs = self.env["dealer.warning.run"].sudo()
        theirs = [("company_id", "=", self.other_company.id)]
        rule.with_user(self.chen).action_evaluate()
        self.work_jobs()
        self.assertTrue(Runs.search([("company_id", "=", self.company.id)]))
        self.assertFalse(Runs.search(theirs))
        rule._evaluate()
        self.assertTrue(Runs.search(theirs))

    def test_a_bracket_is_not_moved_onto_a_frozen_program(self):
        frozen = (
            self.env["dealer.rebate"]
            .search([("state", "in", ("to_approve", "approved", "settled"))], limit=1)
            .program_id
        )
        free = (
            self.env["dealer.rebate.program"]
            .with_user(self.chen)
            .create(
                {
                    "name": "草稿政策 Draft",
                    "company_id": self.company.id,
                    "product_id": frozen.product_id.id,
                    "date_start": "2030-01-01",
                    "date_end": "2030-12-31",
                    "bracket_ids": [
                        Command.create({"amount_from": 0, "rate": 1.0}),
                    ],
                }
            )
        )
        with self.refused(UserError, "cannot change once"):
            free.bracket_ids.with_user(self.chen).write({"program_id": frozen.id})

    def test_portal_reads_no_internal_dealer_field(self):
        portal = self.users["portal"]
        dealer = portal.partner_id.commercial_partner_id.with_user(portal)
        self.assertTrue(dealer.read(["dealer_code", "dealer_tier", "dealer_status"]))
        for name in (
            "dealer_tier_override_reason",
            "dealer_other_brand_ids",
            "dealer_registered_capital",
            "dealer_score",
            "dealer_relation_note_ids",
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                dealer.read([name])

    # ------------------------------------------------------------ (d) role fields

    def test_sweep_every_field_naming_a_user_is_the_servers(self):
        """Every stored field of the addon naming a user records who did a step
        (governed: only the server sets it) or is listed as an assignment."""
        Mixin = self.env.registry["dealer.governed.mixin"]
        Access = self.env["ir.model.access"]
        checked = 0
        for model in self.models:
            Model = self.env[model]
            for name, field in Model._fields.items():
                if (
                    field.type not in ("many2one", "many2many")
                    or field.comodel_name != "res.users"
                    or not field.store
                    or name in ("create_uid", "write_uid")
                    or (model, name) in ASSIGNMENTS
                ):
                    continue
                writable = Access.sudo().search_count(
                    [
                        ("model_id.model", "=", model),
                        "|",
                        ("perm_write", "=", True),
                        ("perm_create", "=", True),
                    ]
                )
                with self.subTest(model=model, field=name):
                    checked += 1
                    self.assertTrue(
                        not writable
                        or (
                            isinstance(Model, Mixin)
                            and name in Model._governed_fields()
                        ),
                        f"{model}.{name} names who did a step: govern it and list it "
                        "in docs/access-rights.md, or list it here as an assignment",
                    )
        self.assertGreater(checked, 8)

    def test_nobody_approves_an_evaluation_he_created_evaluated_or_submitted(self):
        chen, zhao = self.chen, self.zhao
        dealer = self.dealers.filtered(lambda d: d.user_id == self.wang)[0]
        vals = {
            "partner_id": dealer.id,
            "company_id": self.company.id,
            "date_start": "2019-01-01",
            "date_end": "2019-03-31",
        }
        Evaluation = self.env["dealer.evaluation"]
        # naming a salesperson as the evaluator: refused, the server names him
        with self.refused(AccessError, r"\(evaluator_id\)"):
            Evaluation.with_user(chen).create(dict(vals, evaluator_id=self.wang.id))
        evaluation = Evaluation.with_user(chen).create(vals)
        evaluation.line_ids.write({"score": 1})
        evaluation.action_submit()
        self.assertEqual(
            (evaluation.evaluator_id, evaluation.submitted_uid), (chen, chen)
        )
        with self.refused(UserError, "Nobody approves"):
            evaluation.with_user(chen).action_approve()
        # created by the salesperson, submitted by a manager: that manager neither
        other = Evaluation.with_user(self.wang).create(
            dict(vals, date_start="2018-01-01", date_end="2018-03-31")
        )
        other.line_ids.with_user(self.wang).write({"score": 1})
        other.with_user(chen).action_submit()
        self.assertEqual(other.evaluator_id, chen)
        # what is approved is what was submitted: no score changes after it
        self.assertTrue(other.line_ids)
        for user in (chen, zhao, self.wang):
            with self.refused(UserError, "were submitted"):
                other.line_ids.with_user(user).write({"score": 0})
        for user in (chen, self.wang):
            with self.refused(UserError, "Nobody approves|Only a Dealer Manager"):
                other.with_user(user).action_approve()
        other.with_user(zhao).action_approve()
        self.assertEqual((other.state, other.approver_id), ("approved", zhao))

    def test_a_salesperson_assigns_no_dealer_salesperson(self):
        wang, li = self.wang, self.users["dm_li"]
        # nor through a default: his own, or the context's
        field_id = self.env["ir.model.fields"]._get("res.partner", "user_id").id
        self.env.cr.execute(
            SQL(
                "INSERT INTO ir_default (field_id, user_id, json_value) "
                "VALUES (%s, %s, %s)",
                field_id,
                wang.id,
                str(li.id),
            )
        )
        self.env.registry.clear_cache()
        Partner = self.env["res.partner"].with_user(wang)
        for Creator in (Partner, Partner.with_context(default_user_id=li.id)):
            # (the record rule of his own dealers refuses it first)
            with self.refused(AccessError, "assigned by a Dealer Manager|'create'"):
                Creator.create({"name": "默认 Default", "is_dealer": True})
        self.env.cr.execute(SQL("DELETE FROM ir_default WHERE field_id = %s", field_id))
        self.env.registry.clear_cache()
        dealer = self.dealers.filtered(lambda d: d.user_id == wang)[0]
        with self.refused(AccessError, "assigned by a Dealer Manager"):
            dealer.with_user(wang).write({"user_id": li.id})
        with self.refused(AccessError, "assigned by a Dealer Manager|'create'"):
            self.env["res.partner"].with_user(wang).create(
                {"name": "给李 For Li", "is_dealer": True, "user_id": li.id}
            )
        mine = (
            self.env["res.partner"]
            .with_user(wang)
            .create({"name": "我的 Mine", "is_dealer": True, "user_id": wang.id})
        )
        self.assertEqual(mine.user_id, wang)
        dealer.with_user(self.chen).write({"user_id": li.id})
        self.assertEqual(dealer.user_id, li)
