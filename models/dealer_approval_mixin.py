# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's approvals through OCA ``base_tier_validation``, for every document the
addon approves (rebate statements, market-expense requests): one set of rules.

- The reviews are the addon's: a client may not write them (``tier_review.py``); OCA's
  public methods run as superuser, from the document's buttons only, after these checks.
- Nobody approves what he created or submitted, nor gives two approvals of one
  document; one click gives one review (the lowest sequence first).
- At the moment of approving, every review the chain needs now was given through the
  addon's button (``review_uids``, which the addon alone writes) by a distinct member
  of its group: not the stored statuses, which an integration could have forged.

A document using it has ``state`` with ``to_approve`` and ``approved``, the fields
``submitted_uid``, ``review_uids`` (its own relation table), ``approved_uid`` and
``approved_date``, and defines ``_check_manager``, ``_check_state`` and
``_approval_texts``."""

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError


class DealerApprovalMixin(models.AbstractModel):
    _name = "dealer.approval.mixin"
    _description = "Approved by the Addon's Rules"
    # after mail.thread, so that its message_post is checked here first
    _inherit = ["mail.thread", "tier.validation", "dealer.lock.mixin"]

    def _approval_texts(self):
        """{"buttons": the refusal of a direct call of OCA's methods, "own": the
        refusal of approving one's own document (with %(name)s), "message": the refusal
        of a message in another's name or of an approval's message}, translated."""
        raise NotImplementedError

    @api.model
    def _get_under_validation_exceptions(self):
        # the approvals given are recorded while the document waits
        return super()._get_under_validation_exceptions() + ["review_uids"]

    def _check_approval_caller(self):
        if not self.env.su:
            raise AccessError(self._approval_texts()["buttons"])

    def request_validation(self):
        self._check_approval_caller()
        return super().request_validation()

    def restart_validation(self):
        self._check_approval_caller()
        return super().restart_validation()

    def _reviews_of_user(self):
        """The pending review this user may give now (the lowest sequence first)."""
        return self.review_ids.filtered(
            lambda r: r.sequence in self._get_sequences_to_approve(self.env.user)
        ).sorted("sequence")[:1]

    def _check_reviewer(self, action):
        self.ensure_one()
        self._check_manager()
        self._check_state(["to_approve"], action)
        if self.validation_status == "rejected":
            raise UserError(
                _(
                    "%(name)s was rejected: reset it to draft first.",
                    name=self.name,
                )
            )
        self._check_not_own()
        if self.sudo().review_ids.filtered(lambda r: r.done_by == self.env.user):
            raise UserError(
                _(
                    "The second approval of %(name)s is given by another person.",
                    name=self.name,
                )
            )
        review = self.sudo()._reviews_of_user()
        if not review:
            raise AccessError(
                _(
                    "You are not a reviewer of the pending approval of %(name)s.",
                    name=self.name,
                )
            )
        return review

    def _get_sequences_to_approve(self, user):
        """One review per click: the lowest of the user's pending sequences, so that
        the Dealer Director who is also a Dealer Manager does not give both approvals
        at once."""
        return sorted(super()._get_sequences_to_approve(user))[:1]

    def _compute_has_comment(self):  # pylint: disable=missing-return
        # reviews are given by the document's buttons, never through OCA's comment
        # wizard (refused to clients, tier_review.py)
        self.has_comment = False

    def validate_tier(self):
        """Give this user's approval (OCA's, after the addon's checks). The document
        is approved when its last review is."""
        self._check_reviewer(_("Approve"))
        self._lock_rows()
        super(DealerApprovalMixin, self.sudo()).validate_tier()
        self._governed_write({"review_uids": [Command.link(self.env.uid)]})
        if self.validation_status == "validated":
            self.action_approve()
        return True

    def reject_tier(self):
        """Refuse the document (OCA's, after the addon's checks): it waits, rejected,
        until it is reset to draft."""
        self._check_reviewer(_("Reject"))
        self._lock_rows()
        super(DealerApprovalMixin, self.sudo()).reject_tier()
        return True

    def _approval_authors(self):
        """Who may not approve the document: who created or submitted it."""
        self.ensure_one()
        return self.create_uid | self.submitted_uid

    def _check_not_own(self):
        if self.env.su:
            return
        for document in self:
            if self.env.user in document.sudo()._approval_authors():
                raise UserError(self._approval_texts()["own"] % {"name": document.name})

    def _check_reviews_given(self):
        """At the moment of approving, whatever the stored statuses say: every review
        the document needs (the approval chain's definitions as they are now) was
        given by a distinct user who is a member of its group now and who neither
        created nor submitted the document, and who gave it through the addon's
        button (``review_uids``, which the addon alone writes)."""
        definitions = (
            self.env["tier.definition"]
            .sudo()
            .search([("model", "=", self._name)], order="sequence desc")
        )
        for document in self:
            given = self.env["res.users"]
            reviews = document.sudo().review_ids
            for definition in definitions.filtered(
                lambda d, r=document: (not d.company_id or d.company_id == r.company_id)
                and r.evaluate_tier(d)
            ):
                review = reviews.filtered(
                    lambda r, d=definition: r.definition_id == d
                    and r.status == "approved"
                )[:1]
                user = review.done_by
                reviewers = definition.reviewer_id | definition.reviewer_group_id.users
                if (
                    not user
                    # given through the addon's button by the person it names
                    or user not in document.review_uids
                    or user in given
                    or user not in reviewers
                    or user in document.sudo()._approval_authors()
                ):
                    raise UserError(
                        _(
                            "%(name)s is not approved yet: %(tier)s has not been "
                            "given by a member of its group other than the one who "
                            "created or submitted it and the other approvers.",
                            name=document.name,
                            tier=definition.name,
                        )
                    )
                given |= user

    def action_approve(self):
        """Approve the documents whose reviews are all genuinely given."""
        self._check_manager()
        self._check_not_own()
        self._lock_rows()
        self._check_state(["to_approve"], _("Approve"))
        self._check_reviews_given()
        self._governed_write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def _reset_approval(self, vals):
        """Back to draft: the reviews go first (base_tier_validation refuses writes
        under validation), then ``vals`` with the approvals given cleared."""
        self.sudo().review_ids.unlink()
        self._governed_write(
            {
                "state": "draft",
                "submitted_uid": False,
                "review_uids": [Command.clear()],
                **vals,
            }
        )

    def message_post(self, **kwargs):
        """A message on the document is its author's: nobody posts in another's name,
        and the approvals' own messages (OCA's tier validation subtypes) come from the
        approval buttons only, not from a client claiming an approval."""
        if not self.env.su:
            author = kwargs.get("author_id")
            subtype = kwargs.get("subtype_id") and self.env[
                "mail.message.subtype"
            ].browse(kwargs["subtype_id"]).get_external_id().get(
                kwargs["subtype_id"], ""
            )
            subtype = kwargs.get("subtype_xmlid") or subtype or ""
            if (author and author != self.env.user.partner_id.id) or subtype.startswith(
                "base_tier_validation."
            ):
                raise AccessError(self._approval_texts()["message"])
        return super().message_post(**kwargs)

    def unlink(self):
        # the reviews go with the document, as the addon's (tier_review.py)
        self.sudo().review_ids.unlink()
        return super().unlink()
