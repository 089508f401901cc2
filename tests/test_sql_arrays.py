# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.sql_arrays import array, array_literal, unnest


@tagged("post_install", "-at_install")
class TestSqlArrays(TransactionCase):
    def test_columns_come_back_as_they_were_sent(self):
        texts = [
            "plain",
            'with "quotes"',
            "back\\slash",
            "{braces}, commas",
            "",
            None,
            "经销商 A",
        ]
        numbers = [1.5, -2, 0.1 + 0.2, 1e-05, 10**12, None, 0]
        flags = [True, False, None, True, False, True, False]
        ints = [1, 2, 3, 4, 5, 6, None]
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s",
                unnest(
                    [
                        ("t", "text[]", texts),
                        ("n", "float8[]", numbers),
                        ("b", "bool[]", flags),
                        ("i", "int[]", ints),
                    ]
                ),
            )
        )
        self.assertEqual(
            self.env.cr.fetchall(), list(zip(texts, numbers, flags, ints, strict=False))
        )
        self.env.cr.execute(
            SQL("SELECT 3 = ANY(%s), 7 = ANY(%s)", array({1, 3}), array([1, 3]))
        )
        self.assertEqual(self.env.cr.fetchone(), (True, False))

    def test_unknown_type_refused(self):
        with self.assertRaises(ValueError):
            array_literal([1], "int); DROP TABLE x; --")
