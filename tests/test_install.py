# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

from odoo.exceptions import ValidationError
from odoo.modules.module import get_manifest
from odoo.tests import Form, tagged

from .common import DealerCommon


@tagged("post_install", "-at_install")
class TestInstall(DealerCommon):
    run_as_superuser = True

    def test_module_installed_with_its_dependencies(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "dealer_management")]
        )
        self.assertEqual(module.state, "installed")
        # the manifest's version, installed
        self.assertEqual(
            module.latest_version, get_manifest("dealer_management")["version"]
        )
        self.assertEqual(module.license, "LGPL-3")
        deps = set(module.dependencies_id.mapped("name"))
        self.assertEqual(
            deps,
            {
                "mail",
                "portal",
                "contacts",
                "sale_management",
                "account",
                "report_xlsx",
                "base_tier_validation",
            },
        )

    def test_groups_are_chained(self):
        ref = self.env.ref
        manager = ref("dealer_management.group_dealer_manager")
        user = ref("dealer_management.group_dealer_user")
        self.assertIn(user, manager.implied_ids)
        self.assertIn(user, ref("dealer_management.group_dealer_sensitive").implied_ids)
        self.assertIn(ref("sales_team.group_sale_salesman"), user.implied_ids)
        self.assertIn(
            ref("account.group_account_invoice"),
            ref("dealer_management.group_dealer_accountant").implied_ids,
        )
        self.assertTrue(
            ref("base.user_admin").has_group("dealer_management.group_dealer_manager")
        )
        category = ref("dealer_management.module_category_dealer_management")
        self.assertEqual(
            set(
                (
                    manager
                    | user
                    | ref("dealer_management.group_dealer_accountant")
                    | ref("dealer_management.group_dealer_sensitive")
                ).mapped("category_id.id")
            ),
            {category.id},
        )

    def test_dealers_app_menu_for_dealer_groups_only(self):
        root = self.env.ref("dealer_management.dealer_root_menu")
        visible = self.env["ir.ui.menu"].with_user(self.sales_a)._visible_menu_ids()
        self.assertIn(root.id, visible)
        self.assertIn(self.env.ref("dealer_management.dealer_partner_menu").id, visible)
        self.assertNotIn(
            self.env.ref("dealer_management.dealer_relation_note_menu").id, visible
        )
        visible = self.env["ir.ui.menu"].with_user(self.sensitive_a)._visible_menu_ids()
        self.assertIn(
            self.env.ref("dealer_management.dealer_relation_note_menu").id, visible
        )
        plain = self.company_user("dm_test_plain", "base.group_user")
        self.assertNotIn(
            root.id, self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids()
        )

    def test_dealer_action_lists_commercial_dealers(self):
        action = self.env.ref("dealer_management.dealer_partner_action")
        self.assertEqual(
            action.path, "dealers"
        )  # /odoo/dealers, the URL make demo prints
        domain = ast.literal_eval(action.domain)
        found = self.env["res.partner"].with_user(self.manager).search(domain)
        self.assertEqual(found, self.distributor_a | self.wholesaler_a | self.dealer)

    def test_search_filters_and_groupbys(self):
        arch = self.env["res.partner"].get_views(
            [(False, "search")],
            {"search_view_ref": "dealer_management.dealer_partner_view_search"},
        )["views"]["search"]["arch"]
        for name in (
            "my_dealers",
            "level_general_distributor",
            "level_secondary_wholesaler",
            "level_retailer",
            "salesperson",
            "group_province",
            "group_dealer_level",
        ):
            self.assertIn(f'name="{name}"', arch)
        groups = (
            self.env["res.partner"]
            .with_user(self.manager)
            ._read_group(
                [("is_dealer", "=", True), ("parent_id", "=", False)],
                groupby=["dealer_level"],
                aggregates=["__count"],
            )
        )
        self.assertEqual(
            dict(groups), {"general_distributor": 2, "secondary_wholesaler": 1}
        )

    def test_dealer_views_load_for_every_group(self):
        action = self.env.ref("dealer_management.dealer_partner_action")
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        views.append((action.search_view_id.id, "search"))
        for user in (self.sales_a, self.manager, self.accountant, self.sensitive_a):
            result = self.env["res.partner"].with_user(user).get_views(views)
            self.assertEqual(set(result["views"]), {"kanban", "list", "form", "search"})
            self.assertIn("dealer_level", result["views"]["list"]["arch"])
            self.assertIn('name="dealer"', result["views"]["form"]["arch"])
        notes = (
            self.env["dealer.relation.note"]
            .with_user(self.sensitive_a)
            .get_views([(False, "list"), (False, "form"), (False, "search")])
        )
        self.assertIn("category", notes["views"]["form"]["arch"])

    def test_partner_form_for_a_user_outside_the_dealer_groups(self):
        """Another department's user still opens partners, dealers included, without
        seeing (or tripping over) the dealer data."""
        clerk = self.company_user(
            "dm_test_clerk", "base.group_user,base.group_partner_manager"
        )
        arch = (
            self.env["res.partner"]
            .with_user(clerk)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="dealer"', arch)
        self.assertNotIn("dealer_evaluation_count", arch)
        with Form(self.wholesaler_a.with_user(clerk)) as form:
            form.phone = "+86 10 1234 5678"
        self.assertEqual(self.wholesaler_a.phone, "+86 10 1234 5678")

    def test_incentives_editable_by_managers_only(self):
        def incentives_node(user):
            arch = (
                self.env["res.partner"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            start = arch.index('name="dealer_incentive_ids"')
            return arch[arch.rindex("<field", 0, start) : arch.index("</field>", start)]

        self.assertIn('editable="bottom"', incentives_node(self.manager))
        self.assertNotIn('editable="bottom"', incentives_node(self.sales_a))
        self.assertNotIn('editable="bottom"', incentives_node(self.accountant))

    def test_downstream_stat_button(self):
        self.assertEqual(self.distributor_a.dealer_downstream_count, 1)
        self.assertEqual(self.dealer.dealer_downstream_count, 0)
        action = self.distributor_a.action_view_dealer_downstream()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.wholesaler_a
        )

    def test_dealer_form_as_salesperson(self):
        with Form(
            self.env["res.partner"]
            .with_user(self.sales_a)
            .with_context(
                default_is_dealer=True,
                default_is_company=True,
                default_user_id=self.sales_a.id,
            )
        ) as form:
            form.name = "Form Retailer"
            form.dealer_level = "retailer"
            form.dealer_parent_id = self.wholesaler_a
        dealer = form.record
        self.assertTrue(dealer.is_dealer)
        self.assertEqual(dealer.user_id, self.sales_a)
        self.assertEqual(dealer.dealer_parent_id, self.wholesaler_a)


@tagged("post_install", "-at_install")
class TestNetworkConstraints(DealerCommon):
    run_as_superuser = True

    def test_no_cycle_in_network(self):
        with self.assertRaisesRegex(ValidationError, "its own upstream dealer"):
            self.distributor_a.dealer_parent_id = self.wholesaler_a
        with self.assertRaises(ValidationError):
            self.distributor_a.dealer_parent_id = self.distributor_a

    def test_upstream_must_be_a_dealer(self):
        with self.assertRaisesRegex(ValidationError, "is not a dealer"):
            self.dealer.dealer_parent_id = self.customer

    def test_relation_note_only_on_dealers(self):
        with self.assertRaisesRegex(ValidationError, "not a dealer"):
            self.env["dealer.relation.note"].create(
                {
                    "partner_id": self.customer.id,
                    "name": "x",
                    "company_id": self.company.id,
                }
            )
