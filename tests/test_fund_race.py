# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A market-expense claim is settled once, also by two accountants at the same moment.

Two real connections of their own (a test's own cursor sees nothing of another
transaction), on the demo's claim granted and not yet settled; both roll back."""

from psycopg2 import errors

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import DemoCommon


@tagged("post_install", "-at_install")
class TestFundSettlementRace(DemoCommon):
    def test_two_accountants_settle_one_claim_at_once(self):
        accountant = self.env.ref("dealer_management.demo_user_dm_liu")
        claim = self.env["dealer.fund.claim"].search(
            [("state", "=", "approved"), ("company_id", "=", self.company.id)],
            limit=1,
        )
        self.assertTrue(claim, "the demo grants a claim it does not settle")
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM mail_message"))
        last_message = self.env.cr.fetchone()[0]
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        # a wait instead of a refusal fails the test instead of hanging it
        cr2.execute(SQL("SET statement_timeout = '5s'"))
        try:
            env1 = api.Environment(cr1, accountant.id, {})
            env2 = api.Environment(cr2, accountant.id, {})
            first = env1["dealer.fund.claim"].browse(claim.id)
            second = env2["dealer.fund.claim"].browse(claim.id)
            first.action_settle()
            self.assertEqual(first.state, "settled")
            # the second accountant, while the first one's settlement is not over
            with self.assertRaisesRegex(UserError, "being processed by someone else"):
                second.action_settle()
            moves = (
                env2["account.move"]
                .sudo()
                .search_count([("dealer_fund_claim_id", "=", claim.id)])
            )
            self.assertEqual(moves, 0)
            # the first one commits; the second accountant's transaction began
            # before: PostgreSQL refuses it (Odoo's HTTP layer tries such a request
            # again, in a new transaction) ...
            cr1.commit()
            with self.assertRaises(errors.SerializationFailure):
                second.action_settle()
            # ... where the claim is settled
            cr2.rollback()
            second.invalidate_recordset()
            self.assertEqual(second.state, "settled")
            with self.assertRaises(UserError):
                second.action_settle()
            self.assertEqual(
                env2["account.move"]
                .sudo()
                .search_count([("dealer_fund_claim_id", "=", claim.id)]),
                1,
            )
        finally:
            cr1.rollback()
            cr2.rollback()
            cr2.close()
            self._undo_settlement(cr1, claim.id, last_message)
            cr1.close()

    def _undo_settlement(self, cr0, claim_id, last_message):
        """What the first accountant committed is taken back, in SQL: the demo stays
        as it was for the tests after this one."""
        cr0.execute(
            SQL(
                "SELECT move_id, request_id FROM dealer_fund_claim WHERE id = %s",
                claim_id,
            )
        )
        move_id, request_id = cr0.fetchone()
        if not move_id:
            return
        cr0.execute(
            SQL(
                "UPDATE dealer_fund_claim SET state = 'approved', move_id = NULL,"
                " settled_uid = NULL, settled_date = NULL WHERE id = %s",
                claim_id,
            )
        )
        cr0.execute(
            SQL(
                "UPDATE dealer_fund_request SET state = 'approved' WHERE id = %s",
                request_id,
            )
        )
        cr0.execute(SQL("DELETE FROM account_move WHERE id = %s", move_id))
        cr0.execute(SQL("DELETE FROM mail_message WHERE id > %s", last_message))
        cr0.commit()
