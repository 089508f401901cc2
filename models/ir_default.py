# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""No default, personal or company-wide, for a governed field (see
``dealer_governed_mixin.py``): any user may set ``ir.default`` for himself, and a new
record would otherwise start with a tier, a state or an evaluator that no workflow
gave it. The governed fields ignore such defaults anyway; setting one is refused, so
that nobody believes it holds."""

from odoo import _, api, models
from odoo.exceptions import AccessError


class IrDefault(models.Model):
    _inherit = "ir.default"

    @api.model
    def _check_dealer_governed(self, field_ids):
        for field in self.env["ir.model.fields"].sudo().browse(set(field_ids)):
            Model = self.env.get(field.model)
            if (
                Model is not None
                and isinstance(Model, self.env.registry["dealer.governed.mixin"])
                and field.name in Model._governed_fields()
            ):
                raise AccessError(
                    _(
                        "%(model)s: %(field)s (%(name)s) has no default of its own: "
                        "it is set by the addon's buttons and jobs, not chosen when "
                        "a record is made.",
                        model=Model._description,
                        field=field.field_description,
                        name=field.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_dealer_governed([vals.get("field_id") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        self._check_dealer_governed(
            [vals["field_id"]] if vals.get("field_id") else self.sudo().field_id.ids
        )
        return super().write(vals)
