# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .dealer_evaluation_campaign import PERIOD_PARAM, PERIODS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_evaluation_period_months = fields.Selection(
        PERIODS, string="Evaluation Period", default="3", config_parameter=PERIOD_PARAM,
        help="The evaluation campaign creates a draft evaluation of every active dealer "
        "for each period of this length, counted from January.")
