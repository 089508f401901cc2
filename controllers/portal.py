# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The dealer portal (经销商门户): a dealer's own staff, portal users of the dealer's
commercial partner or of its contacts, see the dealer's file, targets, rebates and
contracts on /my, as Odoo's portal shows quotations and invoices.

What a portal user may read is decided by the record rules of the portal group
(``security/dealer_management_security.xml``): the records of his own commercial
partner only, statements once they left draft, contracts once signed. The pages search
as the user (the rules apply) and render the records found as superuser, since a page
shows fields of related records (the program's name, the salesperson) that the portal
group does not read itself.
"""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools.misc import format_amount, format_date

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

REBATE_REPORT = "dealer_management.dealer_rebate_report"
CONTRACT_REPORT = "dealer_management.dealer_contract_report"
STATEMENT_REPORT = "dealer_management.dealer_account_statement_report"
# the photos of a service case raised on the portal
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# a stock report uploaded as a spreadsheet
MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DealerPortal(CustomerPortal):
    # ------------------------------------------------------------------ helpers

    def _portal_dealer(self):
        """The dealer the current user works for (his commercial partner), or an
        empty recordset when he is none's."""
        partner = request.env.user.partner_id.commercial_partner_id.sudo()
        return partner if partner.is_dealer else partner.browse()

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        dealer = self._portal_dealer()
        for counter, model in (
            ("dealer_target_count", "dealer.sales.target"),
            ("dealer_rebate_count", "dealer.rebate"),
            ("dealer_service_count", "dealer.service.case"),
        ):
            if counter in counters:
                Model = request.env[model]
                values[counter] = (
                    Model.search_count([("partner_id", "=", dealer.id)])
                    if dealer and Model.has_access("read")
                    else 0
                )
        # read by the addon: the portal group has no access to these models
        for counter, model in (
            ("dealer_bulletin_count", "dealer.bulletin"),
            ("dealer_meeting_count", "dealer.visit"),
        ):
            if counter in counters:
                Model = request.env[model].sudo()
                values[counter] = (
                    Model.search_count(Model._portal_domain(dealer)) if dealer else 0
                )
        return values

    def _page_of(self, Model, domain, url, page, order, url_args):
        """One page of the records of ``domain`` and its pager."""
        pager = portal_pager(
            url=url,
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args=url_args,
        )
        records = Model.search(
            domain, order=order, limit=self._items_per_page, offset=pager["offset"]
        )
        return records, pager

    def _dealer_list_values(self, model, url, page, sortby, sortings, domain=()):
        """The values of a list page of ``model`` (pager, sort), searched as the user:
        the record rules keep him to his dealer's records."""
        sortby = sortby if sortby in sortings else next(iter(sortings))
        records, pager = self._page_of(
            request.env[model],
            [("partner_id", "=", self._portal_dealer().id), *domain],
            url,
            page,
            sortings[sortby]["order"],
            {"sortby": sortby},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records.sudo(),
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "dealer": self._portal_dealer(),
            }
        )
        return values

    # ------------------------------------------------------------ the dealer file

    @http.route(["/my/dealer"], type="http", auth="user", website=True)
    def portal_my_dealer(self, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        contracts = request.env["dealer.contract"].search(
            [("partner_id", "=", dealer.id)], order="date_start desc"
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_file",
                "dealer": dealer,
                "contracts": contracts.sudo(),
                "correction_sent": kw.get("correction_sent"),
            }
        )
        return request.render("dealer_management.portal_my_dealer", values)

    @http.route(
        ["/my/dealer/correction"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dealer_correction(self, message="", **kw):
        """Ask for a correction: a message on the dealer's file to its
        salesperson."""
        dealer = self._portal_dealer()
        message = (message or "").strip()
        if not dealer or not message:
            return request.redirect("/my/dealer")
        author = request.env.user.partner_id
        dealer.message_post(
            body=_(
                "Correction requested by %(author)s on the portal: %(message)s",
                author=author.name,
                message=message,
            ),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            partner_ids=dealer.user_id.partner_id.ids,
        )
        return request.redirect("/my/dealer?correction_sent=1")

    # ------------------------------------------------------------ targets

    def _target_sortings(self):
        return {
            "date": {"label": _("Period"), "order": "date_start desc, id desc"},
            "achievement": {"label": _("Achievement"), "order": "achievement desc"},
        }

    @http.route(
        ["/my/dealer/targets", "/my/dealer/targets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_targets(self, page=1, sortby=None, **kw):
        if not self._portal_dealer():
            return request.redirect("/my")
        values = self._dealer_list_values(
            "dealer.sales.target",
            "/my/dealer/targets",
            page,
            sortby,
            self._target_sortings(),
        )
        values["page_name"] = "dealer_targets"
        return request.render("dealer_management.portal_my_dealer_targets", values)

    # ------------------------------------------------------------ rebates

    def _rebate_sortings(self):
        return {
            "date": {"label": _("Statement End"), "order": "date_to desc, id desc"},
            "amount": {"label": _("Rebate"), "order": "amount desc"},
            "state": {"label": _("Status"), "order": "state"},
        }

    def _earned_to_date(self, dealer):
        """The drafts of the open periods, computed daily: what the dealer has earned
        so far, and how far the next bracket is."""
        today = fields.Date.context_today(request.env.user)
        drafts = (
            request.env["dealer.rebate"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", dealer.id),
                    ("state", "=", "draft"),
                    ("is_closing", "=", False),
                    ("period_start", "<=", today),
                    ("period_end", ">=", today),
                ],
                order="date_to",
            )
        )
        env = request.env
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

    @http.route(
        ["/my/dealer/rebates", "/my/dealer/rebates/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_rebates(self, page=1, sortby=None, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        values = self._dealer_list_values(
            "dealer.rebate",
            "/my/dealer/rebates",
            page,
            sortby,
            self._rebate_sortings(),
        )
        values.update(
            {"page_name": "dealer_rebates", "earned": self._earned_to_date(dealer)}
        )
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

    # ------------------------------------------------------------ contracts

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

    # ------------------------------------------------------------ service cases

    def _service_sortings(self):
        return {
            "date": {
                "label": _("Received On"),
                "order": "date_received desc, id desc",
            },
            "state": {"label": _("Status"), "order": "state, date_received desc"},
        }

    @http.route(
        ["/my/dealer/service", "/my/dealer/service/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_service(self, page=1, sortby=None, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        return self._render_service(dealer, page, sortby, kw)

    def _render_service(self, dealer, page, sortby, form, errors=None):
        """The cases' list with the form to raise one (``form``: what was typed,
        shown again with the ``errors`` when nothing was recorded)."""
        values = self._dealer_list_values(
            "dealer.service.case",
            "/my/dealer/service",
            page,
            sortby,
            self._service_sortings(),
        )
        values.update(self._service_form_values(dealer, form, errors))
        values["page_name"] = "dealer_service"
        return request.render("dealer_management.portal_my_dealer_service", values)

    def _service_form_values(self, dealer, kw, errors=None):
        products = dealer._dealer_products(dealer.company_id or request.env.company)
        types = dict(
            request.env["dealer.service.case"]
            ._fields["case_type"]
            ._description_selection(request.env)
        )
        return {
            "service_products": products,
            "service_types": types,
            "service_errors": errors or [],
            "service_values": kw,
        }

    @http.route(
        ["/my/dealer/service/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dealer_service_new(self, **kw):
        """Raise a case: validated here, written as the addon (the portal group may
        read its dealer's cases, not write them), photos attached and posted on the
        case by the user who raised it. Nothing is written when anything is wrong."""
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        Case = request.env["dealer.service.case"].sudo()
        errors = []
        case_type = kw.get("case_type")
        if case_type not in dict(Case._fields["case_type"].selection):
            errors.append(_("Choose the kind of case."))
        product = self._service_form_values(dealer, {})["service_products"].filtered(
            lambda p: str(p.id) == kw.get("product_id", "")
        )
        if kw.get("product_id") and not product:
            errors.append(_("Choose a product of the list."))
        try:
            quantity = float(kw.get("quantity") or 0)
        except ValueError:
            quantity = -1
        if quantity < 0:
            errors.append(_("The quantity is a number, zero or more."))
        reason = (kw.get("reason") or "").strip()
        if not reason:
            errors.append(_("Say what happened: the reason is required."))
        photos = [f for f in request.httprequest.files.getlist("photos") if f.filename]
        if len(photos) > MAX_PHOTOS:
            errors.append(_("At most %(count)s photos.", count=MAX_PHOTOS))
        contents = []
        for photo in photos:
            data = photo.read()
            if len(data) > MAX_PHOTO_BYTES:
                errors.append(
                    _(
                        "%(name)s is larger than %(size)s MB.",
                        name=photo.filename,
                        size=MAX_PHOTO_BYTES // (1024 * 1024),
                    )
                )
            elif not (photo.mimetype or "").startswith("image/"):
                errors.append(_("%(name)s is not a picture.", name=photo.filename))
            contents.append((photo.filename, data))
        if errors:
            return self._render_service(dealer, 1, None, kw, errors)
        author = request.env.user.partner_id
        case = Case.create(
            {
                "partner_id": dealer.id,
                "company_id": (dealer.company_id or request.env.company).id,
                "case_type": case_type,
                "product_id": product.id,
                "quantity": quantity,
                "reason": reason,
                "user_id": dealer.user_id.id,
            }
        )
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    # as uploads are made: message_post moves them onto the case
                    {
                        "name": name,
                        "raw": data,
                        "res_model": "mail.compose.message",
                        "res_id": 0,
                    }
                    for name, data in contents
                ]
            )
        )
        case.message_post(
            body=_("Case raised on the portal by %(author)s.", author=author.name),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments.ids,
        )
        return request.redirect(case.get_portal_url())

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

    # ------------------------------------------------------------ statements of account

    @http.route(["/my/dealer/statements"], type="http", auth="user", website=True)
    def portal_my_dealer_statements(self, **kw):
        """The last twelve months that have ended, each with the dealer's answer."""
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        first = fields.Date.context_today(request.env.user).replace(day=1)
        months = [first - relativedelta(months=n) for n in range(1, 13)]
        answers = {
            statement.month: statement
            for statement in request.env["dealer.account.statement"].search(
                [("partner_id", "=", dealer.id), ("month", ">=", months[-1])]
            )
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dealer_statements",
                "months": [(month, answers.get(month)) for month in months],
            }
        )
        return request.render("dealer_management.portal_my_dealer_statements", values)

    def _statement_month(self, year, month):
        """The first day of an ended month, or None."""
        try:
            day = date(year, month, 1)
        except ValueError:
            return None
        return request.env["dealer.account.statement"]._ended_month(day)

    @http.route(
        ["/my/dealer/statements/<int:year>/<int:month>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_statement(
        self, year, month, report_type=None, download=False, **kw
    ):
        dealer = self._portal_dealer()
        day = self._statement_month(year, month)
        if not dealer or not day:
            return request.not_found()
        if report_type in ("html", "pdf"):
            return self._statement_report(dealer, day, report_type, download)
        return self._render_statement(dealer, day)

    def _statement_report(self, dealer, day, report_type, download):
        """The statement as its PDF (or the PDF's HTML), printed as superuser for the
        user's own dealer in the user's language."""
        company = dealer.company_id or request.env.company
        Report = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(company)
            .with_context(lang=request.env.lang)
        )
        render = getattr(Report, f"_render_qweb_{report_type}")
        content = render(
            STATEMENT_REPORT,
            dealer.ids,
            data={"month": day.isoformat(), "report_type": report_type},
        )[0]
        headers = [
            (
                "Content-Type",
                "application/pdf"
                if report_type == "pdf"
                else "text/html; charset=utf-8",
            ),
            ("Content-Length", len(content)),
        ]
        if report_type == "pdf":
            headers.append(
                (
                    "Content-Disposition",
                    content_disposition(
                        f"statement_{day:%Y-%m}.pdf",
                        disposition_type="attachment" if download else "inline",
                    ),
                )
            )
        return request.make_response(content, headers=headers)

    def _render_statement(self, dealer, day, error=None):
        company = dealer.company_id or request.env.company
        Statement = request.env["dealer.account.statement"]
        values = self._prepare_portal_layout_values()
        statement = Statement._statement_values(dealer, company, day)
        values.update(
            {
                "page_name": "dealer_statement",
                "statement": statement,
                "month": statement["month"],
                "dealer": dealer,
                "currency": company.currency_id,
                "answer": Statement.search(
                    [("partner_id", "=", dealer.id), ("month", "=", day)], limit=1
                ),
                "error": error,
            }
        )
        return request.render("dealer_management.portal_my_dealer_statement", values)

    @http.route(
        ["/my/dealer/statements/<int:year>/<int:month>/answer"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dealer_statement_answer(
        self, year, month, answer=None, comment="", **kw
    ):
        dealer = self._portal_dealer()
        day = self._statement_month(year, month)
        if not dealer or not day:
            return request.not_found()
        try:
            request.env["dealer.account.statement"]._answer(
                dealer, dealer.company_id or request.env.company, day, answer, comment
            )
        except UserError as error:
            return self._render_statement(dealer, day, error.args[0])
        return request.redirect(f"/my/dealer/statements/{year}/{month}")

    # ------------------------------------------------------------ stock reports

    def _stock_month(self, value):
        """The first day of the month ``value`` (YYYY-MM) says, not after this month;
        by default the last month that ended."""
        this_month = fields.Date.context_today(request.env.user).replace(day=1)
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            day = date(year, month, 1)
        except ValueError:
            return this_month - relativedelta(months=1)
        return min(day, this_month)

    def _render_stock(self, dealer, month, errors=None, submitted=None):
        company = dealer.company_id or request.env.company
        rows = request.env["dealer.stock.report"]._portal_rows(dealer, company, month)
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
                "rows": rows,
                "errors": errors or [],
                "submitted": submitted or {},
            }
        )
        return request.render("dealer_management.portal_my_dealer_stock", values)

    @http.route(["/my/dealer/stock"], type="http", auth="user", website=True)
    def portal_my_dealer_stock(self, month=None, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        return self._render_stock(dealer, self._stock_month(month))

    @http.route(
        ["/my/dealer/stock/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dealer_stock_submit(self, month=None, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        day = self._stock_month(month)
        rows, errors = {}, []
        product_ids = {
            int(key.split("_", 1)[1])
            for key in kw
            if key.startswith("closing_") and key.split("_", 1)[1].isdigit()
        }
        for product_id in sorted(product_ids):
            quantities = []
            for name in ("opening", "received", "sold", "closing"):
                try:
                    quantities.append(float(kw.get(f"{name}_{product_id}") or 0))
                except ValueError:
                    errors.append(
                        _(
                            "%(value)s is not a quantity.",
                            value=kw.get(f"{name}_{product_id}"),
                        )
                    )
                    quantities.append(0.0)
            rows[product_id] = tuple(quantities)
        if not errors:
            try:
                request.env["dealer.stock.report"]._portal_submit(
                    dealer, dealer.company_id or request.env.company, day, rows
                )
            except UserError as error:
                errors = error.args[0].split("\n")
        if errors:
            return self._render_stock(dealer, day, errors, kw)
        return request.redirect(f"/my/dealer/stock?month={day:%Y-%m}&saved=1")

    @http.route(["/my/dealer/stock/template"], type="http", auth="user", website=True)
    def portal_my_dealer_stock_template(self, month=None, **kw):
        """The month's form as a spreadsheet to fill and upload."""
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        day = self._stock_month(month)
        content = request.env["dealer.stock.report"]._portal_template(
            dealer, dealer.company_id or request.env.company, day
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
    def portal_my_dealer_stock_upload(self, month=None, spreadsheet=None, **kw):
        """The month's report from a spreadsheet of the form's columns: every wrong
        row said, nothing written unless every row is right."""
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        day = self._stock_month(month)
        content = spreadsheet.read(MAX_SPREADSHEET_BYTES + 1) if spreadsheet else b""
        if len(content) > MAX_SPREADSHEET_BYTES:
            errors = [
                _(
                    "The file is larger than %(size)s MB.",
                    size=MAX_SPREADSHEET_BYTES // (1024 * 1024),
                )
            ]
            return self._render_stock(dealer, day, errors)
        try:
            request.env["dealer.stock.report"]._portal_import(
                dealer,
                dealer.company_id or request.env.company,
                day,
                content,
                spreadsheet.filename if spreadsheet else "",
            )
        except UserError as error:
            return self._render_stock(dealer, day, error.args[0].split("\n"))
        return request.redirect(f"/my/dealer/stock?month={day:%Y-%m}&saved=1")

    @http.route(
        ["/my/dealer/stock/order"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dealer_stock_order(self, month=None, **kw):
        """The month's replenishment proposal as a quotation (in /my/quotes)."""
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        day = self._stock_month(month)
        try:
            order = request.env["dealer.stock.report"]._portal_order(
                dealer, dealer.company_id or request.env.company, day
            )
        except UserError as error:
            return self._render_stock(dealer, day, [error.args[0]])
        return request.redirect(order.get_portal_url())

    # ------------------------------------------------------------ bulletins, meetings

    def _sudo_list_values(self, model, url, page, dealer, options, kw):
        """A list page of a model the portal group has no access to: the records of
        the model's ``_portal_domain(dealer)``, read by the addon, sorted, filtered
        and searched as Odoo's portal lists are (``options``: the sortings, filters
        and search inputs; ``kw``: the request's sortby, filterby, search)."""
        Model = request.env[model].sudo()
        sortings, filters = options["sortings"], options["filters"]
        sortby = (
            kw.get("sortby") if kw.get("sortby") in sortings else next(iter(sortings))
        )
        filterby = (
            kw.get("filterby") if kw.get("filterby") in filters else next(iter(filters))
        )
        search = (kw.get("search") or "").strip()
        domain = Model._portal_domain(dealer) + filters[filterby]["domain"]
        if search:
            domain += [(options["search_field"], "ilike", search)]
        records, pager = self._page_of(
            Model,
            domain,
            url,
            page,
            sortings[sortby]["order"],
            {"sortby": sortby, "filterby": filterby, "search": search},
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "records": records,
                "pager": pager,
                "default_url": url,
                "dealer": dealer,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": {
                    "all": {"input": "all", "label": options["search_label"]}
                },
                "search_in": "all",
                "search": search,
            }
        )
        return values

    def _bulletin_options(self):
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

    @http.route(
        ["/my/dealer/bulletins", "/my/dealer/bulletins/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_bulletins(self, page=1, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        values = self._sudo_list_values(
            "dealer.bulletin",
            "/my/dealer/bulletins",
            page,
            dealer,
            self._bulletin_options(),
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
        return request.render("dealer_management.portal_my_dealer_bulletins", values)

    @http.route(
        ["/my/dealer/bulletins/<int:bulletin_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_bulletin(self, bulletin_id, **kw):
        """A bulletin addressed to the user's dealer; reading it keeps the receipt."""
        dealer = self._portal_dealer()
        Bulletin = request.env["dealer.bulletin"].sudo()
        bulletin = Bulletin.search(
            [("id", "=", bulletin_id), *Bulletin._portal_domain(dealer)]
        )
        if not dealer or not bulletin:
            return request.not_found()
        bulletin.with_user(request.env.user)._portal_read(dealer)
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "dealer_bulletin", "bulletin": bulletin})
        return request.render("dealer_management.portal_my_dealer_bulletin", values)

    def _meeting_options(self):
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

    @http.route(
        ["/my/dealer/meetings", "/my/dealer/meetings/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dealer_meetings(self, page=1, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.redirect("/my")
        return self._render_meetings(dealer, page, kw)

    def _render_meetings(self, dealer, page=1, kw=None, error=None):
        values = self._sudo_list_values(
            "dealer.visit",
            "/my/dealer/meetings",
            page,
            dealer,
            self._meeting_options(),
            kw or {},
        )
        values.update(
            {
                "page_name": "dealer_meetings",
                "today": fields.Date.context_today(request.env.user),
                "error": error,
            }
        )
        return request.render("dealer_management.portal_my_dealer_meetings", values)

    @http.route(
        ["/my/dealer/meetings/<int:meeting_id>/attend"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dealer_meeting_attend(self, meeting_id, answer=None, **kw):
        dealer = self._portal_dealer()
        if not dealer:
            return request.not_found()
        meeting = request.env["dealer.visit"].browse(meeting_id)
        try:
            meeting._portal_attend(dealer, answer)
        except (AccessError, MissingError):
            return request.not_found()
        except UserError as error:
            return self._render_meetings(dealer, error=error.args[0])
        return request.redirect("/my/dealer/meetings")
