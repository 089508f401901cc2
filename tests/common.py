# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class DealerCommon(TransactionCase):
    """A company, its dealer users of every group and a small two-level network."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Dealer Test Co"})
        cls.other_company = cls.env["res.company"].create({"name": "Dealer Other Co"})

        def user(login, groups, company=cls.company):
            return new_test_user(
                cls.env, login=login, groups=groups,
                company_id=company.id, company_ids=[Command.set(company.ids)],
            )

        cls.sales_a = user("dm_test_sales_a", "dealer_management.group_dealer_user")
        cls.sales_b = user("dm_test_sales_b", "dealer_management.group_dealer_user")
        cls.manager = user("dm_test_manager",
                           "dealer_management.group_dealer_manager,base.group_allow_export")
        # Contact Creation, as Odoo gives new internal users: the record rules, not the
        # access rights, are what keep the accountant off the dealers.
        cls.accountant = user("dm_test_accountant",
                              "dealer_management.group_dealer_accountant,base.group_partner_manager")
        cls.sensitive_a = user(
            "dm_test_sensitive_a",
            "dealer_management.group_dealer_user,dealer_management.group_dealer_sensitive",
        )
        cls.sensitive_manager = user(
            "dm_test_sensitive_manager",
            "dealer_management.group_dealer_manager,dealer_management.group_dealer_sensitive",
        )
        cls.other_manager = user(
            "dm_test_other_manager",
            "dealer_management.group_dealer_manager,dealer_management.group_dealer_sensitive",
            company=cls.other_company,
        )

        Partner = cls.env["res.partner"]
        cls.distributor_a = Partner.create({
            "name": "Distributor A", "is_company": True, "is_dealer": True,
            "dealer_level": "general_distributor", "user_id": cls.sensitive_a.id,
            "company_id": cls.company.id,
        })
        cls.wholesaler_a = Partner.create({
            "name": "Wholesaler A", "is_company": True, "is_dealer": True,
            "dealer_level": "secondary_wholesaler", "user_id": cls.sales_a.id,
            "dealer_parent_id": cls.distributor_a.id, "company_id": cls.company.id,
        })
        cls.distributor_b = Partner.create({
            "name": "Distributor B", "is_company": True, "is_dealer": True,
            "dealer_level": "general_distributor", "user_id": cls.sales_b.id,
            "company_id": cls.company.id,
        })
        cls.customer = Partner.create({
            "name": "Walk-in Customer", "is_company": True, "company_id": cls.company.id,
        })
        cls.other_dealer = Partner.create({
            "name": "Other Company Dealer", "is_company": True, "is_dealer": True,
            "dealer_level": "general_distributor", "user_id": cls.other_manager.id,
            "company_id": cls.other_company.id,
        })

    def commit_tracking(self):
        """Write the tracking values that Odoo writes just before a commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()
