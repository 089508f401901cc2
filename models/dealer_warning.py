# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Warnings raised by the rules: at most one open per rule and dealer; re-evaluation
updates it, it resolves itself when the condition clears and comes back as a new
warning if the condition returns."""

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from ..tools import company_domain
from ..tools.formats import text_lang
from .dealer_selections import SEVERITIES

LINK_FIELDS = (
    "move_ids",
    "contract_ids",
    "incident_ids",
    "stock_report_ids",
    "target_ids",
)


# what an evaluation compares of a live warning with its measure (and the links)
COMPARED = ("measured_value", "threshold", "description", "severity", "last_seen")

# the new warnings created (with their activities) at a time
CREATE_BLOCK = 2000
# the live warnings read at a time by an evaluation
LIVE_PAGE = 10000
FETCHED = ("state", *COMPARED, *LINK_FIELDS)


class DealerWarning(models.Model):
    _name = "dealer.warning"
    _description = "Dealer Warning"
    _inherit = ["dealer.document.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "last_seen desc, id desc"
    # the warning engine measures and writes everything; users acknowledge or dismiss
    _governed_all = True

    name = fields.Char(compute="_compute_name", store=True)
    rule_id = fields.Many2one(
        "dealer.warning.rule", required=True, index=True, ondelete="cascade"
    )
    warning_type = fields.Selection(
        related="rule_id.warning_type", store=True, string="Type"
    )
    severity = fields.Selection(SEVERITIES, required=True, tracking=True)
    measured_value = fields.Float(digits=(16, 2), tracking=True, aggregator=None)
    threshold = fields.Float(digits=(16, 2), aggregator=None)
    description = fields.Char(tracking=True)
    first_seen = fields.Date(required=True)
    last_seen = fields.Date(required=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("acknowledged", "Acknowledged"),
            ("resolved", "Resolved"),
            ("dismissed", "Dismissed"),
        ],
        default="open",
        required=True,
        tracking=True,
    )
    resolved_on = fields.Date(readonly=True)
    dismiss_reason = fields.Text(readonly=True, tracking=True)
    cleared = fields.Boolean(
        readonly=True,
        default=False,
        help="A dismissed warning whose condition "
        "has cleared: if it comes back, a new warning opens.",
    )
    responsible_ids = fields.Many2many("res.users")
    move_ids = fields.Many2many("account.move", string="Invoices")
    contract_ids = fields.Many2many("dealer.contract", string="Contracts")
    incident_ids = fields.Many2many("dealer.incident", string="Incidents")
    stock_report_ids = fields.Many2many("dealer.stock.report", string="Stock Reports")
    target_ids = fields.Many2many("dealer.sales.target", string="Targets")

    def init(self):
        # At most one live warning per rule and dealer (a dismissed one is live until
        # its condition clears).
        self.env.cr.execute(
            SQL("""
            CREATE UNIQUE INDEX IF NOT EXISTS dealer_warning_live_uniq
                ON dealer_warning (rule_id, partner_id, company_id)
             WHERE state IN ('open', 'acknowledged')
                OR (state = 'dismissed' AND cleared IS NOT TRUE)
        """)
        )

    @api.depends("rule_id", "partner_id")
    def _compute_name(self):
        for warning in self:
            warning.name = "%s: %s" % (
                warning.rule_id.name or "",
                warning.partner_id.display_name or "",
            )

    def action_acknowledge(self):
        if self.filtered(lambda w: w.state != "open"):
            raise UserError(_("Only open warnings are acknowledged."))
        self._governed_write({"state": "acknowledged"})

    def action_dismiss(self, reason):
        if self.filtered(lambda w: w.state not in ("open", "acknowledged")):
            raise UserError(_("Only open or acknowledged warnings are dismissed."))
        if not (reason or "").strip():
            raise UserError(_("Dismissing a warning needs a reason."))
        self._governed_write({"state": "dismissed", "dismiss_reason": reason})

    # ---------------------------------------------------------------- engine

    @api.model
    def _sync(self, rule, company, dealer_ids, measures, today, partners=None):
        """Make the live warnings of ``rule`` in ``company`` match ``measures``: for
        ``partners`` only when given, else for every dealer (a dealer that left the
        rule's scope has its warning resolved). Only what changes is written, so a
        second run the same day writes nothing. The live warnings are read a page at a
        time as rows, not records: on a large network a run's memory is that of a
        page."""
        seen = set()
        resolved, cleared = [], []  # ids: a recordset grown one by one costs n²
        for rows in self._live_pages(rule, company, partners):
            # the links that change, as (warning id, record id) pairs per field,
            # written in one statement each per page: the ORM would read a warning's
            # current links first, joined with and sorted by the linked model
            # (account.move at 2 million moves: 86 ms a warning)
            added = {name: [] for name in LINK_FIELDS}
            removed = {name: [] for name in LINK_FIELDS}
            for warning_id, partner_id, current in rows:
                seen.add(partner_id)
                measure = measures.get(partner_id)
                if measure is None:
                    if current["state"] == "dismissed":
                        cleared.append(warning_id)
                    else:
                        resolved.append(warning_id)
                    continue
                vals = self._measure_vals(rule, measure, today)
                changed = {
                    key: value
                    for key, value in vals.items()
                    if (
                        set(current[key]) != set(value[0][2])
                        if key in LINK_FIELDS
                        else float_compare(
                            current[key] or 0.0, value, precision_digits=2
                        )
                        if key in ("measured_value", "threshold")
                        else current[key] != value
                    )
                }
                for key in LINK_FIELDS:
                    if key in changed:
                        old, wanted = set(current[key]), set(changed.pop(key)[0][2])
                        added[key] += ((warning_id, rid) for rid in wanted - old)
                        removed[key] += ((warning_id, rid) for rid in old - wanted)
                if changed:
                    self.sudo().browse(warning_id).write(changed)
            for field_name in LINK_FIELDS:
                self._write_link_pairs(field_name, removed[field_name], delete=True)
                self._write_link_pairs(field_name, added[field_name])
            self.env.flush_all()
            self.env.invalidate_all()
        if cleared:
            self.sudo().browse(cleared).write({"cleared": True})
        if resolved:
            self.sudo().browse(resolved).write(
                {"state": "resolved", "resolved_on": today}
            )
        new = [pid for pid in measures if pid not in seen]
        if not new:
            return self.browse()
        created = self.browse()
        # in blocks, the cache emptied after each: a first run over a large network
        # creates tens of thousands of warnings and activities, and memory stays flat
        for start in range(0, len(new), CREATE_BLOCK):
            created |= self._create_new(
                rule, company, new[start : start + CREATE_BLOCK], measures, today
            )
            self.env.flush_all()
            self.env.invalidate_all()
        return created

    def _live_pages(self, rule, company, partners=None):
        """The live warnings of ``rule`` in ``company`` (of ``partners`` only when
        given), ``LIVE_PAGE`` at a time: lists of (id, partner id, {field: value}) with
        the fields an evaluation compares, the links as lists of ids."""
        self.env.flush_all()
        links = SQL(", ").join(
            SQL(
                "ARRAY(SELECT rel.%s FROM %s rel WHERE rel.%s = w.id)",
                SQL.identifier(self._fields[name].column2),
                SQL.identifier(self._fields[name].relation),
                SQL.identifier(self._fields[name].column1),
            )
            for name in LINK_FIELDS
        )
        scope = SQL("w.partner_id = ANY(%s)", partners.ids) if partners else SQL("TRUE")
        last = 0
        while True:
            self.env.cr.execute(
                SQL(
                    """
                SELECT w.id, w.partner_id, w.state, %s, %s
                  FROM dealer_warning w
                 WHERE w.rule_id = %s AND w.company_id = %s AND w.id > %s AND %s
                   AND (w.state IN ('open', 'acknowledged')
                        OR (w.state = 'dismissed' AND w.cleared IS NOT TRUE))
                 ORDER BY w.id
                 LIMIT %s
                """,
                    SQL(", ").join(SQL.identifier("w", name) for name in COMPARED),
                    links,
                    rule.id,
                    company.id,
                    last,
                    scope,
                    LIVE_PAGE,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                return
            yield [
                (
                    row[0],
                    row[1],
                    dict(zip(FETCHED, row[2:], strict=True)),
                )
                for row in rows
            ]
            last = rows[-1][0]

    @api.model
    def _create_new(self, rule, company, new, measures, today):
        """The warnings of ``rule`` for the dealers ``new`` (ids), their links and
        activities."""
        partners = self.env["res.partner"].sudo().browse(new)
        # the two fields that say who answers, not every column of every dealer
        partners.fetch(["user_id", "company_id"])
        responsible = {}
        # No "created" log per warning, and the links written in one statement per
        # kind: a first run over a large network creates thousands of warnings.
        vals_list = []
        for partner in partners:
            key = (partner.user_id.id, partner.company_id.id)
            if key not in responsible:
                responsible[key] = rule._responsible(partner).ids
            vals = self._measure_vals(rule, measures[partner.id], today)
            for field_name in LINK_FIELDS:
                vals.pop(field_name)
            vals_list.append(
                {
                    "rule_id": rule.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "first_seen": today,
                    "responsible_ids": [(6, 0, responsible[key])],
                    **vals,
                }
            )
        warnings = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        self._insert_links(warnings, [measures[partner.id] for partner in partners])
        warnings._notify_new(rule)
        return warnings

    @api.model
    def _insert_links(self, warnings, measures):
        """The records behind new warnings, one INSERT per kind of link."""
        for field_name in LINK_FIELDS:
            self._write_link_pairs(
                field_name,
                [
                    (warning.id, record_id)
                    for warning, measure in zip(warnings, measures, strict=False)
                    for record_id in (measure.records or {}).get(field_name, ())
                ],
            )
        warnings.invalidate_recordset(list(LINK_FIELDS))

    @api.model
    def _write_link_pairs(self, field_name, pairs, delete=False):
        """Insert (or delete) the (warning id, record id) ``pairs`` of the link field
        ``field_name`` in one statement, in the order of the linked records: the
        foreign-key checks and their row locks then walk the linked table page by
        page. The caller empties the cache of the fields."""
        if not pairs:
            return
        field = self._fields[field_name]
        pair_rows = SQL(
            "unnest(%s::int[], %s::int[]) AS pair (a, b)",
            [a for a, _b in pairs],
            [b for _a, b in pairs],
        )
        if delete:
            query = SQL(
                "DELETE FROM %s rel USING %s WHERE rel.%s = pair.a AND rel.%s = pair.b",
                SQL.identifier(field.relation),
                pair_rows,
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
            )
        else:
            query = SQL(
                "INSERT INTO %s (%s, %s) SELECT * FROM %s ORDER BY pair.b, pair.a",
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
                pair_rows,
            )
        self.env.cr.execute(query)

    @api.model
    def _measure_vals(self, rule, measure, today):
        vals = {
            "measured_value": measure.value,
            "threshold": measure.threshold,
            "description": measure.description,
            "severity": measure.severity or rule.severity,
            "last_seen": today,
        }
        for field_name in LINK_FIELDS:
            vals[field_name] = [
                (6, 0, list((measure.records or {}).get(field_name, ())))
            ]
        return vals

    def _activity_summary(self):
        """The summary of the warning's activity, in ``self.env``'s language."""
        self.ensure_one()
        labels = dict(self._fields["severity"]._description_selection(self.env))
        return self.env._(
            "%(severity)s: %(name)s", severity=labels[self.severity], name=self.name
        )

    def _notify_new(self, rule):
        if rule.notify_activity:
            # one create for all the activities of the run, each summary in the
            # language of the user it is for
            todo = self.env.ref("mail.mail_activity_data_todo")
            model_id = self.env["ir.model"]._get_id(self._name)
            self.env["mail.activity"].sudo().create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": warning.id,
                        "activity_type_id": todo.id,
                        "user_id": user.id,
                        "date_deadline": warning.first_seen,
                        "summary": warning.with_context(
                            lang=text_lang(self.env, user, warning.company_id)
                        )._activity_summary(),
                    }
                    for warning in self
                    for user in warning.responsible_ids
                ]
            )
        if rule.notify_email:
            for warning in self:
                users = warning.responsible_ids
                warning.message_subscribe(partner_ids=users.partner_id.ids)
                warning.message_post(
                    body=Markup("<p>%s</p><p>%s</p>")
                    % (escape(warning.name), escape(warning.description or "")),
                    subject=_("Dealer warning: %(name)s", name=warning.name),
                    subtype_xmlid="mail.mt_comment",
                )

    @api.model
    def _cron_send_digest(self, today=None, companies=None):
        """Once a day: the open warnings of the digest rules, by severity, to every
        Dealer Accountant (one e-mail each; a second run the same day sends nothing)."""
        today = today or fields.Date.context_today(self)
        param = self.env["ir.config_parameter"].sudo()
        if param.get_param("dealer_management.digest_last_sent") == str(today):
            return self.env["mail.mail"]
        accountants = self.env.ref("dealer_management.group_dealer_accountant").users
        warnings = self.sudo().search(
            [
                ("rule_id.in_digest", "=", True),
                ("state", "in", ("open", "acknowledged")),
                *company_domain(companies),
            ],
            order="severity desc, measured_value desc",
        )
        mails = self.env["mail.mail"]
        if accountants and warnings:
            for user in accountants:
                mine = warnings.filtered(
                    lambda w, u=user: w.company_id in u.company_ids
                )
                if mine:
                    # in the accountant's language
                    mine = mine.with_context(lang=text_lang(self.env, user))
                    mails |= (
                        self.env["mail.mail"]
                        .sudo()
                        .create(
                            {
                                "subject": mine.env._(
                                    "Dealer warnings of %(date)s: %(count)s open",
                                    date=today,
                                    count=len(mine),
                                ),
                                "recipient_ids": [(4, user.partner_id.id)],
                                "body_html": mine._digest_html(),
                                "auto_delete": False,
                            }
                        )
                    )
        param.set_param("dealer_management.digest_last_sent", str(today))
        return mails

    def _digest_html(self):
        labels = dict(self._fields["severity"]._description_selection(self.env))
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                labels[w.severity],
                w.partner_id.display_name,
                w.rule_id.name,
                w.description or "",
            )
            for w in self
        )
        return Markup(
            "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>%s</table>"
        ) % (
            self.env._("Severity"),
            self.env._("Dealer"),
            self.env._("Rule"),
            self.env._("Details"),
            rows,
        )
