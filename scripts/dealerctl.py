#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Set up, test and demo the dealer_management addon. Called by the Makefile.

    python3 scripts/dealerctl.py test
        fresh database, install, run pytest-odoo
    python3 scripts/dealerctl.py test-dates [DATE ...]
        the same, once per date, with the Odoo processes' clock faked there
    python3 scripts/dealerctl.py demo [--recreate]
        database dealer_demo, serve on 127.0.0.1

Odoo 18.0 is never downloaded: it is taken from ODOO_SRC (a source tree with odoo-bin)
or from an `odoo` 18.0 package the interpreter can import.
Environment: ODOO_SRC, PORT (8069), DEALER_DEMO_DB (dealer_demo), DEALER_TEST_DB
(dealer_test), DEALER_TEST_PORT (8079: the tests' HTTP server), PGHOST/PGPORT/PGUSER
(libpq defaults: the local socket), PYTHON, DEALER_FAKETIME ("YYYY-MM-DD HH:MM:SS": the
install and the suite run with the clock of Debian's faketime starting there;
PostgreSQL keeps the real one).
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ADDON = "dealer_management"
ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
# The link that names the checkout dealer_management lives outside the checkout: a link
# inside it would make every recursive walk of the addon (Odoo's translation export,
# for one) go round in circles.
ADDONS_LINK_DIR = (
    Path(tempfile.gettempdir())
    / ("dealer_management-" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:10])
    / "addons"
)
PYTHON = os.environ.get("PYTHON") or sys.executable


class SetupError(Exception):
    """A problem the user can fix; printed as one clear message."""


def say(message):
    print(f"[dealerctl] {message}", flush=True)


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, env=env or odoo_env(), **kwargs)


def faked_clock():
    """The command prefix that starts the Odoo processes with DEALER_FAKETIME's clock
    (libfaketime), or none."""
    moment = os.environ.get("DEALER_FAKETIME")
    if not moment:
        return []
    if not shutil.which("faketime"):
        raise SetupError(
            "DEALER_FAKETIME needs Debian's faketime: apt-get install faketime"
        )
    return ["faketime", "-f", f"@{moment}"]


# ---------------------------------------------------------------------- Odoo


def odoo_env():
    env = dict(os.environ)
    src = os.environ.get("ODOO_SRC")
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def find_odoo():
    """Return (odoo package dir, command prefix to run the server)."""
    src = os.environ.get("ODOO_SRC")
    if src and not (Path(src) / "odoo" / "release.py").is_file():
        raise SetupError(
            f"ODOO_SRC={src} is not an Odoo source tree (no odoo/release.py in it). "
            "Point ODOO_SRC at an Odoo 18.0 checkout, or unset it and install an "
            "importable `odoo` 18.0 package."
        )
    probe = run(
        [
            PYTHON,
            "-c",
            "import odoo, odoo.release as r; "
            "print(odoo.__file__ or ''); print('.'.join(map(str, r.version_info[:2])))",
        ],
        capture_output=True,
        text=True,
    )
    lines = probe.stdout.split()
    if probe.returncode != 0 or len(lines) != 2:
        raise SetupError(
            "Odoo 18.0 was not found. Either set ODOO_SRC to an Odoo 18.0 source tree "
            f"(the folder with odoo-bin), or make `odoo` 18.0 importable by {PYTHON} "
            "(for instance `pip install -e <odoo-18.0 tree>`). This project never "
            "downloads Odoo.\n" + (probe.stderr.strip().splitlines() or [""])[-1]
        )
    odoo_file, version = lines
    if version != "18.0":
        raise SetupError(
            f"Odoo {version} was found ({odoo_file}), but dealer_management needs Odoo "
            "18.0: set ODOO_SRC to an 18.0 tree or install 18.0."
        )
    package_dir = Path(odoo_file).parent
    odoo_bin = package_dir.parent / "odoo-bin"
    cmd = [PYTHON, str(odoo_bin)] if odoo_bin.is_file() else [PYTHON, "-m", "odoo"]
    return package_dir, cmd


def addons_path(package_dir):
    paths = [ADDONS_LINK_DIR]
    # A source tree keeps the standard addons beside the odoo package.
    if (package_dir.parent / "addons" / "web").is_dir():
        paths.append(package_dir.parent / "addons")
    paths.append(package_dir / "addons")
    return ",".join(str(p) for p in paths)


def link_addon():
    """Expose the checkout as <tmp>/.../addons/dealer_management, whatever its folder
    name."""
    ADDONS_LINK_DIR.mkdir(parents=True, exist_ok=True)
    link = ADDONS_LINK_DIR / ADDON
    if link.is_symlink() and link.resolve() == ROOT:
        return link
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(ROOT, target_is_directory=True)
    return link


