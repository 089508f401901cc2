# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DealerBrand(models.Model):
    """A brand a dealer carries: one of ours (authorised) or another maker's."""

    _name = "dealer.brand"
    _description = "Dealer Brand"
    _order = "own desc, name"

    name = fields.Char(required=True)
    own = fields.Boolean(
        string="Our Brand",
        help="A brand of our company; unchecked for other makers' brands.",
    )
    maker = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A brand with this name already exists.")
    ]
