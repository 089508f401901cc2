# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
