# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.dealer_selections import TIERS
from ..tools.rights import MANAGER, check_group


class DealerTierOverride(models.TransientModel):
    """A Dealer Manager sets a dealer's tier by hand, with a reason and optionally a
    date until which tier runs leave it alone."""

    _name = "dealer.tier.override"
    _description = "Set a Dealer's Tier by Hand"

    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, ondelete="cascade"
    )
    tier = fields.Selection(TIERS, required=True)
    reason = fields.Char(required=True)
    locked_until = fields.Date(
        string="Lock Until",
        help="Tier runs keep this tier until this date; empty: until the override is "
        "removed.",
    )

    def action_confirm(self):
        self.ensure_one()
        check_group(self.env, MANAGER, _("set or remove a tier by hand"))
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for the tier set by hand."))
        self.partner_id._governed_write(
            {
                "dealer_tier": self.tier,
                "dealer_tier_date": fields.Date.context_today(self),
                "dealer_tier_override": True,
                "dealer_tier_override_reason": self.reason,
                "dealer_tier_locked_until": self.locked_until,
            }
        )
        return {"type": "ir.actions.act_window_close"}
