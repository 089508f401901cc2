# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Statements of account (对账单): a dealer's receivables of a month, which the dealer
confirms or disputes on the portal.

How it works: ``docs/design.md``, section ``models/dealer_account_statement.py``."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models


class DealerAccountStatement(models.Model):
    _name = "dealer.account.statement"
    _description = "Dealer Statement of Account"
    _inherit = ["dealer.document.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "month desc, id desc"
    _governed_all = True  # the dealer's answer, recorded by the portal

    month = fields.Date(required=True, help="The first day of the month.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("confirmed", "Confirmed"), ("disputed", "Disputed")],
        string="Answer",
        required=True,
        tracking=True,
    )
    comment = fields.Text()
    answered_uid = fields.Many2one("res.users", string="Answered By", required=True)
    answered_on = fields.Datetime(required=True)
    opening_balance = fields.Monetary()
    invoiced_amount = fields.Monetary(string="Invoiced")
    credited_amount = fields.Monetary(string="Credited")
    paid_amount = fields.Monetary(string="Paid")
    closing_balance = fields.Monetary()
    overdue_amount = fields.Monetary(string="Overdue")

    _sql_constraints = [
        (
            "dealer_month_uniq",
            "unique(partner_id, company_id, month)",
            "A dealer answers the statement of a month once.",
        ),
    ]

    @api.depends("partner_id", "month")
    def _compute_display_name(self):
        for statement in self:
            statement.display_name = _(
                "%(dealer)s, %(month)s",
                dealer=statement.partner_id.name or "",
                month=statement.month and statement.month.strftime("%Y-%m") or "",
            )

    @api.model
    def _ended_month(self, value):
        """The first day of the month of ``value`` (a date or its text, any day of
        the month), when that month has ended and is one of a statement (from 1900);
        None for anything else, a malformed date included."""
        try:
            day = fields.Date.to_date(value)
        except (TypeError, ValueError):
            return None
        if not day or day.year < 1900:
            return None
        first = fields.Date.context_today(self).replace(day=1)
        return day.replace(day=1) if day < first else None

    @api.model
    def _month_bounds(self, month):
        start = month.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _statement_values(self, dealer, company, month):
        """The statement of ``dealer`` in ``company`` for the month of ``month``: its
        figures and the documents of the month."""
        start, end = self._month_bounds(month)
        Measure = self.env["dealer.measure"]
        before = Measure._receivables(
            company, [dealer.id], start - relativedelta(days=1)
        )
        after = Measure._receivables(company, [dealer.id], end)
        opening = before.get(dealer.id)
        closing = after.get(dealer.id)
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", dealer.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", ">=", start),
                    ("invoice_date", "<=", end),
                ],
                order="invoice_date, name",
            )
        )
        payments = (
            self.env["account.payment"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "=", dealer.id),
                    ("company_id", "=", company.id),
                    ("payment_type", "=", "inbound"),
                    ("state", "not in", ("draft", "canceled", "rejected")),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                order="date, name",
            )
        )
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        return {
            "month": start,
            "month_end": end,
            "moves": moves,
            # what each document had open at the month's end, as the closing balance
            # (not today's: paid since, it would read 0.00 under a balance owed)
            "open_at_end": Measure._open_amounts(moves, end),
            "payments": payments,
            "opening_balance": opening.open if opening else 0.0,
            "invoiced_amount": sum(invoices.mapped("amount_total_signed")),
            "credited_amount": -sum((moves - invoices).mapped("amount_total_signed")),
            "paid_amount": sum(payments.mapped("amount_company_currency_signed")),
            "closing_balance": closing.open if closing else 0.0,
            "overdue_amount": closing.overdue if closing else 0.0,
        }

    @api.model
    def _answer(self, dealer, company, month, answer, comment=""):
        """Record the current user's answer to the statement of ``dealer`` for the
        month of ``month``: ``confirmed``, or ``disputed`` with a comment. The caller
        has checked that the user works for the dealer. Returns the answer, or the
        list of what is wrong (nothing written)."""
        comment = (comment or "").strip()
        start, end = self._month_bounds(month)
        Statement = self.sudo()
        if answer not in ("confirmed", "disputed"):
            return [_("Confirm the statement or dispute it.")]
        if answer == "disputed" and not comment:
            return [_("Say what is wrong: a dispute needs a comment.")]
        if end >= fields.Date.context_today(self):
            return [_("A month is answered once it has ended.")]
        if Statement.search_count(
            [
                ("partner_id", "=", dealer.id),
                ("company_id", "=", company.id),
                ("month", "=", start),
            ]
        ):
            return [_("The statement of this month was answered already.")]
        values = self._statement_values(dealer, company, start)
        statement = Statement.create(
            {
                "partner_id": dealer.id,
                "company_id": company.id,
                "month": start,
                "state": answer,
                "comment": comment,
                "answered_uid": self.env.uid,
                "answered_on": fields.Datetime.now(),
                **{
                    name: values[name]
                    for name in (
                        "opening_balance",
                        "invoiced_amount",
                        "credited_amount",
                        "paid_amount",
                        "closing_balance",
                        "overdue_amount",
                    )
                },
            }
        )
        if answer == "disputed":
            statement._notify_accountants()
        return statement

    def _notify_accountants(self):
        """An activity for each Dealer Accountant of the company."""
        accountants = self.env.ref(
            "dealer_management.group_dealer_accountant"
        ).users.filtered(lambda u: self.company_id in u.company_ids and not u.share)
        for user in accountants:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=_(
                    "Statement of account disputed: %(name)s", name=self.display_name
                ),
                note=self.comment,
            )
