# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dealer contracts (合同管理) with the standard clauses of the seeds: subject, quality,
delivery, acceptance, business rights, settlement, dealer policy, ordering and returns,
breach and disputes, signing; one owner (专人管理); draft -> active -> expired or
terminated; renewal into a new contract; a reminder before the end."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import company_domain

# the clauses a template provides and a contract copies (and may then change)
CLAUSES = [
    "clause_subject",
    "clause_quality",
    "clause_delivery",
    "clause_acceptance",
    "clause_rights",
    "clause_settlement",
    "clause_policy",
    "clause_ordering",
    "clause_breach",
]


# the proof of a signed contract: frozen once the contract leaves draft
SIGNATURE_FIELDS = {
    "signed_document",
    "signed_document_name",
    "date_signed",
    "place_signed",
}


class DealerContractTemplate(models.Model):
    """The standard contract text (标准、规范的合同文本), editable, in every
    language."""

    _name = "dealer.contract.template"
    _description = "Dealer Contract Template"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    clause_subject = fields.Html(
        string="Subject",
        translate=True,
        help="Products, brands, specifications, quantities, prices.",
    )
    clause_quality = fields.Html(string="Quality", translate=True)
    clause_delivery = fields.Html(
        string="Delivery",
        translate=True,
        help="Delivery time and place, transport, freight.",
    )
    clause_acceptance = fields.Html(string="Acceptance", translate=True)
    clause_rights = fields.Html(
        string="Business Rights",
        translate=True,
        help="Dealer level, territory and exclusivity, product lines, term.",
    )
    clause_settlement = fields.Html(string="Settlement", translate=True)
    clause_policy = fields.Html(
        string="Dealer Policy",
        translate=True,
        help="Rebates, annual bonus, promotion, advertising, staff.",
    )
    clause_ordering = fields.Html(string="Ordering and Returns", translate=True)
    clause_breach = fields.Html(string="Breach and Disputes", translate=True)


