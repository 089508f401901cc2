# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Files with one job (18.0.1.0.4).

- Two indexes of dealer_rebate that earlier versions created and that
  dealer_rebate_program_partner_period_idx replaces were dropped by ``init()`` on
  every update; they are dropped once, here.
- The rebates' period-end job belongs to the program now (the policy the calculation
  follows): the scheduled action, kept as users set it (noupdate), is pointed at
  ``dealer.rebate.program``.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DROP INDEX IF EXISTS dealer_rebate_program_period_idx;
        DROP INDEX IF EXISTS dealer_rebate__program_id_index;
        """
    )
    cr.execute(
        """
        UPDATE ir_act_server act
           SET model_id = model.id, model_name = model.model
          FROM ir_cron cron, ir_model_data imd, ir_model model
         WHERE imd.module = 'dealer_management'
           AND imd.name = 'ir_cron_dealer_rebate_period_end'
           AND imd.model = 'ir.cron'
           AND cron.id = imd.res_id
           AND act.id = cron.ir_actions_server_id
           AND model.model = 'dealer.rebate.program'
        """
    )
