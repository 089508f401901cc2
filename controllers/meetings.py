# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Business meetings (业务会) on the portal: the dealer's meetings, and his staff's
answer whether they attend."""

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .dealer_portal import DealerPortal, dealer_page


class DealerMeetingsPortal(DealerPortal):
    def _dealer_counters(self):
        return {
            **super()._dealer_counters(),
            "dealer_meeting_count": ("dealer.visit", True),
        }

    def _get_dealer_meeting_options(self):
        today = fields.Date.context_today(request.env.user)
        return {
            "sortings": {
                "date": {"label": _("Newest"), "order": "date_planned desc, id desc"},
                "oldest": {"label": _("Oldest"), "order": "date_planned, id"},
            },
            "filters": {
                "all": {"label": _("All"), "domain": []},
                "upcoming": {
                    "label": _("Upcoming"),
                    "domain": [
                        ("state", "=", "planned"),
                        ("date_planned", ">=", today),
                    ],
                },
                "past": {
                    "label": _("Past"),
                    "domain": [
                        "|",
                        ("state", "=", "done"),
                        ("date_planned", "<", today),
                    ],
                },
            },
            "search_field": "location",
            "search_label": _("Search in Places"),
        }

    def _prepare_dealer_meetings_values(self, dealer, page=1, error=None, **kw):
        values = self._prepare_addon_list_values(
            dealer,
            "dealer.visit",
            "/my/dealer/meetings",
            page,
            self._get_dealer_meeting_options(),
            kw,
        )
        values.update(
            {
                "page_name": "dealer_meetings",
                "today": fields.Date.context_today(request.env.user),
                "error": error,
            }
        )
        return values

    @http.route(
        ["/my/dealer/meetings", "/my/dealer/meetings/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_meetings(self, dealer, company, **kw):
        kw.pop("error", None)  # said by the server only
        values = self._prepare_dealer_meetings_values(dealer, **kw)
        return request.render("dealer_management.portal_my_dealer_meetings", values)

    @http.route(
        ["/my/dealer/meetings/<int:meeting_id>/attend"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page(missing=None)
    def portal_my_dealer_meeting_attend(
        self, dealer, company, meeting_id, answer=None, **kw
    ):
        meeting = request.env["dealer.visit"].browse(meeting_id)
        try:
            result = meeting._portal_attend(dealer, answer)
        except (AccessError, MissingError):
            return request.not_found()
        if isinstance(result, list):
            values = self._prepare_dealer_meetings_values(dealer, error=result[0])
            return request.render("dealer_management.portal_my_dealer_meetings", values)
        return request.redirect("/my/dealer/meetings")
