# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Claims after the spend (事后核销): against an approved request, the dealer gives the
actual cost, what he claims, the proof (photos, the invoices of the media or the
venue) and the sell-out during the activity. The reimbursable amount is the lowest of
what he claims, the share approved and the approved share's rate of the actual cost.
The accountant approves, reduces (with a reason the dealer sees) or rejects; the
settlement is a credit note on the market-expense product, or a vendor bill, as the
company chooses, linked both ways and made once.

How it works: ``docs/design.md``, section ``models/dealer_fund_claim.py``."""

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import format_amount

from ..tools import ACCOUNTANT, check_group
from .dealer_selections import FUND_CLAIM_STATES

# what the dealer states, changed while the claim is a draft only
CLAIM_TERMS = (
    "request_id",
    "partner_id",
    "company_id",
    "actual_cost",
    "claimed_amount",
    "sellout_amount",
    "note",
    "proof_ids",
)
# the proof a claim takes: photos and scanned or electronic invoices
PROOF_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/pdf": "PDF",
}

# what makes a file what it is: a proof's stays as the claim was given
PROOF_CONTENT = {
    "datas",
    "raw",
    "db_datas",
    "store_fname",
    "url",
    "type",
    "mimetype",
    "res_model",
    "res_id",
    "res_field",
}


# who may open a file without the claim's rights: a proof's stays the claim's
PROOF_ACCESS = {"public", "access_token"}
# what a file made inside a claim's proof does not choose: where it is, who opens it
PROOF_PLACE = (PROOF_CONTENT - {"datas", "raw", "mimetype"}) | PROOF_ACCESS


class DealerFundClaim(models.Model):
    _name = "dealer.fund.claim"
    _description = "Dealer Market-Expense Claim"
    _inherit = [
        "dealer.document.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "dealer.lock.mixin",
        "portal.mixin",
    ]
    _order = "id desc"
    _governed_extra = ("name",)

    name = fields.Char(readonly=True, copy=False, default="/")
    request_id = fields.Many2one(
        "dealer.fund.request",
        required=True,
        ondelete="restrict",
        tracking=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'approved')]",
    )
    fund_id = fields.Many2one(related="request_id.fund_id", store=True, index=True)
    activity_kind = fields.Selection(
        related="request_id.activity_kind", store=True, string="Activity Kind"
    )
    date_start = fields.Date(related="request_id.date_start", store=True)
    date_end = fields.Date(related="request_id.date_end", store=True)
    territory_ids = fields.Many2many(
        related="partner_id.dealer_territory_ids", string="Territories"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    approved_share = fields.Monetary(
        related="request_id.requested_amount", string="Share Approved"
    )
    actual_cost = fields.Monetary(tracking=True)
    claimed_amount = fields.Monetary(
        string="Claimed",
        tracking=True,
        help="What the dealer claims: at most the share approved.",
    )
    sellout_amount = fields.Monetary(
        string="Sell-Out During the Activity",
        help="What the dealer sold to his customers during the activity, as he "
        "states it.",
    )
    note = fields.Text()
    proof_ids = fields.Many2many(
        "ir.attachment",
        "dealer_fund_claim_proof_rel",
        "claim_id",
        "attachment_id",
        help="Photos of the activity, the invoices of the media or the venue: JPEG, "
        "PNG, WebP or PDF files, each within the company's size limit.",
    )
    proof_count = fields.Integer(compute="_compute_proof_count")
    reimbursable_amount = fields.Monetary(
        string="Reimbursable",
        compute="_compute_reimbursable_amount",
        store=True,
        help="The lowest of what is claimed, the share approved and the approved "
        "share's rate of the actual cost.",
    )
    granted_amount = fields.Monetary(string="Granted", readonly=True, copy=False)
    decision_reason = fields.Text(
        string="Reason",
        readonly=True,
        copy=False,
        help="Why the claim was reduced or rejected: the dealer sees it.",
    )
    state = fields.Selection(
        FUND_CLAIM_STATES,
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    author_uids = fields.Many2many(
        "res.users",
        "dealer_fund_claim_author_rel",
        "claim_id",
        "user_id",
        string="Written By",
        readonly=True,
        copy=False,
        help="Everyone who created the claim or changed what it claims: none of them "
        "decides it.",
    )
    submitted_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submitted_date = fields.Datetime(readonly=True, copy=False)
    decided_uid = fields.Many2one(
        "res.users", string="Decided By", readonly=True, copy=False
    )
    decided_date = fields.Datetime(readonly=True, copy=False)
    move_id = fields.Many2one(
        "account.move",
        string="Settlement",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    move_name = fields.Char(related="move_id.name", string="Settlement Number")
    sales_during = fields.Monetary(
        string="Our Sales During the Activity",
        compute="_compute_sales_lift",
        help="What we invoiced the dealer (net) from the activity's first to its last "
        "day.",
    )
    sales_last_year = fields.Monetary(
        string="Same Days Last Year",
        compute="_compute_sales_lift",
        help="What we invoiced the dealer (net) on the same days a year before.",
    )
    sales_lift = fields.Monetary(
        compute="_compute_sales_lift",
        help="Our sales during the activity less those of the same days last year.",
    )
    roi = fields.Float(
        string="Return (%)",
        digits=(16, 1),
        compute="_compute_sales_lift",
        aggregator=None,
        help="The sales lift over what was granted (or, before the decision, what is "
        "reimbursable), in percent; zero when nothing was sold to the dealer on the "
        "same days last year (nothing to compare with).",
    )
    settled_uid = fields.Many2one(
        "res.users", string="Settled By", readonly=True, copy=False
    )
    settled_date = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "request_uniq",
            "unique(request_id)",
            "A request has one claim.",
        ),
    ]

    @api.depends("proof_ids")
    def _compute_proof_count(self):
        for claim in self:
            claim.proof_count = len(claim.proof_ids)

    @api.depends(
        "actual_cost",
        "claimed_amount",
        "request_id.requested_amount",
        "request_id.planned_cost",
    )
    def _compute_reimbursable_amount(self):
        for claim in self:
            request = claim.request_id
            rate = (
                request.requested_amount / request.planned_cost
                if request.planned_cost
                else 0.0
            )
            claim.reimbursable_amount = claim.currency_id.round(
                max(
                    min(
                        claim.claimed_amount,
                        request.requested_amount,
                        claim.actual_cost * rate,
                    ),
                    0.0,
                )
            )

    def _compute_sales_lift(self):
        lifts = self._sales_lift()
        for claim in self:
            during, last_year = lifts.get(claim.id, (0.0, 0.0))
            claim.sales_during = during
            claim.sales_last_year = last_year
            claim.sales_lift = during - last_year
            cost = (
                claim.granted_amount
                if claim.state in ("approved", "settled", "rejected")
                else claim.reimbursable_amount
            )
            # no sales on the same days last year: nothing to compare with
            claim.roi = (during - last_year) / cost * 100 if cost and last_year else 0.0

    def _sales_lift(self):
        """{claim id: (our net sales to the dealer during the activity, on the same
        days a year before)}: one query for every claim, over the measurement layer's
        sales lines."""
        claims = self.filtered("id").filtered("date_start")
        if not claims:
            return {}
        self.env.flush_all()
        first = min(claims.mapped("date_start")) - relativedelta(years=1)
        last = max(claims.mapped("date_end"))
        self.env.cr.execute(
            SQL(
                """
            SELECT claim.id,
                   COALESCE(SUM(sale.amount) FILTER (
                       WHERE sale.invoice_date
                             BETWEEN claim.date_start AND claim.date_end), 0),
                   COALESCE(SUM(sale.amount) FILTER (
                       WHERE sale.invoice_date
                             BETWEEN (claim.date_start - interval '1 year')::date
                                 AND (claim.date_end - interval '1 year')::date), 0)
              FROM dealer_fund_claim claim
              LEFT JOIN (%s) sale ON sale.partner_id = claim.partner_id
                                 AND sale.company_id = claim.company_id
             WHERE claim.id = ANY(%s)
             GROUP BY claim.id
                """,
                self.env["dealer.measure"]._sales_lines_sql(
                    None, list(set(claims.partner_id.ids)), first, last
                ),
                claims.ids,
            )
        )
        return {
            row[0]: (float(row[1]), float(row[2])) for row in self.env.cr.fetchall()
        }

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for claim in self:
            claim.access_url = f"/my/dealer/funds/claims/{claim.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.name} {self.partner_id.name}"

    # ------------------------------------------------------------------ checks

    @api.constrains("request_id", "partner_id")
    def _check_request(self):
        today = fields.Date.context_today(self)
        for claim in self:
            request = claim.request_id
            if request.partner_id != claim.partner_id:
                raise ValidationError(
                    _(
                        "%(request)s is a request of %(owner)s, not of %(dealer)s.",
                        request=request.name,
                        owner=request.partner_id.display_name,
                        dealer=claim.partner_id.display_name,
                    )
                )
            if claim.state == "draft" and request.state != "approved":
                raise ValidationError(
                    _(
                        "%(request)s is %(state)s: claims are made against approved "
                        "requests.",
                        request=request.name,
                        state=dict(
                            request._fields["state"]._description_selection(self.env)
                        )[request.state],
                    )
                )
            fund = request.fund_id
            if claim.state == "draft" and (
                fund.state != "open" or fund.date_expiry < today
            ):
                raise ValidationError(
                    _(
                        "%(fund)s accepted claims until %(day)s.",
                        fund=fund.display_name,
                        day=fund.date_expiry,
                    )
                )

    @api.constrains("actual_cost", "claimed_amount", "sellout_amount", "request_id")
    def _check_amounts(self):
        for claim in self:
            currency = claim.currency_id
            if (
                currency.compare_amounts(claim.actual_cost, 0.0) < 0
                or currency.compare_amounts(claim.claimed_amount, 0.0) < 0
                or currency.compare_amounts(claim.sellout_amount, 0.0) < 0
            ):
                raise ValidationError(
                    _("The cost, the claim and the sell-out cannot be negative.")
                )
            if (
                currency.compare_amounts(
                    claim.claimed_amount, claim.request_id.requested_amount
                )
                > 0
            ):
                raise ValidationError(
                    _(
                        "%(request)s was approved for %(share)s: %(claimed)s cannot be "
                        "claimed on it.",
                        request=claim.request_id.name,
                        share=format_amount(
                            self.env, claim.request_id.requested_amount, currency
                        ),
                        claimed=format_amount(self.env, claim.claimed_amount, currency),
                    )
                )

    @api.constrains("proof_ids")
    def _check_proof(self):
        for claim in self:
            limit = claim.company_id.dealer_fund_proof_max_mb * 1024 * 1024
            for attachment in claim.proof_ids.sudo():
                raw = attachment.raw or b""
                kind = guess_mimetype(raw, default="application/octet-stream")
                if kind not in PROOF_TYPES:
                    raise ValidationError(
                        _(
                            "%(file)s is not a photo or a PDF (JPEG, PNG, WebP or "
                            "PDF): it cannot be the proof of a claim.",
                            file=attachment.name,
                        )
                    )
                if len(raw) > limit:
                    raise ValidationError(
                        _(
                            "%(file)s is %(size)s MB: the proof of a claim is at most "
                            "%(limit)s MB a file.",
                            file=attachment.name,
                            size=round(len(raw) / 1024 / 1024, 1),
                            limit=claim.company_id.dealer_fund_proof_max_mb,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            request = self.env["dealer.fund.request"].browse(vals.get("request_id"))
            if request and "partner_id" not in vals:
                vals["partner_id"] = request.partner_id.id
            if request and "company_id" not in vals:
                vals["company_id"] = request.company_id.id
        # a governed value is refused as such, before what the request allows
        self._check_governed_create(vals_list)
        for vals in vals_list:
            request = self.env["dealer.fund.request"].browse(vals.get("request_id"))
            if request.exists() and request.sudo().claim_ids:
                raise ValidationError(
                    _(
                        "%(request)s has a claim already (%(claim)s): a request has "
                        "one claim.",
                        request=request.name,
                        claim=request.sudo().claim_ids[:1].name,
                    )
                )
        self._check_proofs_given(vals_list)
        claims = super().create(vals_list)
        for claim in claims.filtered(lambda c: c.name == "/"):
            claim.sudo().name = self.env["ir.sequence"].next_by_code(
                "dealer.fund.claim"
            )
        claims._after_terms_written()
        return claims

    def write(self, vals):
        self.check_access("write")  # who may not write at all is told so first
        if set(vals) & set(CLAIM_TERMS) and self.filtered(lambda c: c.state != "draft"):
            raise UserError(
                _(
                    "%(name)s is no longer a draft: what it claims stays as it was "
                    "submitted.",
                    name=self.filtered(lambda c: c.state != "draft")[:1].name,
                )
            )
        self._check_proofs_given([vals])
        result = super().write(vals)
        if set(vals) & set(CLAIM_TERMS):
            self._after_terms_written()
        return result

    def _check_proofs_given(self, vals_list):
        """The attachments a caller gives as proof are files he may read, uploaded
        for a claim and the proof of no other claim: checked before the files'
        contents are (whose names would tell of files he cannot read)."""
        if self.env.su:
            return
        ids = set()
        for vals in vals_list:
            for command in vals.get("proof_ids") or ():
                if command[0] == Command.SET:
                    ids.update(command[2])
                elif command[0] == Command.LINK:
                    ids.add(command[1])
                elif command[0] == Command.CREATE and set(command[2]) & PROOF_PLACE:
                    # a file made here is the claim's: its name and bytes only
                    raise ValidationError(
                        _(
                            "A proof added to a claim is a file with its name: it "
                            "belongs to the claim (%(fields)s cannot be given).",
                            fields=", ".join(sorted(set(command[2]) & PROOF_PLACE)),
                        )
                    )
        if not ids:
            return
        attachments = self.env["ir.attachment"].browse(ids).exists()
        attachments.check("read")  # ir.attachment's own rules: record or uploader
        self.env.cr.execute(
            SQL(
                """SELECT attachment_id FROM dealer_fund_claim_proof_rel
                    WHERE attachment_id = ANY(%s) AND claim_id != ALL(%s)""",
                list(attachments.ids),
                self.ids,
            )
        )
        used = {row[0] for row in self.env.cr.fetchall()}
        for attachment in attachments.sudo():
            if (
                attachment.id in used
                or attachment.res_model != self._name
                or attachment.res_id not in (0, *self.ids)
                or attachment.type != "binary"
                or attachment.res_field
                # not yet a claim's: the caller's own upload
                or (not attachment.res_id and attachment.create_uid != self.env.user)
            ):
                raise ValidationError(
                    _(
                        "%(file)s was not uploaded for this claim: a proof is a file "
                        "added to the claim itself, the proof of no other claim.",
                        file=attachment.name,
                    )
                )

    def _after_terms_written(self):
        """The proofs belong to their claim (their access follows the claim's), and
        whoever wrote what the claim states is one of its authors."""
        for claim in self.sudo():
            claim.proof_ids.filtered(
                lambda a, c=claim: a.res_id != c.id or a.res_model != c._name
            ).write({"res_model": self._name, "res_id": claim.id})
            if self.env.user not in claim.author_uids:
                claim.write({"author_uids": [Command.link(self.env.uid)]})

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(_("Only draft claims can be deleted."))

    def _governed_hint(self):
        return _(
            "market-expense claims are submitted, decided and settled with their "
            "buttons"
        )

    def _lock_busy_message(self):
        return _(
            "These claims are being processed by someone else: try again in a moment."
        )

    @api.model
    def _claim_on_portal(self, dealer, request, values, files):
        """The claim of the dealer's staff on one of his approved requests, with its
        proof (``files``: [(file name, content)]), submitted at once. Written as the
        addon; the proof is checked by its bytes. Returns the claim, or the list of
        what is wrong (nothing written)."""
        errors = []
        if request.partner_id != dealer:
            return [_("This request is not yours.")]
        Request = self.env["dealer.fund.request"]
        cost = Request._portal_amount(
            values, "actual_cost", _("The actual cost"), errors
        )
        claimed = Request._portal_amount(
            values, "claimed_amount", _("The amount claimed"), errors
        )
        sellout = Request._portal_amount(
            values, "sellout_amount", _("The sell-out"), errors
        )
        if not files:
            errors.append(
                _("Add the proof: photos of the activity or the invoices of its costs.")
            )
        if errors:
            return errors
        try:
            with self.env.cr.savepoint():
                proof = (
                    self.env["ir.attachment"]
                    .sudo()
                    .create(
                        [
                            {"name": name, "raw": data, "res_model": self._name}
                            for name, data in files
                        ]
                    )
                )
                claim = self.sudo().create(
                    {
                        "request_id": request.id,
                        "actual_cost": cost,
                        "claimed_amount": claimed,
                        "sellout_amount": sellout,
                        "note": (values.get("note") or "").strip(),
                        "proof_ids": [Command.set(proof.ids)],
                    }
                )
                proof.write({"res_id": claim.id})
                claim.action_submit()
        except (UserError, ValidationError) as error:
            return [error.args[0]]
        return claim

    def _check_state(self, states, action):
        labels = dict(FUND_CLAIM_STATES)
        wrong = self.filtered(lambda c: c.state not in states)
        if wrong:
            raise UserError(
                _(
                    "%(action)s: the claim %(name)s is %(state)s.",
                    action=action,
                    name=wrong[0].name,
                    state=labels[wrong[0].state],
                )
            )

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        """The dealer submits the claim with its proof: the accountants are asked to
        check it."""
        self._lock_rows()
        self._check_state(["draft"], _("Submit"))
        for claim in self:
            if not claim.proof_ids:
                raise UserError(
                    _(
                        "%(name)s has no proof: add the photos of the activity or the "
                        "invoices of its costs.",
                        name=claim.name,
                    )
                )
            if claim.currency_id.is_zero(claim.reimbursable_amount):
                raise UserError(
                    _(
                        "%(name)s claims nothing: give the actual cost and the amount "
                        "claimed.",
                        name=claim.name,
                    )
                )
            claim._check_request()
        self._governed_write(
            {
                "state": "submitted",
                "submitted_uid": self.env.uid,
                "submitted_date": fields.Datetime.now(),
            }
        )
        accountants = self.env.ref(ACCOUNTANT).sudo().users
        for claim in self:
            for user in accountants.filtered(
                lambda u, c=claim: c.company_id in u.company_ids and not u.share
            ):
                claim.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Check the market-expense claim %s", claim.name),
                    user_id=user.id,
                )
        return True

    def _check_decider(self, action):
        check_group(self.env, ACCOUNTANT, self.env._("decide market-expense claims"))
        self._lock_rows()
        self._check_state(["submitted"], action)
        for claim in self:
            authors = claim.create_uid | claim.submitted_uid | claim.author_uids
            if self.env.user in authors and not self.env.su:
                raise UserError(
                    _(
                        "Nobody decides a claim he created, changed or submitted "
                        "(%(name)s).",
                        name=claim.name,
                    )
                )

    def action_grant(self):
        """The claim as it is: the reimbursable amount is granted."""
        self._check_decider(_("Approve"))
        for claim in self:
            claim._decide("approved", claim.reimbursable_amount, False)
        return True

    def action_reduce(self, amount, reason):
        """Less than the reimbursable amount is granted, with the reason the dealer
        sees."""
        self._check_decider(_("Reduce"))
        for claim in self:
            if not (reason or "").strip():
                raise UserError(_("A reduced claim needs the reason the dealer sees."))
            currency = claim.currency_id
            if not isinstance(amount, int | float) or isinstance(amount, bool):
                raise UserError(_("A reduced claim grants an amount: a number."))
            if (
                currency.compare_amounts(amount, 0.0) <= 0
                or currency.compare_amounts(amount, claim.reimbursable_amount) >= 0
            ):
                raise UserError(
                    _(
                        "%(name)s: a reduced claim grants more than nothing and less "
                        "than its reimbursable %(amount)s.",
                        name=claim.name,
                        amount=format_amount(
                            self.env, claim.reimbursable_amount, currency
                        ),
                    )
                )
            claim._decide("approved", currency.round(amount), reason.strip())
        return True

    def action_reject(self, reason):
        """Nothing is granted; the request is closed and its share goes back to the
        fund."""
        self._check_decider(_("Reject"))
        if not (reason or "").strip():
            raise UserError(_("A rejected claim needs the reason the dealer sees."))
        for claim in self:
            claim._decide("rejected", 0.0, reason.strip())
        return True

    def _decide(self, state, granted, reason):
        self.ensure_one()
        self._governed_write(
            {
                "state": state,
                "granted_amount": granted,
                "decision_reason": reason,
                "decided_uid": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        if state == "rejected":
            self.request_id.sudo()._governed_write({"state": "closed"})
        self.activity_ids.sudo().action_feedback()

    def action_settle(self):
        """The settlement, posted and linked both ways, once: a credit note on the
        market-expense product, or a vendor bill, as the company chooses."""
        check_group(self.env, ACCOUNTANT, self.env._("settle market-expense claims"))
        self._lock_rows()
        self._check_state(["approved"], _("Settle"))
        for claim in self:
            move = claim.sudo()._create_settlement_move()
            claim.sudo()._governed_write(
                {
                    "state": "settled",
                    "move_id": move.id,
                    "settled_uid": self.env.uid,
                    "settled_date": fields.Datetime.now(),
                }
            )
            claim.request_id.sudo()._governed_write({"state": "closed"})
            claim.sudo().message_post(
                body=_("Settled by %(move)s.", move=move._get_html_link())
            )
        return True

    def _prepare_settlement_move_vals(self):
        """The settlement's values: its one line is the granted amount with the
        product's taxes (those of sales on a credit note, of purchases on a vendor
        bill, the dealer's fiscal position applied), its total the amount granted."""
        self.ensure_one()
        company = self.company_id
        product = self.env.ref("dealer_management.product_dealer_market_expense")
        bill = company.dealer_fund_settlement == "vendor_bill"
        product_taxes = product.supplier_taxes_id if bill else product.taxes_id
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(company)
            ._get_fiscal_position(self.partner_id)
        )
        taxes = fiscal_position.map_tax(
            product_taxes.filtered(lambda t: t.company_id in company.parent_ids)
        )
        price = self.granted_amount
        if taxes and not all(taxes.mapped("price_include")):
            # the amount granted is what the dealer gets: the taxes are in it
            price = taxes.with_context(force_price_include=True).compute_all(
                self.granted_amount, self.currency_id, partner=self.partner_id
            )["total_excluded"]
        return {
            "move_type": "in_invoice" if bill else "out_refund",
            "partner_id": self.partner_id.id,
            "invoice_date": fields.Date.context_today(self),
            "dealer_fund_claim_id": self.id,
            "ref": self.name,
            "invoice_origin": self.name,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "name": _(
                            "%(claim)s: %(activity)s",
                            claim=self.name,
                            activity=self.request_id.title,
                        ),
                        "quantity": 1,
                        "price_unit": price,
                        "tax_ids": [Command.set(taxes.ids)],
                    }
                )
            ],
        }

    def _create_settlement_move(self):
        self.ensure_one()
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_settlement_move_vals())
        )
        move.action_post()
        return move

    def action_view_move(self):
        self.ensure_one()
        return self.move_id._get_records_action() if self.move_id else False


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        if set(vals) & (PROOF_CONTENT | PROOF_ACCESS):
            self._check_not_a_claim_proof(deleting=False)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted_proof(self):
        self._check_not_a_claim_proof(deleting=True)

    def _check_not_a_claim_proof(self, deleting):
        """A claim's proof is never changed (another file is added instead), and
        deleted only while its claim is a draft: nobody, the accountant included,
        replaces the proof of a claim submitted."""
        if self.env.su or not self.ids:
            return
        self.env.cr.execute(
            SQL(
                """SELECT claim.name FROM dealer_fund_claim_proof_rel rel
                     JOIN dealer_fund_claim claim ON claim.id = rel.claim_id
                    WHERE rel.attachment_id = ANY(%s)
                      AND (%s OR claim.state != 'draft')
                    LIMIT 1""",
                self.ids,
                not deleting,
            )
        )
        row = self.env.cr.fetchone()
        if row and deleting:
            raise AccessError(
                _(
                    "This file is the proof of the market-expense claim %(claim)s, "
                    "submitted: it is not deleted.",
                    claim=row[0],
                )
            )
        if row:
            raise AccessError(
                _(
                    "This file is the proof of the market-expense claim %(claim)s: it "
                    "is not changed (add another file to a draft claim instead).",
                    claim=row[0],
                )
            )
