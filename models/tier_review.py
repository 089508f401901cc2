# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reviews of the addon's approvals are written by the addon only.

OCA ``base_tier_validation`` lets every internal user create, write and delete
``tier.review`` rows, and computes a record's approval from their stored statuses: a
client that writes ``{"status": "approved", "done_by": <the director>}`` on a review
would approve a rebate statement for someone else. The reviews of the addon's models
(``APPROVAL_MODELS``) are therefore refused to every caller but the addon's approval
methods, which check the user's group, the statement's state and who he is, and then
work as superuser (a superuser environment is the one thing a client cannot forge).
Who reads them is said by the record rules (``security/``)."""

from odoo import _, api, models
from odoo.exceptions import AccessError

from .tier_definition import APPROVAL_MODELS


class TierReview(models.Model):
    _inherit = "tier.review"

    def _check_dealer_review_writer(self, model_names):
        if self.env.su or not set(model_names) & set(APPROVAL_MODELS):
            return
        raise AccessError(
            _(
                "The approvals of rebate statements are given, refused and reset with "
                "the statement's buttons (Approve, Reject, Reset to Draft): their "
                "reviews are not created, changed or deleted directly."
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
