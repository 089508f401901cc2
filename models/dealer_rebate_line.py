# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a rebate statement is made of: the invoice lines it counts (a read-only view,
every amount traceable to its invoice) and the adjustments it carries for earlier,
closed periods (written by the calculation)."""

from odoo import fields, models
from odoo.tools import SQL


class DealerRebateAdjustment(models.Model):
    """A change to an earlier, closed period of the program, carried by a later
    statement: that period computed again with the lines it had not counted."""

    _name = "dealer.rebate.adjustment"
    _description = "Dealer Rebate Adjustment"
    _inherit = ["dealer.governed.mixin"]
    _governed_all = True  # the calculation's
    _order = "period_start"

    rebate_id = fields.Many2one(
        "dealer.rebate", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="rebate_id.currency_id")
    # whose adjustment it is, for the record rules (the statement's dealer and company)
    partner_id = fields.Many2one(related="rebate_id.partner_id")
    company_id = fields.Many2one(related="rebate_id.company_id")
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    basis_amount = fields.Float(string="Basis", digits=(16, 2))
    period_total = fields.Monetary(string="Rebate of the Period")
    previously_granted = fields.Monetary()
    amount = fields.Monetary(string="Adjustment")


class DealerRebateLine(models.Model):
    """The invoice lines a statement counts: a read-only view over the statement's
    array of line ids and the invoice lines themselves."""

    _name = "dealer.rebate.line"
    _description = "Dealer Rebate Counted Line"
    _auto = False
    _order = "rebate_id, date, move_line_id"

    rebate_id = fields.Many2one("dealer.rebate", string="Statement", readonly=True)
    program_id = fields.Many2one("dealer.rebate.program", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Dealer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", readonly=True
    )
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    # the number itself, printable by those who may not read the invoice
    move_name = fields.Char(string="Invoice Number", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")], readonly=True
    )
    date = fields.Date(
        string="Date Counted",
        readonly=True,
        help="The invoice's date; on a program of paid sales, the payment's.",
    )
    partial_id = fields.Many2one(
        "account.partial.reconcile",
        string="Payment",
        readonly=True,
        help="On a program of paid sales: the reconciliation (payment or credit note "
        "applied) that made the line count, in the share it settled.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(
        digits="Product Unit of Measure", readonly=True, aggregator="sum"
    )
    amount = fields.Monetary(
        string="Net Amount",
        readonly=True,
        aggregator="sum",
        help="Untaxed, in company currency; negative for credit notes.",
    )

    @property
    def _table_query(self):
        # A statement (or an adjustment it carries for an earlier period) covers the
        # in-scope sales of its dealer dated in its window and posted up to its
        # watermark; it counts those that no statement of the program ending earlier
        # covers. The id combines the statement and the invoice line: a line is counted
        # once per program, but by statements of several programs.
        return SQL(
            """
            SELECT CASE WHEN sale.partial_id IS NULL
                        THEN c.rebate_id::bigint * 10000000000 + sale.line_id
                        -- a line counts once per payment on paid sales
                        ELSE -(('x' || substr(md5(c.rebate_id || '-' || sale.line_id
                                || '-' || sale.partial_id), 1, 15))::bit(60)::bigint)
                   END AS id, c.rebate_id,
                   c.program_id, c.partner_id, c.company_id,
                   sale.line_id AS move_line_id, sale.move_id, sale.move_name,
                   sale.move_type, sale.invoice_date AS date, sale.product_id,
                   sale.quantity, sale.amount, sale.partial_id
              FROM (SELECT r.id AS rebate_id, r.program_id, r.partner_id, r.company_id,
                           r.period_start AS date_from, r.date_to AS date_until,
                           r.watermark, r.date_to AS rank
                      FROM dealer_rebate r
                     WHERE r.state != 'cancel' AND r.is_closing IS NOT TRUE
                    UNION ALL
                    SELECT r.id, r.program_id, r.partner_id, r.company_id,
                           adj.period_start, adj.period_end, r.watermark, r.date_to
                      FROM dealer_rebate_adjustment adj
                      JOIN dealer_rebate r ON r.id = adj.rebate_id
                     WHERE r.state != 'cancel') c
              JOIN dealer_rebate_program program ON program.id = c.program_id
             CROSS JOIN LATERAL (
                   -- the program's sales basis: one branch runs, the other is gated
                   SELECT invoiced.line_id, invoiced.move_id, invoiced.move_name,
                          invoiced.move_type, invoiced.invoice_date,
                          invoiced.post_seq, invoiced.product_id, invoiced.quantity,
                          invoiced.amount, NULL::integer AS partial_id
                     FROM (%(sales)s) invoiced
                    WHERE program.sales_basis = 'invoiced'
                      AND invoiced.partner_id = c.partner_id
                      AND invoiced.company_id = c.company_id
                      AND invoiced.invoice_date BETWEEN c.date_from AND c.date_until
                      AND invoiced.post_seq <= c.watermark
                      AND invoiced.product_id = ANY(program.scope_product_ids)
                   UNION ALL
                   SELECT paid.line_id, paid.move_id, paid.move_name, paid.move_type,
                          paid.invoice_date, paid.post_seq, paid.product_id,
                          paid.quantity, paid.amount, paid.partial_id
                     FROM (%(paid)s) paid
                    WHERE program.sales_basis = 'paid'
                      AND paid.partner_id = c.partner_id
                      AND paid.company_id = c.company_id
                      AND paid.invoice_date BETWEEN c.date_from AND c.date_until
                      AND paid.post_seq <= c.watermark
                      AND paid.product_id = ANY(program.scope_product_ids)
             ) sale
             WHERE NOT EXISTS (
                   SELECT 1 FROM dealer_rebate earlier
                    WHERE earlier.program_id = c.program_id
                      AND earlier.partner_id = c.partner_id AND earlier.date_to < c.rank
                      AND earlier.state != 'cancel' AND earlier.is_closing IS NOT TRUE
                      AND sale.invoice_date
                          BETWEEN earlier.period_start AND earlier.date_to
                      AND sale.post_seq <= earlier.watermark)
               AND NOT EXISTS (
                   SELECT 1 FROM dealer_rebate_adjustment adj
                     JOIN dealer_rebate earlier ON earlier.id = adj.rebate_id
                    WHERE earlier.program_id = c.program_id
                      AND earlier.partner_id = c.partner_id AND earlier.date_to < c.rank
                      AND earlier.state != 'cancel'
                      AND sale.invoice_date BETWEEN adj.period_start AND adj.period_end
                      AND sale.post_seq <= earlier.watermark)
        """,
            sales=self.env["dealer.measure"]._sales_lines_sql(),
            paid=self.env["dealer.measure"]._paid_sales_lines_sql(),
        )
