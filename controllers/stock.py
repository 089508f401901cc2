# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer's stock on the portal: the month's report typed in or uploaded as the
template's spreadsheet, and its replenishment proposal ordered as a quotation."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.http import content_disposition, request

from ..models.dealer_stock_report import MAX_SPREADSHEET_BYTES
from .dealer_portal import DealerPortal, dealer_page

TEMPLATE_REPORT = "dealer_management.dealer_stock_template_xlsx_report"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DealerStockPortal(DealerPortal):
    def _stock_month(self, value):
        """The first day of the month ``value`` (YYYY-MM) says, not after this month;
        by default the last month that ended."""
        this_month = fields.Date.context_today(request.env.user).replace(day=1)
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            day = date(year, month, 1)
        except ValueError:
            day = None
        if not day or day.year < 1900:  # what the forms of the portal know of
            return this_month - relativedelta(months=1)
        return min(day, this_month)

    def _prepare_dealer_stock_values(
        self, dealer, company, month, errors=None, form=None
    ):
        Report = request.env["dealer.stock.report"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_stock",
                "dealer": dealer,
                "month": month,
                "months": [month - relativedelta(months=n) for n in range(-1, 6)],
                "this_month": fields.Date.context_today(request.env.user).replace(
                    day=1
                ),
                "rows": Report._portal_rows(dealer, company, month),
                "errors": errors or [],
                "submitted": form or {},
            }
        )
        return values

    def _stock_page(self, dealer, company, month, result, form=None):
        """The month's page again with the errors of ``result`` (a list), or back to
        the month saved."""
        if isinstance(result, list):
            values = self._prepare_dealer_stock_values(
                dealer, company, month, result, form
            )
            return request.render("dealer_management.portal_my_dealer_stock", values)
        return request.redirect(f"/my/dealer/stock?month={month:%Y-%m}&saved=1")

    @http.route(["/my/dealer/stock"], type="http", auth="user", website=True)
    @dealer_page
    def portal_my_dealer_stock(self, dealer, company, month=None, **kw):
        day = self._stock_month(month)
        values = self._prepare_dealer_stock_values(dealer, company, day)
        return request.render("dealer_management.portal_my_dealer_stock", values)

    @http.route(
        ["/my/dealer/stock/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_stock_submit(self, dealer, company, month=None, **kw):
        day = self._stock_month(month)
        result = request.env["dealer.stock.report"]._portal_submit_form(
            dealer, company, day, kw
        )
        return self._stock_page(dealer, company, day, result, kw)

    @http.route(["/my/dealer/stock/template"], type="http", auth="user", website=True)
    @dealer_page
    def portal_my_dealer_stock_template(self, dealer, company, month=None, **kw):
        """The month's form as a spreadsheet to fill in and upload."""
        day = self._stock_month(month)
        content, _type = (
            request.env["ir.actions.report"]
            .with_company(company)
            ._render_xlsx(TEMPLATE_REPORT, dealer.ids, {"month": day.isoformat()})
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                (
                    "Content-Disposition",
                    content_disposition(f"stock_report_{day:%Y-%m}.xlsx"),
                ),
            ],
        )

    @http.route(
        ["/my/dealer/stock/upload"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_stock_upload(
        self, dealer, company, month=None, spreadsheet=None, **kw
    ):
        """The month's report from a spreadsheet of the template's columns: every
        wrong row said, nothing written unless every row is right."""
        day = self._stock_month(month)
        # one byte past the limit: the model says the file is too large
        content = spreadsheet.read(MAX_SPREADSHEET_BYTES + 1) if spreadsheet else b""
        result = request.env["dealer.stock.report"]._portal_import(
            dealer, company, day, content, spreadsheet.filename if spreadsheet else ""
        )
        return self._stock_page(dealer, company, day, result)

    @http.route(
        ["/my/dealer/stock/order"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @dealer_page
    def portal_my_dealer_stock_order(self, dealer, company, month=None, **kw):
        """The month's replenishment proposal as a quotation (in /my/quotes)."""
        day = self._stock_month(month)
        result = request.env["dealer.stock.report"]._portal_order(dealer, company, day)
        if isinstance(result, list):
            return self._stock_page(dealer, company, day, result)
        return request.redirect(result.get_portal_url())
