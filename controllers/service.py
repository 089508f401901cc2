# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""After-sales on the portal: the dealer's cases, raising one with photos, and each
case with the staff's answers."""

from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from ..models.dealer_service_case import MAX_PHOTO_BYTES
from .dealer_portal import DealerPortal, dealer_page


class DealerServicePortal(DealerPortal):
    def _dealer_counters(self):
        return {
            **super()._dealer_counters(),
            "dealer_service_count": ("dealer.service.case", False),
        }

    def _get_dealer_service_searchbar_sortings(self):
        return {
            "date": {
                "label": _("Received On"),
                "order": "date_received desc, id desc",
            },
            "state": {"label": _("Status"), "order": "state, date_received desc"},
        }

    def _prepare_dealer_service_values(self, dealer, company, form, errors=None):
        """The cases' list with the form to raise one (``form``: what was typed,
        shown again with the ``errors`` when nothing was recorded)."""
        values = self._prepare_dealer_list_values(
            dealer,
            "dealer.service.case",
            "/my/dealer/service",
            form.get("page", 1),
            form.get("sortby"),
            self._get_dealer_service_searchbar_sortings(),
        )
        Case = request.env["dealer.service.case"]
        values.update(
            {
                "page_name": "dealer_service",
                "service_products": dealer._dealer_products(company),
                "service_types": dict(
                    Case._fields["case_type"]._description_selection(request.env)
                ),
                "service_errors": errors or [],
                "service_values": form,
            }
        )
        return values

    @http.route(
        ["/my/dealer/service", "/my/dealer/service/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_service(self, dealer, company, **kw):
        values = self._prepare_dealer_service_values(dealer, company, kw)
        return request.render("dealer_management.portal_my_dealer_service", values)

    @http.route(
        ["/my/dealer/service/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_service_new(self, dealer, company, **kw):
        photos = [
            # read one byte past the limit: the model says the file is too large
            (photo.filename, photo.read(MAX_PHOTO_BYTES + 1))
            for photo in request.httprequest.files.getlist("photos")
            if photo.filename
        ]
        result = request.env["dealer.service.case"]._raise_on_portal(
            dealer, company, kw, photos
        )
        if isinstance(result, list):
            values = self._prepare_dealer_service_values(dealer, company, kw, result)
            return request.render("dealer_management.portal_my_dealer_service", values)
        return request.redirect(result.get_portal_url())

    @http.route(
        ["/my/dealer/service/<int:case_id>"], type="http", auth="public", website=True
    )
    def portal_my_dealer_service_case(self, case_id, access_token=None, **kw):
        try:
            case = self._document_check_access(
                "dealer.service.case", case_id, access_token
            )
        except (AccessError, MissingError):
            return request.not_found()
        values = self._get_page_view_values(
            case,
            access_token,
            {"page_name": "dealer_service_case", "case": case},
            "my_dealer_service_history",
            False,
            **kw,
        )
        # the photos of the case, shown back to the dealer (the chatter lists them as
        # files): read with the access tokens of the case's own attachments
        photos = case.sudo()._portal_photos()
        photos.generate_access_token()
        values["case_photos"] = photos
        return request.render("dealer_management.portal_my_dealer_service_case", values)
