# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What-if simulation of a rebate program (返利模拟测算) on last year's sales: the
program and a variant, dealer by dealer, every figure worked out by hand."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .test_rebate import RebateCommon


@freeze_time("2026-06-15")
class TestRebateSimulation(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # last year's first quarter: dealer 9,000 (1 %: 90), dealer2 12,000 (2 % on
        # the whole: 240), dealer3 62,000 - 2,000 = 60,000 (3 %: 1,800)
        cls.sell_last_year("2025-01-05", 9000)
        cls.sell_last_year("2025-02-10", 12000, partner=cls.dealer2)
        cls.sell_last_year("2025-03-02", 62000, partner=cls.dealer3)
        cls.sell_last_year(
            "2025-03-20", 2000, partner=cls.dealer3, move_type="out_refund"
        )
        cls.east = cls.env["dealer.territory"].create(
            {"name": "East", "dealer_ids": [Command.set(cls.dealer3.ids)]}
        )

    @classmethod
    def sell_last_year(cls, day, amount, partner=None, move_type="out_invoice"):
        return cls.invoice(
            day, partner=partner, move_type=move_type, lines=[(cls.fridge, 1, amount)]
        )

    def simulation(self, user=None, **vals):
        program = self.program()
        Simulation = self.env["dealer.rebate.simulation"].with_user(
            user or self.manager
        )
        return Simulation.create(
            {
                "name": "Q1 last year",
                "program_id": program.id,
                "date_from": "2025-01-01",
                "date_to": "2025-03-31",
                **vals,
            }
        )

    def amounts(self, simulation, field):
        return {line.partner_id: line[field] for line in simulation.line_ids}

    def test_the_program_and_a_marginal_variant_for_the_east(self):
        # the variant: marginal, 1 % up to 20,000 then 2.5 %, the East only: dealer3
        # 20,000 x 1 % + 40,000 x 2.5 % = 200 + 1,000 = 1,200
        simulation = self.simulation(
            has_variant=True,
            variant_bracket_mode="marginal",
            variant_bracket_ids=[
                Command.create({"amount_from": 0, "amount_to": 20000, "rate": 1}),
                Command.create({"amount_from": 20000, "amount_to": 0, "rate": 2.5}),
            ],
            variant_territory_ids=[Command.set(self.east.ids)],
        )
        simulation.action_simulate()
        self.assertEqual(
            self.amounts(simulation, "program_amount"),
            {self.dealer: 90.0, self.dealer2: 240.0, self.dealer3: 1800.0},
        )
        self.assertEqual(
            self.amounts(simulation, "variant_amount"),
            {self.dealer: 0.0, self.dealer2: 0.0, self.dealer3: 1200.0},
        )
        self.assertEqual(
            self.amounts(simulation, "difference"),
            {self.dealer: -90.0, self.dealer2: -240.0, self.dealer3: -600.0},
        )
        # 81,000 of net sales: the program costs 2,130 (2.63 %), the variant 1,200
        # (1.48 %)
        self.assertEqual(
            (
                simulation.state,
                simulation.dealer_count,
                simulation.net_amount,
                simulation.program_amount,
                simulation.variant_amount,
                round(simulation.program_share, 2),
                round(simulation.variant_share, 2),
            ),
            ("done", 3, 81000.0, 2130.0, 1200.0, 2.63, 1.48),
        )
        # totals by territory: the East 1,800 and 1,200, the others 330 and 0
        totals = {
            territory: (program, variant)
            for territory, program, variant in self.env[
                "dealer.rebate.simulation.line"
            ]._read_group(
                [("simulation_id", "=", simulation.id)],
                ["territory_id"],
                ["program_amount:sum", "variant_amount:sum"],
            )
        }
        self.assertEqual(
            totals,
            {self.east: (1800.0, 1200.0), self.env["dealer.territory"]: (330.0, 0.0)},
        )
        # nothing written to statements or the books
        self.assertFalse(self.env["dealer.rebate"].search([]))
        # simulated again: the same lines, nothing added
        lines = simulation.line_ids
        simulation.action_simulate()
        self.assertEqual(simulation.line_ids, lines)

    def test_compared_with_another_simulation(self):
        first = self.simulation()
        first.action_simulate()
        second = self.simulation(
            has_variant=True,
            variant_bracket_ids=[
                Command.create({"amount_from": 0, "amount_to": 0, "rate": 2}),
            ],
        )
        second.action_simulate()
        # the variant: 2 % of everything (9,000: 180; 12,000: 240; 60,000: 1,200)
        self.assertEqual(
            self.amounts(second, "variant_amount"),
            {self.dealer: 180.0, self.dealer2: 240.0, self.dealer3: 1200.0},
        )
        second.compare_id = first
        self.assertEqual(
            self.amounts(second, "compare_amount"),
            {self.dealer: 90.0, self.dealer2: 240.0, self.dealer3: 1800.0},
        )
        first.compare_id = second  # a variant is compared by its variant
        self.assertEqual(
            self.amounts(first, "compare_amount"),
            {self.dealer: 180.0, self.dealer2: 240.0, self.dealer3: 1200.0},
        )

    def test_bad_input_writes_nothing(self):
        for vals, error in (
            ({"date_to": "2026-06-30"}, "has ended"),
            ({"date_from": "2024-10-01"}, "begins before the data"),
            ({"date_from": "2025-04-01"}, "ends before it starts"),
        ):
            with self.subTest(error=error):
                simulation = self.simulation(**vals)
                with self.assertRaisesRegex(UserError, error):
                    simulation.action_simulate()
                self.assertEqual(
                    (simulation.state, simulation.line_ids.ids), ("draft", [])
                )
        overlapping = self.simulation(
            has_variant=True,
            variant_bracket_ids=[
                Command.create({"amount_from": 0, "amount_to": 20000, "rate": 1}),
                Command.create({"amount_from": 10000, "amount_to": 0, "rate": 2}),
            ],
        )
        with self.assertRaisesRegex(ValidationError, "overlap at 10000"):
            overlapping.action_simulate()
        self.assertFalse(overlapping.line_ids)

    def test_rights(self):
        with self.assertRaises(AccessError):
            self.simulation(user=self.salesperson)
        simulation = self.simulation()
        for user in (self.salesperson, self.accountant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                simulation.with_user(user).action_simulate()
        # the figures are the simulation's: a manager does not write them
        simulation.action_simulate()
        with self.assertRaises(UserError):
            simulation.with_user(self.manager).write({"program_amount": 1.0})
        with self.assertRaises(AccessError):
            simulation.line_ids[:1].with_user(self.manager).write(
                {"program_amount": 1.0}
            )
