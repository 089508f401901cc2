# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DealerRelationNote(models.Model):
    """Social-relationship notes (社会关系) on a dealer.

    Readable only by the Sensitive Relations group, and only for the dealers its
    members can see (see security/dealer_management_security.xml).
    """

    _name = "dealer.relation.note"
    _description = "Dealer Relationship Note"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, category, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('is_dealer', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    category = fields.Selection(
        [
            ("family", "Family"),
            ("social_standing", "Social Standing and Background"),
            ("authorities", "Ties to Authorities and Associations"),
            ("lifestyle", "Hobbies and Lifestyle"),
            ("risk", "Risk Remarks"),
            ("other", "Other"),
        ],
        required=True,
        default="family",
        tracking=True,
    )
    note = fields.Text(tracking=True)
    active = fields.Boolean(default=True)

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for note in self:
            if not note.partner_id.commercial_partner_id.is_dealer:
                raise ValidationError(
                    _("%(partner)s is not a dealer: relationship notes are kept for dealers only.",
                      partner=note.partner_id.display_name)
                )
