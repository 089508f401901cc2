# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PEP 517 build backend of this checkout: whool, with the addon's own name.

whool (the OCA build backend) names the distribution and the folder the wheel installs
after the folder it is run from, and ships every git-tracked file. The root of this
repository is the addon, so a clone in `some-checkout/` would build
`odoo-addon-some_checkout`, installing `odoo/addons/some_checkout/` with the benchmarks,
scripts and docs in it. whool has no option for either.

This wrapper, declared in pyproject.toml (`backend-path`), changes only that:

1. it asks whool, in the checkout, for the version (the manifest's, plus whool's git
   post-version counter);
2. it copies the addon's files into `<temp>/<addon-name>/`: the git-tracked files (so a
   new file is shipped once it is committed, or at least added; every file when there
   is no git, as in an unpacked sdist) except those `[tool.addon_backend] wheel-exclude`
   in pyproject.toml lists;
3. it writes a PKG-INFO there with the name `odoo-addon-<addon-name>` and that version:
   whool treats a folder holding a PKG-INFO as an unpacked sdist, taking Name and
   Version from it, everything else (dependencies, summary, classifiers, README) from
   the staged manifest and files, and packing the folder as it is (less pyproject.toml
   and PKG-INFO);
4. it runs whool's own hook in that folder.

The sdist holds the whole project (the git-tracked files, this folder included) with the
right name, so that a wheel can be built from it the same way.

Editable installs are refused: they would need a link named after the addon pointing at
the checkout, and one inside the checkout makes recursive walks of the addon (Odoo's
translation export) go round in circles. Use an addons path (see README.md) instead.
"""

import email.parser
import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10; whool depends on tomli there
    import tomli as tomllib

from whool import buildapi as whool

# files never copied, wherever they are (the no-git walk would find them)
ALWAYS_EXCLUDED = ("__pycache__", "*.pyc", "*.pyo", "*.egg-info")


def _root():
    # the frontend runs the hooks in the project folder
    return Path.cwd()


def _config(root):
    with open(root / "pyproject.toml", "rb") as f:
        config = tomllib.load(f).get("tool", {}).get("addon_backend", {})
    if not config.get("addon-name"):
        raise RuntimeError("pyproject.toml: [tool.addon_backend] addon-name is missing")
    return config


def _source_files(root):
    """Relative paths of the project's files: git-tracked ones (as whool does), or all
    of them without git (an unpacked sdist)."""
    if not (root / "PKG-INFO").is_file():
        try:
            out = subprocess.run(
                ["git", "ls-files", "-z"],
                cwd=root,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            out = ""
        # a tracked file deleted in the working tree is not shipped
        files = sorted(p for p in out.split("\0") if p and (root / p).is_file())
        if "__manifest__.py" in files:
            return files
        # not a git checkout, or one that does not track this folder
        sys.stderr.write(
            "addon_backend: no git-tracked addon here, taking every file\n"
        )
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] != ".git"
    )


def _excluded(path, top_level_patterns):
    parts = Path(path).parts
    if any(fnmatch.fnmatch(part, pat) for part in parts for pat in ALWAYS_EXCLUDED):
        return True
    return any(fnmatch.fnmatch(parts[0], pat) for pat in top_level_patterns)


def _version(root):
    """The version whool gives the checkout (its name is the folder's: not used)."""
    with tempfile.TemporaryDirectory() as tmp:
        dist_info = whool.prepare_metadata_for_build_wheel(tmp)
        with open(Path(tmp, dist_info, "METADATA"), encoding="utf-8") as f:
            return email.parser.HeaderParser().parse(f)["Version"]


@contextmanager
def _cwd(path):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


@contextmanager
def _staged(for_wheel):
    """Yield <temp>/<addon-name>/ holding the files to build from and a PKG-INFO."""
    root = _root()
    config = _config(root)
    addon_name = config["addon-name"]
    version = _version(root)
    exclude = config.get("wheel-exclude", []) if for_wheel else []
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp, addon_name)
        stage.mkdir()
        for rel in _source_files(root):
            if _excluded(rel, exclude) or rel == "PKG-INFO":
                continue
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, stage / rel)
        # whool needs pyproject.toml ([tool.whool] options) and leaves it out of wheels
        shutil.copy2(root / "pyproject.toml", stage / "pyproject.toml")
        (stage / "PKG-INFO").write_text(
            "Metadata-Version: 2.1\n"
            f"Name: odoo-addon-{addon_name}\nVersion: {version}\n",
            encoding="utf-8",
        )
        with _cwd(stage):
            yield stage


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = os.path.abspath(wheel_directory)
    with _staged(for_wheel=True):
        return whool.build_wheel(wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = os.path.abspath(sdist_directory)
    with _staged(for_wheel=False):
        return whool.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = os.path.abspath(metadata_directory)
    with _staged(for_wheel=True):
        return whool.prepare_metadata_for_build_wheel(
            metadata_directory, config_settings
        )


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = _config(_root())["addon-name"]
    raise RuntimeError(
        f"{name} cannot be installed in editable mode (`pip install -e`): Odoo finds "
        "an addon by its folder name, and a link of that name inside the checkout "
        "makes Odoo's translation export loop. Put a link named "
        f"{name} to the checkout, outside it, on Odoo's addons path instead (as "
        "`make demo` does), or install the wheel: `pip install .`."
    )
