# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer's sales targets on the portal: each period's target and achievement."""

from odoo import _, http
from odoo.http import request

from .dealer_portal import DealerPortal, dealer_page


class DealerTargetsPortal(DealerPortal):
    def _dealer_counters(self):
        return {
            **super()._dealer_counters(),
            "dealer_target_count": ("dealer.sales.target", False),
        }

    def _get_dealer_target_searchbar_sortings(self):
        return {
            "date": {"label": _("Period"), "order": "date_start desc, id desc"},
            "achievement": {"label": _("Achievement"), "order": "achievement desc"},
        }

    def _prepare_dealer_targets_values(self, dealer, page=1, sortby=None, **kw):
        values = self._prepare_dealer_list_values(
            dealer,
            "dealer.sales.target",
            "/my/dealer/targets",
            page,
            sortby,
            self._get_dealer_target_searchbar_sortings(),
        )
        values["page_name"] = "dealer_targets"
        return values

    @http.route(
        ["/my/dealer/targets", "/my/dealer/targets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_targets(self, dealer, company, **kw):
        values = self._prepare_dealer_targets_values(dealer, **kw)
        return request.render("dealer_management.portal_my_dealer_targets", values)
