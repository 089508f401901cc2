# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Visits and meetings (沟通体制): dealer visits by the salesperson, executive visits,
quarterly, half-year and annual business meetings. Planning one schedules an activity
of its kind for the person who visits; doing it closes that activity.

How it works: ``docs/design.md``, section ``models/dealer_visit.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .dealer_selections import MEETING_TYPES, VISIT_TYPES


class DealerVisit(models.Model):
    _name = "dealer.visit"
    _description = "Dealer Visit or Meeting"
    _inherit = ["dealer.document.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _governed_extra = ("state", "attendance", "attendance_uid", "attendance_on")

    name = fields.Char(compute="_compute_name", store=True)
    visit_type = fields.Selection(
        VISIT_TYPES, string="Type", required=True, default="dealer_visit", tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Visitor",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    date_planned = fields.Date(string="Planned For", required=True, tracking=True)
    date_done = fields.Date(string="Done On", readonly=True, copy=False, tracking=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
    )
    purpose = fields.Text(required=True)
    outcome = fields.Text()
    location = fields.Char(string="Place", help="Where a business meeting is held.")
    agenda = fields.Text(help="A business meeting's agenda, shown to the dealer.")
    is_meeting = fields.Boolean(compute="_compute_is_meeting")
    attendance = fields.Selection(
        [("confirmed", "Will Attend"), ("declined", "Will Not Attend")],
        string="Dealer's Answer",
        readonly=True,
        copy=False,
        tracking=True,
        help="The dealer's answer to a business meeting, given on his portal.",
    )
    attendance_uid = fields.Many2one(
        "res.users", string="Answered By", readonly=True, copy=False
    )
    attendance_on = fields.Datetime(string="Answered On", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Planned for a day that has passed and not done.",
    )

    @api.depends("partner_id", "visit_type", "date_planned")
    def _compute_name(self):
        labels = dict(self._fields["visit_type"]._description_selection(self.env))
        for visit in self:
            visit.name = "%s %s %s" % (
                labels.get(visit.visit_type, ""),
                visit.partner_id.display_name or "",
                visit.date_planned or "",
            )

    @api.depends("visit_type")
    def _compute_is_meeting(self):
        for visit in self:
            visit.is_meeting = visit.visit_type in MEETING_TYPES

    @api.depends("state", "date_planned")
    @api.depends_context("date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for visit in self:
            visit.is_overdue = visit.state == "planned" and visit.date_planned < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search overdue visits with = or != and a boolean."))
        domain = [
            ("state", "=", "planned"),
            ("date_planned", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") != value:
            return ["!", "&"] + domain
        return domain

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits.filtered(lambda v: v.state == "planned"):
            visit.activity_schedule(
                f"dealer_management.mail_activity_type_{visit.visit_type}",
                date_deadline=visit.date_planned,
                user_id=visit.user_id.id,
                summary=visit.name,
            )
        return visits

    def action_done(self):
        for visit in self:
            if visit.state != "planned":
                raise UserError(_("Only planned visits are done."))
            if not (visit.outcome or "").strip():
                raise UserError(
                    _("Write the outcome of %(visit)s first.", visit=visit.name)
                )
        self._governed_write(
            {"state": "done", "date_done": fields.Date.context_today(self)}
        )
        self.activity_ids.action_feedback(feedback=_("Visit done"))

    def action_cancel(self):
        if self.filtered(lambda v: v.state != "planned"):
            raise UserError(_("Only planned visits are cancelled."))
        self._governed_write({"state": "cancelled"})
        self.activity_ids.unlink()

    # ------------------------------------------------------------ the portal

    @api.model
    def _portal_domain(self, dealer):
        """The business meetings a dealer's people see: his, not cancelled."""
        return [
            ("partner_id", "=", dealer.id),
            ("visit_type", "in", MEETING_TYPES),
            ("state", "!=", "cancelled"),
        ]

    def _portal_attend(self, dealer, answer):
        """The current user's answer for ``dealer``: ``confirmed`` or ``declined``,
        to a planned meeting of his dealer, until its day. Returns the meeting, or
        the list of what is wrong (nothing written); another dealer's meeting is an
        access error."""
        self.ensure_one()
        meeting = self.sudo()  # the portal group has no access to visits
        if not meeting.filtered_domain(self._portal_domain(dealer)):
            raise AccessError(_("This meeting is not your dealer's."))
        if answer not in ("confirmed", "declined"):
            return [_("Say whether you will attend.")]
        today = fields.Date.context_today(self)
        if meeting.state != "planned" or meeting.date_planned < today:
            return [_("The meeting is past: it is answered no more.")]
        meeting.write(
            {
                "attendance": answer,
                "attendance_uid": self.env.uid,
                "attendance_on": fields.Datetime.now(),
            }
        )
        labels = dict(self._fields["attendance"]._description_selection(self.env))
        meeting.message_post(
            body=_(
                "%(user)s answered on the portal: %(answer)s.",
                user=self.env.user.name,
                answer=labels[answer],
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
            partner_ids=meeting.user_id.partner_id.ids,
        )
        return meeting
