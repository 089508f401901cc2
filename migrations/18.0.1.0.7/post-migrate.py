# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The long scheduled jobs queue a background run (18.0.1.0.7).

The tier run, the warning evaluation, the rebate period end, the target refresh, the
evaluation campaign and the accruals are worked by the background runs
(``dealer.job``) in batches committed one by one: the scheduled actions that ran them
in one transaction now queue today's run. Their records are installed once
(``noupdate``), so the new code is written here, for the addon's own actions only and
only while they still call the old method."""

CODES = {
    "ir_cron_dealer_evaluation_campaign": (
        "model._cron_create_evaluations()",
        "env['dealer.job']._queue_daily('campaign')",
    ),
    "ir_cron_dealer_rebate_accrual": (
        "model._cron_accrue()",
        "env['dealer.job']._queue_daily('accruals')",
    ),
    "ir_cron_dealer_tier_run": (
        "model._cron_run_tiers()",
        "env['dealer.job']._queue_daily('tiers')",
    ),
    "ir_cron_dealer_target_refresh": (
        "model._cron_refresh_achievement()",
        "env['dealer.job']._queue_daily('targets')",
    ),
    "ir_cron_dealer_warning_evaluate": (
        "model._cron_evaluate()",
        "env['dealer.job']._queue_daily('warnings')",
    ),
    "ir_cron_dealer_rebate_period_end": (
        "model._cron_period_end()",
        "env['dealer.job']._queue_daily('period_end')",
    ),
}


def migrate(cr, version):
    if not version:
        return
    for name, (old, new) in CODES.items():
        cr.execute(
            """
            UPDATE ir_act_server action
               SET code = %s
              FROM ir_cron cron, ir_model_data imd
             WHERE imd.module = 'dealer_management'
               AND imd.name = %s
               AND imd.model = 'ir.cron'
               AND cron.id = imd.res_id
               AND action.id = cron.ir_actions_server_id
               AND action.code = %s
            """,
            (new, name, old),
        )
