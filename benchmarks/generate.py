# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fill a database with a company of N dealers and M posted invoice lines, fast.

Set-based inserts (generate_series) that keep the accounting consistent: every move is
balanced (product lines on the income account, one receivable line), posted, with its
totals; one move in ten is a credit note. Dealers' volumes follow a skewed (Pareto-like)
distribution so that the 80/20 rule has something to find. A fixed seed makes two
generations alike. The ORM is used only for the company and its chart of accounts.
"""

from datetime import date

from odoo import Command
from odoo.tools import SQL

LINES_PER_MOVE = 5


def generate(env, dealers, lines, date_to=date(2026, 6, 30), seed=0.42):
    """Create company "Bench <dealers>/<lines>" and return it (or the existing one)."""
    name = f"Bench {dealers}/{lines}"
    company = env["res.company"].search([("name", "=", name)])
    if company:
        return company
    company = env["res.company"].create(
        {"name": name, "currency_id": env.ref("base.CNY").id}
    )
    env.ref("base.CNY").active = True
    env.user.company_ids = [Command.link(company.id)]
    env["account.chart.template"].try_loading(
        "generic_coa", company, install_demo=False
    )
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
    )
    income = journal.default_account_id
    receivable = env["account.account"].search(
        [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")],
        limit=1,
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Bench product {i}",
                "standard_price": 10.0 * i,
                "list_price": 15.0 * i,
            }
            for i in range(1, 11)
        ]
    )
    env.flush_all()
    cr = env.cr
    cr.execute(SQL("SELECT setseed(%s)", seed))
    tag = f"{dealers}x{lines}"
    cr.execute(
        SQL(
            """
        INSERT INTO res_partner (name, complete_name, is_company, is_dealer,
                                 dealer_level, dealer_status, dealer_since, company_id,
                                 active, type, autopost_bills, create_uid, write_uid,
                                 create_date, write_date)
        SELECT 'Bench dealer ' || %(tag)s || '-' || g,
               'Bench dealer ' || %(tag)s || '-' || g,
               TRUE, TRUE, 'retailer', 'active', DATE '2020-01-01', %(company)s, TRUE,
               'contact', 'ask', 1, 1, now(), now()
          FROM generate_series(1, %(dealers)s) g
        """,
            tag=tag,
            company=company.id,
            dealers=dealers,
        )
    )
    cr.execute(
        SQL(
            """UPDATE res_partner SET commercial_partner_id = id
            WHERE company_id = %s AND is_dealer""",
            company.id,
        )
    )
    moves = max(1, lines // LINES_PER_MOVE)
    cr.execute(
        SQL(
            """
        INSERT INTO account_move (name, journal_id, company_id, currency_id, date,
                                  invoice_date, invoice_date_due, state, move_type,
                                  auto_post, partner_id, commercial_partner_id,
                                  payment_state, create_uid, write_uid, create_date,
                                  write_date)
        SELECT 'BENCH/' || %(tag)s || '/' || g, %(journal)s, %(company)s, %(currency)s,
               d, d, d + 30, 'posted',
               CASE WHEN mod(g, 10) = 0 THEN 'out_refund' ELSE 'out_invoice' END,
               'no', p, p, 'not_paid', 1, 1, now(), now()
          FROM (SELECT g, %(date_to)s::date - (random() * 364)::int AS d,
                       dealer_ids[1 + floor(power(random(), 4) * %(dealers)s)::int] AS p
                  FROM generate_series(1, %(moves)s) g,
                       (SELECT array_agg(id ORDER BY id) AS dealer_ids FROM res_partner
                         WHERE company_id = %(company)s AND is_dealer) ids) s
        """,
            tag=tag,
            journal=journal.id,
            company=company.id,
            currency=company.currency_id.id,
            date_to=date_to,
            dealers=dealers,
            moves=moves,
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO account_move_line (move_id, move_name, date, invoice_date,
               parent_state, journal_id, company_id, company_currency_id, currency_id,
               account_id, partner_id, display_type, name, quantity, price_unit,
               price_subtotal, price_total, balance, debit, credit, amount_currency,
               amount_residual, amount_residual_currency,
               reconciled, product_id, product_uom_id, sequence,
               create_uid, write_uid, create_date, write_date)
        SELECT m.id, m.name, m.date, m.invoice_date,
               'posted', m.journal_id, m.company_id, m.currency_id, m.currency_id,
               %(income)s, m.commercial_partner_id, 'product', 'Bench', l.qty, l.price,
               l.qty * l.price, l.qty * l.price, l.sign * l.qty * l.price,
               GREATEST(l.sign * l.qty * l.price, 0),
               GREATEST(-l.sign * l.qty * l.price, 0), l.sign * l.qty * l.price,
               0, 0,
               FALSE, l.product, 1, k,
               1, 1, now(), now()
          FROM account_move m
          CROSS JOIN generate_series(1, %(per_move)s) k
          CROSS JOIN LATERAL (
              SELECT (1 + floor(random() * 20))::numeric AS qty,
                     round((10 + random() * 490)::numeric, 2) AS price,
                     CASE WHEN m.move_type = 'out_refund' THEN 1 ELSE -1 END AS sign,
                     (%(products)s::int[])[1 + floor(random() * 10)::int] AS product
               WHERE k > 0) l
         WHERE m.company_id = %(company)s
        """,
            income=income.id,
            per_move=LINES_PER_MOVE,
            company=company.id,
            products=products.ids,
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO account_move_line (move_id, move_name, date, invoice_date,
               parent_state, journal_id, company_id, company_currency_id, currency_id,
               account_id, partner_id, display_type, name, quantity, balance, debit,
               credit, amount_currency, amount_residual, amount_residual_currency,
               reconciled, date_maturity, sequence,
               create_uid, write_uid, create_date, write_date)
        SELECT m.id, m.name, m.date, m.invoice_date,
               'posted', m.journal_id, m.company_id, m.currency_id, m.currency_id,
               %(receivable)s, m.commercial_partner_id, 'payment_term', m.name, 1,
               -t.total, GREATEST(-t.total, 0), GREATEST(t.total, 0), -t.total,
               -t.total, -t.total,
               FALSE, m.invoice_date_due, 100,
               1, 1, now(), now()
          FROM account_move m
          JOIN (SELECT move_id, SUM(balance) AS total FROM account_move_line
                 WHERE company_id = %(company)s AND display_type = 'product'
                 GROUP BY move_id) t ON t.move_id = m.id
        """,
            receivable=receivable.id,
            company=company.id,
        )
    )
    cr.execute(
        SQL(
            """
        UPDATE account_move m
           SET amount_untaxed = abs(t.total), amount_total = abs(t.total),
               amount_residual = abs(t.total), amount_untaxed_signed = -t.total,
               amount_total_signed = -t.total, amount_residual_signed = -t.total,
               amount_total_in_currency_signed = -t.total
          FROM (SELECT move_id, SUM(balance) AS total FROM account_move_line
                 WHERE company_id = %(company)s AND display_type = 'product'
                 GROUP BY move_id) t
         WHERE t.move_id = m.id
        """,
            company=company.id,
        )
    )
    cr.execute("ANALYZE res_partner, account_move, account_move_line")
    env.invalidate_all()
    return company
