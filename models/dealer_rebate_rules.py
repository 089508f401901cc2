# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rebate rules: the figures of a statement from what was measured and a program's
rules. Pure Python (no database, no ORM): the calculation
(``dealer_rebate_calculation``) measures the sales and writes the statements; this file
only does the arithmetic, which ``tests/test_rebate_rules.py`` checks without a
database.

How it works: ``docs/design.md``, section ``models/dealer_rebate_rules.py``."""

from collections import namedtuple

from odoo.tools import float_round

# the figures of a statement, as computed, in the order the calculation writes them
FIGURES = (
    "basis_amount",
    "net_amount",
    "last_year_amount",
    "target_amount",
    "achieved_amount",
    "volume_rebate",
    "growth_rebate",
    "target_bonus",
    "discipline_amount",
    "cap_adjustment",
    "period_total",
    "previously_granted",
    "period_amount",
    "adjustment_amount",
    "amount",
    "next_bracket",
    "to_next_bracket",
)

# what the calculation measured of one dealer for one period to a day
Measure = namedtuple(
    "Measure",
    ["basis", "amount", "last_year", "target", "achieved", "overdue"],
    defaults=(0.0, 0.0, 0.0, 0.0, 0.0, False),
)
EMPTY_MEASURE = Measure()

Figures = namedtuple(
    "Figures",
    [
        "volume",
        "growth",
        "target_bonus",
        "discipline",
        "capped",
        "total",
        "next_bracket",
        "to_next",
    ],
)


Rules = namedtuple(
    "Rules",
    [
        "marginal",
        "brackets",
        "growth_rate",
        "bonus_type",
        "bonus_amount",
        "bonus_rate",
        "discipline",
        "discipline_rate",
        "cap",
        "rounding",
    ],
)


def volume_rebate(rules, basis):
    """(rebate, lower bound of the next bracket or None) for a basis. ``brackets``:
    (from, to, rate per unit of basis), sorted."""
    marginal, reached, upcoming = 0.0, 0.0, None
    for low, high, rate in rules.brackets:
        if low > basis:
            upcoming = low
            break
        reached = rate
        if basis > low:
            marginal += (min(basis, high) - low) * rate
    if rules.marginal:
        return marginal, upcoming
    return (basis * reached if basis > 0 else 0.0), upcoming


def rebate_figures(rules, basis, amount, last_year, target, achieved, overdue):
    """The rebate of one dealer for the cumulative figures of a period.

    ``basis``: amount or quantity in scope; ``amount``: net amount in scope;
    ``last_year``: the net amount in scope on the same dates a year earlier;
    ``target``/``achieved``: the sum of the period's sales targets and the sales
    measured against them; ``overdue``: receivables overdue beyond the limit at the
    end of the period."""

    def round_(value):
        return float_round(value, precision_rounding=rules.rounding) if value else 0.0

    volume, next_bracket = volume_rebate(rules, basis)
    volume = round_(volume)
    growth = (
        round_(max(amount - last_year, 0.0) * rules.growth_rate / 100)
        if last_year > 0 and rules.growth_rate
        else 0.0
    )
    bonus = 0.0
    if rules.bonus_type != "none" and target > 0 and achieved >= target:
        bonus = (
            rules.bonus_amount
            if rules.bonus_type == "fixed"
            else round_(amount * rules.bonus_rate / 100)
        )
    subtotal = volume + growth + bonus
    discipline = 0.0
    if overdue and rules.discipline == "forfeit":
        discipline = -subtotal
    elif overdue and rules.discipline == "reduce":
        discipline = -round_(subtotal * rules.discipline_rate / 100)
    capped = 0.0
    if rules.cap and subtotal + discipline > rules.cap:
        capped = rules.cap - (subtotal + discipline)
    return Figures(
        volume,
        growth,
        bonus,
        discipline,
        round_(capped),
        round_(subtotal + discipline + capped),
        next_bracket,
        None if next_bracket is None else next_bracket - basis,
    )


def statement_values(rules, measure, granted, adjustments, watch, second, watermark):
    """The values of one dealer's statement: its figures for ``measure`` (a
    :class:`Measure`), less ``granted`` (what earlier statements of the period granted),
    plus the sum of ``adjustments`` (dicts with an ``amount``); ``watch``: the share of
    the next bracket's bound within which the dealer is flagged as near it; ``second``:
    the amount above which a second approval is needed (0: never)."""
    figures = rebate_figures(rules, *measure)
    rounding = rules.rounding
    period_amount = (
        float_round(figures.total - granted, precision_rounding=rounding)
        if granted
        else figures.total
    )
    adjustment = (
        float_round(sum(a["amount"] for a in adjustments), precision_rounding=rounding)
        if adjustments
        else 0.0
    )
    amount = period_amount + adjustment
    return {
        "basis_amount": measure.basis,
        "net_amount": measure.amount,
        "last_year_amount": measure.last_year,
        "target_amount": measure.target,
        "achieved_amount": measure.achieved,
        "overdue": bool(measure.overdue),
        "volume_rebate": figures.volume,
        "growth_rebate": figures.growth,
        "target_bonus": figures.target_bonus,
        "discipline_amount": figures.discipline,
        "cap_adjustment": figures.capped,
        "period_total": figures.total,
        "previously_granted": granted,
        "period_amount": period_amount,
        "adjustment_amount": adjustment,
        "amount": amount,
        "next_bracket": figures.next_bracket or 0.0,
        "to_next_bracket": figures.to_next or 0.0,
        "near_next_bracket": bool(
            figures.next_bracket
            and watch
            and figures.to_next <= figures.next_bracket * watch
        ),
        "needs_second_approval": bool(second and amount > second),
        "watermark": watermark,
        "adjustments": adjustments,
    }


def adjustment_values(rules, measure, granted, period_start, period_end):
    """An adjustment to an earlier, closed period: that period's rebate computed again
    from ``measure``, less what was ``granted`` for it."""
    total = rebate_figures(rules, *measure).total
    return {
        "period_start": period_start,
        "period_end": period_end,
        "basis_amount": measure.basis,
        "period_total": total,
        "previously_granted": granted,
        "amount": float_round(total - granted, precision_rounding=rules.rounding),
    }


def closing_values(adjustments, rounding, second, watermark):
    """The values of a closing statement (after the program's last period): no sales
    of its own, the sum of the ``adjustments`` it carries; None when they add up to
    nothing."""
    amount = float_round(
        sum(a["amount"] for a in adjustments), precision_rounding=rounding
    )
    if not amount:
        return None
    return {
        **dict.fromkeys(FIGURES, 0.0),
        "overdue": False,
        "near_next_bracket": False,
        "adjustment_amount": amount,
        "amount": amount,
        "watermark": watermark,
        "adjustments": adjustments,
        "needs_second_approval": bool(second and amount > second),
    }


def split_pro_rata(amount, weights, rounding):
    """``amount`` split in proportion to ``weights``, each share rounded to
    ``rounding``; the share of the largest weight takes what the rounding left, so
    that the shares add up to ``amount`` exactly. The shares in the order of
    ``weights``; an empty list when the weights add up to nothing."""
    total = sum(weights)
    if not weights or not total:
        return []
    shares = [
        float_round(amount * weight / total, precision_rounding=rounding)
        for weight in weights
    ]
    largest = max(range(len(weights)), key=lambda index: abs(weights[index]))
    shares[largest] = float_round(
        amount - sum(shares) + shares[largest], precision_rounding=rounding
    )
    return shares


def projected_measure(measure, last_year_period, elapsed_days, period_days):
    """(the period's ``measure`` projected to its end, the share of the period made so
    far): the run rate of the same period last year (its sales to this day,
    ``measure.last_year``, against its whole, ``last_year_period``), else the days
    (``elapsed_days`` of ``period_days``) when there were no sales last year. A
    projected accrual is the rebate of the projection times that share: the rate of
    the bracket the period is heading for, on the sales made so far."""
    if measure.last_year > 0 and last_year_period > 0:
        share = measure.last_year / last_year_period
    else:
        share = elapsed_days / period_days if period_days > 0 else 1.0
    share = min(max(share, 0.0), 1.0)
    if not share:
        return measure, 0.0
    return (
        measure._replace(
            basis=measure.basis / share,
            amount=measure.amount / share,
            last_year=last_year_period,
        ),
        share,
    )


def accrued_amount(rules, measure, granted, projection=None):
    """What a dealer earned to a day in an open period and the books do not hold yet:
    the rebate of ``measure`` (or of its projection: ``(last_year_period,
    elapsed_days, period_days)``), less what the period's submitted statements
    ``granted`` (they are accrued as statements)."""
    if projection:
        projected, share = projected_measure(measure, *projection)
        total = rebate_figures(rules, *projected).total * share
    else:
        total = rebate_figures(rules, *measure).total
    return float_round(total - granted, precision_rounding=rules.rounding)
