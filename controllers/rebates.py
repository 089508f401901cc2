# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer's rebates on the portal: his statements once submitted, each with its
PDF, and what the open periods have earned him so far."""

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.misc import format_amount, format_date

from .dealer_portal import DealerPortal, dealer_page

REBATE_REPORT = "dealer_management.dealer_rebate_report"


class DealerRebatesPortal(DealerPortal):
    def _dealer_counters(self):
        return {
            **super()._dealer_counters(),
            "dealer_rebate_count": ("dealer.rebate", False),
        }

    def _get_dealer_rebate_searchbar_sortings(self):
        return {
            "date": {"label": _("Statement End"), "order": "date_to desc, id desc"},
            "amount": {"label": _("Rebate"), "order": "amount desc"},
            "state": {"label": _("Status"), "order": "state"},
        }

    def _earned_to_date(self, dealer):
        """The drafts of the open periods, computed daily: what the dealer has earned
        so far, and how far the next bracket is."""
        env = request.env
        today = fields.Date.context_today(env.user)
        drafts = (
            env["dealer.rebate"]
            .sudo()
            .search(
                [
                    *self._prepare_dealer_domain(dealer),
                    ("state", "=", "draft"),
                    ("is_closing", "=", False),
                    ("period_start", "<=", today),
                    ("period_end", ">=", today),
                ],
                order="date_to",
            )
        )
        result = []
        for draft in drafts:
            # no next bracket (beyond the last one) is a next_bracket of 0
            bracket = draft.program_id.bracket_ids.filtered(
                lambda b, d=draft: d.next_bracket and b.amount_from == d.next_bracket
            )[:1]
            earned = _(
                "Earned to date, %(start)s to %(end)s: %(amount)s",
                start=format_date(env, draft.period_start),
                end=format_date(env, min(draft.date_to, today)),
                amount=format_amount(env, draft.amount, draft.currency_id),
            )
            to_next = (
                _(
                    "Sell %(amount)s more this period to reach %(rate)s%%.",
                    amount=format_amount(env, draft.to_next_bracket, draft.currency_id),
                    rate=bracket.rate,
                )
                if bracket and draft.program_id.basis == "amount"
                else ""
            )
            result.append({"statement": draft, "earned": earned, "to_next": to_next})
        return result

    def _prepare_dealer_rebates_values(self, dealer, page=1, sortby=None, **kw):
        values = self._prepare_dealer_list_values(
            dealer,
            "dealer.rebate",
            "/my/dealer/rebates",
            page,
            sortby,
            self._get_dealer_rebate_searchbar_sortings(),
        )
        values.update(
            {"page_name": "dealer_rebates", "earned": self._earned_to_date(dealer)}
        )
        return values

    @http.route(
        ["/my/dealer/rebates", "/my/dealer/rebates/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page
    def portal_my_dealer_rebates(self, dealer, company, **kw):
        values = self._prepare_dealer_rebates_values(dealer, **kw)
        return request.render("dealer_management.portal_my_dealer_rebates", values)

    @http.route(
        ["/my/dealer/rebates/<int:rebate_id>"], type="http", auth="public", website=True
    )
    def portal_my_dealer_rebate(
        self, rebate_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            rebate = self._document_check_access(
                "dealer.rebate", rebate_id, access_token
            )
        except (AccessError, MissingError):
            return request.not_found()
        if report_type in ("html", "pdf", "text"):
            return self._show_report(rebate, report_type, REBATE_REPORT, download)
        values = self._get_page_view_values(
            rebate,
            access_token,
            {"page_name": "dealer_rebate", "rebate": rebate},
            "my_dealer_rebates_history",
            False,
            **kw,
        )
        return request.render("dealer_management.portal_my_dealer_rebate", values)
