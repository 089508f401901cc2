# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools.rights import MANAGER, SALESPERSON, check_group, in_group
from .dealer_selections import (
    DEALER_LEVELS,
    DEALER_STATUSES,
    DECISIONS,
    GRADES_SELECTION,
    TIERS,
)
from .portal_wizard import check_dealer_invitation

# What a dealer is: a partner flagged as one, not a contact of another. Said here
# only: as a domain, as SQL (dealer_sql) and as ResPartner._dealers().
DEALER_DOMAIN = [("is_dealer", "=", True), ("parent_id", "=", False)]


def dealer_sql(alias):
    """DEALER_DOMAIN as the SQL condition on the res_partner row ``alias``."""
    return SQL("(%(p)s.is_dealer AND %(p)s.parent_id IS NULL)", p=SQL.identifier(alias))


def dealer_domain_text(*extra):
    """DEALER_DOMAIN as a field's domain text, with ``extra`` conditions (text)."""
    return "[%s]" % ", ".join([*map(repr, DEALER_DOMAIN), *extra])


# who reads the dealer file's figures and records: the dealer groups
DEALER_READERS = (
    "dealer_management.group_dealer_user,dealer_management.group_dealer_accountant"
)


class ResPartner(models.Model):
    """The dealer file lives on the commercial partner; its contacts follow it."""

    _name = "res.partner"
    _inherit = ["res.partner", "dealer.governed.mixin"]
    # the dealer fields only: the tier (runs and the override wizard), the score, grade,
    # trend and decision (approved evaluations), the code (a sequence); the status is
    # a Dealer Manager's (a suspension comes from an evaluation's decision)
    _governed_prefix = "dealer_"
    _governed_extra = ("dealer_status",)
    _governed_groups = {"dealer_status": "dealer_management.group_dealer_manager"}

    is_dealer = fields.Boolean(
        string="Dealer",
        index=True,
        tracking=True,
        help="This partner is part of the dealer/distributor network.",
    )
    dealer_level = fields.Selection(
        DEALER_LEVELS,
        index=True,
        tracking=True,
        help="Where the dealer sits in the network: general distributors buy from the "
        "manufacturer, secondary wholesalers and retailers from an upstream dealer.",
    )
    dealer_parent_id = fields.Many2one(
        "res.partner",
        string="Upstream Dealer",
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=dealer_domain_text("('id', '!=', id)"),
        help="The dealer this dealer buys from (general distributor -> secondary "
        "wholesaler -> retailer).",
    )
    dealer_child_ids = fields.One2many(
        "res.partner",
        "dealer_parent_id",
        string="Downstream Dealers",
        domain=[("parent_id", "=", False)],
        groups="base.group_user",
    )
    dealer_downstream_count = fields.Integer(
        string="Downstream Dealer Count",
        compute="_compute_dealer_downstream_count",
        groups="base.group_user",
    )
    dealer_network_count = fields.Integer(
        string="Network Size",
        compute="_compute_dealer_network",
        help="Dealers below this one, at every level.",
        groups="base.group_user",
    )
    dealer_code = fields.Char(
        copy=False,
        index=True,
        readonly=True,
        tracking=True,
        help="Given from the sequence when the partner becomes a dealer.",
    )
    dealer_status = fields.Selection(
        DEALER_STATUSES,
        default="prospect",
        tracking=True,
        index=True,
    )
    dealer_since = fields.Date(string="First Cooperation", tracking=True)
    dealer_territory_ids = fields.Many2many(
        "dealer.territory",
        "dealer_territory_partner_rel",
        "partner_id",
        "territory_id",
        string="Territories",
    )
    dealer_product_category_ids = fields.Many2many(
        "product.category",
        "dealer_partner_product_category_rel",
        "partner_id",
        "category_id",
        string="Authorised Product Lines",
    )
    dealer_brand_ids = fields.Many2many(
        "dealer.brand",
        "dealer_partner_brand_rel",
        "partner_id",
        "brand_id",
        string="Authorised Brands",
        domain=[("own", "=", True)],
    )
    dealer_other_brand_ids = fields.Many2many(
        "dealer.brand",
        "dealer_partner_other_brand_rel",
        "partner_id",
        "brand_id",
        string="Other Makers' Brands",
        domain=[("own", "=", False)],
        groups="base.group_user",
    )
    dealer_currency_id = fields.Many2one(
        "res.currency", compute="_compute_dealer_currency_id"
    )
    dealer_warehouse_area = fields.Float(
        string="Warehouse Area (m²)", groups="base.group_user"
    )
    dealer_vehicle_count = fields.Integer(string="Vehicles", groups="base.group_user")
    dealer_staff_count = fields.Integer(string="Staff", groups="base.group_user")
    dealer_sales_staff_count = fields.Integer(
        string="Sales Staff", groups="base.group_user"
    )
    dealer_outlet_count = fields.Integer(
        string="Downstream Outlets",
        help="Number of outlets the dealer supplies (coverage).",
        groups="base.group_user",
    )
    dealer_registered_capital = fields.Monetary(
        string="Registered Capital",
        currency_field="dealer_currency_id",
        groups="base.group_user",
    )
    dealer_annual_turnover = fields.Monetary(
        string="Annual Turnover",
        currency_field="dealer_currency_id",
        groups="base.group_user",
    )
    dealer_relation_note_ids = fields.One2many(
        "dealer.relation.note",
        "partner_id",
        string="Relationship Notes",
        groups="dealer_management.group_dealer_sensitive",
    )
    dealer_relation_note_count = fields.Integer(
        string="Relationship Note Count",
        compute="_compute_dealer_relation_note_count",
        groups="dealer_management.group_dealer_sensitive",
    )

    dealer_evaluation_ids = fields.One2many(
        "dealer.evaluation",
        "partner_id",
        string="Evaluations",
        groups=DEALER_READERS,
    )
    dealer_evaluation_history_ids = fields.One2many(
        "dealer.evaluation",
        "partner_id",
        string="Evaluation History",
        domain=[("state", "=", "approved")],
        groups=DEALER_READERS,
    )
    dealer_evaluation_count = fields.Integer(
        string="Evaluation Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_last_evaluation_id = fields.Many2one(
        "dealer.evaluation",
        string="Latest Evaluation",
        compute="_compute_dealer_evaluation_summary",
        store=True,
        groups=DEALER_READERS,
    )
    dealer_sales_12m = fields.Monetary(
        string="Net Sales (12 Months)",
        currency_field="dealer_currency_id",
        compute="_compute_dealer_sales_12m",
        groups=DEALER_READERS,
        help="Invoiced less credited, untaxed, in the company's currency, over the "
        "twelve months up to today.",
    )
    dealer_score = fields.Float(
        groups=DEALER_READERS,
        string="Latest Score",
        digits=(16, 2),
        aggregator="avg",
        compute="_compute_dealer_evaluation_summary",
        store=True,
        help="Weighted score (0-100) of the latest approved evaluation.",
    )
    dealer_grade = fields.Selection(
        GRADES_SELECTION,
        groups=DEALER_READERS,
        string="Grade",
        index=True,
        compute="_compute_dealer_evaluation_summary",
        store=True,
    )
    dealer_score_trend = fields.Float(
        groups=DEALER_READERS,
        string="Score Trend",
        digits=(16, 2),
        compute="_compute_dealer_evaluation_summary",
        store=True,
        help="Latest approved score minus the one before it, in points.",
        aggregator=None,
    )
    dealer_decision = fields.Selection(
        DECISIONS,
        groups=DEALER_READERS,
        string="Current Decision",
        index=True,
        compute="_compute_dealer_evaluation_summary",
        store=True,
        help="The decision taken on the latest approved evaluation that has one.",
    )

    # Not indexed: four values say little to the planner, and without an index on it the
    # monthly tier run's update of the dealers whose tier moved can stay on their page
    # (a HOT update) instead of touching every index of res_partner.
    dealer_tier = fields.Selection(
        TIERS,
        string="Tier",
        tracking=True,
        readonly=True,
        copy=False,
        help="ABC tier by the 80/20 rule, set by the monthly tier run or by hand.",
    )
    dealer_tier_date = fields.Date(
        string="Tier Since", readonly=True, copy=False, groups="base.group_user"
    )
    dealer_tier_override = fields.Boolean(
        string="Tier Set by Hand",
        readonly=True,
        tracking=True,
        copy=False,
        help="Tier runs keep a tier set by hand until its lock date (or for good "
        "without one).",
        groups="base.group_user",
    )
    dealer_tier_override_reason = fields.Char(
        string="Tier Override Reason",
        readonly=True,
        tracking=True,
        copy=False,
        groups="base.group_user",
    )
    dealer_tier_locked_until = fields.Date(
        string="Tier Locked Until",
        readonly=True,
        tracking=True,
        copy=False,
        groups="base.group_user",
    )
    dealer_tier_line_ids = fields.One2many(
        "dealer.tier.run.line",
        "partner_id",
        string="Tier History",
        readonly=True,
        groups=DEALER_READERS,
    )

    dealer_target_count = fields.Integer(
        string="Target Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )

    dealer_contract_count = fields.Integer(
        string="Contract Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_visit_count = fields.Integer(
        string="Visit Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_support_count = fields.Integer(
        string="Support Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_service_case_count = fields.Integer(
        string="Service Case Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_stock_report_count = fields.Integer(
        string="Stock Report Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_incident_count = fields.Integer(
        string="Incident Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_warning_count = fields.Integer(
        string="Open Warning Count",
        compute="_compute_dealer_record_counts",
        groups=DEALER_READERS,
    )
    dealer_support_cost = fields.Monetary(
        string="Support Given",
        compute="_compute_dealer_record_counts",
        currency_field="dealer_currency_id",
        groups=DEALER_READERS,
        help="Cost of the support given to the dealer (all time).",
    )
    dealer_incentive_ids = fields.One2many(
        "dealer.incentive",
        "partner_id",
        string="Incentives",
        groups=DEALER_READERS,
    )

    _sql_constraints = [
        (
            "dealer_code_company_uniq",
            "unique(company_id, dealer_code)",
            "Two dealers of one company cannot share a dealer code.",
        ),
    ]

    @api.depends("dealer_child_ids")
    def _compute_dealer_downstream_count(self):
        counts = self._dealer_counts(
            "res.partner", [("parent_id", "=", False)], field="dealer_parent_id"
        )
        for partner in self:
            partner.dealer_downstream_count = counts.get(partner.id, 0)

    def _dealer_descendant_ids(self):
        """{dealer id: set of the ids of every dealer below it}, for all of ``self``
        at once: one grouped query per level of the network."""
        below = {partner.id: set() for partner in self if partner.id}
        roots_of = {partner_id: {partner_id} for partner_id in below}
        while roots_of:
            groups = self.env["res.partner"]._read_group(
                [("dealer_parent_id", "in", list(roots_of)), ("parent_id", "=", False)],
                groupby=["dealer_parent_id"],
                aggregates=["id:array_agg"],
            )
            next_roots = {}
            for parent, child_ids in groups:
                for root in roots_of[parent.id]:
                    new = set(child_ids) - below[root]
                    below[root] |= new
                    for child_id in new:
                        next_roots.setdefault(child_id, set()).add(root)
            roots_of = next_roots
        return below

    def _compute_dealer_network(self):
        below = self._dealer_descendant_ids()
        for partner in self:
            partner.dealer_network_count = len(below.get(partner.id, ()))

    # count field: (model of the records about a dealer, which of them count)
    _DEALER_RECORD_COUNTS = {
        "dealer_contract_count": ("dealer.contract", []),
        "dealer_visit_count": ("dealer.visit", []),
        "dealer_support_count": ("dealer.support", []),
        "dealer_service_case_count": ("dealer.service.case", []),
        "dealer_stock_report_count": ("dealer.stock.report", []),
        "dealer_incident_count": ("dealer.incident", []),
        "dealer_target_count": ("dealer.sales.target", []),
        "dealer_evaluation_count": ("dealer.evaluation", []),
        "dealer_warning_count": (
            "dealer.warning",
            [("state", "in", ("open", "acknowledged"))],
        ),
    }

    def _dealer_counts(self, model, domain=(), field="partner_id"):
        """{partner id: number of ``model``'s records of it}: one grouped query."""
        groups = self.env[model]._read_group(
            [(field, "in", self.ids), *domain], groupby=[field], aggregates=["__count"]
        )
        return {partner.id: count for partner, count in groups}

    def _compute_dealer_sales_12m(self):
        """One grouped query per company for all the dealers of ``self`` (the
        measurement layer's net sales)."""
        today = fields.Date.context_today(self)
        start = today - relativedelta(years=1) + relativedelta(days=1)
        by_company = defaultdict(list)  # ids: a recordset grown one by one costs n²
        for partner in self:
            dealer = partner.commercial_partner_id
            by_company[dealer.company_id or self.env.company].append(partner.id)
        for company, partner_ids in by_company.items():
            partners = self.browse(partner_ids)
            sales = (
                self.env["dealer.measure"]
                .sudo()
                ._net_sales(
                    company,
                    [pid for pid in partners.commercial_partner_id.ids if pid],
                    start,
                    today,
                )
            )
            for partner in partners:
                partner.dealer_sales_12m = sales.get(
                    partner.commercial_partner_id.id, 0.0
                )

    def _dealers(self):
        """The dealers among these partners (see DEALER_DOMAIN)."""
        return self.filtered_domain(DEALER_DOMAIN)

    def _check_dealer_papers(self):
        """The papers of dealers (statements of account, stock forms) are printed by
        the dealer groups, for the dealers they read."""
        if not any(in_group(self.env, g) for g in DEALER_READERS.split(",")):
            raise AccessError(_("Only the dealer groups print the papers of dealers."))
        self.check_access("read")

    def _request_correction(self, message):
        """A dealer's staff ask for a correction of his file: the message goes to
        the dealer's salesperson as a note, by the current user. Returns the message
        posted, or the list of what is wrong (nothing posted)."""
        self.ensure_one()
        message = (message or "").strip()
        if not message:
            return [_("Say what should be corrected.")]
        author = self.env.user.partner_id
        return self.sudo().message_post(
            body=_(
                "Correction requested by %(author)s on the portal: %(message)s",
                author=author.name,
                message=message,
            ),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=self.user_id.partner_id.ids,
        )

    def _dealer_products(self, company):
        """The products this dealer buys, for the lists the portal offers him: those
        invoiced to him in ``company`` and those of his authorised product lines (not
        every product of the database: Odoo's demo furniture, expense items)."""
        self.ensure_one()
        invoiced = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("move_id.commercial_partner_id", "=", self.id),
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                    ("product_id", "!=", False),
                ],
                ["product_id"],
            )
        )
        domain = [("id", "in", [product.id for (product,) in invoiced])]
        lines = self.sudo().dealer_product_category_ids
        if lines:
            domain = ["|", ("categ_id", "child_of", lines.ids), *domain]
        return (
            self.env["product.product"]
            .sudo()
            .search(
                [
                    ("sale_ok", "=", True),
                    ("company_id", "in", (company.id, False)),
                    *domain,
                ],
                order="default_code, name",
            )
        )

    def _compute_dealer_record_counts(self):
        """One grouped query per kind of record, for all the partners of ``self``."""
        for field_name, (model, domain) in self._DEALER_RECORD_COUNTS.items():
            counts = self._dealer_counts(model, domain)
            for partner in self:
                partner[field_name] = counts.get(partner.id, 0)
        costs = dict(
            self.env["dealer.support"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "done")],
                groupby=["partner_id"],
                aggregates=["cost:sum"],
            )
        )
        for partner in self:
            partner.dealer_support_cost = costs.get(partner, 0.0)

    def action_view_dealer_warnings(self):
        return self._action_view_dealer_records(
            "dealer_management.dealer_warning_action"
        )

    def action_view_dealer_incidents(self):
        return self._action_view_dealer_records(
            "dealer_management.dealer_incident_action"
        )

    @api.model
    def _action_view_dealer_records(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_dealer_portal_invite(self):
        """Odoo's portal wizard for the dealer's staff (the dealer and its contacts):
        its buttons check that the user answers for the dealer (portal_wizard.py)."""
        self.ensure_one()
        if not self.is_dealer:
            raise AccessError(
                _("Only a dealer's staff are invited to the dealer portal.")
            )
        check_dealer_invitation(self.env, self)
        wizard = (
            self.env["portal.wizard"]
            .with_context(active_ids=self.commercial_partner_id.ids)
            .create({})
        )
        return wizard._action_open_modal()

    def action_view_dealer_contracts(self):
        return self._action_view_dealer_records(
            "dealer_management.dealer_contract_action"
        )

    def action_view_dealer_visits(self):
        return self._action_view_dealer_records("dealer_management.dealer_visit_action")

    def action_view_dealer_supports(self):
        return self._action_view_dealer_records(
            "dealer_management.dealer_support_action"
        )

    def action_view_dealer_service_cases(self):
        return self._action_view_dealer_records(
            "dealer_management.dealer_service_case_action"
        )

    def action_view_dealer_stock_reports(self):
        return self._action_view_dealer_records(
            "dealer_management.dealer_stock_report_action"
        )

    @api.depends(
        "dealer_evaluation_ids.state",
        "dealer_evaluation_ids.score",
        "dealer_evaluation_ids.date_end",
        "dealer_evaluation_ids.decision",
    )
    def _compute_dealer_evaluation_summary(self):
        """Latest approved score and grade, its trend against the approved evaluation
        before it, and the latest decision: one search for all of ``self``."""
        approved = self.env["dealer.evaluation"].search(
            [("partner_id", "in", self.ids), ("state", "=", "approved")],
            order="date_end desc, id desc",
        )
        by_partner = defaultdict(list)
        for evaluation in approved:
            by_partner[evaluation.partner_id.id].append(evaluation)
        for partner in self:
            evaluations = by_partner.get(partner.id, [])
            latest = evaluations[0] if evaluations else self.env["dealer.evaluation"]
            partner.dealer_last_evaluation_id = latest
            partner.dealer_score = latest.score
            partner.dealer_grade = latest.grade
            partner.dealer_score_trend = (
                latest.score - evaluations[1].score if len(evaluations) > 1 else 0.0
            )
            partner.dealer_decision = next(
                (e.decision for e in evaluations if e.decision), False
            )

    @api.depends("company_id")
    def _compute_dealer_currency_id(self):
        for partner in self:
            partner.dealer_currency_id = (
                partner.company_id or self.env.company
            ).currency_id

    @api.depends("dealer_relation_note_ids")
    def _compute_dealer_relation_note_count(self):
        counts = self._dealer_counts("dealer.relation.note")
        for partner in self:
            partner.dealer_relation_note_count = counts.get(partner.id, 0)

    @api.constrains("dealer_parent_id", "is_dealer")
    def _check_dealer_parent_id(self):
        for partner in self.filtered("dealer_parent_id"):
            if not partner.is_dealer:
                raise ValidationError(
                    _(
                        "%(partner)s has an upstream dealer but is not a dealer.",
                        partner=partner.display_name,
                    )
                )
            if not partner.dealer_parent_id.is_dealer:
                raise ValidationError(
                    _(
                        "The upstream dealer of %(partner)s, %(parent)s, is not a "
                        "dealer.",
                        partner=partner.display_name,
                        parent=partner.dealer_parent_id.display_name,
                    )
                )
        if self._has_cycle("dealer_parent_id"):
            raise ValidationError(
                _(
                    "A dealer cannot be its own upstream dealer, directly or through "
                    "others."
                )
            )

    @api.constrains("dealer_tier_override", "dealer_tier_override_reason")
    def _check_dealer_tier_override(self):
        for partner in self:
            if partner.dealer_tier_override and not partner.dealer_tier_override_reason:
                raise ValidationError(
                    _(
                        "A tier set by hand needs a reason (%(dealer)s).",
                        dealer=partner.display_name,
                    )
                )

    @api.constrains("dealer_territory_ids")
    def _check_dealer_territory_ids(self):
        self.dealer_territory_ids._check_exclusive()

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # checked on what was created, whatever set it (the values, a default of the
        # context, a personal ir.default, an onchange)
        if any(
            partner.user_id.id not in (False, self.env.uid)
            for partner in partners._dealers()
        ):
            self._check_dealer_salesperson_assigner()
        partners._assign_dealer_code()
        return partners

    def _check_dealer_salesperson_assigner(self):
        """A dealer's salesperson grants the right to see and handle the dealer (the
        record rules of the dealer groups follow him): among the dealer groups, a
        Dealer Manager assigns him. A salesperson may name himself on a dealer he
        creates, and changes none. (Users outside the dealer groups are not bound by
        the dealer rules: they keep Odoo's partner rights.)"""
        if (
            not self.env.su
            and in_group(self.env, SALESPERSON)
            and not in_group(self.env, MANAGER)
        ):
            raise AccessError(
                _(
                    "A dealer's salesperson is assigned by a Dealer Manager: it says "
                    "who sees and handles the dealer."
                )
            )

    def write(self, vals):
        if "user_id" in vals and any(
            partner.user_id.id != (vals["user_id"] or False)
            for partner in self._dealers()
        ):
            self._check_dealer_salesperson_assigner()
        if vals.get("is_dealer") and any(
            vals.get("user_id", partner.user_id.id) not in (False, self.env.uid)
            # the companies becoming dealers
            for partner in self.filtered(lambda p: not p.parent_id) - self._dealers()
        ):
            self._check_dealer_salesperson_assigner()
        res = super().write(vals)
        if vals.get("is_dealer"):
            self._assign_dealer_code()
        return res

    def _assign_dealer_code(self):
        """Dealers (commercial entities only, not their contacts) get a code once."""
        for partner in self._dealers().filtered(lambda p: not p.dealer_code):
            sequence = self.env["ir.sequence"].with_company(
                partner.company_id or self.env.company
            )
            partner.sudo().dealer_code = sequence.next_by_code("dealer.partner.code")

    def _governed_hint(self):
        return _(
            "the tier is set by the tier runs and by Set Tier (a Dealer Manager); the "
            "score, grade, trend and decision by approved evaluations; the code by "
            "its sequence; the status by a Dealer Manager"
        )

    def _governed_allowed(self, names, vals):
        """Odoo copies the commercial fields (the dealer status among them) from the
        commercial entity to its contacts: a contact may take its entity's values."""
        allowed = super()._governed_allowed(names, vals)
        parent = self.env["res.partner"].browse(vals.get("parent_id"))
        for name in names - allowed:
            field = self._fields[name]
            sources = (
                [parent.commercial_partner_id]
                if parent
                else [
                    partner.commercial_partner_id
                    for partner in self
                    if partner.commercial_partner_id != partner
                ]
            )
            if (
                sources
                and (parent or len(sources) == len(self))
                and all(
                    field.convert_to_write(source[name], source) == vals[name]
                    for source in sources
                )
            ):
                allowed.add(name)
        return allowed

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "is_dealer",
            "dealer_level",
            "dealer_parent_id",
            "dealer_status",
            "dealer_since",
        ]

    def action_view_dealer_sales(self):
        """The dealer's posted invoices and credit notes of the twelve months the
        button adds up."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("invoice_date", ">", today - relativedelta(years=1)),
        ]
        action["context"] = {"create": False}
        return action

    def action_view_dealer_downstream(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_partner_action"
        )
        action["domain"] = [
            ("dealer_parent_id", "=", self.id),
            ("parent_id", "=", False),
        ]
        action["context"] = {
            "default_is_dealer": True,
            "default_is_company": True,
            "default_dealer_parent_id": self.id,
            "default_user_id": self.user_id.id,
        }
        action["name"] = _("Downstream of %(dealer)s", dealer=self.display_name)
        return action

    def action_view_dealer_network(self):
        self.ensure_one()
        action = self.action_view_dealer_downstream()
        action["domain"] = [("id", "in", list(self._dealer_descendant_ids()[self.id]))]
        action["name"] = _("Network of %(dealer)s", dealer=self.display_name)
        return action

    def action_override_dealer_tier(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Set the Tier of %(dealer)s", dealer=self.display_name),
            "res_model": "dealer.tier.override",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_tier": self.dealer_tier,
            },
        }

    def action_remove_dealer_tier_override(self):
        check_group(self.env, MANAGER, _("set or remove a tier by hand"))
        self._governed_write(
            {
                "dealer_tier_override": False,
                "dealer_tier_override_reason": False,
                "dealer_tier_locked_until": False,
            }
        )

    def action_view_dealer_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_sales_target_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_dealer_tier_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_tier_run_line_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["name"] = _("Tier History of %(dealer)s", dealer=self.display_name)
        return action

    def action_view_dealer_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_evaluation_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_dealer_relation_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_relation_note_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
