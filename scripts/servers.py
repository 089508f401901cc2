#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Several Odoo servers on one database, on loopback, as a shop that outgrew one
machine runs them: prefork workers and cron workers in each, one PostgreSQL.

Used by tests/test_servers.py (the suite, on a copy of the test database) and by
benchmarks/load.py; by hand:

    python3 scripts/servers.py --db dealer_demo --count 2 --port 8170

serves the database from two servers (ports 8170 and 8171) until Ctrl-C.
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dealerctl  # noqa: E402


class Server:
    """One Odoo server (its own process group: killing it kills its workers)."""

    def __init__(self, db, port, workers=2, cron_threads=2, extra=()):
        self.db, self.port = db, port
        package_dir, odoo_cmd = dealerctl.find_odoo()
        dealerctl.link_addon()
        conf = dealerctl.write_config(package_dir, db, port)
        dealerctl.BUILD.joinpath("logs").mkdir(parents=True, exist_ok=True)
        self.log = dealerctl.BUILD / "logs" / f"server-{db}-{port}.log"
        self.cmd = [
            *odoo_cmd,
            "-c",
            str(conf),
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            # the long-polling port of each server: its own
            f"--gevent-port={port + 1000}",
            f"--workers={workers}",
            f"--max-cron-threads={cron_threads}",
            f"--logfile={self.log}",
            "--log-level=info",
            *extra,
        ]
        self.proc = None

    def start(self):
        # the servers keep the real clock, PostgreSQL's: the cron engine compares the
        # times Odoo writes with the database's now() (a suite on a faked clock,
        # make test-dates, would leave every triggered job in the future)
        env = {
            key: value
            for key, value in dealerctl.odoo_env().items()
            if key not in ("LD_PRELOAD", "FAKETIME", "DYLD_INSERT_LIBRARIES")
            and not key.startswith("FAKETIME_")
        }
        self.proc = subprocess.Popen(  # noqa: S603 - our own command line
            self.cmd,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited: see {self.log}")
            try:
                with urllib.request.urlopen(self.url("/web/health"), timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)  # not listening yet
        raise RuntimeError(f"server on {self.port} not ready in {timeout} s")

    def pids(self):
        """The processes of the server: its main process and its workers."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "-g", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return {int(pid) for pid in out.split()}

    def kill(self):
        """kill -9, the whole server at once."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def rpc(self, login, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over JSON-RPC as ``login`` (password =
        login, as in the demo)."""
        uid = self._call("common", "login", self.db, login, login)
        if not uid:
            raise RuntimeError(f"{login} cannot log in")
        return self._call(
            "object", "execute_kw", self.db, uid, login, model, method, args, kwargs
        )

    def _call(self, service, method, *args):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"service": service, "method": method, "args": args},
            }
        ).encode()
        request = urllib.request.Request(
            self.url("/jsonrpc"), body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            reply = json.load(response)
        if reply.get("error"):
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]


def wake_crons(db):
    """Wake the cron workers of every server on ``db`` (the NOTIFY Odoo sends when a
    run is triggered)."""
    conn = dealerctl.pg_connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("SELECT pg_notify('cron_trigger', %s)", (db,))
    conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cron-threads", type=int, default=2)
    args = parser.parse_args()
    servers = [
        Server(args.db, args.port + i, args.workers, args.cron_threads).start()
        for i in range(args.count)
    ]
    try:
        for server in servers:
            server.wait_ready()
            print(f"{server.url()} ({server.log})", flush=True)
        while all(server.proc.poll() is None for server in servers):
            time.sleep(1)
    except KeyboardInterrupt:
        print("stopping the servers", flush=True)
    finally:
        for server in servers:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
