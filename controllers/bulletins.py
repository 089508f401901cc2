# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bulletins (内部刊物) on the portal: those addressed to the user's dealer, unread
ones marked; reading one keeps its receipt."""

from odoo import _, http
from odoo.http import request

from .dealer_portal import DealerPortal, dealer_page


class DealerBulletinsPortal(DealerPortal):
    def _dealer_counters(self):
        return {
            **super()._dealer_counters(),
            "dealer_bulletin_count": ("dealer.bulletin", True),
        }

    def _get_dealer_bulletin_options(self):
        receipts = [("receipt_ids.user_id", "=", request.env.uid)]
        return {
            "sortings": {
                "date": {"label": _("Newest"), "order": "published_on desc, id desc"},
                "title": {"label": _("Title"), "order": "name, id"},
            },
            "filters": {
                "all": {"label": _("All"), "domain": []},
                "unread": {"label": _("Unread"), "domain": ["!", *receipts]},
            },
            "search_field": "name",
            "search_label": _("Search in Titles"),
        }

    def _prepare_dealer_bulletins_values(self, dealer, page=1, **kw):
        values = self._prepare_addon_list_values(
            dealer,
            "dealer.bulletin",
            "/my/dealer/bulletins",
            page,
            self._get_dealer_bulletin_options(),
            kw,
        )
        receipts = (
            request.env["dealer.bulletin.receipt"]
            .sudo()
            .search(
                [
                    ("bulletin_id", "in", values["records"].ids),
                    ("user_id", "=", request.env.uid),
                ]
            )
        )
        values.update(
            {"page_name": "dealer_bulletins", "read_ids": set(receipts.bulletin_id.ids)}
        )
        return values

    @http.route(
        ["/my/dealer/bulletins", "/my/dealer/bulletins/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_bulletins(self, dealer, company, **kw):
        values = self._prepare_dealer_bulletins_values(dealer, **kw)
        return request.render("dealer_management.portal_my_dealer_bulletins", values)

    @http.route(
        ["/my/dealer/bulletins/<int:bulletin_id>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page(missing=None)
    def portal_my_dealer_bulletin(self, dealer, company, bulletin_id, **kw):
        """A bulletin addressed to the user's dealer; reading it keeps the receipt."""
        Bulletin = request.env["dealer.bulletin"].sudo()
        bulletin = Bulletin.search(
            [("id", "=", bulletin_id), *Bulletin._portal_domain(dealer)]
        )
        if not bulletin:
            return request.not_found()
        bulletin.with_user(request.env.user)._portal_read(dealer)
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "dealer_bulletin", "bulletin": bulletin})
        return request.render("dealer_management.portal_my_dealer_bulletin", values)
