# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scope of a warning rule or a rebate program: the dealers of a company in some
tiers, levels and territories. Tiers and levels are selections of the dealer; to be
listed in a scope they are also records, the scope values."""

from odoo import api, fields, models

from .res_partner import DEALER_DOMAIN


class DealerScopeValue(models.Model):
    """A tier or a dealer level, as a tag a rule's scope can list."""

    _name = "dealer.scope.value"
    _description = "Dealer Tier or Level"
    _order = "kind, sequence"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection([("tier", "Tier"), ("level", "Level")], required=True)
    code = fields.Char(required=True)
    sequence = fields.Integer()

    @api.model
    def _dealer_domain(self, company, tiers=None, levels=None, territories=None):
        """The domain of the dealers of ``company`` (or shared) in the tiers, levels
        and territories given (dealer.scope.value and dealer.territory records; empty:
        any): the one scope of warning rules and rebate programs."""
        domain = [
            *DEALER_DOMAIN,
            ("company_id", "in", (company.id, False)),
        ]
        if tiers:
            domain.append(("dealer_tier", "in", tiers.mapped("code")))
        if levels:
            domain.append(("dealer_level", "in", levels.mapped("code")))
        if territories:
            domain.append(("dealer_territory_ids", "in", territories.ids))
        return domain
