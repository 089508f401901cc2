# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's groups and the one check of a button's group (its one message)."""

from odoo.exceptions import AccessError

MANAGER = "dealer_management.group_dealer_manager"
ACCOUNTANT = "dealer_management.group_dealer_accountant"
SALESPERSON = "dealer_management.group_dealer_user"


def in_group(env, xmlid):
    """Whether the user of ``env`` is in the group ``xmlid``."""
    return env.user.has_group(xmlid)


def check_group(env, xmlid, action):
    """Refuse ``action`` (a translated verb phrase: "approve evaluations") to a user
    outside the group ``xmlid``; the superuser (a scheduled job) passes."""
    if env.su or in_group(env, xmlid):
        return
    raise AccessError(
        env._(
            "Only a %(group)s may %(action)s.",
            group=env.ref(xmlid).name,
            action=action,
        )
    )
