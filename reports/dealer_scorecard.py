# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..models.dealer_selections import SEVERITIES

# the most severe first
SEVERITY_ORDER = {key: rank for rank, (key, _label) in enumerate(reversed(SEVERITIES))}


class DealerScorecardReport(models.AbstractModel):
    """What the scorecard shows of each dealer besides its file: this year's targets,
    open warnings and rebate statements, read once for all the printed dealers."""

    _name = "report.dealer_management.dealer_scorecard"
    _description = "Dealer Scorecard"

    @api.model
    def _get_report_values(self, docids, data=None):
        dealers = self.env["res.partner"].browse(docids)
        year_start = fields.Date.context_today(self).replace(month=1, day=1)
        targets = self.env["dealer.sales.target"].search(
            [("partner_id", "in", dealers.ids), ("date_start", ">=", year_start)],
            order="date_start",
        )
        warnings = (
            self.env["dealer.warning"]
            .search(
                [
                    ("partner_id", "in", dealers.ids),
                    ("state", "in", ("open", "acknowledged")),
                ],
                order="first_seen",
            )
            .sorted(lambda w: SEVERITY_ORDER[w.severity])
        )
        rebates = self.env["dealer.rebate"].search(
            [
                ("partner_id", "in", dealers.ids),
                ("date_to", ">=", year_start),
                ("state", "!=", "cancel"),
            ],
            order="date_to",
        )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": dealers,
            "targets": targets.grouped("partner_id"),
            "warnings": warnings.grouped("partner_id"),
            "rebates": rebates.grouped("partner_id"),
            "year_start": year_start,
        }


class DealerWarningDigestReport(models.AbstractModel):
    """The warning digest: open warnings by severity and responsible, and the
    receivables aging of the dealers concerned."""

    _name = "report.dealer_management.dealer_warning_digest"
    _description = "Dealer Warning Digest"

    @api.model
    def _get_report_values(self, docids, data=None):
        warnings = (
            self.env["dealer.warning"]
            .browse(docids)
            .filtered(lambda w: w.state in ("open", "acknowledged"))
        )
        severities = dict(warnings._fields["severity"]._description_selection(self.env))
        groups = []
        for severity in sorted(
            set(warnings.mapped("severity")), key=SEVERITY_ORDER.get
        ):
            of_severity = warnings.filtered(lambda w, s=severity: w.severity == s)
            by_user = {}
            for warning in of_severity:
                for user in warning.responsible_ids or self.env["res.users"]:
                    by_user.setdefault(user, self.env["dealer.warning"])
                    by_user[user] |= warning
            groups.append(
                (
                    severities[severity],
                    sorted(by_user.items(), key=lambda item: item[0].name or ""),
                )
            )
        aging = self.env["dealer.receivable.aging"].search(
            [("partner_id", "in", warnings.partner_id.ids)]
        )
        return {
            "doc_ids": docids,
            "doc_model": "dealer.warning",
            "docs": warnings,
            "groups": groups,
            "aging": aging,
            "today": fields.Date.context_today(self),
        }
