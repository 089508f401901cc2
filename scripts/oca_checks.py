#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run OCA's odoo-pre-commit-hooks on the addon: oca-checks-odoo-module (manifest, XML
and CSV files) and oca-checks-po (translations), as OCA's 18.0 template runs them.

The hooks find an addon by walking up from a file to its manifest, but stop below the
top folder of the git repository, and they name the addon after its folder. This
checkout is both the repository and the addon, under any folder name: checked in place,
nothing would be checked. So the addon's files (those git tracks, and the new ones it
does not ignore) are copied to a temporary folder named after the addon and checked
there; the findings name the checkout's files. Exits non-zero on any finding.

    python3 scripts/oca_checks.py
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ADDON = "dealer_management"
ROOT = Path(__file__).resolve().parent.parent
# A finding starts with its file, relative to the (temporary) repository, maybe styled.
STAGED_PATH = re.compile(rf"^((?:\x1b\[[0-9;]*m)*){ADDON}/", re.MULTILINE)


def addon_files():
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # a file deleted but not yet staged is listed too
    return [name for name in listed.split("\0") if (ROOT / name).is_file()]


def stage(folder):
    """Copy the addon to folder/<addon> and make folder the top of a repository."""
    addon = folder / ADDON
    for name in addon_files():
        target = addon / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target, follow_symlinks=False)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return addon


def check(folder, hook, args):
    result = subprocess.run(
        [sys.executable, "-m", f"oca_pre_commit_hooks.{hook}", *args],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    output = STAGED_PATH.sub(r"\1", result.stdout + result.stderr).strip()
    if output:
        print(output)
    return result.returncode


def main():
    with tempfile.TemporaryDirectory(prefix=f"{ADDON}-oca-checks-") as tmp:
        folder = Path(tmp)
        addon = stage(folder)
        translations = sorted(
            os.path.relpath(path, folder)
            for pattern in ("*.po", "*.pot")
            for path in (addon / "i18n").glob(pattern)
        )
        failed = check(folder, "cli", [ADDON])
        if translations:
            # as OCA's template runs it
            failed |= check(
                folder, "cli_po", ["--disable=po-pretty-format", *translations]
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
