# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Inviting a dealer's staff to the portal: the dealer's salesperson or a Dealer
Manager, through Odoo's portal wizard, and nobody else's customers or dealers."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestPortalInvitation(DealerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Evaluated Dealer is the salesperson's; Distributor A is sensitive_a's
        cls.buyer = Partner.create(
            {
                "name": "Li Lei",
                "email": "lilei@dealer.example.com",
                "parent_id": cls.dealer.id,
                "type": "contact",
            }
        )
        cls.other_buyer = Partner.create(
            {
                "name": "Han Meimei",
                "email": "han@distributor-a.example.com",
                "parent_id": cls.distributor_a.id,
                "type": "contact",
            }
        )

    def wizard_user(self, user, dealer, contact):
        action = dealer.with_user(user).action_dealer_portal_invite()
        wizard = self.env["portal.wizard"].with_user(user).browse(action["res_id"])
        return wizard.user_ids.filtered(lambda u: u.partner_id == contact)

    def test_salesperson_invites_his_dealers_staff(self):
        line = self.wizard_user(self.salesperson, self.dealer, self.buyer)
        line.action_grant_access()
        user = self.buyer.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertEqual(user.commercial_partner_id, self.dealer)
        # he may take it back
        line.action_revoke_access()
        self.assertFalse(self.buyer.with_context(active_test=False).user_ids.active)

    def test_salesperson_cannot_invite_others(self):
        # another salesperson's dealer: he does not even open its form
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.distributor_a.with_user(self.salesperson).action_dealer_portal_invite()
        # the wizard made by RPC on another salesperson's dealer's staff: its buttons
        # refuse, although every internal user may invite other partners (Odoo's
        # Contact Creation)
        wizard = (
            self.env["portal.wizard"]
            .with_user(self.salesperson)
            .with_context(active_ids=self.other_buyer.ids)
            .create({})
        )
        line = wizard.user_ids.filtered(lambda u: u.partner_id == self.other_buyer)
        self.assertTrue(line)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            line.action_grant_access()
        self.assertFalse(self.other_buyer.user_ids)

    def test_manager_invites_any_dealers_staff(self):
        line = self.wizard_user(self.manager, self.distributor_a, self.other_buyer)
        line.action_grant_access()
        self.assertTrue(self.other_buyer.user_ids.has_group("base.group_portal"))

    def test_only_dealers_are_invited_from_the_dealer_form(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.manager).action_dealer_portal_invite()
