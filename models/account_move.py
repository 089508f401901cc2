# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    dealer_rebate_id = fields.Many2one("dealer.rebate", string="Rebate Statement",
                                       readonly=True, copy=False, index="btree_not_null")

    def init(self):
        super().init()
        # A statement is settled by one document: the database refuses a second one even
        # when two accountants settle the same statement at the same moment.
        self.env.cr.execute(SQL("""
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_dealer_rebate_uniq
                ON account_move (dealer_rebate_id)
             WHERE dealer_rebate_id IS NOT NULL AND state != 'cancel'
        """))

    def action_view_dealer_rebate(self):
        self.ensure_one()
        return self.dealer_rebate_id._get_records_action()