class DealerContract(models.Model):
    _name = "dealer.contract"
    _description = "Dealer Contract"
    _inherit = [
        "dealer.document.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
    ]
    _governed_extra = ("state", "renewal_ids")
    _order = "date_start desc, id desc"

    name = fields.Char(
        string="Number",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: _("New"),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Contract Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="The person who keeps the contract (专人管理).",
    )
    template_id = fields.Many2one("dealer.contract.template", string="Clause Template")
    currency_id = fields.Many2one(related="company_id.currency_id")
    # subject
    product_category_ids = fields.Many2many(
        "product.category", string="Product Lines", required=True
    )
    brand_ids = fields.Many2many(
        "dealer.brand", string="Brands", domain=[("own", "=", True)]
    )
    pricelist_id = fields.Many2one("product.pricelist")
    rebate_program_ids = fields.Many2many(
        "dealer.rebate.program",
        string="Rebate Programs",
        help="The rebate programs this contract grants the dealer; a program that "
        "requires a contract counts the dealers of these contracts only.",
    )
    # business rights
    dealer_level = fields.Selection(related="partner_id.dealer_level", readonly=False)
    territory_ids = fields.Many2many("dealer.territory", string="Territories")
    exclusive = fields.Boolean(string="Exclusive Rights")
    # settlement
    payment_term_id = fields.Many2one("account.payment.term")
    credit_limit = fields.Monetary(currency_field="currency_id")
    # dealer policy
    annual_bonus = fields.Monetary(currency_field="currency_id")
    promotion_support = fields.Monetary(
        string="Promotion and Advertising Support", currency_field="currency_id"
    )
    staff_support = fields.Char()
    # signing and term
    date_signed = fields.Date(string="Signed On", tracking=True)
    place_signed = fields.Char(string="Signed At")
    date_start = fields.Date(string="Effective From", required=True, tracking=True)
    date_end = fields.Date(string="Ends On", required=True, tracking=True)
    reminder_days = fields.Integer(
        string="Remind Days Before End", default=30, aggregator=None
    )
    termination_reason = fields.Text(readonly=True, copy=False, tracking=True)
    end_reminded = fields.Boolean(
        readonly=True,
        copy=False,
        help="The owner was reminded of the end of the contract.",
    )
    renewed_from_id = fields.Many2one(
        "dealer.contract", string="Renewal Of", readonly=True, copy=False
    )
    renewal_ids = fields.One2many(
        "dealer.contract", "renewed_from_id", string="Renewals"
    )
    renewal_id = fields.Many2one(
        "dealer.contract", compute="_compute_renewal_id", string="Renewed By"
    )
    signed_document = fields.Binary(string="Signed Scan", attachment=True, copy=False)
    signed_document_name = fields.Char(copy=False)
    clause_subject = fields.Html(string="Subject")
    clause_quality = fields.Html(string="Quality")
    clause_delivery = fields.Html(string="Delivery")
    clause_acceptance = fields.Html(string="Acceptance")
    clause_rights = fields.Html(string="Business Rights")
    clause_settlement = fields.Html(string="Settlement")
    clause_policy = fields.Html(string="Dealer Policy")
    clause_ordering = fields.Html(string="Ordering and Returns")
    clause_breach = fields.Html(string="Breach and Disputes")

    def _compute_access_url(self):  # pylint: disable=missing-return
        # a compute returns nothing; super() sets the default URL first
        super()._compute_access_url()
        for contract in self:
            contract.access_url = f"/my/dealer/contracts/{contract.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.name} {self.partner_id.name}"

    @api.depends("renewal_ids")
    def _compute_renewal_id(self):
        for contract in self:
            contract.renewal_id = contract.renewal_ids[:1]

    @api.onchange("template_id")
    def _onchange_template_id(self):
        """Copy the clauses of the template, in the dealer's language."""
        if self.template_id:
            template = self.template_id.with_context(
                lang=self.partner_id.lang or self.env.lang
            )
            for clause in CLAUSES:
                self[clause] = template[clause]

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.territory_ids = self.partner_id.dealer_territory_ids
            self.payment_term_id = self.partner_id.property_payment_term_id

    @api.constrains(
        "date_start",
        "date_end",
        "reminder_days",
        "credit_limit",
        "annual_bonus",
        "promotion_support",
    )
    def _check_values(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(
                    _(
                        "The contract %(name)s ends before it starts.",
                        name=contract.name,
                    )
                )
            if (
                contract.reminder_days < 0
                or min(
                    contract.credit_limit,
                    contract.annual_bonus,
                    contract.promotion_support,
                )
                < 0
            ):
                raise ValidationError(
                    _("Amounts and reminder days of a contract cannot be negative.")
                )

    @api.constrains(
        "state", "partner_id", "product_category_ids", "date_start", "date_end"
    )
    def _check_one_active(self):
        """One active contract per dealer and product line at a time."""
        for contract in self.filtered(lambda c: c.state == "active"):
            clash = self.search(
                [
                    ("id", "!=", contract.id),
                    ("state", "=", "active"),
                    ("partner_id", "=", contract.partner_id.id),
                    ("product_category_ids", "in", contract.product_category_ids.ids),
                    ("date_start", "<=", contract.date_end),
                    ("date_end", ">=", contract.date_start),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    _(
                        "%(dealer)s already has an active contract for these product "
                        "lines in this period: %(other)s.",
                        dealer=contract.partner_id.display_name,
                        other=clash.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # the number is the addon's (a governed field): given after the checks
        # the label in the creator's language: _() inside a lambda would not find it
        # (it reads the language of the calling frame's ``self``)
        new = _("New")
        for record in records.filtered(lambda r: r.name == new):
            record.sudo().name = self.env["ir.sequence"].next_by_code(
                "dealer.contract"
            ) or _("New")
        return records

    def write(self, vals):
        if set(vals) & SIGNATURE_FIELDS:
            self._check_signature_unchanged()
        return super().write(vals)

    def _check_signature_unchanged(self):
        """Once a contract is signed and active, its signature (the scan, when and
        where) is the proof of what the dealer agreed: it stays as it was."""
        signed = self.filtered(lambda c: c.state != "draft")
        if signed and not self.env.su:
            raise UserError(
                _(
                    "%(name)s is signed: its signed scan, date and place are the proof "
                    "of the agreement and stay as they were.",
                    name=signed[0].name,
                )
            )

    def action_activate(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(_("Only draft contracts are activated."))
        self._governed_write({"state": "active"})

    def action_terminate(self, reason):
        if self.filtered(lambda c: c.state != "active"):
            raise UserError(_("Only active contracts are terminated."))
        if not (reason or "").strip():
            raise UserError(_("Give the reason for the termination."))
        self._governed_write({"state": "terminated", "termination_reason": reason})

    def action_renew(self):
        """A draft contract following this one, for a term of the same length."""
        self.ensure_one()
        if self.renewal_id:
            raise UserError(
                _(
                    "%(name)s is already renewed by %(renewal)s.",
                    name=self.name,
                    renewal=self.renewal_id.name,
                )
            )
        if self.state not in ("active", "expired"):
            raise UserError(_("Only active or expired contracts are renewed."))
        self.check_access("write")
        months = relativedelta(self.date_end + relativedelta(days=1), self.date_start)
        start = self.date_end + relativedelta(days=1)
        renewal = self.copy(
            {
                "date_start": start,
                "date_end": start + months - relativedelta(days=1),
                "date_signed": False,
                "place_signed": False,
            }
        )
        renewal.sudo().renewed_from_id = self  # the link is the addon's
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": renewal.id,
            "view_mode": "form",
        }

    @api.model
    def _cron_contract_reminders(self, today=None, companies=None):
        """Expire the active contracts that ended, and give the owner of each active
        contract ending within its reminder days one activity (once). ``companies``:
        only theirs (default: every company's)."""
        today = today or fields.Date.context_today(self)
        scope = company_domain(companies)
        self.search(
            [("state", "=", "active"), ("date_end", "<", today), *scope]
        ).sudo().write({"state": "expired"})
        ending = self.search(
            [
                ("state", "=", "active"),
                ("date_end", ">=", today),
                ("end_reminded", "=", False),
                *scope,
            ]
        ).filtered(
            lambda c: c.date_end - relativedelta(days=c.reminder_days) <= today
            and not c.renewal_id
        )
        for contract in ending.filtered(lambda c: not c.end_reminded):
            contract.activity_schedule(
                "dealer_management.mail_activity_type_contract_end",
                date_deadline=contract.date_end,
                user_id=contract.user_id.id,
                summary=_(
                    "%(name)s with %(dealer)s ends on %(date)s: renew or close it",
                    name=contract.name,
                    dealer=contract.partner_id.display_name,
                    date=contract.date_end,
                ),
            )
        ending.sudo().write({"end_reminded": True})
        return ending


class IrAttachment(models.Model):
    """The signed scan of a contract is an attachment (``signed_document``): created,
    changed, moved or deleted through ``ir.attachment`` it would bypass the contract's
    ``write`` (and, of a field's several attachments, Odoo reads the oldest). The
    contract's field writes it as superuser; every other caller is refused."""

    _inherit = "ir.attachment"

    @api.model
    def _check_no_contract_scan(self, targets):
        """``targets``: (res_model, res_field) of the attachments touched, before or
        after the change."""
        if self.env.su:
            return
        if any(
            model == "dealer.contract" and field in SIGNATURE_FIELDS
            for model, field in targets
        ):
            raise UserError(
                _(
                    "A contract's signed scan is set on the contract (its Signed "
                    "Scan field) while it is a draft, and stays as it was once it is "
                    "signed: it is not added, changed or removed as an attachment."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_no_contract_scan(
            [(vals.get("res_model"), vals.get("res_field")) for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            current = [(a.res_model, a.res_field) for a in self.sudo()]
            moved = [
                (vals.get("res_model", model), vals.get("res_field", field))
                for model, field in current
            ]
            self._check_no_contract_scan(current + moved)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._check_no_contract_scan(
                [(a.res_model, a.res_field) for a in self.sudo().exists()]
            )
        return super().unlink()
