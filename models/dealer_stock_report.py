# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dealer inventory (库存管理) and the replenishment proposal (要货计划).

Each month the dealer reports, per product: opening stock, received, sold (sell-out)
and closing stock, which must balance (opening + received - sold = closing). The
replenishment arithmetic (average sell-out, weeks of cover, the proposal, overstock) is
``dealer_replenishment_rules.py``'s; this file reads the history and the rules."""

import math

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..tools.spreadsheet import (
    MAX_QUANTITY,
    SpreadsheetError,
    quantity,
    read_quantity_rows,
)
from .dealer_replenishment_rules import replenishment
from .res_partner import DEALER_DOMAIN

# an uploaded stock report: the rows read beyond the form's products
MAX_EXTRA_ROWS = 50
# and the file's size
MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024
QUANTITIES = ("opening", "received", "sold", "closing")
# the first key of the advisory lock of a dealer's portal stock report (its second:
# the dealer)
PORTAL_LOCK = 0x44535452


class DealerSafetyStock(models.Model):
    """The stock a dealer should keep of a product, by season (months of the year)."""

    _name = "dealer.safety.stock"
    _description = "Dealer Safety Stock"
    _order = "product_id, month_from"

    product_id = fields.Many2one("product.product", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        index=True,
        domain=DEALER_DOMAIN,
        help="Empty: for every dealer.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    month_from = fields.Integer(
        string="From Month", required=True, default=1, aggregator=None
    )
    month_to = fields.Integer(
        string="To Month", required=True, default=12, aggregator=None
    )
    quantity = fields.Float(
        string="Safety Stock", required=True, digits="Product Unit of Measure"
    )
    cover_weeks = fields.Float(
        string="Cover Wanted (Weeks)",
        required=True,
        default=4.0,
        help="Weeks of sell-out the replenishment should cover.",
        aggregator=None,
    )

    @api.constrains("month_from", "month_to", "quantity", "cover_weeks")
    def _check_values(self):
        for rule in self:
            if not (1 <= rule.month_from <= 12 and 1 <= rule.month_to <= 12):
                raise ValidationError(_("Season months go from 1 to 12."))
            if rule.quantity < 0 or rule.cover_weeks < 0:
                raise ValidationError(_("Safety stock and cover cannot be negative."))

    def _applies(self, month):
        """Whether this rule covers ``month`` (a season may wrap: November to
        February)."""
        self.ensure_one()
        if self.month_from <= self.month_to:
            return self.month_from <= month <= self.month_to
        return month >= self.month_from or month <= self.month_to


