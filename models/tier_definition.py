# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebate statements and market-expense requests are approved through OCA
``base_tier_validation`` (by the rules of ``dealer_approval_mixin.py``)."""

from odoo import api, models

# the addon's models approved through tier.validation: their reviews are the addon's
APPROVAL_MODELS = ("dealer.rebate", "dealer.fund.request")


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + list(APPROVAL_MODELS)
