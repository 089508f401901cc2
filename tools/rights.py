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
    outside the group ``xmlid`` (or every group of a tuple of them); the
    superuser (a scheduled job) passes."""
    xmlids = xmlid if isinstance(xmlid, tuple) else (xmlid,)
    if env.su or any(in_group(env, name) for name in xmlids):
        return
    raise AccessError(
        env._(
            "Only a %(group)s may %(action)s.",
            # the group's name read as the addon: a portal user does not read groups
            group=env._(" or ").join(env.ref(name).sudo().name for name in xmlids),
            action=action,
        )
    )