def write_config(package_dir, db, port):
    BUILD.mkdir(exist_ok=True)
    conf = BUILD / f"odoo-{db}.conf"
    lines = [
        "[options]",
        f"addons_path = {addons_path(package_dir)}",
        f"data_dir = {BUILD / 'data'}",
        f"db_name = {db}",
        f"dbfilter = ^{db}$",
        "list_db = False",
        "http_interface = 127.0.0.1",
        f"http_port = {port}",
        "without_demo = False",
        "max_cron_threads = 1",
    ]
    for key, var in (
        ("db_host", "PGHOST"),
        ("db_port", "PGPORT"),
        ("db_user", "PGUSER"),
        ("db_password", "PGPASSWORD"),
    ):
        if os.environ.get(var):
            lines.append(f"{key} = {os.environ[var]}")
    conf.write_text("\n".join(lines) + "\n")
    return conf


# ---------------------------------------------------------------- PostgreSQL


def pg_connect(dbname="postgres"):
    import psycopg2  # an Odoo requirement

    return psycopg2.connect(dbname=dbname, connect_timeout=5)


def pg_reachable():
    try:
        pg_connect().close()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).strip()


def ensure_postgres():
    error = pg_reachable()
    if error is None:
        return
    say(f"PostgreSQL is not reachable ({error.splitlines()[0]}); trying to start it.")
    if not shutil.which("pg_lsclusters"):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise SetupError(
                "PostgreSQL is not reachable and not installed, and this user cannot "
                "install Debian packages. Install and start PostgreSQL, or set "
                "PGHOST/PGPORT."
            )
        say("Installing PostgreSQL from Debian packages...")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql"],
            check=True,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        )
    clusters = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True
    ).stdout
    for line in clusters.splitlines():
        version, name = line.split()[:2]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
            check=False,
        )
    error = pg_reachable()
    if error and "does not exist" in error and "role" in error and shutil.which("su"):
        user = os.environ.get("PGUSER") or os.environ.get("USER") or "root"
        say(f"Creating the PostgreSQL role {user}.")
        subprocess.run(
            ["su", "postgres", "-c", f"createuser --superuser {user}"], check=False
        )
        error = pg_reachable()
    if error:
        raise SetupError(f"PostgreSQL is still not reachable: {error}")


def db_exists(db):
    with pg_connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        return bool(cr.fetchone())


def module_state(db):
    conn = pg_connect(db)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return None
            cr.execute("SELECT state FROM ir_module_module WHERE name = %s", (ADDON,))
            row = cr.fetchone()
            return row and row[0]
    finally:
        conn.close()


def drop_db(db):
    from psycopg2 import sql

    conn = pg_connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (db,),
            )
            # The name is quoted by sql.Identifier. pylint-odoo recognises psycopg2's
            # sql module only when it is imported at module level; here it is imported
            # inside the function, like psycopg2 in pg_connect (an Odoo requirement,
            # perhaps not installed yet when the script starts).
            # pylint: disable-next=sql-injection
            cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db)))
    finally:
        conn.close()
    filestore = BUILD / "data" / "filestore" / db
    shutil.rmtree(filestore, ignore_errors=True)


def copy_db(db, copy):
    """``copy``: a new copy of ``db`` and its filestore (nobody connected to ``db``)."""
    from psycopg2 import sql

    drop_db(copy)
    conn = pg_connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            # pylint: disable-next=sql-injection
            cr.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(copy), sql.Identifier(db)
                )
            )
    finally:
        conn.close()
    filestore = BUILD / "data" / "filestore"
    if (filestore / db).is_dir():
        shutil.copytree(filestore / db, filestore / copy)


# -------------------------------------------------------------------- steps


