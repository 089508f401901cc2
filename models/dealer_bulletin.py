# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The internal bulletin (内部刊物) to dealers (沟通体制; 销售政策管理:
"保持市场信息传递").

How it works: ``docs/design.md``, section ``models/dealer_bulletin.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, is_html_empty
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval

from ..tools.rights import MANAGER, check_group
from .res_partner import DEALER_DOMAIN

# what a published bulletin keeps as it was sent
PUBLISHED_CONTENT = ("name", "body", "attachment_ids", "audience_domain", "company_id")


class DealerBulletin(models.Model):
    _name = "dealer.bulletin"
    _description = "Dealer Bulletin"
    _inherit = ["dealer.governed.mixin", "mail.thread"]
    _order = "published_on desc, id desc"
    _governed_extra = ("state", "published_on", "published_uid", "partner_ids")

    name = fields.Char(string="Title", required=True, tracking=True)
    body = fields.Html(sanitize_style=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "dealer_bulletin_attachment_rel",
        "bulletin_id",
        "attachment_id",
        string="Attachments",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    audience_domain = fields.Char(
        string="Dealers",
        default="[]",
        required=True,
        help="The dealers the bulletin is for: any criterion of the dealer file "
        "(tier, level, territory ...); every dealer of the company when empty.",
    )
    audience_count = fields.Integer(
        string="Dealers Chosen", compute="_compute_audience_count"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        tracking=True,
    )
    published_on = fields.Datetime(readonly=True, copy=False)
    published_uid = fields.Many2one(
        "res.users", string="Published By", readonly=True, copy=False
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "dealer_bulletin_partner_rel",
        "bulletin_id",
        "partner_id",
        string="Dealers Addressed",
        readonly=True,
        copy=False,
    )
    receipt_ids = fields.One2many(
        "dealer.bulletin.receipt", "bulletin_id", string="Read Receipts"
    )
    dealer_count = fields.Integer(
        string="Dealers Addressed Count", compute="_compute_read_counts"
    )
    read_dealer_count = fields.Integer(
        string="Dealers Who Read It", compute="_compute_read_counts"
    )

    def _governed_hint(self):
        return _("the Publish button sets them")

    def _audience(self):
        """The dealers the audience domain chooses, searched as the user (his rules
        apply): commercial partners flagged as dealers, of the bulletin's company."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        # no record in the context: safe_eval lets a domain call any method of what
        # it is given (env.user is a superuser record), so it gets values only
        context = {
            "uid": self.env.uid,
            "datetime": safe_datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "context_today": lambda: today,
        }
        try:
            domain = safe_eval(self.audience_domain or "[]", context)
            if not isinstance(domain, list | tuple):
                raise ValueError(_("a domain is a list of conditions"))
            domain = expression.normalize_domain(list(domain))
            return self.env["res.partner"].search(
                [
                    *DEALER_DOMAIN,
                    ("company_id", "in", (self.company_id.id, False)),
                    *domain,
                ]
            )
        except (
            ValueError,
            SyntaxError,
            TypeError,
            KeyError,
            NameError,
            AttributeError,
        ) as error:
            raise UserError(
                _("The choice of dealers is not a valid filter: %(error)s", error=error)
            ) from error

    @api.depends("audience_domain", "company_id", "state", "partner_ids")
    def _compute_audience_count(self):
        for bulletin in self:
            if bulletin.state == "published":
                bulletin.audience_count = len(bulletin.partner_ids)
                continue
            try:
                bulletin.audience_count = len(bulletin._audience())
            except UserError:
                bulletin.audience_count = 0

    @api.depends("partner_ids", "receipt_ids")
    def _compute_read_counts(self):
        read = dict(
            self.env["dealer.bulletin.receipt"]
            .sudo()
            ._read_group(
                [("bulletin_id", "in", self.ids)],
                ["bulletin_id"],
                ["partner_id:count_distinct"],
            )
        )
        for bulletin in self:
            bulletin.dealer_count = len(bulletin.partner_ids)
            bulletin.read_dealer_count = read.get(bulletin._origin, 0)

    @api.model_create_multi
    def create(self, vals_list):
        bulletins = super().create(vals_list)
        bulletins._check_attachments()
        return bulletins

    def write(self, vals):
        if set(vals) & set(PUBLISHED_CONTENT) and self.filtered(
            lambda b: b.state == "published"
        ):
            raise UserError(
                _(
                    "A published bulletin stays as it was sent and read: publish a "
                    "new one to correct it."
                )
            )
        result = super().write(vals)
        if "attachment_ids" in vals:
            self._check_attachments()
        return result

    def _check_attachments(self):
        """A bulletin carries the files uploaded on it, which its writer may read;
        not a file of another record linked by its id: publishing would e-mail it and
        give it a token that opens it to the dealers. Files uploaded before the
        bulletin was saved (no record yet) become the bulletin's."""
        if self.env.su:
            return
        for bulletin in self:
            attachments = bulletin.sudo().attachment_ids
            for attachment in attachments:
                if attachment.res_model != self._name or attachment.res_id not in (
                    0,
                    bulletin.id,
                ):
                    raise AccessError(
                        _(
                            "%(name)s is not a file of this bulletin: upload it on "
                            "the bulletin.",
                            name=attachment.name,
                        )
                    )
            attachments.with_env(self.env).check_access("read")
            attachments.filtered(lambda a: not a.res_id).write({"res_id": bulletin.id})

    def unlink(self):
        if self.filtered(lambda b: b.state == "published"):
            raise UserError(_("A published bulletin is kept with its read receipts."))
        return super().unlink()

    # ------------------------------------------------------------ publishing

    def action_publish(self):
        """Publish: the dealers chosen now are the bulletin's; it is e-mailed to them
        and shown on their portal. Dealer Managers only."""
        check_group(self.env, MANAGER, _("publish bulletins"))
        for bulletin in self:
            if bulletin.state != "draft":
                raise UserError(_("%(name)s is published already.", name=bulletin.name))
            if not (bulletin.name or "").strip() or is_html_empty(bulletin.body):
                raise UserError(_("Write the bulletin first: a title and a text."))
            bulletin._check_attachments()
            dealers = bulletin._audience()
            if not dealers:
                raise UserError(
                    _("No dealer is chosen: the bulletin would reach nobody.")
                )
            bulletin._governed_write(
                {
                    "state": "published",
                    "published_on": fields.Datetime.now(),
                    "published_uid": self.env.uid,
                    "partner_ids": [fields.Command.set(dealers.ids)],
                }
            )
            bulletin.attachment_ids.sudo().generate_access_token()
            bulletin._send_mail()

    def _recipients(self):
        """Who gets the e-mail: the portal users of the dealers addressed, or the
        dealer itself when none of its people has the portal."""
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", True),
                    ("partner_id.commercial_partner_id", "in", self.partner_ids.ids),
                ]
            )
        )
        with_users = users.partner_id.commercial_partner_id
        return users.partner_id | (self.partner_ids - with_users).filtered("email")

    def _send_mail(self):
        """One e-mail per language of the recipients (each recipient gets his own
        copy), queued for Odoo's mail queue."""
        self.ensure_one()
        recipients = self._recipients()
        Mail = self.env["mail.mail"].sudo()
        for lang in set(recipients.mapped("lang")):
            partners = recipients.filtered(lambda p, lang=lang: p.lang == lang)
            body = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render(
                    "dealer_management.dealer_bulletin_mail",
                    {"bulletin": self, "portal_url": self._portal_url()},
                    minimal_qcontext=True,
                )
            )
            Mail.create(
                {
                    "subject": self.name,
                    "body_html": body,
                    "email_from": (
                        self.published_uid.email_formatted
                        or self.company_id.email_formatted
                    ),
                    "recipient_ids": [fields.Command.set(partners.ids)],
                    "attachment_ids": [fields.Command.set(self.attachment_ids.ids)],
                    "model": self._name,
                    "res_id": self.id,
                    "auto_delete": False,
                }
            )

    def _portal_url(self):
        base = self.get_base_url()
        return f"{base}/my/dealer/bulletins/{self.id}"

    # ------------------------------------------------------------ the portal

    @api.model
    def _portal_domain(self, dealer):
        """The bulletins a dealer's people read: published, addressed to him."""
        return [("state", "=", "published"), ("partner_ids", "in", dealer.ids)]

    def _portal_read(self, dealer):
        """Keep the read receipt of the current user for ``dealer``: once, on his
        first reading (a second request at the same moment keeps the first)."""
        self.ensure_one()
        self.env["dealer.bulletin.receipt"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO dealer_bulletin_receipt
                       (bulletin_id, partner_id, user_id, read_on, company_id,
                        create_uid, create_date, write_uid, write_date)
                   VALUES (%(bulletin)s, %(dealer)s, %(uid)s, %(now)s, %(company)s,
                           %(uid)s, %(now)s, %(uid)s, %(now)s)
                   ON CONFLICT (bulletin_id, user_id) DO NOTHING""",
                bulletin=self.id,
                dealer=dealer.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                company=self.sudo().company_id.id,
            )
        )
        self.env["dealer.bulletin.receipt"].invalidate_model()


class DealerBulletinReceipt(models.Model):
    """A read receipt: a dealer's user opened the bulletin on his portal."""

    _name = "dealer.bulletin.receipt"
    _description = "Dealer Bulletin Read Receipt"
    _order = "read_on desc, id desc"

    bulletin_id = fields.Many2one(
        "dealer.bulletin", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True)
    user_id = fields.Many2one("res.users", string="Read By", required=True)
    read_on = fields.Datetime(required=True)
    company_id = fields.Many2one(related="bulletin_id.company_id", store=True)

    _sql_constraints = [
        (
            "bulletin_user_uniq",
            "unique(bulletin_id, user_id)",
            "A user's reading of a bulletin is kept once.",
        ),
    ]


class IrAttachment(models.Model):
    """The files of a published bulletin stay as they were sent."""

    _inherit = "ir.attachment"

    def _check_not_in_published_bulletin(self):
        if self.env.su or not self.ids:
            return
        if (
            self.env["dealer.bulletin"]
            .sudo()
            .search_count(
                [("attachment_ids", "in", self.ids), ("state", "=", "published")],
                limit=1,
            )
        ):
            raise UserError(
                _("This file was sent with a published bulletin: it stays as it was.")
            )

    def write(self, vals):
        if set(vals) - {"access_token"}:
            self._check_not_in_published_bulletin()
        return super().write(vals)

    def unlink(self):
        self._check_not_in_published_bulletin()
        return super().unlink()
