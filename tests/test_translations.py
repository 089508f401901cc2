# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import html
import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .common import DealerHelpers

PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d")


@tagged("post_install", "-at_install")
class TestTranslations(DealerHelpers, TransactionCase):
    """Every term of the module has a Simplified Chinese translation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reader = TranslationModuleReader(cls.env.cr, modules=["dealer_management"])
        cls.terms = {source for _m, _t, _n, _r, source, _v, _c in reader if source}
        cls.po = polib.pofile(file_path("dealer_management/i18n/zh_CN.po"))
        cls.pot = polib.pofile(
            file_path("dealer_management/i18n/dealer_management.pot")
        )

    def test_every_term_is_translated(self):
        translated = {entry.msgid for entry in self.po if entry.msgstr}
        missing = sorted(self.terms - translated)
        self.assertFalse(
            missing,
            "Terms without a zh_CN translation (run "
            "scripts/update_translations.py): %s" % missing,
        )

    def test_pot_is_up_to_date(self):
        self.assertFalse(sorted(self.terms - {e.msgid for e in self.pot}))

    def test_placeholders_are_kept(self):
        for entry in self.po:
            self.assertEqual(
                sorted(PLACEHOLDER.findall(entry.msgid)),
                sorted(PLACEHOLDER.findall(entry.msgstr)),
                entry.msgid,
            )

    def test_chinese_labels_in_the_ui(self):
        self.load_zh_cn()
        self.env.registry.clear_cache()  # field labels are cached per language
        field = (
            self.env["res.partner"]
            .with_context(lang="zh_CN")
            .fields_get(["dealer_level"])["dealer_level"]
        )
        self.assertEqual(field["string"], "经销商级别")
        self.assertIn(("general_distributor", "总经销商"), field["selection"])

    def test_the_glossary(self):
        """i18n/glossary.csv: each term as the glossary gives it, and never one
        Chinese term for two English terms the glossary says differ (issue 23: "New"
        read 新客户, new customer, on a service case's state; the Relations menu read
        社会关系, the name of the confidential notes). The confidential notes' word
        社会关系 is used for social relations and relationship notes only."""
        with open(
            file_path("dealer_management/i18n/glossary.csv"), encoding="utf-8"
        ) as fh:
            glossary = list(csv.DictReader(fh))
        self.assertGreater(len(glossary), 10)
        msgstr = {entry.msgid: entry.msgstr for entry in self.po}
        for row in glossary:
            with self.subTest(term=row["english"]):
                self.assertEqual(msgstr.get(row["english"]), row["chinese"])
                for other in filter(None, row["not the same as"].split(";")):
                    self.assertNotEqual(msgstr.get(other), row["chinese"], other)
        for entry in self.po:
            if "社会关系" in entry.msgstr:
                with self.subTest(term=entry.msgid):
                    self.assertRegex(entry.msgid, r"(?i)social|relationship")

    def test_the_approval_banner_and_buttons_in_chinese(self):
        """base_tier_validation 18.0 ships its banner and buttons untranslated in
        zh_CN; the addon's i18n_extra/zh_CN.po gives them, loaded by Odoo with the
        addon's own terms."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["base_tier_validation", "dealer_management"], ["zh_CN"], overwrite=True
        )
        self.env.registry.clear_cache()
        arch = (
            self.env["dealer.rebate"]
            .with_context(lang="zh_CN")
            .get_view(view_type="form")["arch"]
        )
        arch = html.unescape(arch.decode() if isinstance(arch, bytes) else arch)
        for chinese in ("此记录需要", "审批通过", "驳回"):
            self.assertIn(chinese, arch)
        self.assertNotIn("This Record needs to be", arch)
