# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reviews of the addon's approvals are written by the addon only.

How it works: ``docs/design.md``, section ``models/tier_review.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .tier_definition import APPROVAL_MODELS


class TierReview(models.Model):
    _inherit = "tier.review"

    # the document a review is of, for the record rules: a salesperson reads the
    # reviews of his own dealers' statements and requests, as he reads them
    dealer_rebate_id = fields.Many2one(
        "dealer.rebate",
        compute="_compute_dealer_document",
        store=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    dealer_fund_request_id = fields.Many2one(
        "dealer.fund.request",
        compute="_compute_dealer_document",
        store=True,
        index="btree_not_null",
        ondelete="cascade",
    )

    @api.depends("model", "res_id")
    def _compute_dealer_document(self):
        for review in self:
            review.dealer_rebate_id = (
                review.res_id if review.model == "dealer.rebate" else False
            )
            review.dealer_fund_request_id = (
                review.res_id if review.model == "dealer.fund.request" else False
            )

    def _check_dealer_review_writer(self, model_names):
        if self.env.su or not set(model_names) & set(APPROVAL_MODELS):
            return
        raise AccessError(
            _(
                "The approvals of rebate statements and market-expense requests are "
                "given, refused and reset with their buttons (Approve, Reject, Reset "
                "to Draft): their reviews are not created, changed or deleted "
                "directly."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_dealer_review_writer([vals.get("model") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        self._check_dealer_review_writer(
            self.sudo().mapped("model") + [vals.get("model")]
        )
        return super().write(vals)

    def unlink(self):
        self._check_dealer_review_writer(self.sudo().exists().mapped("model"))
        return super().unlink()
