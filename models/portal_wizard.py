# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Dealer staff are invited to the portal with Odoo's portal wizard, from the dealer's
form, by the dealer's salesperson or a Dealer Manager.

How it works: ``docs/design.md``, section ``models/portal_wizard.py``."""

from odoo import _, models
from odoo.exceptions import AccessError

from ..tools.rights import MANAGER, in_group


def check_dealer_invitation(env, partners):
    """Raise unless the user of ``env`` may give ``partners`` portal access: a
    dealer's staff by a Dealer Manager or the dealer's salesperson only (Contact
    Creation is not enough there), other partners by a partner manager (Odoo's own
    rule)."""
    user = env.user
    if env.su or in_group(env, "base.group_system"):
        return
    is_manager = in_group(env, MANAGER)
    partner_manager = in_group(env, "base.group_partner_manager")
    for partner in partners:
        dealer = partner.commercial_partner_id.sudo()
        allowed = (
            (is_manager or dealer.user_id == user)
            if dealer._dealers()
            else partner_manager
        )
        if not allowed:
            raise AccessError(
                _(
                    "%(partner)s: only the salesperson of a dealer, or a Dealer "
                    "Manager, gives the dealer's staff access to the portal.",
                    partner=partner.display_name,
                )
            )


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def _check_dealer_invitation(self):
        check_dealer_invitation(self.env, self.partner_id)

    def action_grant_access(self):
        self._check_dealer_invitation()
        return super(PortalWizardUser, self.sudo()).action_grant_access()

    def action_revoke_access(self):
        self._check_dealer_invitation()
        return super(PortalWizardUser, self.sudo()).action_revoke_access()

    def action_invite_again(self):
        self._check_dealer_invitation()
        return super(PortalWizardUser, self.sudo()).action_invite_again()
