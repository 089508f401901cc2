# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What-if simulation of a rebate program (返利模拟测算): the program, and a variant of
its rules, replayed on a past window; per dealer what each would have cost. Nothing is
written to statements or the books.

How it works: ``docs/design.md``, section ``models/dealer_rebate_simulation.py``."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import BulkWriter
from ..tools.rights import MANAGER, check_group
from ..tools.sql_arrays import array
from .dealer_rebate_rules import rebate_figures
from .dealer_selections import BONUS_TYPES, BRACKET_MODES, DEALER_LEVELS, TIERS

LINE_COLUMNS = [
    ("tier", "varchar[]"),
    ("level", "varchar[]"),
    ("territory_id", "int[]"),
    ("net_amount", "numeric[]"),
    ("basis", "numeric[]"),
    ("program_amount", "numeric[]"),
    ("variant_amount", "numeric[]"),
    ("difference", "numeric[]"),
    ("in_program", "bool[]"),
    ("in_variant", "bool[]"),
    ("compare_amount", "numeric[]"),
]


class DealerRebateSimulation(models.Model):
    _name = "dealer.rebate.simulation"
    _description = "Dealer Rebate Simulation"
    _inherit = ["mail.thread", "dealer.governed.mixin"]
    _order = "id desc"
    # the figures, the state and the date are the simulation's (read-only fields)

    name = fields.Char(required=True, default=lambda self: _("Simulation"))
    program_id = fields.Many2one(
        "dealer.rebate.program", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Simulated")], default="draft", readonly=True
    )
    simulated_on = fields.Datetime(readonly=True)
    # the variant: the program's rules as edited in the simulation
    has_variant = fields.Boolean(string="Simulate a Variant")
    variant_bracket_mode = fields.Selection(
        BRACKET_MODES,
        string="Variant Brackets Mode",
        default="whole",
    )
    variant_bracket_ids = fields.One2many(
        "dealer.rebate.simulation.bracket", "simulation_id", string="Variant Brackets"
    )
    variant_growth_rate = fields.Float(
        string="Variant Growth Rebate (%)", digits=(16, 4), aggregator=None
    )
    variant_bonus_type = fields.Selection(
        BONUS_TYPES,
        string="Variant Target Bonus",
        default="none",
    )
    variant_bonus_amount = fields.Monetary(
        currency_field="currency_id", aggregator=None
    )
    variant_bonus_rate = fields.Float(
        string="Variant Bonus Rate (%)", digits=(16, 4), aggregator=None
    )
    variant_cap_amount = fields.Monetary(
        string="Variant Cap", currency_field="currency_id", aggregator=None
    )
    variant_tier_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_rebate_simulation_tier_rel",
        string="Variant Tiers",
        domain=[("kind", "=", "tier")],
    )
    variant_level_ids = fields.Many2many(
        "dealer.scope.value",
        "dealer_rebate_simulation_level_rel",
        string="Variant Dealer Levels",
        domain=[("kind", "=", "level")],
    )
    variant_territory_ids = fields.Many2many(
        "dealer.territory",
        "dealer_rebate_simulation_territory_rel",
        string="Variant Territories",
    )
    compare_id = fields.Many2one(
        "dealer.rebate.simulation",
        string="Compare With",
        domain="[('id', '!=', id), ('company_id', '=', company_id)]",
    )
    line_ids = fields.One2many(
        "dealer.rebate.simulation.line", "simulation_id", string="Dealers"
    )
    dealer_count = fields.Integer(readonly=True, aggregator=None)
    net_amount = fields.Monetary(
        string="Net Sales", currency_field="currency_id", readonly=True
    )
    program_amount = fields.Monetary(
        string="Program Rebate", currency_field="currency_id", readonly=True
    )
    variant_amount = fields.Monetary(
        string="Variant Rebate", currency_field="currency_id", readonly=True
    )
    program_share = fields.Float(
        string="Program Cost (% of Net Sales)",
        digits=(16, 2),
        readonly=True,
        aggregator=None,
    )
    variant_share = fields.Float(
        string="Variant Cost (% of Net Sales)",
        digits=(16, 2),
        readonly=True,
        aggregator=None,
    )

    @api.onchange("program_id")
    def _onchange_program_id(self):
        """The same period last year, and the program's rules as the variant's start."""
        program = self.program_id
        if not program:
            return
        today = fields.Date.context_today(self)
        periods = program._periods()
        current = [(s, e) for s, e in periods if s <= today <= e]
        start, end = (current or periods or [(today, today)])[0]
        self.date_from = start - relativedelta(years=1)
        self.date_to = end - relativedelta(years=1)
        self._copy_program_rules()

    def _copy_program_rules(self):
        program = self.program_id
        self.update(
            {
                "variant_bracket_mode": program.bracket_mode,
                "variant_bracket_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "amount_from": b.amount_from,
                            "amount_to": b.amount_to,
                            "rate": b.rate,
                            "unit_amount": b.unit_amount,
                        },
                    )
                    for b in program.bracket_ids
                ],
                "variant_growth_rate": program.growth_rate,
                "variant_bonus_type": program.target_bonus_type,
                "variant_bonus_amount": program.target_bonus_amount,
                "variant_bonus_rate": program.target_bonus_rate,
                "variant_cap_amount": program.cap_amount,
                "variant_tier_ids": [(6, 0, program.tier_ids.ids)],
                "variant_level_ids": [(6, 0, program.level_ids.ids)],
                "variant_territory_ids": [(6, 0, program.territory_ids.ids)],
            }
        )

    def action_copy_program_rules(self):
        check_group(self.env, MANAGER, _("simulate rebate programs"))
        for simulation in self:
            simulation._copy_program_rules()
        return True

    def write(self, vals):
        result = super().write(vals)
        if "compare_id" in vals:
            self.filtered(lambda s: s.state == "done")._write_comparison()
        return result

    # ------------------------------------------------------------ the simulation

    def action_simulate(self):
        """Replay the program and its variant on the window: one measure of every
        dealer either applies to, the rules applied in memory, the lines written in
        bulk."""
        check_group(self.env, MANAGER, _("simulate rebate programs"))
        for simulation in self:
            simulation._check_window()
            simulation.sudo()._simulate()
        return True

    def _check_window(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.date_from > self.date_to:
            raise UserError(_("The simulation's window ends before it starts."))
        if self.date_to >= today:
            raise UserError(
                _(
                    "Simulate on a window that has ended: %(date)s is not past.",
                    date=self.date_to,
                )
            )
        self.env.cr.execute(
            SQL(
                """SELECT MIN(invoice_date) FROM account_move
                WHERE company_id = %s AND state = 'posted'
                  AND move_type IN ('out_invoice', 'out_refund')""",
                self.company_id.id,
            )
        )
        first = self.env.cr.fetchone()[0]
        # the data begins with the month of the first invoice
        if not first or self.date_from < first.replace(day=1):
            raise UserError(
                _(
                    "The window begins before the data: the first invoice of "
                    "%(company)s is of %(date)s.",
                    company=self.company_id.name,
                    date=first or "-",
                )
            )
        if self.has_variant:
            self.env["dealer.rebate.bracket"]._check_brackets(
                self.name, self.variant_bracket_ids
            )

    def _variant_dealer_ids(self):
        """The dealers the variant applies to: the program's eligibility with the
        variant's tiers, levels and territories."""
        program = self.program_id
        domain = self.env["dealer.scope.value"]._dealer_domain(
            program.company_id,
            self.variant_tier_ids,
            self.variant_level_ids,
            self.variant_territory_ids,
        )
        if program.partner_ids:
            domain.append(("id", "in", program.partner_ids.ids))
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            ._search(domain)
            .get_result_ids()
        )

    def _simulate(self):
        self.ensure_one()
        program = self.program_id
        policy = program._policy()
        in_program = set(program._eligible_dealer_ids(self.date_from, self.date_to))
        in_variant = set(self._variant_dealer_ids()) if self.has_variant else set()
        dealers = sorted(in_program | in_variant)
        measures = self.env["dealer.rebate.calculation"]._measure(
            policy, self.date_from, self.date_to, dealers
        )
        rules = policy.rules
        variant = (
            program._rules(
                self.variant_bracket_ids,
                marginal=self.variant_bracket_mode == "marginal",
                growth_rate=self.variant_growth_rate,
                bonus_type=self.variant_bonus_type,
                bonus_amount=self.variant_bonus_amount,
                bonus_rate=self.variant_bonus_rate,
                cap=self.variant_cap_amount,
            )
            if self.has_variant
            else None
        )
        profile = self._profiles(list(measures))
        compared = self._compared_amounts()
        rows = {}
        for pid, measure in measures.items():
            base = rebate_figures(rules, *measure).total if pid in in_program else 0.0
            other = (
                rebate_figures(variant, *measure).total
                if variant and pid in in_variant
                else 0.0
            )
            tier, level, territory = profile.get(pid, (None, None, None))
            rows[pid] = (
                tier,
                level,
                territory,
                measure.amount,
                measure.basis,
                base,
                other,
                other - base if variant else 0.0,
                pid in in_program,
                pid in in_variant,
                compared.get(pid, 0.0),
            )
        Line = self.env["dealer.rebate.simulation.line"]
        writer = BulkWriter(Line, "partner_id", LINE_COLUMNS)
        where = SQL("simulation_id = %s", self.id)
        writer.write(
            rows,
            writer.read(where),
            fixed={"simulation_id": self.id},
            delete_missing=True,
        )
        self.invalidate_recordset(["line_ids"])
        net = sum(row[3] for row in rows.values())
        base_total = sum(row[5] for row in rows.values())
        variant_total = sum(row[6] for row in rows.values())
        currency = self.currency_id
        self._governed_write(
            {
                "state": "done",
                "simulated_on": fields.Datetime.now(),
                "dealer_count": len(rows),
                "net_amount": currency.round(net),
                "program_amount": currency.round(base_total),
                "variant_amount": currency.round(variant_total),
                "program_share": 100.0 * base_total / net if net else 0.0,
                "variant_share": 100.0 * variant_total / net if net else 0.0,
            }
        )

    def _profiles(self, dealer_ids):
        """{dealer id: (tier, level, first territory id)}: one query."""
        if not dealer_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """SELECT p.id, p.dealer_tier, p.dealer_level,
                          (SELECT MIN(r.territory_id)
                             FROM dealer_territory_partner_rel r
                            WHERE r.partner_id = p.id)
                     FROM res_partner p WHERE p.id = ANY(%s)""",
                array(dealer_ids),
            )
        )
        return {
            pid: (tier, level, territory)
            for pid, tier, level, territory in self.env.cr.fetchall()
        }

    def _compared_amounts(self):
        """{dealer id: rebate} of the simulation compared with (its variant's, else
        its program's): one query."""
        other = self.compare_id
        if not other:
            return {}
        column = "variant_amount" if other.has_variant else "program_amount"
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, %s FROM dealer_rebate_simulation_line "
                "WHERE simulation_id = %s",
                SQL.identifier(column),
                other.id,
            )
        )
        return {pid: float(amount or 0.0) for pid, amount in self.env.cr.fetchall()}

    def _write_comparison(self):
        """The lines' comparison, after the simulation compared with changed: one
        statement per simulation, the lines that change only."""
        for simulation in self:
            compared = simulation._compared_amounts()
            self.env.cr.execute(
                SQL(
                    """UPDATE dealer_rebate_simulation_line line
                          SET compare_amount = v.amount
                         FROM (SELECT unnest(%s::int[]) AS partner_id,
                                      unnest(%s::numeric[]) AS amount) v
                        WHERE line.simulation_id = %s
                          AND line.partner_id = v.partner_id
                          AND line.compare_amount IS DISTINCT FROM v.amount""",
                    list(compared) or [0],
                    list(compared.values()) or [0],
                    simulation.id,
                )
            )
            # the dealers the other simulation does not have
            self.env.cr.execute(
                SQL(
                    """UPDATE dealer_rebate_simulation_line
                          SET compare_amount = 0
                        WHERE simulation_id = %s AND compare_amount != 0
                          AND NOT partner_id = ANY(%s)""",
                    simulation.id,
                    list(compared) or [0],
                )
            )
        self.env["dealer.rebate.simulation.line"].invalidate_model(["compare_amount"])


