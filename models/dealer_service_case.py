# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""After-sales service (售后服务): returns and exchanges, repairs or repackaging,
complaints, answered within the time the service standard sets."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mimetypes import guess_mimetype

from ..tools import spreadsheet
from .dealer_selections import CASE_TYPES

# the photos of a case raised on the portal
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024


class DealerServiceStandard(models.Model):
    """How fast each kind of case must be answered (e.g. within 24 hours)."""

    _name = "dealer.service.standard"
    _description = "Dealer Service Standard"
    _order = "case_type"

    case_type = fields.Selection(CASE_TYPES, required=True)
    response_hours = fields.Integer(
        string="Answer Within (Hours)", required=True, default=24, aggregator=None
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Empty: for every company without its own standard.",
    )

    _sql_constraints = [
        (
            "case_type_company_uniq",
            "unique(case_type, company_id)",
            "One service standard per kind of case and company.",
        ),
    ]

    @api.constrains("response_hours")
    def _check_response_hours(self):
        for standard in self:
            if standard.response_hours <= 0:
                raise ValidationError(
                    _("The answer time of a service standard must be positive.")
                )


class DealerServiceCase(models.Model):
    _name = "dealer.service.case"
    _description = "Dealer Service Case"
    _inherit = [
        "dealer.document.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
    ]
    _order = "date_received desc, id desc"
    _governed_extra = ("state",)
    # when the case came in is recorded with it; changed later, it would move the
    # response deadline that the service level is measured against
    _governed_after_create = ("date_received",)

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: _("New"),
    )
    case_type = fields.Selection(
        CASE_TYPES, string="Type", required=True, default="return", tracking=True
    )
    product_id = fields.Many2one("product.product", tracking=True)
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", tracking=True
    )
    reason = fields.Text(required=True)
    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, tracking=True
    )
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline",
        store=True,
        help="Received + the answer time of the service "
        "standard for this kind of case.",
    )
    date_answered = fields.Datetime(
        string="Answered", readonly=True, copy=False, tracking=True
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Not answered by the deadline (or answered after it).",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("answered", "Answered"),
            ("resolved", "Resolved"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handled By",
        default=lambda self: self.env.user,
        tracking=True,
    )
    resolution = fields.Text()
    credit_note_id = fields.Many2one(
        "account.move",
        copy=False,
        domain="[('move_type', '=', 'out_refund'), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    return_reference = fields.Char(help="The return delivery or exchange document.")

    def _compute_access_url(self):  # pylint: disable=missing-return
        # a compute returns nothing; super() sets the default URL first
        super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/dealer/service/{case.id}"

    @api.model
    def _raise_on_portal(self, dealer, company, values, photos):
        """A case raised by the dealer's staff: ``values`` as typed in the form
        (case_type, product_id, quantity, reason), ``photos`` a list of (file name,
        content). Written as the addon (the portal group reads its dealer's
        cases, never writes them), the photos posted on the case by the user who
        raised it. Returns the case, or the list of what is wrong (nothing written)."""
        errors = []
        case_type = values.get("case_type")
        if case_type not in dict(self._fields["case_type"].selection):
            errors.append(_("Choose the kind of case."))
        product_id = values.get("product_id") or ""
        product = dealer._dealer_products(company).filtered(
            lambda p: str(p.id) == str(product_id)
        )
        if product_id and not product:
            errors.append(_("Choose a product of the list."))
        quantity, is_number = spreadsheet.quantity(values.get("quantity") or 0)
        if not is_number or quantity < 0:
            errors.append(_("The quantity is a number, zero or more."))
        reason = (values.get("reason") or "").strip()
        if not reason:
            errors.append(_("Say what happened: the reason is required."))
        if len(photos) > MAX_PHOTOS:
            errors.append(_("At most %(count)s photos.", count=MAX_PHOTOS))
        for name, data in photos:
            if len(data) > MAX_PHOTO_BYTES:
                errors.append(
                    _(
                        "%(name)s is larger than %(size)s MB.",
                        name=name,
                        size=MAX_PHOTO_BYTES // (1024 * 1024),
                    )
                )
            # what the content is, not what the browser said
            elif not guess_mimetype(data).startswith("image/"):
                errors.append(_("%(name)s is not a picture.", name=name))
        if errors:
            return errors
        author = self.env.user.partner_id
        case = self.sudo().create(
            {
                "partner_id": dealer.id,
                "company_id": company.id,
                "case_type": case_type,
                "product_id": product.id,
                "quantity": quantity,
                "reason": reason,
                "user_id": dealer.user_id.id,
            }
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    # as uploads are made: message_post moves them onto the case
                    {
                        "name": name,
                        "raw": data,
                        "res_model": "mail.compose.message",
                        "res_id": 0,
                    }
                    for name, data in photos
                ]
            )
        )
        case.message_post(
            body=_("Case raised on the portal by %(author)s.", author=author.name),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )
        return case

    def _portal_photos(self):
        """The pictures the dealer's staff may see again on the portal: those of the
        case's public messages (his own, and the staff's answers), never those of
        internal notes nor files attached to the case by the staff."""
        self.ensure_one()
        comment = self.env.ref("mail.mt_comment")
        messages = self.message_ids.filtered(
            lambda m: m.message_type == "comment"
            and m.subtype_id == comment
            and not m.is_internal
        )
        return messages.attachment_ids.filtered(
            lambda a: (a.mimetype or "").startswith("image/")
        ).sorted("id")

    @api.depends("date_received", "case_type", "company_id")
    def _compute_response_deadline(self):
        standards = {
            (s.company_id.id, s.case_type): s.response_hours
            for s in self.env["dealer.service.standard"].sudo().search([])
        }
        for case in self:
            hours = standards.get(
                (case.company_id.id, case.case_type)
            ) or standards.get((False, case.case_type), 24)
            case.response_deadline = case.date_received and (
                case.date_received + timedelta(hours=hours)
            )

    @api.depends("response_deadline", "date_answered", "state")
    @api.depends_context("now")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for case in self:
            answered = case.date_answered or (now if case.state == "new" else False)
            case.is_overdue = bool(
                case.state != "cancelled"
                and answered
                and case.response_deadline
                and answered > case.response_deadline
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue cases with = or != and a boolean."))
        # Two columns compared with each other: a domain cannot say it, SQL can.
        self.flush_model(["state", "response_deadline", "date_answered"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM dealer_service_case
                WHERE state != 'cancelled'
                  AND ((state = 'new' AND response_deadline < %s)
                       OR date_answered > response_deadline)""",
                fields.Datetime.now(),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.constrains("quantity")
    def _check_quantity(self):
        for case in self:
            if case.quantity < 0:
                raise ValidationError(
                    _("The quantity of a service case cannot be negative.")
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
                "dealer.service.case"
            ) or _("New")
        return records

    def action_answer(self):
        if self.filtered(lambda case: case.state != "new"):
            raise UserError(_("Only new cases are answered."))
        self._governed_write(
            {"state": "answered", "date_answered": fields.Datetime.now()}
        )

    def action_resolve(self):
        for case in self:
            if case.state not in ("new", "answered"):
                raise UserError(_("Only open cases are resolved."))
            if not (case.resolution or "").strip():
                raise UserError(
                    _("Describe the resolution of %(case)s first.", case=case.name)
                )
        self.filtered(lambda case: not case.date_answered)._governed_write(
            {"date_answered": fields.Datetime.now()}
        )
        self._governed_write({"state": "resolved"})

    def action_cancel(self):
        if self.filtered(lambda case: case.state not in ("new", "answered")):
            raise UserError(_("Only open cases are cancelled."))
        self._governed_write({"state": "cancelled"})