def install_python_deps(dev=True):
    """requirements.txt (what the addon runs with) and, with ``dev``, the test and
    lint tools of requirements-dev.txt: `make demo` installs the first only."""
    constraints = ROOT / "scripts" / "pip-constraints.txt"
    env = dict(
        os.environ,
        PIP_CONSTRAINT=str(constraints),
        PIP_BUILD_CONSTRAINT=str(constraints),
    )
    has_odoo_dist = (
        run(
            [PYTHON, "-c", "import importlib.metadata as m; m.distribution('odoo')"],
            capture_output=True,
        ).returncode
        == 0
    )
    # OCA addon wheels require the `odoo` distribution; an Odoo taken from ODOO_SRC is
    # not one, so then their own dependencies come from requirements.txt instead.
    no_deps = [] if has_odoo_dist else ["--no-deps"]
    requirements = [no_deps + ["-r", str(ROOT / "requirements.txt")]]
    if dev:
        requirements.append(["-r", str(ROOT / "requirements-dev.txt")])
    for args in requirements:
        say(f"pip install {' '.join(args)}")
        result = subprocess.run(
            [
                PYTHON,
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SetupError(
                "Installing the Python dependencies failed:\n"
                + result.stdout[-3000:]
                + result.stderr[-3000:]
            )


def has_cjk_font():
    """Whether fontconfig knows a font with Chinese glyphs (wkhtmltopdf takes its
    fallback fonts from fontconfig: without one, Chinese text prints blank)."""
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    return bool(listed.stdout.strip())


# Debian packages, each with the check that says it is there and why it is needed.
WKHTMLTOPDF = (
    "wkhtmltopdf",
    lambda: shutil.which("wkhtmltopdf"),
    "renders the PDF reports",
)
CJK_FONT = (
    "fonts-wqy-zenhei",
    has_cjk_font,
    "a font with Chinese glyphs, without which Chinese PDFs print blank",
)
CHROMIUM = (
    "chromium",
    lambda: shutil.which("chromium"),
    "runs the browser tests (tours)",
)
POPPLER = (
    "poppler-utils",
    lambda: shutil.which("pdftoppm"),
    "pdftoppm, with which a test looks at the Chinese of a printed PDF",
)
DEMO_PACKAGES = (WKHTMLTOPDF, CJK_FONT)
TEST_PACKAGES = (WKHTMLTOPDF, CJK_FONT, CHROMIUM, POPPLER)


def ensure_system_packages(packages, purpose):
    lacking = [(package, why) for package, present, why in packages if not present()]
    if not lacking:
        return
    missing = [package for package, _why in lacking]
    reasons = "; ".join(f"{package}: {why}" for package, why in lacking)
    if not shutil.which("apt-get"):
        raise SetupError(
            f"{purpose} needs the Debian packages {', '.join(missing)} "
            f"({reasons}) and apt-get is not available: install them, "
            "then run again."
        )
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say(f"apt-get install {' '.join(missing)}")
    install = [
        *sudo,
        "apt-get",
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        *missing,
    ]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode:
        subprocess.run(
            [*sudo, "apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL
        )
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode:
            raise SetupError(
                f"Installing the Debian packages {', '.join(missing)} failed "
                f"({reasons}): install them (apt-get install ...), then run "
                "again."
            )


def check_db_name(db):
    if not db.replace("_", "").replace("-", "").isalnum():
        raise SetupError(
            f"Database name {db!r}: use letters, digits, '_' and '-' only."
        )


def install_addon(odoo_cmd, conf, db, extra=(), update=False):
    logs = BUILD / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{'update' if update else 'install'}-{db}.log"
    if update:
        say(f"Updating {ADDON} in database {db} to this checkout (log: {log})...")
    else:
        say(f"Creating database {db} and installing {ADDON} (log: {log})...")
    with open(log, "w") as fh:
        result = run(
            [
                *odoo_cmd,
                "-c",
                str(conf),
                "-d",
                db,
                "-u" if update else "-i",
                ADDON,
                "--stop-after-init",
                "--log-level=info",
                *extra,
            ],
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    text = log.read_text(errors="replace")
    errors = [
        line for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line
    ]
    state = module_state(db) if db_exists(db) else None
    if result.returncode != 0 or errors or state != "installed":
        tail = "\n".join(text.splitlines()[-40:])
        raise SetupError(
            f"Installing {ADDON} in {db} failed (exit {result.returncode}, module "
            f"state {state}, {len(errors)} error lines). Last lines of {log}:\n{tail}"
        )


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


# ----------------------------------------------------------------- commands


def cmd_test(args):
    db = os.environ.get("DEALER_TEST_DB", "dealer_test")
    check_db_name(db)
    package_dir, odoo_cmd = find_odoo()
    ensure_postgres()
    install_python_deps()
    ensure_system_packages(TEST_PACKAGES, "make test")
    link = link_addon()
    # the tests' own HTTP server (HttpCase: the PDF reports, the browser tests), on a
    # port of its own so that a running demo does not stop them
    port = int(os.environ.get("DEALER_TEST_PORT", "8079"))
    if not port_free(port):
        raise SetupError(
            f"Port {port} is already in use: stop what listens there or set "
            "another one, e.g. DEALER_TEST_PORT=8089 make test."
        )
    conf = write_config(package_dir, db, port)
    clock = faked_clock()
    if clock:
        say(f"The install and the suite run on a faked clock from {clock[-1][1:]}.")
        odoo_cmd = [*clock, *odoo_cmd]
    if db_exists(db):
        say(f"Dropping the previous test database {db}.")
        drop_db(db)
    install_addon(odoo_cmd, conf, db)
    copy_db(db, f"{db}_servers")  # tests/test_servers.py: several servers on it
    say("Running the test suite with pytest-odoo...")
    pytest_cmd = [
        *clock,
        PYTHON,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--odoo-config={conf}",
        f"--odoo-database={db}",
        "--odoo-log-level=warn",
        "--odoo-http",
        # test_file (not test_enable, which would run every at_install test
        # of every module while the registry loads) marks test mode.
        f"--odoo-extra=test-file={link / 'tests' / '__init__.py'}",
        "-o",
        "addopts=",
        "-ra",
        "-W",
        "ignore::PendingDeprecationWarning",
        str(link / "tests"),
        *args.pytest_args,
    ]
    result = run(pytest_cmd, cwd=str(ADDONS_LINK_DIR))
    if result.returncode == 5:
        say("pytest collected no test: that is a failure here.")
        return 1
    return result.returncode


def cmd_demo(args):
    db = os.environ.get("DEALER_DEMO_DB", "dealer_demo")
    check_db_name(db)
    port = int(os.environ.get("PORT", "8069"))
    package_dir, odoo_cmd = find_odoo()
    if not port_free(port):
        raise SetupError(
            f"Port {port} on 127.0.0.1 is already in use (another Odoo?). Stop it, or "
            f"run with another port: make demo PORT={port + 1}"
        )
    ensure_postgres()
    install_python_deps(dev=False)
    ensure_system_packages(DEMO_PACKAGES, "make demo")
    link_addon()
    conf = write_config(package_dir, db, port)
    if db_exists(db):
        state = module_state(db)
        if args.recreate:
            say(f"--recreate: dropping database {db}.")
            drop_db(db)
        elif state == "installed":
            say(
                f"Database {db} exists with {ADDON} installed: keeping its data "
                "(make demo RECREATE=1 drops and rebuilds it)."
            )
            install_addon(odoo_cmd, conf, db, update=True)
        else:
            raise SetupError(
                f"Database {db} exists but has no installed {ADDON} (state: {state}). "
                "It is not dropped without your word: run `make demo RECREATE=1`, or "
                "choose another name with DEALER_DEMO_DB=..."
            )
    if not db_exists(db):
        install_addon(odoo_cmd, conf, db, extra=["--load-language=zh_CN"])
    print(
        textwrap.dedent(f"""
        ============================================================
        Dealer Management demo: http://127.0.0.1:{port}/odoo/dealers
        Log in as admin / admin (manager, sees every dealer), or as a
        salesperson dm_wang / dm_wang, dm_li / dm_li, dm_zhang / dm_zhang,
        manager dm_chen / dm_chen, director dm_zhao / dm_zhao,
        accountant dm_liu / dm_liu. The dealer portal (/my): dealer_gz / dealer_gz,
        dealer_hz / dealer_hz, dealer_nj / dealer_nj (staff of three distributors).
        Press Ctrl+C to stop.
        ============================================================
    """),
        flush=True,
    )
    os.execvpe(odoo_cmd[0], [*odoo_cmd, "-c", str(conf), "-d", db], odoo_env())


# The days on which dated code breaks: the end of a year, the first day of one, a
# quarter's and a half-year's last day, a leap day.
TEST_DATES = ("2026-12-31", "2027-01-01", "2027-03-31", "2027-06-30", "2028-02-29")


def cmd_test_dates(args):
    """The whole suite once per date, the clock of the install and of the suite faked
    to 10:00 that day; a summary line per date; non-zero if any date fails."""
    ensure_system_packages(
        (
            (
                "faketime",
                lambda: shutil.which("faketime"),
                "fakes the clock of the Odoo processes",
            ),
        ),
        "make test-dates",
    )
    results = []
    for day in args.dates or TEST_DATES:
        say(f"==== the suite on {day}")
        os.environ["DEALER_FAKETIME"] = f"{day} 10:00:00"
        try:
            code = cmd_test(argparse.Namespace(pytest_args=args.pytest_args))
        except SetupError as exc:
            print(f"[dealerctl] ERROR: {exc}", file=sys.stderr, flush=True)
            code = 2
        finally:
            del os.environ["DEALER_FAKETIME"]
        results.append((day, code))
    for day, code in results:
        say(f"{day}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return max(code for _day, code in results)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="fresh database, install, run the test suite")
    test.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    dates = sub.add_parser("test-dates", help="the test suite on several faked dates")
    dates.add_argument(
        "dates", nargs="*", help=f"YYYY-MM-DD (default: {' '.join(TEST_DATES)})"
    )
    dates.add_argument(
        "--pytest-args", nargs="*", default=[], help="extra pytest arguments"
    )
    demo = sub.add_parser("demo", help="demo database, served on 127.0.0.1")
    demo.add_argument(
        "--recreate", action="store_true", help="drop an existing demo database first"
    )
    args = parser.parse_args(argv)
    try:
        return {"test": cmd_test, "test-dates": cmd_test_dates, "demo": cmd_demo}[
            args.command
        ](args)
    except SetupError as exc:
        print(f"[dealerctl] ERROR: {exc}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