class DealerRebateSimulationBracket(models.Model):
    """A bracket of a simulation's variant (the program's are left as they are)."""

    _name = "dealer.rebate.simulation.bracket"
    _description = "Dealer Rebate Simulation Bracket"
    _order = "simulation_id, amount_from"

    simulation_id = fields.Many2one(
        "dealer.rebate.simulation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="simulation_id.company_id")
    amount_from = fields.Float(string="From", digits=(16, 2), aggregator=None)
    amount_to = fields.Float(
        string="Up To",
        digits=(16, 2),
        help="Upper bound, excluded; 0: no upper bound.",
        aggregator=None,
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 4), aggregator=None)
    unit_amount = fields.Float(
        string="Amount per Unit", digits=(16, 4), aggregator=None
    )


class DealerRebateSimulationLine(models.Model):
    """A dealer in a simulation: what the program and the variant would have given."""

    _name = "dealer.rebate.simulation.line"
    _description = "Dealer Rebate Simulation Line"
    _order = "simulation_id, variant_amount desc, program_amount desc, id"
    # written in bulk by the simulation (tens of thousands at once): no audit columns,
    # nothing but the simulation's key besides the figures
    _log_access = False

    simulation_id = fields.Many2one(
        "dealer.rebate.simulation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="simulation_id.company_id")
    currency_id = fields.Many2one(related="simulation_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True)
    tier = fields.Selection(TIERS)
    level = fields.Selection(DEALER_LEVELS)
    territory_id = fields.Many2one("dealer.territory")
    net_amount = fields.Monetary(string="Net Sales", currency_field="currency_id")
    basis = fields.Float(digits=(16, 2))
    program_amount = fields.Monetary(
        string="Program Rebate", currency_field="currency_id"
    )
    variant_amount = fields.Monetary(
        string="Variant Rebate", currency_field="currency_id"
    )
    difference = fields.Monetary(
        string="Variant - Program", currency_field="currency_id"
    )
    compare_amount = fields.Monetary(
        string="Compared Simulation", currency_field="currency_id"
    )
    in_program = fields.Boolean(string="Eligible in the Program")
    in_variant = fields.Boolean(string="Eligible in the Variant")
