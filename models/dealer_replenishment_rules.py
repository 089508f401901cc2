# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The replenishment arithmetic of a dealer's monthly stock report, pure Python (no
database): what the report shows and proposes from what was sold and what is left.
``dealer_stock_report`` reads the history and the safety-stock rule; this file only
computes, which ``tests/test_replenishment_rules.py`` checks without a database.

How it works: ``docs/design.md``, section ``models/dealer_replenishment_rules.py``."""

import math

WEEKS_PER_MONTH = 52 / 12
DEFAULT_COVER_WEEKS = 4.0


def replenishment(sold, closing, safety_stock, cover_weeks, overstock_weeks):
    """{average_sold, weeks_of_cover, proposed_quantity, is_overstock} from ``sold``
    (the months' sales), the ``closing`` stock, the rule's ``safety_stock`` and
    ``cover_weeks`` (None: the default) and the company's ``overstock_weeks`` (0:
    none)."""
    average = sum(sold) / len(sold) if sold else 0.0
    weekly = average / WEEKS_PER_MONTH
    cover = closing / weekly if weekly else 0.0
    wanted = weekly * (DEFAULT_COVER_WEEKS if cover_weeks is None else cover_weeks)
    return {
        "average_sold": average,
        "weeks_of_cover": cover,
        "proposed_quantity": max(
            0, math.ceil(round(wanted + safety_stock - closing, 6))
        ),
        "is_overstock": bool(overstock_weeks and weekly and cover > overstock_weeks),
    }
