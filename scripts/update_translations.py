#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Regenerate i18n/dealer_management.pot from a database where the addon is installed
(default: the test database of `make test`) and merge it into i18n/zh_CN.po, keeping
the translations already made. Prints the entries that still need a translation.

    python3 scripts/update_translations.py [--db dealer_test]
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dealerctl  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="dealer_test")
    args = parser.parse_args()
    package_dir, odoo_cmd = dealerctl.find_odoo()
    dealerctl.link_addon()
    conf = dealerctl.write_config(package_dir, args.db, 8069)
    pot_path = ROOT / "i18n" / "dealer_management.pot"
    subprocess.run(
        [
            *odoo_cmd,
            "-c",
            str(conf),
            "-d",
            args.db,
            f"--i18n-export={pot_path}",
            "--modules=dealer_management",
            "--log-level=warn",
        ],
        check=True,
        env=dealerctl.odoo_env(),
    )
    po_path = ROOT / "i18n" / "zh_CN.po"
    pot = polib.pofile(str(pot_path))
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    po.merge(pot)
    po.metadata.update(
        {
            "Project-Id-Version": pot.metadata.get(
                "Project-Id-Version", "Odoo Server 18.0"
            ),
            "Language": "zh_CN",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.save(str(po_path))
    missing = [e for e in po if not e.msgstr]
    print(f"{len(po)} entries, {len(missing)} untranslated")
    for entry in missing:
        print("  -", entry.msgid.replace("\n", " "))


if __name__ == "__main__":
    main()