class DealerStockReport(models.Model):
    _name = "dealer.stock.report"
    _description = "Dealer Stock Report"
    _inherit = ["dealer.document.mixin", "mail.thread"]
    _order = "month desc, partner_id, product_id"
    # accepted by the salesperson (or a manager) with the button; a dealer reporting on
    # the portal changes only what was not accepted yet
    _governed_extra = ("state",)

    month = fields.Date(required=True, help="The first day of the month reported.")
    product_id = fields.Many2one("product.product", required=True, index=True)
    opening = fields.Float(digits="Product Unit of Measure")
    received = fields.Float(
        digits="Product Unit of Measure",
        help="Proposed from what was invoiced to the dealer in the month.",
    )
    sold = fields.Float(string="Sold (Sell-Out)", digits="Product Unit of Measure")
    closing = fields.Float(digits="Product Unit of Measure")
    average_sold = fields.Float(
        string="Average Monthly Sell-Out",
        compute="_compute_replenishment",
        digits=(16, 2),
    )
    weeks_of_cover = fields.Float(compute="_compute_replenishment", digits=(16, 1))
    safety_stock = fields.Float(
        compute="_compute_replenishment", digits="Product Unit of Measure"
    )
    proposed_quantity = fields.Float(
        string="Replenishment Proposal",
        compute="_compute_replenishment",
        digits="Product Unit of Measure",
    )
    is_overstock = fields.Boolean(string="Overstock", compute="_compute_replenishment")
    sale_order_id = fields.Many2one(
        "sale.order", string="Replenishment Order", copy=False, readonly=True
    )
    state = fields.Selection(
        [("submitted", "Submitted"), ("accepted", "Accepted")],
        default="submitted",
        required=True,
        tracking=True,
        copy=False,
    )

    _sql_constraints = [
        (
            "dealer_month_product_uniq",
            "unique(partner_id, month, product_id, company_id)",
            "A dealer reports a product once a month.",
        ),
    ]

    @api.constrains("month", "opening", "received", "sold", "closing")
    def _check_balance(self):
        for report in self:
            if report.month.day != 1:
                raise ValidationError(
                    _("A stock report is for a month: date it on the 1st.")
                )
            errors = self._row_errors(
                report.product_id, *(report[name] for name in QUANTITIES)
            )
            if errors:
                raise ValidationError("\n".join(errors))

    @api.model
    def _row_errors(self, product, opening, received, sold, closing):
        """What is wrong with a report's row: the one check of the backend's
        constraint, the portal's form and its upload."""
        figures = (opening, received, sold, closing)
        if not all(math.isfinite(f) and abs(f) <= MAX_QUANTITY for f in figures):
            largest = f"{MAX_QUANTITY:,.0f}"
            return [
                _(
                    "%(product)s: a quantity is a number up to %(max)s.",
                    product=product.display_name,
                    max=largest,
                )
            ]
        if min(figures) < 0:
            return [
                _(
                    "%(product)s: stock quantities cannot be negative.",
                    product=product.display_name,
                )
            ]
        if float_compare(opening + received - sold, closing, precision_digits=4):
            return [
                _(
                    "%(product)s: opening %(opening)s + received %(received)s - "
                    "sold %(sold)s is not the closing %(closing)s.",
                    product=product.display_name,
                    opening=opening,
                    received=received,
                    sold=sold,
                    closing=closing,
                )
            ]
        return []

    @api.onchange("partner_id", "product_id", "month")
    def _onchange_propose(self):
        """Opening from last month's closing, received from our invoices of the
        month."""
        if not (self.partner_id and self.product_id and self.month):
            return
        previous = self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("product_id", "=", self.product_id.id),
                ("month", "=", self.month - relativedelta(months=1)),
            ],
            limit=1,
        )
        if previous:
            self.opening = previous.closing
        self.received = self._invoiced_quantity()

    def _invoiced_quantity(self):
        """Net quantity of the product invoiced to the dealer during the month."""
        self.ensure_one()
        quantities = self.env["dealer.measure"]._sales_by_product(
            self.company_id or self.env.company,
            [self.partner_id.id],
            self.month,
            self.month + relativedelta(months=1, days=-1),
        )
        return quantities.get((self.partner_id.id, self.product_id.id), [0.0])[0]

    @api.depends("partner_id", "product_id", "month", "sold", "closing", "company_id")
    def _compute_replenishment(self):
        months = 3
        keys = {
            (r.partner_id.id, r.product_id.id)
            for r in self
            if r.partner_id and r.product_id and r.month
        }
        history = (
            self.search_read(
                [
                    ("partner_id", "in", list({k[0] for k in keys})),
                    ("product_id", "in", list({k[1] for k in keys})),
                    (
                        "month",
                        ">=",
                        min(r.month for r in self if r.month)
                        - relativedelta(months=months - 1),
                    ),
                ],
                ["partner_id", "product_id", "month", "sold"],
            )
            if keys
            else []
        )
        rules = self.env["dealer.safety.stock"].search(
            [("product_id", "in", list({k[1] for k in keys}))]
        )
        for report in self:
            if not (report.month and report.partner_id and report.product_id):
                report.update(
                    {
                        "average_sold": 0.0,
                        "safety_stock": 0.0,
                        "weeks_of_cover": 0.0,
                        "proposed_quantity": 0.0,
                        "is_overstock": False,
                    }
                )
                continue
            window_start = report.month - relativedelta(months=months - 1)
            sold = [
                h["sold"]
                for h in history
                if h["partner_id"][0] == report.partner_id.id
                and h["product_id"][0] == report.product_id.id
                and window_start <= h["month"] <= report.month
            ]
            if report.id not in [h["id"] for h in history]:
                sold.append(report.sold)  # a report not saved yet
            rule = report._safety_rule(rules)
            report.safety_stock = rule.quantity if rule else 0.0
            report.update(
                replenishment(
                    sold,
                    report.closing,
                    report.safety_stock,
                    rule.cover_weeks if rule else None,
                    (report.company_id or self.env.company).dealer_overstock_weeks,
                )
            )

    def _safety_rule(self, rules):
        """The dealer's own rule for the product and season, else the general one."""
        month = self.month.month if self.month else 1
        candidates = rules.filtered(
            lambda r: r.product_id == self.product_id
            and r.company_id == self.company_id
            and r._applies(month)
        )
        return (
            candidates.filtered(lambda r: r.partner_id == self.partner_id)
            or candidates.filtered(lambda r: not r.partner_id)
        )[:1]

    def action_create_sale_order(self):
        """A draft sale order to the dealer with the proposed quantities of ``self``."""
        todo = self.filtered(lambda r: r.proposed_quantity > 0 and not r.sale_order_id)
        if not todo:
            raise UserError(_("Nothing to replenish: no proposal, or already ordered."))
        if len(todo.partner_id) > 1 or len(todo.company_id) > 1:
            raise UserError(_("Replenish one dealer at a time."))
        order = self.env["sale.order"].create(
            {
                "partner_id": todo.partner_id.id,
                "company_id": todo.company_id.id,
                "origin": _(
                    "Replenishment %(month)s", month=todo[0].month.strftime("%Y-%m")
                ),
                "order_line": [
                    Command.create(
                        {
                            "product_id": report.product_id.id,
                            "product_uom_qty": report.proposed_quantity,
                        }
                    )
                    for report in todo
                ],
            }
        )
        todo._governed_write({"sale_order_id": order.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def action_accept(self):
        """The salesperson (or a manager) accepts the reports: the dealer no longer
        changes them on the portal."""
        if self.filtered(lambda r: r.state != "submitted"):
            raise UserError(_("Only submitted stock reports are accepted."))
        self._governed_write({"state": "accepted"})
        return True

    @api.model
    def _portal_rows(self, dealer, company, month):
        """What the portal's form proposes for ``dealer`` and ``month``: one row per
        product the dealer reported before or was invoiced in the last three months,
        {product: {opening, received, sold, closing, report}} (the report of the
        month when there is one: its figures; else opening from last month's closing,
        received from what was invoiced in the month)."""
        Report = self.sudo()
        month_end = month + relativedelta(months=1, days=-1)
        invoiced = self.env["dealer.measure"]._sales_by_product(
            company, [dealer.id], month - relativedelta(months=2), month_end
        )
        this_month = self.env["dealer.measure"]._sales_by_product(
            company, [dealer.id], month, month_end
        )
        reports = Report.search(
            [
                ("partner_id", "=", dealer.id),
                ("company_id", "=", company.id),
                ("month", "in", (month, month - relativedelta(months=1))),
            ]
        )
        current = {r.product_id: r for r in reports if r.month == month}
        previous = {r.product_id: r for r in reports if r.month != month}
        products = (
            self.env["product.product"]
            .sudo()
            .browse(
                {pid for (_dealer, pid) in invoiced}
                | set(r.product_id.id for r in reports)
            )
            .exists()
            .sorted("display_name")
        )
        rows = {}
        for product in products:
            report = current.get(product)
            if report:
                values = {
                    name: report[name]
                    for name in ("opening", "received", "sold", "closing")
                }
            else:
                received = this_month.get((dealer.id, product.id), [0.0])[0]
                opening = previous[product].closing if product in previous else 0.0
                values = {
                    "opening": opening,
                    "received": max(received, 0.0),
                    "sold": 0.0,
                    "closing": opening + max(received, 0.0),
                }
            rows[product] = dict(values, report=report or Report)
        return rows

    @api.model
    def _portal_errors(self, allowed, rows):
        """{product id: [errors]} of the ``rows`` {product id: (opening, received,
        sold, closing)}: a product of the portal's list (``allowed``,
        ``_portal_rows``), the row checked as the backend checks it
        (:meth:`_row_errors`), a report accepted by the salesperson left as it is."""
        by_id = {product.id: product for product in allowed}
        errors = {}
        for product_id, quantities in rows.items():
            product = by_id.get(product_id)
            if not product:
                errors[product_id] = [
                    _("A product of the list only (%(id)s).", id=product_id)
                ]
                continue
            found = self._row_errors(product, *quantities)
            if allowed[product]["report"].state == "accepted":
                found.append(
                    _(
                        "%(product)s: your salesperson accepted this month's report; "
                        "ask him for a change.",
                        product=product.display_name,
                    )
                )
            if found:
                errors[product_id] = found
        return errors

    @api.model
    def _wait_for_other_writers(self, dealer, month, new_product_ids):
        """Two of the dealer's staff sending the month at once: the second waits for
        the first. If the first changed the month's reports, the second is tried
        again from the start (the row lock raises a serialization failure, which
        Odoo retries) and updates them; if the first created some, the second is
        told (it cannot see them yet) and nothing of it is written. Returns the
        errors."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", PORTAL_LOCK, dealer.id))
        cr.execute(
            SQL(
                "SELECT id FROM dealer_stock_report WHERE partner_id = %s "
                "AND month = %s FOR UPDATE",
                dealer.id,
                month,
            ),
            log_exceptions=False,  # a concurrent update: retried, not an error
        )
        if not new_product_ids:
            return []
        with self.env.registry.cursor() as fresh:
            fresh.execute(
                SQL(
                    "SELECT 1 FROM dealer_stock_report WHERE partner_id = %s "
                    "AND month = %s AND product_id = ANY(%s) LIMIT 1",
                    dealer.id,
                    month,
                    new_product_ids,
                )
            )
            if fresh.fetchone():
                return [
                    _(
                        "Someone else sent this month's report at the same moment: "
                        "nothing of yours was recorded. Check the month and send "
                        "it again."
                    )
                ]
        return []

    @api.model
    def _portal_submit(self, dealer, company, month, rows, allowed=None):
        """The dealer's monthly report from the portal: ``rows`` {product id: (opening,
        received, sold, closing)}, checked by ``_portal_errors``. Returns the reports
        written, or the list of every error (nothing written)."""
        if allowed is None:  # the form's rows, unless the caller read them already
            allowed = self._portal_rows(dealer, company, month)
        by_id = {product.id: product for product in allowed}
        errors = self._portal_errors(allowed, rows)
        if errors:
            return [e for found in errors.values() for e in found]
        busy = self._wait_for_other_writers(
            dealer, month, [pid for pid in rows if not allowed[by_id[pid]]["report"]]
        )
        if busy:
            return busy
        written = self.sudo().browse()
        for product_id, quantities in rows.items():
            product = by_id[product_id]
            values = dict(zip(QUANTITIES, quantities, strict=True))
            report = allowed[product]["report"]
            if report:
                report.write(values)
            else:
                report = report.create(
                    {
                        **values,
                        "partner_id": dealer.id,
                        "company_id": company.id,
                        "month": month,
                        "product_id": product_id,
                    }
                )
            written |= report
        return written

    @api.model
    def _portal_form_rows(self, form):
        """The rows typed in the portal's form (fields ``opening_<product id>`` ...):
        ({product id: (opening, received, sold, closing)}, [errors])."""
        rows, errors = {}, []
        product_ids = {
            int(key.split("_", 1)[1])
            for key in form
            if key.startswith("closing_") and key.split("_", 1)[1].isdigit()
        }
        for product_id in sorted(product_ids):
            quantities = []
            for name in QUANTITIES:
                value = form.get(f"{name}_{product_id}")
                number, is_number = quantity(value)
                if value not in (None, "") and not is_number:
                    errors.append(_("%(value)s is not a quantity.", value=value))
                quantities.append(number)
            rows[product_id] = tuple(quantities)
        return rows, errors

    @api.model
    def _portal_submit_form(self, dealer, company, month, form):
        """The dealer's monthly report as typed in the portal's form. Returns the
        reports written, or the list of every error (nothing written)."""
        rows, errors = self._portal_form_rows(form)
        return errors or self._portal_submit(dealer, company, month, rows)

    @api.model
    def _portal_import(self, dealer, company, month, content, filename):
        """The month's report from a spreadsheet (.xlsx or .csv) of the template's
        columns (``dealer_stock_template_xlsx``): a product is found by its internal
        reference, else by its name, among the form's products. Returns the reports
        written, or the list of every error, each with its row (nothing written)."""
        if len(content) > MAX_SPREADSHEET_BYTES:
            return [
                _(
                    "The file is larger than %(size)s MB.",
                    size=MAX_SPREADSHEET_BYTES // (1024 * 1024),
                )
            ]
        allowed = self._portal_rows(dealer, company, month)
        # the form's rows, a row of headings and some room for empty or wrong rows
        max_rows = len(allowed) + MAX_EXTRA_ROWS
        try:
            lines = read_quantity_rows(content, filename, max_rows, len(QUANTITIES))
        except SpreadsheetError:
            return [
                _(
                    "Upload an .xlsx or .csv file of the template's columns, at most "
                    "%(rows)s rows.",
                    rows=max_rows,
                )
            ]
        if not lines:
            return [_("The file has no rows to report.")]
        by_code = {
            product.default_code.strip().casefold(): product
            for product in allowed
            if product.default_code
        }
        by_name = {product.name.strip().casefold(): product for product in allowed}
        by_name.update(
            {product.display_name.strip().casefold(): product for product in allowed}
        )
        errors, rows, row_of = [], {}, {}  # errors: (row number, message)
        for number, code, name, quantities, wrong in lines:
            product = (
                by_code.get(code.casefold()) if code else by_name.get(name.casefold())
            )
            if not product:
                message = _(
                    "%(product)s is not a product of the form (its internal "
                    "reference or name, as in the template).",
                    product=code or name or "-",
                )
                errors.append((number, message))
                continue
            if product.id in row_of:
                message = _(
                    "%(product)s is on row %(first)s already.",
                    product=product.display_name,
                    first=row_of[product.id],
                )
                errors.append((number, message))
                continue
            errors.extend(
                (number, _("%(value)s is not a quantity.", value=cell))
                for cell in wrong
            )
            row_of[product.id] = number
            rows[product.id] = tuple(quantities)
        for product_id, found in self._portal_errors(allowed, rows).items():
            errors.extend((row_of[product_id], message) for message in found)
        if errors:
            return [
                _("Row %(row)s: %(error)s", row=number, error=message)
                for number, message in sorted(errors, key=lambda e: e[0])
            ]
        return self._portal_submit(dealer, company, month, rows, allowed)

    @api.model
    def _portal_order(self, dealer, company, month):
        """The dealer turns the month's replenishment proposal into a quotation: sent
        to him (it shows in /my/quotes), his salesperson's, with an activity for the
        salesperson to review it. Returns the order, or the list of what is wrong."""
        reports = self.sudo().search(
            [
                ("partner_id", "=", dealer.id),
                ("company_id", "=", company.id),
                ("month", "=", month),
                ("sale_order_id", "=", False),
            ]
        )
        reports = reports.filtered(lambda r: r.proposed_quantity > 0)
        if not reports:
            return [_("Nothing to order: no proposal, or already ordered.")]
        action = reports.action_create_sale_order()
        order = self.env["sale.order"].sudo().browse(action["res_id"])
        order.user_id = dealer.user_id
        order.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        order.action_quotation_sent()
        if dealer.user_id:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=dealer.user_id.id,
                summary=_("Replenishment ordered by the dealer on the portal"),
            )
        return order
