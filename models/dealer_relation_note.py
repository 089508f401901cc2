# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import company_domain
from .res_partner import DEALER_DOMAIN


class DealerRelationNote(models.Model):
    """Social-relationship notes (社会关系) on a dealer.

    Readable only by the Sensitive Relations group, and only for the dealers its
    members can see (see security/dealer_management_security.xml).
    """

    _name = "dealer.relation.note"
    _description = "Dealer Relationship Note"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, category, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=DEALER_DOMAIN,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    category = fields.Selection(
        [
            ("family", "Family"),
            ("social_standing", "Social Standing and Background"),
            ("authorities", "Ties to Authorities and Associations"),
            ("lifestyle", "Hobbies and Lifestyle"),
            ("risk", "Risk Remarks"),
            ("other", "Other"),
        ],
        required=True,
        default="family",
        tracking=True,
    )
    note = fields.Text(tracking=True)
    person = fields.Char(
        tracking=True, help="Who the note is about, e.g. the owner's wife."
    )
    relationship = fields.Char(
        tracking=True, help="e.g. wife, eldest son, deputy mayor"
    )
    occupation = fields.Char(tracking=True)
    health = fields.Char(tracking=True)
    harmony = fields.Selection(
        [("good", "Harmonious"), ("average", "Average"), ("tense", "Tense")],
        string="Family Harmony",
        tracking=True,
    )
    key_date = fields.Date(
        tracking=True, help="A birthday or anniversary, reminded every year."
    )
    key_date_type = fields.Selection(
        [("birthday", "Birthday"), ("anniversary", "Anniversary"), ("other", "Other")],
        tracking=True,
    )
    reminder_days = fields.Integer(
        string="Remind Days Before",
        default=7,
        help="The responsible gets an activity this many days before the key date.",
        aggregator=None,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who is reminded of the key date.",
    )
    next_key_date = fields.Date(compute="_compute_next_key_date")
    active = fields.Boolean(default=True)

    @api.depends("key_date")
    @api.depends_context("date")
    def _compute_next_key_date(self):
        today = fields.Date.context_today(self)
        for note in self:
            note.next_key_date = note._next_occurrence(today)

    def _next_occurrence(self, today):
        """This year's (or next year's, once passed) anniversary of the key date;
        29 February falls on 28 February in other years."""
        self.ensure_one()
        if not self.key_date:
            return False
        for year in (today.year, today.year + 1):
            try:
                day = date(year, self.key_date.month, self.key_date.day)
            except ValueError:
                day = date(year, 2, 28)
            if day >= today:
                return day
        return False

    @api.constrains("reminder_days")
    def _check_reminder_days(self):
        for note in self:
            if not 0 <= note.reminder_days <= 365:
                raise ValidationError(
                    _("Remind between 0 and 365 days before the key date.")
                )

    @api.model
    def _cron_key_date_reminders(self, today=None, companies=None):
        """An activity for the responsible of every key date that falls within its
        reminder window, once per occurrence (running twice creates nothing more).
        ``companies``: only theirs (default: every company)."""
        today = today or fields.Date.context_today(self)
        notes = self.search(
            [
                ("key_date", "!=", False),
                ("user_id", "!=", False),
                *company_domain(companies),
            ]
        )
        due = {}
        for note in notes:
            occurrence = note._next_occurrence(today)
            if occurrence and occurrence - timedelta(days=note.reminder_days) <= today:
                due[note] = occurrence
        if not due:
            return self.env["mail.activity"]
        model_id = self.env["ir.model"]._get_id(self._name)
        existing = {
            (activity.res_id, activity.date_deadline)
            for activity in self.env["mail.activity"].search(
                [
                    ("res_model_id", "=", model_id),
                    ("res_id", "in", [note.id for note in due]),
                ]
            )
        }
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        return self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": note.id,
                    "activity_type_id": todo_type.id,
                    "user_id": note.user_id.id,
                    "date_deadline": occurrence,
                    "summary": _(
                        "%(what)s of %(person)s (%(dealer)s)",
                        what=dict(
                            note._fields["key_date_type"]._description_selection(
                                self.env
                            )
                        ).get(note.key_date_type)
                        or _("Key date"),
                        person=note.person or note.name,
                        dealer=note.partner_id.display_name,
                    ),
                }
                for note, occurrence in due.items()
                if (note.id, occurrence) not in existing
            ]
        )

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for note in self:
            if not note.partner_id.commercial_partner_id._dealers():
                raise ValidationError(
                    _(
                        "%(partner)s is not a dealer: relationship notes are kept for "
                        "dealers only.",
                        partner=note.partner_id.display_name,
                    )
                )
