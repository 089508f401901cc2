# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Major incidents at a dealer (重大事件): theft, accident, illness, litigation. An open
incident always raises a warning at its own severity."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from .dealer_selections import SEVERITIES


class DealerIncident(models.Model):
    _name = "dealer.incident"
    _description = "Dealer Incident"
    _inherit = ["dealer.document.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    # who reported it is who created it (issue 22: fields naming who did a step)
    _governed_extra = ("state", "user_id")

    name = fields.Char(string="Summary", required=True, tracking=True)
    incident_type = fields.Selection(
        [
            ("theft", "Theft"),
            ("accident", "Accident"),
            ("illness", "Illness"),
            ("litigation", "Litigation"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        tracking=True,
    )
    date = fields.Date(required=True, tracking=True)
    severity = fields.Selection(
        SEVERITIES, required=True, default="warning", tracking=True
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
    )
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Reported By", default=lambda self: self.env.user
    )

    def action_close(self):
        if self.filtered(lambda i: i.state != "open"):
            raise UserError(_("Only open incidents are closed."))
        self._governed_write({"state": "closed"})

    def action_reopen(self):
        if self.filtered(lambda i: i.state != "closed"):
            raise UserError(_("Only closed incidents are reopened."))
        self._governed_write({"state": "open"})
