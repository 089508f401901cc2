# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The replenishment arithmetic without a database
(``models/dealer_replenishment_rules.py``), every figure worked out by hand."""

import unittest

from ..models.dealer_replenishment_rules import replenishment


class TestReplenishmentRules(unittest.TestCase):
    def test_cover_and_proposal(self):
        """Sold 12, 14, 13: 13 a month, 13 / (52 / 12) = 3 a week. Closing 6: 2 weeks
        of cover. Wanted 4 weeks (the default) = 12, plus a safety stock of 5, less 6:
        11 proposed. No limit: no overstock."""
        figures = replenishment([12, 14, 13], 6, 5.0, None, 0)
        self.assertEqual(figures["average_sold"], 13.0)
        self.assertAlmostEqual(figures["weeks_of_cover"], 2.0)
        self.assertEqual(figures["proposed_quantity"], 11)
        self.assertFalse(figures["is_overstock"])

    def test_rounded_up_never_below_zero_and_overstock(self):
        # 3 a week, 6 weeks wanted by the rule: 18 - 17.5 = 0.5, rounded up to 1
        self.assertEqual(replenishment([13], 17.5, 0.0, 6, 0)["proposed_quantity"], 1)
        # closing 40: 13.33 weeks, over a limit of 12; nothing to propose
        figures = replenishment([13], 40, 0.0, 6, 12)
        self.assertAlmostEqual(figures["weeks_of_cover"], 40 / 3)
        self.assertTrue(figures["is_overstock"])
        self.assertEqual(figures["proposed_quantity"], 0)
        # a rule of 0 weeks is 0 weeks, not the default: the safety stock only
        self.assertEqual(replenishment([13], 2, 5.0, 0, 0)["proposed_quantity"], 3)

    def test_nothing_sold(self):
        """No sales: no cover to speak of (0), never an overstock, and the proposal
        is the safety stock less what is left."""
        figures = replenishment([], 10, 4.0, None, 8)
        self.assertEqual(
            (figures["average_sold"], figures["weeks_of_cover"]), (0.0, 0.0)
        )
        self.assertFalse(figures["is_overstock"])
        self.assertEqual(figures["proposed_quantity"], 0)
        self.assertEqual(replenishment([0, 0], 1, 4.0, None, 8)["proposed_quantity"], 3)
