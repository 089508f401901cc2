# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The tier rule (ABC 分级 by the 80/20 rule), pure Python: the tiers of a company's
dealers from their amounts of the window. The tier run (``dealer_tier_run``) measures
and writes; this file only ranks, which ``tests/test_tier_rules.py`` checks without a
database.

How it works: ``docs/design.md``, section ``models/dealer_tier_rules.py``."""

from collections import namedtuple
from decimal import Decimal

# what the rule needs of a dealer
Dealer = namedtuple("Dealer", "id since current override locked_until")
# what it gives for one: its rank, amount, share and cumulative share (%), its tier,
# whether a tier set by hand is kept, and the tier it had
Result = namedtuple("Result", "rank amount share cumulative tier kept current")


def tier_results(amounts, dealers, threshold_a, threshold_b, window, today, digits):
    """{dealer id: Result} of ``dealers`` (Dealer tuples) from ``amounts`` {dealer id:
    amount of the window}; thresholds in percent, ``window`` (first day, last day),
    ``digits`` the decimals the amounts are counted in."""
    unit = 10**digits
    ranked = sorted(
        ((round((amounts.get(dealer.id) or 0) * unit), dealer) for dealer in dealers),
        key=lambda item: (-item[0], item[1].id),
    )
    total = sum(amount for amount, _dealer in ranked if amount > 0)
    limit_a = Decimal(str(threshold_a)) * total
    limit_b = Decimal(str(threshold_b)) * total
    date_from, date_to = window
    results = {}
    running = 0
    for rank, (amount, dealer) in enumerate(ranked, start=1):
        if amount > 0:
            before = running * 100
            running += amount
            tier = "A" if before < limit_a else "B" if before < limit_b else "C"
            share = round(amount * 100 / total, 4)
        else:
            share = 0.0
            since = dealer.since
            tier = "new" if since and date_from <= since <= date_to else "C"
        kept = bool(
            dealer.override
            and (not dealer.locked_until or dealer.locked_until >= today)
        )
        results[dealer.id] = Result(
            rank,
            amount / unit,
            share,
            round(running * 100 / total, 4) if total else 0.0,
            tier,
            kept,
            dealer.current,
        )
    return results, total / unit
