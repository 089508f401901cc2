# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError


class DealerStockTemplateXlsx(models.AbstractModel):
    """The portal's stock report form of a month (``data["month"]``) as a workbook:
    one row per product with what the form proposes; the dealer fills it in and
    uploads it (``dealer.stock.report._portal_import`` reads these columns)."""

    _name = "report.dealer_management.dealer_stock_template_xlsx"
    _description = "Dealer Stock Report Template XLSX"
    _inherit = "report.report_xlsx.abstract"

    def _columns(self):
        return [
            _("Internal Reference"),
            _("Product"),
            _("Opening"),
            _("Received"),
            _("Sold"),
            _("Closing"),
        ]

    def generate_xlsx_report(self, workbook, data, dealers):
        month = fields.Date.to_date((data or {}).get("month"))
        if not month:
            raise UserError(_("Print the stock report of a month: which month?"))
        # report_xlsx renders as the user, not the addon: a portal user prints his
        # own dealer's form only, the dealer groups the dealers they read
        user = self.env.user
        if dealers - dealers._dealers() or (
            user.share and dealers != user.commercial_partner_id
        ):
            raise AccessError(_("A dealer's own stock report form only."))
        if not user.share:
            dealers._check_dealer_papers()
        bold = workbook.add_format({"bold": True})
        for dealer in dealers.sudo():
            company = dealer.company_id or self.env.company
            rows = self.env["dealer.stock.report"]._portal_rows(dealer, company, month)
            title = month.strftime("%Y-%m")
            sheet = workbook.add_worksheet(
                title if len(dealers) == 1 else f"{title} {dealer.id}"
            )
            sheet.write_row(0, 0, self._columns(), bold)
            sheet.set_column(0, 0, 18)
            sheet.set_column(1, 1, 40)
            sheet.set_column(2, 5, 12)
            for index, (product, row) in enumerate(rows.items(), start=1):
                # a reference or name is text, never a formula (a name may start =)
                sheet.write_string(index, 0, product.default_code or "")
                sheet.write_string(index, 1, product.name)
                for column, name in enumerate(
                    ("opening", "received", "sold", "closing"), start=2
                ):
                    if row[name] is not None:
                        sheet.write_number(index, column, row[name])
