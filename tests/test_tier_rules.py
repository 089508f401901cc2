# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The tier rule without a database (``models/dealer_tier_rules.py``), every figure
worked out by hand."""

import unittest
from datetime import date

from ..models.dealer_tier_rules import Dealer, tier_results

WINDOW = (date(2025, 7, 1), date(2026, 6, 30))
TODAY = date(2026, 7, 1)


def dealer(pid, since=date(2020, 1, 1), override=False, locked_until=None):
    return Dealer(pid, since, "C", override, locked_until)


class TestTierRules(unittest.TestCase):
    def test_the_80_20_rule(self):
        """Amounts 50, 30, 10, 6, 4 of 100. Before each: 0, 50, 80, 90, 96. A while
        what comes before is under 80 (the dealer reaching 80 exactly is A), B under
        95, C after; nothing in the window: New when it began inside it, else C."""
        amounts = {1: 50.0, 2: 30.0, 3: 10.0, 4: 6.0, 5: 4.0}
        dealers = [dealer(pid) for pid in (5, 4, 3, 2, 1)]
        dealers += [dealer(6, since=date(2026, 3, 1)), dealer(7)]
        results, total = tier_results(amounts, dealers, 80, 95, WINDOW, TODAY, 2)
        self.assertEqual(total, 100.0)
        self.assertEqual(
            [(pid, results[pid].tier) for pid in range(1, 8)],
            [(1, "A"), (2, "A"), (3, "B"), (4, "B"), (5, "C"), (6, "new"), (7, "C")],
        )
        self.assertEqual(
            [(r.rank, r.share, r.cumulative) for r in map(results.get, range(1, 6))],
            [
                (1, 50.0, 50.0),
                (2, 30.0, 80.0),
                (3, 10.0, 90.0),
                (4, 6.0, 96.0),
                (5, 4.0, 100.0),
            ],
        )

    def test_ties_in_the_order_registered_and_cents_exact(self):
        """Two dealers of 40.00 and one of 20.00: the first registered ranks first.
        Thresholds 40 and 80: before 0 (A), 40.00 (not under 40: B), 80.00 (C)."""
        amounts = {9: 40.0, 8: 40.0, 7: 20.0}
        results, _total = tier_results(
            amounts, [dealer(9), dealer(8), dealer(7)], 40, 80, WINDOW, TODAY, 2
        )
        self.assertEqual(
            [(pid, results[pid].rank, results[pid].tier) for pid in (8, 9, 7)],
            [(8, 1, "A"), (9, 2, "B"), (7, 3, "C")],
        )

    def test_a_tier_set_by_hand_is_kept_until_its_lock(self):
        dealers = [
            dealer(1, override=True),  # for good
            dealer(2, override=True, locked_until=date(2026, 7, 1)),  # until today
            dealer(3, override=True, locked_until=date(2026, 6, 30)),  # expired
            dealer(4),
        ]
        results, _total = tier_results({}, dealers, 80, 95, WINDOW, TODAY, 2)
        self.assertEqual(
            [results[pid].kept for pid in (1, 2, 3, 4)], [True, True, False, False]
        )
        self.assertEqual({r.tier for r in results.values()}, {"C"})
        self.assertEqual({r.cumulative for r in results.values()}, {0.0})
