# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Statements of account (对账单) on the portal: the months that ended, each month's
statement and its PDF, and the dealer's answer (confirmed or disputed)."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.http import content_disposition, request

from .dealer_portal import DealerPortal, dealer_page

STATEMENT_REPORT = "dealer_management.dealer_account_statement_report"


class DealerStatementsPortal(DealerPortal):
    def _statement_month(self, year, month):
        """The first day of an ended month, or None."""
        try:
            day = date(year, month, 1)
        except ValueError:
            return None
        return request.env["dealer.account.statement"]._ended_month(day)

    def _statement_answers(self, dealer, since):
        Statement = request.env["dealer.account.statement"]
        domain = [*self._prepare_dealer_domain(dealer), ("month", ">=", since)]
        return {answer.month: answer for answer in Statement.search(domain)}

    @http.route(["/my/dealer/statements"], type="http", auth="user", website=True)
    @dealer_page
    def portal_my_dealer_statements(self, dealer, company, **kw):
        """The last twelve months that have ended, each with the dealer's answer."""
        first = fields.Date.context_today(request.env.user).replace(day=1)
        months = [first - relativedelta(months=n) for n in range(1, 13)]
        answers = self._statement_answers(dealer, months[-1])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_statements",
                "months": [(month, answers.get(month)) for month in months],
            }
        )
        return request.render("dealer_management.portal_my_dealer_statements", values)

    def _prepare_dealer_statement_values(self, dealer, company, day, error=None):
        Statement = request.env["dealer.account.statement"]
        statement = Statement._statement_values(dealer, company, day)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_statement",
                "statement": statement,
                "month": statement["month"],
                "dealer": dealer,
                "currency": company.currency_id,
                "answer": self._statement_answers(dealer, day).get(day),
                "error": error,
            }
        )
        return values

    @http.route(
        ["/my/dealer/statements/<int:year>/<int:month>"],
        type="http",
        auth="user",
        website=True,
    )
    @dealer_page(missing=None)
    def portal_my_dealer_statement(
        self, dealer, company, year, month, report_type=None, download=False, **kw
    ):
        day = self._statement_month(year, month)
        if not day:
            return request.not_found()
        if report_type in ("html", "pdf"):
            # the report's month: the PDF is printed for the dealer (res.partner)
            request.update_context(dealer_statement_month=day.isoformat())
            return self._show_report(dealer, report_type, STATEMENT_REPORT, download)
        values = self._prepare_dealer_statement_values(dealer, company, day)
        return request.render("dealer_management.portal_my_dealer_statement", values)

    def _get_http_headers(self, model, report_type, report, download):
        month = request.env.context.get("dealer_statement_month")
        if model._name != "res.partner" or not month:
            return super()._get_http_headers(model, report_type, report, download)
        headers = {
            "Content-Type": "application/pdf"
            if report_type == "pdf"
            else "text/html; charset=utf-8",
            "Content-Length": len(report),
        }
        if report_type == "pdf":
            headers["Content-Disposition"] = content_disposition(
                f"statement_{month[:7]}.pdf",
                disposition_type="attachment" if download else "inline",
            )
        return headers

    @http.route(
        ["/my/dealer/statements/<int:year>/<int:month>/answer"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page(missing=None)
    def portal_my_dealer_statement_answer(
        self, dealer, company, year, month, answer=None, comment="", **kw
    ):
        day = self._statement_month(year, month)
        if not day:
            return request.not_found()
        result = request.env["dealer.account.statement"]._answer(
            dealer, company, day, answer, comment
        )
        if isinstance(result, list):
            values = self._prepare_dealer_statement_values(
                dealer, company, day, result[0]
            )
            return request.render(
                "dealer_management.portal_my_dealer_statement", values
            )
        return request.redirect(f"/my/dealer/statements/{year}/{month}")
