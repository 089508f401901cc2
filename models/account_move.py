# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# set by the addon's settlements only: a move linked by hand would leave the dealer's
# net sales (the measurement layer leaves settlements out) and block the real one
SETTLEMENT_LINKS = ("dealer_rebate_id", "dealer_fund_claim_id")
# what a settlement is: its state, dealer, dates and lines stay as the Settle button
# posted them (its payment, reconciliation and sending are the accountant's)
SETTLEMENT_FIELDS = {
    "state",
    "move_type",
    "journal_id",
    "partner_id",
    "commercial_partner_id",
    "currency_id",
    "date",
    "invoice_date",
    "name",
    "line_ids",
    "invoice_line_ids",
}
SETTLEMENT_LINE_FIELDS = {
    "move_id",
    "account_id",
    "partner_id",
    "product_id",
    "quantity",
    "price_unit",
    "discount",
    "tax_ids",
    "tax_line_id",
    "currency_id",
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "display_type",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    dealer_rebate_id = fields.Many2one(
        "dealer.rebate",
        string="Rebate Statement",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    dealer_fund_claim_id = fields.Many2one(
        "dealer.fund.claim",
        string="Market-Expense Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    dealer_post_seq = fields.Integer(
        string="Posting Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Increases with every posting of a customer invoice or credit note. A "
        "rebate statement records the last value it saw: the invoices posted after it "
        "belong to the next statement. Empty: posted before the addon was installed.",
    )

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL("""
            CREATE SEQUENCE IF NOT EXISTS dealer_move_post_seq;
            -- A statement is settled by one document: the database refuses a second one
            -- even when two accountants settle the same statement at the same moment.
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_dealer_rebate_uniq
                ON account_move (dealer_rebate_id)
             WHERE dealer_rebate_id IS NOT NULL AND state != 'cancel';
            -- and a market-expense claim by one credit note or vendor bill
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_dealer_fund_claim_uniq
                ON account_move (dealer_fund_claim_id)
             WHERE dealer_fund_claim_id IS NOT NULL AND state != 'cancel';
            -- One dealer's sales in a window (a statement's counted lines, his last
            -- invoice, his portal pages): Odoo indexes the invoice date and the
            -- partner, not the commercial partner the measurement layer groups by; at
            -- 200,000 dealers PostgreSQL otherwise reads every invoice of the window.
            CREATE INDEX IF NOT EXISTS account_move_dealer_sales_idx
                ON account_move (commercial_partner_id, invoice_date)
             WHERE move_type IN ('out_invoice', 'out_refund')
        """)
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_settlement_links(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_settlement_links(vals)
        if set(vals) & SETTLEMENT_FIELDS:
            self._check_not_a_settlement()
        return super().write(vals)

    def _check_settlement_links(self, vals):
        if self.env.su or not set(vals) & set(SETTLEMENT_LINKS):
            return
        raise AccessError(
            _(
                "A journal entry is linked to a rebate statement or a market-expense "
                "claim by their Settle button only (%(fields)s).",
                fields=", ".join(sorted(set(vals) & set(SETTLEMENT_LINKS))),
            )
        )

    def button_cancel(self):
        self._check_not_a_settlement(even_su=True)
        return super().button_cancel()

    def button_draft(self):
        self._check_not_a_settlement(even_su=True)
        return super().button_draft()

    def _check_not_a_settlement(self, even_su=False):
        """A settlement stays posted as it was made: its statement or claim says
        settled, for that amount (a reversal undoes it if it was wrong)."""
        if self.env.su and not even_su:
            return  # the Settle buttons themselves, which never reset nor cancel
        settled = self.filtered(lambda m: m.dealer_rebate_id or m.dealer_fund_claim_id)
        if settled:
            move = settled[:1]
            raise UserError(
                _(
                    "%(move)s settles %(document)s: it stays posted as it was made; "
                    "a reversal undoes it if it was wrong.",
                    move=move.display_name,
                    # named also to an accountant of Odoo who may not read it
                    document=(move.dealer_rebate_id or move.dealer_fund_claim_id)
                    .sudo()
                    .display_name,
                )
            )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        sales = posted.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if sales:
            sales.flush_recordset(["state"])
            self.env.cr.execute(
                SQL(
                    """UPDATE account_move
                    SET dealer_post_seq = nextval('dealer_move_post_seq')
                    WHERE id = ANY(%s)""",
                    sales.ids,
                )
            )
            sales.invalidate_recordset(["dealer_post_seq"])
        return posted

    def action_view_dealer_fund_claim(self):
        self.ensure_one()
        return self.dealer_fund_claim_id._get_records_action()

    def action_view_dealer_rebate(self):
        self.ensure_one()
        return self.dealer_rebate_id._get_records_action()


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["account.move"].browse(
            {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        )
        moves._check_not_a_settlement()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & SETTLEMENT_LINE_FIELDS:
            self.move_id._check_not_a_settlement()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settlement(self):
        self.move_id._check_not_a_settlement()
