# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerRebateAccrue(models.TransientModel):
    """Accrue rebate programs on a day of the accountant's choice."""

    _name = "dealer.rebate.accrue"
    _description = "Accrue Dealer Rebates"

    date = fields.Date(required=True, default=fields.Date.context_today)
    program_ids = fields.Many2many(
        "dealer.rebate.program",
        string="Programs",
        required=True,
        default=lambda self: self.env["dealer.rebate.program"].search(
            [("company_id", "in", self.env.companies.ids)]
        ),
    )

    def action_accrue(self):
        self.ensure_one()
        return self.env["dealer.rebate.accrual"]._queue_accrual(
            self.program_ids, self.date
        )
