# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError


class DealerAccountStatementReport(models.AbstractModel):
    """The statement of account (对账单) of a month as a PDF: the figures and documents
    of ``dealer.account.statement._statement_values``, the page the portal shows.

    Printed for dealers (``docids``) and a month (``data["month"]``, any day of it).
    The report route is open to every logged-in user, portal users included, so the
    rights are checked here: the portal prints its own dealer's statement as
    superuser after checking who asks; anyone else must be of the dealer groups and
    read the dealers."""

    _name = "report.dealer_management.dealer_account_statement_document"
    _description = "Dealer Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        # the portal prints with the month in its context (CustomerPortal's
        # _show_report passes no data of a report's own)
        month = self.env["dealer.account.statement"]._ended_month(
            (data or {}).get("month") or self.env.context.get("dealer_statement_month")
        )
        if not month:
            raise UserError(
                _("Print the statement of a month that has ended: which month?")
            )
        dealers = self.env["res.partner"].browse(docids)
        # the figures are read by the addon: a dealer's only, never another
        # partner's that a user may read (a customer whose invoices are not his)
        if dealers - dealers._dealers():
            raise AccessError(_("Statements of account are printed for dealers only."))
        if not self.env.su:
            dealers._check_dealer_papers()
        Statement = self.env["dealer.account.statement"].sudo()
        statements = {}
        for dealer in dealers:
            company = dealer.company_id or self.env.company
            values = Statement._statement_values(dealer, company, month)
            values["currency"] = company.currency_id
            values["answer"] = Statement.search(
                [
                    ("partner_id", "=", dealer.id),
                    ("company_id", "=", company.id),
                    ("month", "=", values["month"]),
                ],
                limit=1,
            )
            statements[dealer.id] = values
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": dealers,
            "statements": statements,
        }
