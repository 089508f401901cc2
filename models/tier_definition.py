# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Rebate statements are approved through OCA ``base_tier_validation``."""

from odoo import api, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        return super()._get_tier_validation_model_names() + ["dealer.rebate"]
