# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rebate rules without a database: pure arithmetic on what was measured.

Every figure below is worked out by hand in its comment."""

import unittest

from ..models.dealer_rebate_rules import (
    EMPTY_MEASURE,
    Measure,
    Rules,
    accrued_amount,
    adjustment_values,
    closing_values,
    projected_measure,
    rebate_figures,
    split_pro_rata,
    statement_values,
    volume_rebate,
)

INF = float("inf")
# 1 % up to 100,000, 2 % up to 200,000, 3 % beyond
BRACKETS = ((0.0, 100000.0, 0.01), (100000.0, 200000.0, 0.02), (200000.0, INF, 0.03))


def rules(**changes):
    values = {
        "marginal": False,
        "brackets": BRACKETS,
        "growth_rate": 0.0,
        "bonus_type": "none",
        "bonus_amount": 0.0,
        "bonus_rate": 0.0,
        "discipline": "none",
        "discipline_rate": 0.0,
        "cap": 0.0,
        "rounding": 0.01,
    }
    values.update(changes)
    return Rules(**values)


class TestRebateRules(unittest.TestCase):
    def test_volume_whole_and_marginal(self):
        # whole: 150,000 reaches the 2 % bracket: 3,000; the next bracket at 200,000
        self.assertEqual(volume_rebate(rules(), 150000.0), (3000.0, 200000.0))
        # marginal: 100,000 x 1 % + 50,000 x 2 % = 2,000
        self.assertEqual(
            volume_rebate(rules(marginal=True), 150000.0), (2000.0, 200000.0)
        )
        # a bracket is reached at its lower bound: 100,000 x 2 % = 2,000 (whole);
        # marginal: 100,000 x 1 % and nothing of the second bracket yet
        self.assertEqual(volume_rebate(rules(), 100000.0), (2000.0, 200000.0))
        self.assertEqual(
            volume_rebate(rules(marginal=True), 100000.0), (1000.0, 200000.0)
        )
        # beyond the last bracket: 250,000 x 3 % = 7,500, no next bracket
        self.assertEqual(volume_rebate(rules(), 250000.0), (7500.0, None))
        # nothing sold, or sold less than returned: nothing
        self.assertEqual(volume_rebate(rules(), 0.0), (0.0, 100000.0))
        self.assertEqual(volume_rebate(rules(), -500.0), (0.0, 0.0))

    def test_growth_bonus_discipline_cap(self):
        # volume 3,000; growth 5 % of (150,000 - 120,000) = 1,500; fixed bonus 500
        full = rules(growth_rate=5.0, bonus_type="fixed", bonus_amount=500.0)
        figures = rebate_figures(
            full, 150000.0, 150000.0, 120000.0, 140000.0, 150000.0, False
        )
        self.assertEqual(figures[:6], (3000.0, 1500.0, 500.0, 0.0, 0.0, 5000.0))
        self.assertEqual((figures.next_bracket, figures.to_next), (200000.0, 50000.0))
        # no sales last year: no growth rebate; target missed: no bonus
        figures = rebate_figures(
            full, 150000.0, 150000.0, 0.0, 160000.0, 150000.0, False
        )
        self.assertEqual(
            (figures.growth, figures.target_bonus, figures.total), (0, 0, 3000)
        )
        # a bonus rate: 2 % of the net amount 150,000 = 3,000
        rate = rules(bonus_type="rate", bonus_rate=2.0)
        figures = rebate_figures(rate, 150000.0, 150000.0, 0.0, 1.0, 1.0, False)
        self.assertEqual((figures.target_bonus, figures.total), (3000.0, 6000.0))
        # overdue: reduced by 50 % of 5,000, or forfeited
        reduce = full._replace(discipline="reduce", discipline_rate=50.0)
        figures = rebate_figures(
            reduce, 150000.0, 150000.0, 120000.0, 140000.0, 150000.0, True
        )
        self.assertEqual((figures.discipline, figures.total), (-2500.0, 2500.0))
        forfeit = full._replace(discipline="forfeit")
        figures = rebate_figures(
            forfeit, 150000.0, 150000.0, 120000.0, 140000.0, 150000.0, True
        )
        self.assertEqual((figures.discipline, figures.total), (-5000.0, 0.0))
        # not overdue: no discipline
        figures = rebate_figures(
            forfeit, 150000.0, 150000.0, 120000.0, 140000.0, 150000.0, False
        )
        self.assertEqual(figures.total, 5000.0)
        # the cap: 5,000 capped at 4,000
        capped = full._replace(cap=4000.0)
        figures = rebate_figures(
            capped, 150000.0, 150000.0, 120000.0, 140000.0, 150000.0, False
        )
        self.assertEqual((figures.capped, figures.total), (-1000.0, 4000.0))

    def test_statement_values(self):
        # the period's rebate to date 3,000, of which 1,200 granted by an earlier
        # statement of the period: 1,800; adjustments -120.50 + 20.25 = -100.25;
        # the statement: 1,699.75, above the second approval amount 1,500
        values = statement_values(
            rules(),
            Measure(basis=150000.0, amount=150000.0),
            1200.0,
            [{"amount": -120.5}, {"amount": 20.25}],
            0.1,
            1500.0,
            42,
        )
        self.assertEqual(values["period_total"], 3000.0)
        self.assertEqual(values["previously_granted"], 1200.0)
        self.assertEqual(values["period_amount"], 1800.0)
        self.assertEqual(values["adjustment_amount"], -100.25)
        self.assertEqual(values["amount"], 1699.75)
        self.assertTrue(values["needs_second_approval"])
        self.assertEqual(values["watermark"], 42)
        # 50,000 from the next bracket, more than 10 % of 200,000: not near
        self.assertEqual(values["to_next_bracket"], 50000.0)
        self.assertFalse(values["near_next_bracket"])
        # at 185,000: 3,700, 15,000 from 200,000, within 20,000: near; 3,700 alone
        values = statement_values(
            rules(), Measure(185000.0, 185000.0), 0.0, [], 0.1, 0.0, 42
        )
        self.assertEqual(
            (values["amount"], values["to_next_bracket"]), (3700.0, 15000.0)
        )
        self.assertTrue(values["near_next_bracket"])
        self.assertFalse(values["needs_second_approval"])
        # no sales: a statement of nothing
        values = statement_values(rules(), EMPTY_MEASURE, 0.0, [], 0.1, 0.0, 1)
        self.assertEqual((values["amount"], values["overdue"]), (0.0, False))

    def test_adjustment_and_closing_values(self):
        # a closed period computed again at 110,000: 2,200, of which 1,000 granted
        adjustment = adjustment_values(
            rules(), Measure(110000.0, 110000.0), 1000.0, "2026-01-01", "2026-03-31"
        )
        self.assertEqual(
            (adjustment["period_total"], adjustment["amount"]), (2200.0, 1200.0)
        )
        # adjustments that add up to nothing make no closing statement
        self.assertIsNone(
            closing_values([{"amount": 10.5}, {"amount": -10.5}], 0.01, 0, 7)
        )
        values = closing_values([{"amount": 12.34}], 0.01, 10.0, 7)
        self.assertEqual(
            (values["amount"], values["adjustment_amount"]), (12.34, 12.34)
        )
        self.assertEqual((values["volume_rebate"], values["period_total"]), (0.0, 0.0))
        self.assertTrue(values["needs_second_approval"])

    def test_split_pro_rata(self):
        # the settlement's lines per tax combination (issue 23)
        self.assertEqual(
            split_pro_rata(1800.0, [35000.0, 25000.0], 0.01), [1050.0, 750.0]
        )
        # a third each: 333.33 three times leaves a cent, taken by the largest weight
        # (the first of equal ones)
        self.assertEqual(
            split_pro_rata(1000.0, [1.0, 1.0, 1.0], 0.01), [333.34, 333.33, 333.33]
        )
        self.assertEqual(
            split_pro_rata(100.0, [10.0, 20.0, 70.0001], 0.01), [10.0, 20.0, 70.0]
        )
        # 100 over 2/3 and 1/3: 66.67 + 33.33
        self.assertEqual(split_pro_rata(100.0, [200.0, 100.0], 0.01), [66.67, 33.33])
        # a combination whose credit notes outweigh its invoices takes its part back
        self.assertEqual(split_pro_rata(100.0, [150.0, -50.0], 0.01), [150.0, -50.0])
        self.assertEqual(split_pro_rata(100.0, [50.0, -50.0], 0.01), [])
        self.assertEqual(split_pro_rata(100.0, [], 0.01), [])


class TestAccrualRules(unittest.TestCase):
    def test_earned_to_date_less_what_statements_granted(self):
        # 150,000 to date: whole volume at 2 % = 3,000; a partial statement of the
        # period granted 1,200 -> 1,800 to accrue
        measure = Measure(basis=150000.0, amount=150000.0)
        self.assertEqual(accrued_amount(rules(), measure, 1200.0), 1800.0)

    def test_projected_from_last_years_run_rate(self):
        # 90,000 to date; last year 60,000 to this day of a 240,000 period: a quarter
        # of the period's sales -> projected 360,000, 3 % bracket; accrued 3 % of the
        # 90,000 made so far = 2,700 (earned to date would be 1 %: 900)
        measure = Measure(basis=90000.0, amount=90000.0, last_year=60000.0)
        projected, share = projected_measure(measure, 240000.0, 30, 90)
        self.assertEqual(
            (projected.basis, projected.amount, share), (360000.0, 360000.0, 0.25)
        )
        self.assertEqual(
            accrued_amount(rules(), measure, 0.0, (240000.0, 30, 90)), 2700.0
        )
        self.assertEqual(accrued_amount(rules(), measure, 0.0), 900.0)

    def test_projected_by_days_without_last_year(self):
        # no sales last year: 30 of 90 days -> 60,000 projects to 180,000 (2 %);
        # 2 % of 180,000 = 3,600 x 1/3 = 1,200
        measure = Measure(basis=60000.0, amount=60000.0)
        self.assertEqual(accrued_amount(rules(), measure, 0.0, (0.0, 30, 90)), 1200.0)
        # nothing elapsed, nothing sold: nothing accrued
        self.assertEqual(accrued_amount(rules(), EMPTY_MEASURE, 0.0, (0.0, 0, 90)), 0.0)
