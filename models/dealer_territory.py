# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import DEALER_DOMAIN


class DealerTerritory(models.Model):
    """A sales territory: provinces, cities or a named region, exclusive or shared."""

    _name = "dealer.territory"
    _description = "Dealer Territory"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    state_ids = fields.Many2many("res.country.state", string="Provinces")
    cities = fields.Char(help="Cities of the territory, separated by commas.")
    exclusive = fields.Boolean(
        help="An exclusive territory belongs to one dealer only."
    )
    dealer_ids = fields.Many2many(
        "res.partner",
        "dealer_territory_partner_rel",
        "territory_id",
        "partner_id",
        string="Dealers",
        domain=DEALER_DOMAIN,
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        help="The rebate accruals of the territory's dealers are posted with it.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("exclusive", "dealer_ids")
    def _check_exclusive(self):
        for territory in self.filtered("exclusive"):
            if len(territory.dealer_ids) > 1:
                raise ValidationError(
                    _(
                        "Territory %(territory)s is exclusive but is given to "
                        "%(dealers)s.",
                        territory=territory.display_name,
                        dealers=", ".join(territory.dealer_ids.mapped("display_name")),
                    )
                )
