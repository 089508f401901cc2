# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DEALER_LEVELS = [
    ("general_distributor", "General Distributor"),
    ("secondary_wholesaler", "Secondary Wholesaler"),
    ("retailer", "Retailer"),
    ("key_account", "Key Account"),
]


class ResPartner(models.Model):
    """The dealer file lives on the commercial partner; its contacts follow it."""

    _inherit = "res.partner"

    is_dealer = fields.Boolean(
        string="Dealer",
        index=True,
        tracking=True,
        help="This partner is part of the dealer/distributor network.",
    )
    dealer_level = fields.Selection(
        DEALER_LEVELS,
        string="Dealer Level",
        index=True,
        tracking=True,
        help="Where the dealer sits in the network: general distributors buy from "
        "the manufacturer, secondary wholesalers and retailers from an upstream dealer.",
    )
    dealer_parent_id = fields.Many2one(
        "res.partner",
        string="Upstream Dealer",
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('is_dealer', '=', True), ('parent_id', '=', False), ('id', '!=', id)]",
        help="The dealer this dealer buys from (general distributor -> secondary "
        "wholesaler -> retailer).",
    )
    dealer_child_ids = fields.One2many(
        "res.partner",
        "dealer_parent_id",
        string="Downstream Dealers",
        domain=[("parent_id", "=", False)],
    )
    dealer_downstream_count = fields.Integer(
        string="Downstream Dealer Count",
        compute="_compute_dealer_downstream_count",
    )
    dealer_relation_note_ids = fields.One2many(
        "dealer.relation.note",
        "partner_id",
        string="Relationship Notes",
        groups="dealer_management.group_dealer_sensitive",
    )
    dealer_relation_note_count = fields.Integer(
        string="Relationship Note Count",
        compute="_compute_dealer_relation_note_count",
        groups="dealer_management.group_dealer_sensitive",
    )

    @api.depends("dealer_child_ids")
    def _compute_dealer_downstream_count(self):
        groups = self.env["res.partner"]._read_group(
            [("dealer_parent_id", "in", self.ids), ("parent_id", "=", False)],
            groupby=["dealer_parent_id"],
            aggregates=["__count"],
        )
        counts = {parent.id: count for parent, count in groups}
        for partner in self:
            partner.dealer_downstream_count = counts.get(partner.id, 0)

    @api.depends("dealer_relation_note_ids")
    def _compute_dealer_relation_note_count(self):
        groups = self.env["dealer.relation.note"]._read_group(
            [("partner_id", "in", self.ids)],
            groupby=["partner_id"],
            aggregates=["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.dealer_relation_note_count = counts.get(partner.id, 0)

    @api.constrains("dealer_parent_id", "is_dealer")
    def _check_dealer_parent_id(self):
        for partner in self.filtered("dealer_parent_id"):
            if not partner.is_dealer:
                raise ValidationError(
                    _("%(partner)s has an upstream dealer but is not a dealer.",
                      partner=partner.display_name)
                )
            if not partner.dealer_parent_id.is_dealer:
                raise ValidationError(
                    _("The upstream dealer of %(partner)s, %(parent)s, is not a dealer.",
                      partner=partner.display_name,
                      parent=partner.dealer_parent_id.display_name)
                )
        if self._has_cycle("dealer_parent_id"):
            raise ValidationError(
                _("A dealer cannot be its own upstream dealer, directly or through others.")
            )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "is_dealer",
            "dealer_level",
            "dealer_parent_id",
        ]

    def action_view_dealer_downstream(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_partner_action"
        )
        action["domain"] = [("dealer_parent_id", "=", self.id), ("parent_id", "=", False)]
        action["context"] = {
            "default_is_dealer": True,
            "default_is_company": True,
            "default_dealer_parent_id": self.id,
            "default_user_id": self.user_id.id,
        }
        action["name"] = _("Downstream of %(dealer)s", dealer=self.display_name)
        return action

    def action_view_dealer_relation_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dealer_management.dealer_relation_note_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
