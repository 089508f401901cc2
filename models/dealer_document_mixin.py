# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import DEALER_DOMAIN


class DealerDocumentMixin(models.AbstractModel):
    """What every record kept about one dealer shares: the dealer (a commercial
    partner flagged as dealer), its salesperson and the company."""

    _name = "dealer.document.mixin"
    _description = "Record About a Dealer"
    _inherit = ["dealer.governed.mixin"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        tracking=True,
        domain=DEALER_DOMAIN,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    salesperson_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", store=True
    )

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for record in self:
            if not record.partner_id._dealers():
                raise ValidationError(
                    _(
                        "%(partner)s is not a dealer: %(what)s are kept for dealers "
                        "only.",
                        partner=record.partner_id.display_name,
                        what=record._description,
                    )
                )

    def _overlapping(self, domain=()):
        """Another record of the same dealer whose period (date_start to date_end)
        overlaps this one's, among those matching ``domain``."""
        self.ensure_one()
        return self.search(
            [
                ("id", "!=", self.id),
                ("partner_id", "=", self.partner_id.id),
                ("date_start", "<=", self.date_end),
                ("date_end", ">=", self.date_start),
                *domain,
            ],
            limit=1,
        )
