# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Governed fields: what only a workflow, a computation, a run or an approval sets.

How it works: ``docs/design.md``, section ``models/dealer_governed_mixin.py``."""

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

from ..tools.rights import in_group

MAGIC_FIELDS = {
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "display_name",
}
CHATTER_FIELDS = {
    "message_follower_ids",
    "message_ids",
    "website_message_ids",
    "message_main_attachment_id",
    "activity_ids",
    "rating_ids",
}


class DealerGovernedMixin(models.AbstractModel):
    _name = "dealer.governed.mixin"
    _description = "Fields Set by the Addon Only"

    _governed_extra = ()
    _governed_after_create = ()  # given when the record is made, then governed
    _governed_all = False
    _governed_free = ()
    _governed_groups = {}
    _governed_prefix = ""  # res.partner: only its dealer_ fields

    @classmethod
    def _governed_field_names(cls, model):
        names = set()
        for name, field in model._fields.items():
            if (
                name in MAGIC_FIELDS
                or name in CHATTER_FIELDS
                or not field.store
                or name in model._governed_free
                or not name.startswith(model._governed_prefix)
            ):
                continue
            if (
                model._governed_all
                or field.readonly
                or (field.compute and not field.inverse)
            ):
                names.add(name)
        return frozenset(names | set(model._governed_extra))

    def _governed_fields(self):
        cache = type(self).__dict__.get("_dealer_governed_cache")
        if cache is None:
            cache = self._governed_field_names(self)
            type(self)._dealer_governed_cache = cache
        return cache

    def _governed_hint(self):
        """Where the governed fields are set: the buttons or wizard to use."""
        return _("they are set by the buttons of the form and by the scheduled jobs")

    def _governed_allowed(self, names, vals):
        """The governed ``names`` this caller may still write with ``vals``."""
        return {
            name
            for name in names
            if self._governed_groups.get(name)
            and in_group(self.env, self._governed_groups[name])
        }

    def _refuse_governed(self, names):
        labels = ", ".join(
            sorted(
                f"{self._fields[name]._description_string(self.env)} ({name})"
                if name in self._fields
                else name
                for name in names
            )
        )
        raise AccessError(
            _(
                "%(model)s: %(fields)s cannot be written directly: %(how)s.",
                model=self.env["ir.model"]._get(self._name).name or self._description,
                fields=labels,
                how=self._governed_hint(),
            )
        )

    def _check_governed_vals(self, vals, creating=False):
        if self.env.su:
            return
        names = set(vals) & self._governed_fields()
        if not creating:
            names |= set(vals) & set(self._governed_after_create)
        if creating:
            # a new record may start where the workflow starts (the field's default)
            # the field's own default, not one the context gives: the context is
            # replaced on purpose by a copy without the default_ keys (the kwargs form,
            # with_context(**...), would keep them)
            plain = self.with_context(  # pylint: disable=context-overridden
                {
                    key: value
                    for key, value in self.env.context.items()
                    if not key.startswith("default_")
                }
            )
            defaults = plain.default_get(list(names)) if names else {}
            names = {
                name
                for name in names
                if not (name in defaults and defaults[name] == vals[name])
                and not (name not in defaults and not vals[name])
            }
        names -= self._governed_allowed(names, vals)
        if names:
            self._refuse_governed(names)

    @api.model
    def default_get(self, fields_list):
        """A governed field starts at the model's own default: a personal or company
        default (``ir.default``, which any user may set for himself) is no value the
        workflow gave. Those of the context are the caller's, checked by create."""
        defaults = super().default_get(fields_list)
        for name in set(fields_list) & self._governed_fields():
            if f"default_{name}" in self.env.context:
                continue
            field = self._fields[name]
            if field.default:
                value = field.convert_to_cache(
                    field.default(self), self, validate=False
                )
                defaults[name] = field.convert_to_write(value, self)
            else:
                defaults.pop(name, None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        self._check_governed_create(vals_list)
        return super().create(vals_list)

    @api.model
    def _check_governed_create(self, vals_list):
        """Refuse the governed values of new records (a model whose own checks of
        the values come first calls it before them)."""
        if self.env.su:
            return
        # defaults given by the context are values the caller chose too
        forced = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[8:] in self._governed_fields()
        }
        for vals in vals_list:
            self._check_governed_vals(dict(forced, **vals), creating=True)

    def write(self, vals):
        self._check_governed_vals(vals)
        return super().write(vals)

    def copy_data(self, default=None):
        """A copy starts at the beginning of the workflow: no governed value is copied
        (those the caller gives in ``default`` are checked by create)."""
        if self._governed_all:
            raise UserError(
                _(
                    "%(model)s: records are made by the addon, not copied.",
                    model=self.env["ir.model"]._get(self._name).name,
                )
            )
        vals_list = super().copy_data(default=default)
        given = set(default or ())
        governed = self._governed_fields() - given
        return [
            {key: value for key, value in vals.items() if key not in governed}
            for vals in vals_list
        ]

    def _governed_write(self, vals):
        """The addon sets governed fields: the caller's right to write the records is
        checked (as a plain write would), then the values are written as superuser."""
        self.check_access("write")
        return self.sudo().write(vals)
