# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Figures and the language of the texts the addon writes itself (a warning's
description, a measured criterion's basis, an activity's summary): written for a reader,
so in his language, with money in his language's grouping and the currency's symbol
(¥ 658,620.50, not 658620.5 CNY)."""

from odoo.tools.misc import formatLang


def money(env, amount, currency):
    """``amount`` of ``currency`` as ``env``'s language writes money."""
    return formatLang(env, amount, currency_obj=currency)


def number(env, value, digits=2, dp=None):
    """``value`` with ``digits`` decimals (or the decimal precision ``dp``), grouped as
    ``env``'s language groups thousands."""
    return formatLang(env, value, digits=digits, dp=dp)


def text_lang(env, users=None, company=None):
    """The language of a text the addon writes for ``users``: the one they share, else
    the company's (its partner's), else ``env``'s."""
    langs = {lang for lang in (users.mapped("lang") if users else []) if lang}
    if len(langs) == 1:
        return langs.pop()
    return (company and company.partner_id.lang) or env.lang or "en_US"
