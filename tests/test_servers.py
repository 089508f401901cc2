# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two Odoo servers on one database, real processes (scripts/servers.py), prefork
with two HTTP workers and two cron workers each, on a copy of the test database that
``make test`` makes after the install (``<test db>_servers``):

- every scheduled job of the addon, due when both servers wake at once, runs once:
  one run of the cron engine each, one background run per kind and day, done;
- two Dealer Managers starting the same tier run on the two servers get one run;
- a server killed (kill -9) in the middle of a batch leaves nothing of the batch; the
  other server resumes the run at that batch, and the batch done before is not done
  again."""

import sys
import threading
import time
import unittest
from pathlib import Path

import psycopg2

from odoo.tools import config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from servers import Server, wake_crons  # noqa: E402

DAILY_KINDS = {"campaign", "accruals", "tiers", "targets", "warnings", "period_end"}


class TestServers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = f"{config['db_name']}_servers"
        try:
            cls.conn = psycopg2.connect(dbname=cls.db)
        except psycopg2.OperationalError as exc:
            raise AssertionError(
                f"{cls.db} is missing: `make test` copies the test database there "
                "after the install"
            ) from exc
        cls.conn.autocommit = True
        port = int(config["http_port"]) + 100
        cls.servers = [Server(cls.db, port), Server(cls.db, port + 1)]

    @classmethod
    def tearDownClass(cls):
        for server in cls.servers:
            server.stop()
        cls.conn.close()
        super().tearDownClass()

    def sql(self, query, *args):
        with self.conn.cursor() as cr:
            cr.execute(query, args)
            return cr.fetchall() if cr.description else None

    def wait(self, condition, timeout=240, wake=True):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if wake:
                wake_crons(self.db)
            time.sleep(1)
        self.fail(f"not done in {timeout} s: {condition.__doc__}")

    def test_two_servers_one_database(self):
        crons = dict(
            self.sql(
                """
            SELECT imd.name, imd.res_id FROM ir_model_data imd
             WHERE imd.module = 'dealer_management' AND imd.model = 'ir.cron'
            """
            )
        )
        self.worker = worker = crons.pop("ir_cron_dealer_job")
        # every scheduled job of the addon due now, both servers started together
        [(t0,)] = self.sql(
            "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' - interval '1 day' "
            "WHERE id = ANY(%s) RETURNING now() at time zone 'UTC'",
            list(crons.values()),
        )[:1]
        for server in self.servers:
            server.start()
        for server in self.servers:
            server.wait_ready()

        def scheduled_done():
            """every scheduled job ran and its background run ended"""
            due = self.sql(
                "SELECT count(*) FROM ir_cron WHERE id = ANY(%s) AND nextcall <= %s",
                list(crons.values()),
                t0,
            )[0][0]
            kinds = self.sql(
                "SELECT kind FROM dealer_job WHERE day IS NOT NULL "
                "AND state IN ('done', 'failed')"
            )
            return not due and {kind for (kind,) in kinds} >= DAILY_KINDS

        self.wait(scheduled_done)
        # each scheduled job: one run of the engine (a second one would log a second
        # progress row), the worker as many as it had batches to work
        runs = dict(
            self.sql(
                "SELECT cron_id, count(*) FROM ir_cron_progress "
                "WHERE create_date >= %s GROUP BY cron_id",
                t0,
            )
        )
        for name, cron_id in crons.items():
            self.assertEqual(runs.get(cron_id), 1, name)
        jobs = self.sql(
            "SELECT kind, count(*), min(state), max(state), "
            "bool_and(batch_done = batch_total), min(error) "
            "FROM dealer_job WHERE day IS NOT NULL GROUP BY kind"
        )
        self.assertEqual({row[0] for row in jobs}, DAILY_KINDS)
        for kind, count, low, high, complete, error in jobs:
            self.assertEqual(
                (kind, count, low, high, complete),
                (kind, 1, "done", "done", True),
                error,
            )
        self.assertGreater(runs.get(worker, 0), 0)
        # nothing made twice: one warning run per company and day (a unique index),
        # one evaluation per dealer and period
        self.assertEqual(
            self.sql(
                "SELECT count(*) FROM (SELECT partner_id, date_start FROM "
                "dealer_evaluation WHERE state != 'rejected' "
                "GROUP BY 1, 2 HAVING count(*) > 1) dup"
            ),
            [(0,)],
        )

        self.killed_in_a_batch()
        self.same_run_from_two_servers()

    def key_of(self, run_ids):
        [(key,)] = self.sql(
            "SELECT key FROM dealer_job WHERE kind = 'tiers' "
            "AND params->'run_ids' = %s::jsonb",
            str(run_ids),
        )
        return key

    def new_run(self, date_to):
        [(company_id,)] = self.sql(
            "SELECT company_id FROM res_users WHERE login = 'dm_chen'"
        )
        return self.servers[0].rpc(
            "dm_chen",
            "dealer.tier.run",
            "create",
            {"company_id": company_id, "date_to": date_to},
        )

    def same_run_from_two_servers(self):
        run_id = self.new_run("2020-12-31")
        # the worker held (its cron row locked, as while it works another run): the
        # run stays queued while the second manager starts it
        holder = psycopg2.connect(dbname=self.db)
        with holder.cursor() as cr:
            cr.execute(
                "SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE", (self.worker,)
            )
        barrier = threading.Barrier(2)
        answers = {}

        def start(server, login):
            barrier.wait()
            try:
                answers[login] = server.rpc(
                    login, "dealer.tier.run", "action_compute", [run_id]
                )
            except (RuntimeError, OSError) as exc:
                answers[login] = str(exc)

        threads = [
            threading.Thread(target=start, args=(server, login))
            for server, login in zip(self.servers, ("dm_chen", "dm_zhao"), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(len(answers), 2, answers)
        messages = sorted(a["params"]["message"] for a in answers.values())
        self.assertIn("already started by", messages[0] + messages[1])
        self.assertEqual(
            self.sql(
                "SELECT count(*) FROM dealer_job WHERE kind = 'tiers' "
                "AND params->'run_ids' = %s::jsonb",
                f"[{run_id}]",
            ),
            [(1,)],
        )
        holder.rollback()
        holder.close()

        def computed():
            """the tier run started twice is computed"""
            return self.sql(
                "SELECT state FROM dealer_tier_run WHERE id = %s", run_id
            ) == [("done",)]

        self.wait(computed)

    def killed_in_a_batch(self):
        # the demo's dealer ranked first: A on the demo's run and on the run of the
        # month before (the first batch leaves him A); the window of 2021 has no
        # sales: the second batch makes him C
        [(top, tier, month_before)] = self.sql(
            """
            SELECT line.partner_id, partner.dealer_tier,
                   (date_trunc('month', run.date_to) - interval '1 day')::date
              FROM dealer_tier_run_line line
              JOIN dealer_tier_run run ON run.id = line.run_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE line.rank = 1
             ORDER BY run.date_to DESC LIMIT 1
            """
        )
        self.assertEqual(tier, "A")
        first, second = self.new_run(str(month_before)), self.new_run("2021-06-30")
        # another transaction holds the dealer's row: the batch that changes his
        # tier waits for it, its lines written and not committed
        blocker = psycopg2.connect(dbname=self.db)
        with blocker.cursor() as cr:
            cr.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", (top,)
            )
        self.servers[0].rpc(
            "dm_chen", "dealer.tier.run", "action_compute", [first, second]
        )
        key = self.key_of([first, second])

        def blocked():
            """a server waits in the second batch"""
            rows = self.sql(
                "SELECT application_name FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND query ILIKE '%%res_partner%%'",
                self.db,
            )
            self.blocked_pids = {int(name.split("-")[1]) for (name,) in rows}
            return bool(rows)

        self.wait(blocked, timeout=120)
        [victim] = [s for s in self.servers if s.pids() & self.blocked_pids]
        [survivor] = [s for s in self.servers if s is not victim]
        [(computed_on, dealers)] = self.sql(
            "SELECT computed_on, (SELECT count(*) FROM dealer_tier_run_line "
            "WHERE run_id = %s) FROM dealer_tier_run WHERE id = %s",
            first,
            first,
        )
        self.assertGreater(dealers, 0)
        self.assertEqual(
            self.sql("SELECT state, batch_done FROM dealer_job WHERE key = %s", key),
            [("running", 1)],
        )
        victim.kill()
        blocker.rollback()
        blocker.close()
        # nothing of the killed batch is left
        self.assertEqual(
            self.sql(
                "SELECT count(*) FROM dealer_tier_run_line WHERE run_id = %s", second
            ),
            [(0,)],
        )
        self.assertEqual(
            self.sql("SELECT dealer_tier FROM res_partner WHERE id = %s", top),
            [("A",)],
        )

        def resumed():
            """the surviving server finished the run"""
            return self.sql("SELECT state FROM dealer_job WHERE key = %s", key) == [
                ("done",)
            ]

        self.wait(resumed)
        self.assertIsNone(survivor.proc.poll())
        self.assertEqual(
            self.sql(
                "SELECT batch_done, batch_total FROM dealer_job WHERE key = %s", key
            ),
            [(2, 2)],
        )
        # the first batch was not done again; the second run has each dealer once
        self.assertEqual(
            self.sql("SELECT computed_on FROM dealer_tier_run WHERE id = %s", first),
            [(computed_on,)],
        )
        self.assertEqual(
            self.sql(
                "SELECT count(*), count(DISTINCT partner_id) FROM dealer_tier_run_line "
                "WHERE run_id = %s",
                second,
            ),
            [(dealers, dealers)],
        )
        self.assertEqual(
            self.sql("SELECT dealer_tier FROM res_partner WHERE id = %s", top),
            [("C",)],
        )
        victim.start().wait_ready()  # back for the next test
