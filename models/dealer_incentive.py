# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Non-monetary rewards (经销商激励): recognition, training trips, priority supply."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class DealerIncentive(models.Model):
    _name = "dealer.incentive"
    _description = "Dealer Incentive"
    _inherit = ["dealer.document.mixin", "mail.thread"]
    # who awarded it is who created it (issue 22: fields naming who did a step)
    _governed_extra = ("user_id",)
    _order = "date desc, id desc"

    name = fields.Char(
        required=True,
        tracking=True,
        help="e.g. Best distributor of the year, trip to the factory",
    )
    incentive_type = fields.Selection(
        [
            ("recognition", "Recognition"),
            ("training_trip", "Training Trip"),
            ("priority_supply", "Priority Supply"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="recognition",
        tracking=True,
    )
    period_start = fields.Date(
        required=True, tracking=True, help="The period the dealer is rewarded for."
    )
    period_end = fields.Date(required=True, tracking=True)
    date = fields.Date(
        string="Awarded On", default=fields.Date.context_today, tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Awarded By", default=lambda self: self.env.user
    )
    note = fields.Text()

    @api.constrains("period_start", "period_end")
    def _check_period(self):
        for incentive in self:
            if incentive.period_end < incentive.period_start:
                raise ValidationError(
                    _(
                        "The period of %(name)s ends before it starts.",
                        name=incentive.name,
                    )
                )
