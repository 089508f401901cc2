# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import DemoCommon


@tagged("post_install", "-at_install")
class TestEveryScreenOpens(DemoCommon):
    """Every window action of the Dealers menu opens, as the web client opens it, for a
    salesperson, a manager and an accountant of the demo company: its views load and
    the records they show are read with the fields of the view (so a field the user may
    not read, or a broken view, fails here and not in front of a user)."""

    def test_every_menu_action_for_every_role(self):
        root = self.env.ref("dealer_management.dealer_root_menu")
        menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id)])
        opened = 0
        for login in ("dm_wang", "dm_chen", "dm_liu"):
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user, login)
            for menu in menus.with_user(user)._filter_visible_menus():
                action = menu.sudo().action
                if not action or action._name != "ir.actions.act_window":
                    continue
                with self.subTest(user=login, menu=menu.complete_name):
                    self._open(action, user)
                    opened += 1
        self.assertGreaterEqual(opened, 40)

    def _open(self, action, user):
        Model = self.env[action.res_model].with_user(user)
        if not Model.has_access("read"):
            return  # the menu is hidden from this user
        # the views the action names (as the web client loads them), others by default
        named = dict((mode, view_id) for view_id, mode in action.views)
        all_modes = [
            m
            for m in action.view_mode.split(",")
            if m in ("list", "form", "kanban", "graph", "pivot")
        ]
        views = Model.get_views(
            [(named.get(mode) or False, mode) for mode in all_modes]
            + [(False, "search")],
            {"action_id": action.id},
        )["views"]
        domain = safe_eval(
            action.domain or "[]",
            {
                "uid": user.id,
                "context_today": lambda: date.today(),
            },
        )
        for mode in ("graph", "pivot"):
            if mode in views:
                arch = etree.fromstring(views[mode]["arch"])
                groupby = [
                    node.get("name")
                    for node in arch.iter("field")
                    if node.get("type") != "measure"
                ]
                Model.read_group(domain, ["__count"], groupby[:1], lazy=True)
        modes = [m for m in all_modes if m in ("list", "form", "kanban")]
        records = Model.search(domain, limit=3)
        for mode in modes:
            arch = etree.fromstring(views[mode]["arch"])
            names = {
                node.get("name")
                for node in arch.iter("field")
                if node.getparent() is not None
                and node.get("name") in Model._fields
                and not any(a.tag == "field" for a in node.iterancestors())
            }
            spec = {name: {} for name in names}
            if mode == "form":
                for record in records[:1]:
                    record.web_read(spec)
            else:
                Model.web_search_read(domain, spec, limit=3)


# stored figures whose group total is meaningful though their label has a "%": the
# shares of a tier run add up (to 100 %); the cumulative share is taken at its maximum;
# the grouped achievement and pace of targets are ratios of sums (dealer_sales_target)
AGGREGATED_PERCENTAGES = {
    ("dealer.tier.run.line", "share"),
    ("dealer.tier.run.line", "cumulative_share"),
    ("dealer.sales.target", "achievement"),
}


@tagged("post_install", "-at_install")
class TestAggregates(DemoCommon):
    """Issue 23: grouped screens showed sums and averages of percentages."""

    def test_no_percentage_is_summed_or_averaged(self):
        checked = 0
        for name in self.env.registry:
            if not name.startswith("dealer."):
                continue
            for field in self.env[name]._fields.values():
                if (
                    field.type in ("float", "integer", "monetary")
                    and field.store
                    and "%" in (field.string or "")
                    and field.model_name == name
                ):
                    checked += 1
                    with self.subTest(field=f"{name}.{field.name}"):
                        self.assertTrue(
                            not field.aggregator
                            or (name, field.name) in AGGREGATED_PERCENTAGES,
                            "a percentage has no group total: aggregator=None, or "
                            "a ratio of sums in _read_group_select",
                        )
        self.assertGreater(checked, 10)

    def test_progress_bars_over_100_draw_full(self):
        views = self.env["ir.ui.view"].search(
            [("model", "=like", "dealer.%"), ("type", "in", ("list", "form"))]
        )
        bars = 0
        for view in views:
            for node in etree.fromstring(view.arch_db).iter("field"):
                if node.get("widget") != "progressbar" or node.get("name") in (
                    "score",  # a score is 0-100: it never overflows
                    "dealer_score",
                    "progress",  # the share of a background run's batches done
                ):
                    continue
                bars += 1
                with self.subTest(view=view.xml_id, field=node.get("name")):
                    self.assertIn("overflow_class", node.get("options") or "")
        self.assertGreaterEqual(bars, 3)


@tagged("post_install", "-at_install")
class TestEmbeddedListsHaveHeadings(DemoCommon):
    def test_every_embedded_list_has_a_heading(self):
        """Issue 23: the downstream dealers' table on the dealer form had no
        heading. Every list embedded in a form of the addon (the dealer form as the
        addon extends it included) is in a group or a page of its own name, or
        follows a separator."""
        views = self.env["ir.ui.view"].search(
            [
                ("model", "=like", "dealer.%"),
                ("type", "=", "form"),
                ("mode", "=", "primary"),
            ]
        )
        archs = {view.xml_id: view.get_combined_arch() for view in views}
        archs["res.partner"] = self.env["res.partner"].get_view(view_type="form")[
            "arch"
        ]
        checked = 0
        for name, arch in archs.items():
            for field in etree.fromstring(arch).iter("field"):
                if field.find("list") is None or field.get("nolabel") == "1":
                    continue
                parent = field.getparent()
                if parent.tag == "group" and parent.get("string"):
                    continue
                previous = field.getprevious()
                while (
                    previous is not None
                    and previous.tag == "field"
                    and previous.get("invisible") in ("1", "True")
                ):
                    previous = previous.getprevious()
                checked += 1
                with self.subTest(view=name, field=field.get("name")):
                    self.assertTrue(
                        (previous is not None and previous.tag == "separator")
                        or (
                            parent.tag == "page"
                            and previous is None
                            and len(
                                [
                                    c
                                    for c in parent
                                    if c.tag == "field" and c.find("list") is not None
                                ]
                            )
                            == 1
                        ),
                        "an embedded list without a heading",
                    )
        self.assertGreater(checked, 5)
