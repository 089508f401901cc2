# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Market expenses on the portal: the dealer's funds and what remains of them, his
requests before the spend and his claims after it, with the proof uploaded and the
accountant's answer."""

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .dealer_portal import DealerPortal, dealer_page

# one byte past the largest proof any company allows: the model measures the rest
MAX_PROOF_BYTES = 50 * 1024 * 1024
MAX_PROOF_FILES = 10


class DealerFundPortal(DealerPortal):
    def _dealer_counters(self):
        return {
            **super()._dealer_counters(),
            "dealer_fund_request_count": ("dealer.fund.request", False),
        }

    def _prepare_dealer_funds_values(self, dealer, company, form, errors=None):
        """The funds, requests and claims of the dealer, with the form to ask for an
        activity (``form``: what was typed, shown again with the ``errors`` when
        nothing was recorded). Searched as the portal user (his dealer's records by
        the portal group's rules), rendered as the addon."""
        domain = self._prepare_dealer_domain(dealer)
        funds = request.env["dealer.fund"].search(
            domain, order="state, date_start desc, id desc"
        )
        requests = request.env["dealer.fund.request"].search(domain, limit=100)
        claims = request.env["dealer.fund.claim"].search(domain, limit=100)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_funds",
                "dealer": dealer,
                "funds": funds.sudo(),
                "open_funds": funds.sudo().filtered(
                    lambda f: f.state == "open" and f.remaining_amount > 0
                ),
                "fund_requests": requests.sudo(),
                "fund_claims": claims.sudo(),
                "fund_errors": errors or [],
                "fund_values": form,
            }
        )
        return values

    @http.route(["/my/dealer/funds"], type="http", auth="user", website=True)
    @dealer_page
    def portal_my_dealer_funds(self, dealer, company, **kw):
        # an activity asked for starts and ends today until the dealer says otherwise
        today = str(fields.Date.context_today(request.env.user))
        values = self._prepare_dealer_funds_values(
            dealer, company, {"date_start": today, "date_end": today}
        )
        return request.render("dealer_management.portal_my_dealer_funds", values)

    @http.route(
        ["/my/dealer/funds/requests/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_fund_request_new(self, dealer, company, **kw):
        result = request.env["dealer.fund.request"]._request_on_portal(
            dealer, company, kw
        )
        if isinstance(result, list):
            values = self._prepare_dealer_funds_values(dealer, company, kw, result)
            return request.render("dealer_management.portal_my_dealer_funds", values)
        return request.redirect(result.access_url)

    def _fund_document_page(self, model, record_id, access_token, values, kw):
        """A request's or a claim's page, by the portal's access rules."""
        try:
            record = self._document_check_access(model, record_id, access_token)
        except (AccessError, MissingError):
            return None, None
        page = self._get_page_view_values(
            record, access_token, values(record), "my_dealer_funds_history", False, **kw
        )
        return record, page

    @http.route(
        ["/my/dealer/funds/requests/<int:request_id>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_fund_request(
        self, dealer, company, request_id, access_token=None, **kw
    ):
        fund_request, values = self._fund_document_page(
            "dealer.fund.request",
            request_id,
            access_token,
            lambda record: {
                "page_name": "dealer_fund_request",
                "fund_request": record,
                "claim_errors": [],
                "claim_values": {},
            },
            kw,
        )
        if not fund_request:
            return request.not_found()
        return request.render("dealer_management.portal_my_dealer_fund_request", values)

    @http.route(
        ["/my/dealer/funds/requests/<int:request_id>/claim"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_fund_claim_new(self, dealer, company, request_id, **kw):
        fund_request = request.env["dealer.fund.request"].browse(request_id).exists()
        if not fund_request or not fund_request.has_access("read"):
            return request.not_found()
        files = [
            # one byte past the limit: the model says the file is too large
            (upload.filename, upload.read(MAX_PROOF_BYTES + 1))
            for upload in request.httprequest.files.getlist("proof")[:MAX_PROOF_FILES]
            if upload.filename
        ]
        kw.pop("proof", None)
        result = request.env["dealer.fund.claim"]._claim_on_portal(
            dealer, fund_request.sudo(), kw, files
        )
        if isinstance(result, list):
            values = self._get_page_view_values(
                fund_request,
                None,
                {
                    "page_name": "dealer_fund_request",
                    "fund_request": fund_request.sudo(),
                    "claim_errors": result,
                    "claim_values": kw,
                },
                "my_dealer_funds_history",
                False,
            )
            return request.render(
                "dealer_management.portal_my_dealer_fund_request", values
            )
        return request.redirect(result.access_url)

    @http.route(
        ["/my/dealer/funds/claims/<int:claim_id>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_fund_claim(
        self, dealer, company, claim_id, access_token=None, **kw
    ):
        claim, values = self._fund_document_page(
            "dealer.fund.claim",
            claim_id,
            access_token,
            lambda record: {"page_name": "dealer_fund_claim", "claim": record},
            kw,
        )
        if not claim:
            return request.not_found()
        return request.render("dealer_management.portal_my_dealer_fund_claim", values)
