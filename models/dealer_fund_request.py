# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Requests before the spend (事前申请): the dealer asks for an activity (from the
portal, or his salesperson for him), the salesperson reviews it, a Dealer Manager
approves it (and a Dealer Director above the company's amount) by the addon's approval
rules (``dealer_approval_mixin.py``). Approval commits the fund: a request over what the
fund has left is refused with the figures, the fund's row locked so that two approvals
at once cannot both take its last money.

How it works: ``docs/design.md``, section ``models/dealer_fund_request.py``."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount

from ..tools import MANAGER, SALESPERSON, check_group, spreadsheet
from .dealer_selections import FUND_REQUEST_STATES

# what the dealer asks, changed while the request is a draft only
REQUEST_TERMS = (
    "partner_id",
    "company_id",
    "fund_id",
    "title",
    "date_start",
    "date_end",
    "place",
    "planned_cost",
    "requested_amount",
    "expected_sellout",
    "description",
)


class DealerFundRequest(models.Model):
    _name = "dealer.fund.request"
    _description = "Dealer Market-Expense Request"
    _inherit = [
        "dealer.document.mixin",
        "dealer.approval.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
    ]
    _order = "date_start desc, id desc"
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _governed_extra = ("name",)

    name = fields.Char(readonly=True, copy=False, default="/")
    fund_id = fields.Many2one(
        "dealer.fund",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'open')]",
    )
    activity_kind = fields.Selection(
        related="fund_id.activity_kind", store=True, string="Activity Kind"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    territory_ids = fields.Many2many(
        related="partner_id.dealer_territory_ids", string="Territories"
    )
    title = fields.Char(string="Activity", required=True, tracking=True)
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    place = fields.Char(tracking=True)
    description = fields.Text()
    planned_cost = fields.Monetary(required=True, tracking=True)
    requested_amount = fields.Monetary(
        string="Share Asked",
        required=True,
        tracking=True,
        help="What the dealer asks the manufacturer to pay of the planned cost.",
    )
    expected_sellout = fields.Monetary(string="Expected Sell-Out")
    state = fields.Selection(
        FUND_REQUEST_STATES,
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    committed_amount = fields.Monetary(
        string="Committed",
        compute="_compute_committed_amount",
        store=True,
        help="What the request holds of its fund: the share asked once approved, what "
        "its claim was granted once decided, nothing otherwise.",
    )
    claim_ids = fields.One2many(
        "dealer.fund.claim", "request_id", string="Claims", readonly=True
    )
    needs_second_approval = fields.Boolean(readonly=True, copy=False)
    submitted_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    reviewed_uid = fields.Many2one(
        "res.users", string="Reviewed By", readonly=True, copy=False
    )
    review_uids = fields.Many2many(
        "res.users",
        "dealer_fund_request_review_user_rel",
        "request_id",
        "user_id",
        string="Approvals Given By",
        readonly=True,
        copy=False,
    )
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)

    @api.depends(
        "state", "requested_amount", "claim_ids.state", "claim_ids.granted_amount"
    )
    def _compute_committed_amount(self):
        for request in self:
            decided = request.claim_ids.filtered(
                lambda c: c.state in ("approved", "settled")
            )
            if request.state == "approved" and not decided:
                request.committed_amount = request.requested_amount
            elif request.state in ("approved", "closed"):
                request.committed_amount = sum(decided.mapped("granted_amount"))
            else:
                request.committed_amount = 0.0

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/dealer/funds/requests/{request.id}"

    @api.constrains(
        "date_start", "date_end", "planned_cost", "requested_amount", "fund_id"
    )
    def _check_figures(self):
        for request in self:
            if request.date_end < request.date_start:
                raise ValidationError(
                    _("%(name)s: an activity ends after it starts.", name=request.name)
                )
            if request.currency_id.compare_amounts(
                request.requested_amount, 0.0
            ) <= 0 or (
                request.currency_id.compare_amounts(
                    request.requested_amount, request.planned_cost
                )
                > 0
            ):
                raise ValidationError(
                    _(
                        "The share asked (%(asked)s) is more than nothing and at most "
                        "the planned cost (%(cost)s).",
                        asked=format_amount(
                            self.env, request.requested_amount, request.currency_id
                        ),
                        cost=format_amount(
                            self.env, request.planned_cost, request.currency_id
                        ),
                    )
                )
            if request.fund_id.partner_id != request.partner_id:
                raise ValidationError(
                    _(
                        "%(fund)s is the fund of %(owner)s, not of %(dealer)s.",
                        fund=request.fund_id.display_name,
                        owner=request.fund_id.partner_id.display_name,
                        dealer=request.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests.filtered(lambda r: r.name == "/"):
            request.sudo().name = self.env["ir.sequence"].next_by_code(
                "dealer.fund.request"
            )
        return requests

    def write(self, vals):
        self.check_access("write")  # who may not write at all is told so first
        if set(vals) & set(REQUEST_TERMS) and self.filtered(
            lambda r: r.state != "draft"
        ):
            raise UserError(
                _(
                    "%(name)s is no longer a draft: what it asks stays as it was "
                    "submitted.",
                    name=self.filtered(lambda r: r.state != "draft")[:1].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda r: r.state not in ("draft", "cancel")):
            raise UserError(_("Only draft or cancelled requests can be deleted."))

    def _governed_hint(self):
        return _(
            "market-expense requests are submitted, reviewed, approved, rejected and "
            "cancelled with their buttons"
        )

    # ------------------------------------------------------------------ rules

    @api.model
    def _check_manager(self):
        check_group(
            self.env, MANAGER, self.env._("approve or reject market-expense requests")
        )

    def _check_state(self, states, action):
        labels = dict(FUND_REQUEST_STATES)
        wrong = self.filtered(lambda r: r.state not in states)
        if wrong:
            raise UserError(
                _(
                    "%(action)s: the request %(name)s is %(state)s.",
                    action=action,
                    name=wrong[0].name,
                    state=labels[wrong[0].state],
                )
            )

    def _approval_texts(self):
        return {
            "buttons": _(
                "Market-expense requests are submitted, reviewed, approved and "
                "rejected with their buttons (Submit, Review, Approve, Reject)."
            ),
            "own": _(
                "Nobody approves a market-expense request he created, submitted or "
                "reviewed (%(name)s)."
            ),
            "message": _(
                "A message on a market-expense request is posted in its author's own "
                "name, and its approvals' messages by the approval buttons."
            ),
        }

    def _lock_busy_message(self):
        return _(
            "These requests are being processed by someone else: try again in a moment."
        )

    def _check_fund_covers(self):
        """The fund is open and what it has left covers the share asked (the fund's
        row locked first: two approvals at once take its money one after the other)."""
        for request in self:
            fund = request.fund_id
            fund.sudo()._lock_rows()

            def money(amount, currency=fund.currency_id):
                return format_amount(self.env, amount, currency)

            if fund.state != "open" or (
                fund.currency_id.compare_amounts(
                    request.requested_amount, fund.remaining_amount
                )
                > 0
            ):
                raise UserError(
                    _(
                        "%(request)s asks %(asked)s of %(fund)s, which has %(left)s "
                        "left of %(amount)s (%(committed)s committed).",
                        request=request.name,
                        asked=money(request.requested_amount),
                        fund=fund.display_name,
                        left=money(fund.remaining_amount),
                        amount=money(fund.amount),
                        committed=money(fund.committed_amount),
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        """The dealer (through the portal's page) or his salesperson submits the
        request; it goes to the salesperson's review."""
        self._lock_rows()
        self._check_state(["draft"], _("Submit"))
        self._check_fund_covers()
        self._governed_write({"state": "submitted", "submitted_uid": self.env.uid})
        for request in self:
            user = request.partner_id.user_id
            if user:
                request.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Review the market-expense request %s", request.name),
                    user_id=user.id,
                )
        return True

    def _approval_authors(self):
        """The salesperson's review and the manager's approval are two people's."""
        return super()._approval_authors() | self.reviewed_uid

    def action_review(self):
        """The salesperson has checked the request: it waits for approval (and for a
        Dealer Director's too above the company's amount)."""
        check_group(self.env, SALESPERSON, self.env._("review market-expense requests"))
        self._lock_rows()
        self._check_state(["submitted"], _("Review"))
        self._check_fund_covers()
        for request in self:
            second = request.company_id.dealer_fund_second_approval_amount
            request._governed_write(
                {
                    "state": "to_approve",
                    "reviewed_uid": self.env.uid,
                    "needs_second_approval": bool(
                        second and request.requested_amount > second
                    ),
                }
            )
        self.sudo().request_validation()
        self.activity_ids.filtered(
            lambda a: a.user_id == self.env.user
        ).sudo().action_feedback()
        self._schedule_approval_activities()
        return True

    def _schedule_approval_activities(self):
        """An activity for each user who may give the next approval of the requests
        waiting for it (the Dealer Managers, then the Dealer Directors), none twice;
        the others' are done once the request no longer waits."""
        for request in self.sudo():
            if request.state != "to_approve":
                request.activity_ids.action_feedback()
                continue
            # the reviews are numbered in the order they are asked
            review = request.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            ).sorted("sequence")[:1]
            users = review.reviewer_ids.filtered(
                lambda u, r=request: r.company_id in u.company_ids
                and not u.share
                and u not in r._approval_authors()
            )
            summary = _("Approve the market-expense request %s", request.name)
            request.activity_ids.filtered(
                lambda a, u=users: a.user_id not in u
            ).action_feedback()
            existing = request.activity_ids.user_id
            for user in users - existing:
                request.activity_schedule(
                    "mail.mail_activity_data_todo", summary=summary, user_id=user.id
                )

    def validate_tier(self):
        super().validate_tier()
        self._schedule_approval_activities()
        return True

    def action_approve(self):
        """Approved when every review is genuinely given, and the fund still covers
        it: the approval commits the fund."""
        self._check_fund_covers()
        return super().action_approve()

    def reject_tier(self):
        """A reviewer refuses the request: it is rejected (with a reason the dealer
        sees when given through :meth:`action_reject`)."""
        super().reject_tier()
        self.with_context(skip_validation_check=True)._governed_write(
            {"state": "rejected"}
        )
        self._schedule_approval_activities()
        return True

    def action_reject(self, reason):
        """Refuse the request with the reason the dealer sees."""
        if not (reason or "").strip():
            raise UserError(_("A rejected request needs the reason the dealer sees."))
        self.reject_tier()
        self._governed_write({"reject_reason": reason.strip()})
        return True

    def action_cancel(self):
        """The request is withdrawn (by the dealer or his salesperson before it is
        approved; by a Dealer Manager while it has no claim): what it committed goes
        back to the fund."""
        self._lock_rows()
        self._check_state(["draft", "submitted", "to_approve", "approved"], _("Cancel"))
        if self.filtered(lambda r: r.state == "approved"):
            check_group(
                self.env, MANAGER, self.env._("cancel approved market-expense requests")
            )
            if self.claim_ids:
                raise UserError(
                    _(
                        "%(name)s has a claim: it is decided by the accountant, not "
                        "cancelled.",
                        name=self.filtered("claim_ids")[:1].name,
                    )
                )
        self.sudo().review_ids.unlink()
        self._governed_write({"state": "cancel"})
        self._schedule_approval_activities()
        return True

    # ------------------------------------------------------------------ portal

    @api.model
    def _portal_amount(self, values, key, label, errors, required=True):
        """The amount typed in the field ``key`` of a portal form, or an error; a
        field not ``required`` left empty is zero."""
        if not required and not (values.get(key) or "").strip():
            return 0.0
        amount, is_number = spreadsheet.quantity(values.get(key))
        if not is_number or amount < 0:
            errors.append(_("%(field)s is an amount, zero or more.", field=label))
        return amount

    @api.model
    def _request_on_portal(self, dealer, company, values):
        """A request asked by the dealer's staff on the portal, submitted at once:
        ``values`` as typed (fund_id, title, date_start, date_end, place,
        planned_cost, requested_amount, expected_sellout, description). Written as the
        addon (the portal group reads its dealer's requests, never writes them).
        Returns the request, or the list of what is wrong (nothing written)."""
        errors = []
        fund = (
            self.env["dealer.fund"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", dealer.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "open"),
                ]
            )
            .filtered(lambda f: str(f.id) == str(values.get("fund_id")))
        )
        if not fund:
            errors.append(_("Choose one of your open funds."))
        title = (values.get("title") or "").strip()
        if not title:
            errors.append(_("Name the activity."))
        dates = []
        for key in ("date_start", "date_end"):
            try:
                dates.append(fields.Date.to_date(values.get(key) or None))
            except ValueError:
                dates.append(None)
        if not all(dates):
            errors.append(_("Give the activity's first and last day."))
        planned = self._portal_amount(
            values, "planned_cost", _("The planned cost"), errors
        )
        asked = self._portal_amount(
            values, "requested_amount", _("The share asked"), errors
        )
        sellout = self._portal_amount(
            values, "expected_sellout", _("The expected sell-out"), errors, False
        )
        if errors:
            return errors
        try:
            with self.env.cr.savepoint():
                request = self.sudo().create(
                    {
                        "partner_id": dealer.id,
                        "company_id": company.id,
                        "fund_id": fund.id,
                        "title": title,
                        "date_start": dates[0],
                        "date_end": dates[1],
                        "place": (values.get("place") or "").strip(),
                        "planned_cost": planned,
                        "requested_amount": asked,
                        "expected_sellout": sellout,
                        "description": (values.get("description") or "").strip(),
                    }
                )
                request.action_submit()
        except (UserError, ValidationError) as error:
            return [error.args[0]]
        return request

    def _lapse(self):
        """The approved requests without a claim lapse with their fund."""
        self.filtered(
            lambda r: r.state == "approved" and not r.claim_ids
        )._governed_write({"state": "expired"})

    def unlink(self):
        self.check_access("unlink")
        self._unlink_only_draft()
        return super().unlink()
