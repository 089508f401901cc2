# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer's file on the portal: his profile, his signed contracts, and the request
for a correction."""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .dealer_portal import DealerPortal, dealer_page

CONTRACT_REPORT = "dealer_management.dealer_contract_report"


class DealerFilePortal(DealerPortal):
    def _prepare_dealer_file_values(self, dealer, errors=None, **kw):
        values = self._prepare_portal_layout_values()
        contracts = request.env["dealer.contract"].search(
            self._prepare_dealer_domain(dealer), order="date_start desc"
        )
        values.update(
            {
                "page_name": "dealer_file",
                "dealer": dealer,
                "contracts": contracts.sudo(),
                "correction_sent": kw.get("correction_sent"),
                "correction_errors": errors,
            }
        )
        return values

    @http.route(["/my/dealer"], type="http", auth="user", website=True)
    @dealer_page
    def portal_my_dealer(self, dealer, company, **kw):
        values = self._prepare_dealer_file_values(dealer, **kw)
        return request.render("dealer_management.portal_my_dealer", values)

    @http.route(
        ["/my/dealer/correction"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_correction(self, dealer, company, message="", **kw):
        result = dealer._request_correction(message)
        if isinstance(result, list):
            values = self._prepare_dealer_file_values(dealer, result)
            return request.render("dealer_management.portal_my_dealer", values)
        return request.redirect("/my/dealer?correction_sent=1")

    @http.route(
        ["/my/dealer/contracts/<int:contract_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_dealer_contract(self, contract_id, access_token=None, **kw):
        """A contract as its PDF."""
        try:
            contract = self._document_check_access(
                "dealer.contract", contract_id, access_token
            )
        except (AccessError, MissingError):
            return request.not_found()
        return self._show_report(contract, "pdf", CONTRACT_REPORT, kw.get("download"))
