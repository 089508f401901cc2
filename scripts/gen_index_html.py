#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build static/description/index.html (the page of the addon in Odoo's Apps) from the
readme/*.md fragments and __manifest__.py, in the shape of OCA's oca-gen-addon-readme
(which is not on PyPI, and needs pandoc): title, summary, maturity and license badges,
the description, a table of contents, then Installation, Configuration, Usage, Known
issues / Roadmap and Credits (authors, contributors, maintainers).

    python3 scripts/gen_index_html.py           # write the page
    python3 scripts/gen_index_html.py --check   # exit 1 if the page is out of date

The output depends only on the fragments, the manifest and the `markdown` package
(requirements-dev.txt): no date, no version, the same bytes on every run. Fragments
are Markdown; their headings are shifted under the section that holds them.
"""

# A command-line tool: it reports to its user on the terminal, with print().
# pylint: disable=print-used

import argparse
import ast
import hashlib
import html
import json
import re
import sys
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS_DIR = ROOT / "readme"
INDEX = ROOT / "static" / "description" / "index.html"
# readme/<NAME>.md -> section title, as oca-gen-addon-readme orders them
SECTIONS = [
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
CREDITS = [("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")]
MATURITY_BADGES = {
    "alpha": ("Alpha", "red"),
    "beta": ("Beta", "yellow"),
    "production/stable": ("Production%2FStable", "green"),
    "mature": ("Mature", "brightgreen"),
}
LICENSE_URLS = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
}
MANIFEST_KEYS = (
    "name",
    "summary",
    "license",
    "development_status",
    "author",
    "website",
    "maintainers",
)
STYLE = """
body { font-family: sans-serif; line-height: 1.4; margin: 0 auto; max-width: 60em;
  padding: 0 1em; color: #212529 }
h1.title { text-align: center }
p.summary { text-align: center; font-style: italic }
h2 { border-bottom: 1px solid #dee2e6; padding-bottom: .2em; margin-top: 1.5em }
a { color: #017e84 }
a.toc-backref { color: inherit; text-decoration: none }
code, pre { background-color: #eeeeee; font-family: monospace }
pre { padding: .5em; margin-left: 2em; overflow: auto }
table { border-collapse: collapse }
th, td { border: 1px solid #dee2e6; padding: .2em .5em; vertical-align: top }
div.contents { margin: 1em 2em }
div.contents ul { list-style-type: none; padding-left: 1.5em }
img.maintainer { border-radius: 50% }
"""


def read_manifest():
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text(encoding="utf-8"))
    return {key: manifest.get(key) for key in MANIFEST_KEYS}


def addon_name():
    """The module's name, as the build backend names it (not the checkout folder's)."""
    match = re.search(
        r'^addon-name\s*=\s*"([^"]+)"',
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    return match.group(1) if match else ROOT.name


def read_fragments():
    return {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(FRAGMENTS_DIR.glob("*.md"))
        if path.read_text(encoding="utf-8").strip()
    }


def render(text, level):
    """Markdown -> HTML, its highest heading becoming <h{level}>."""
    body = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", body)]
    if levels:
        shift = level - min(levels)
        body = re.sub(
            r"<(/?)h([1-6])([ >])",
            lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}{m[3]}",
            body,
        )
    # images beside index.html: the fragments link them as ../static/description/x.png
    return body.replace('src="../static/description/', 'src="')


def section(title, body, level):
    return f"<h{level}>{html.escape(title, quote=False)}</h{level}>\n{body}\n"


def badge(label, message, color, target, alt):
    src = f"https://img.shields.io/badge/{label}-{message}-{color}.png"
    return (
        f'<a href="{html.escape(target)}"><img alt="{html.escape(alt)}" '
        f'src="{html.escape(src)}" /></a>'
    )


def shields_escape(text):
    return text.replace("-", "--").replace("_", "__")


def github_repo(website):
    match = re.match(r"https://github\.com/([^/]+)/([^/#?]+)", website or "")
    return (match[1], match[2]) if match else None


def badges(manifest):
    out = []
    status = (manifest["development_status"] or "Beta").lower()
    if status in MATURITY_BADGES:
        message, color = MATURITY_BADGES[status]
        out.append(
            badge(
                "maturity",
                message,
                color,
                "https://odoo-community.org/page/development-status",
                message.replace("%2F", "/"),
            )
        )
    license_ = manifest["license"]
    if license_:
        out.append(
            badge(
                "license",
                shields_escape(license_),
                "blue",
                LICENSE_URLS.get(license_, "#"),
                f"License: {license_}",
            )
        )
    repo = github_repo(manifest["website"])
    if repo:
        out.append(
            badge(
                "github",
                shields_escape("%2F".join(repo)),
                "lightgray",
                manifest["website"],
                "/".join(repo),
            )
        )
    return " ".join(out)


def credits_section(manifest, fragments):
    out = []
    authors = [a.strip() for a in (manifest["author"] or "").split(",") if a.strip()]
    if authors:
        items = "".join(f"<li>{html.escape(a, quote=False)}</li>\n" for a in authors)
        out.append(section("Authors", f"<ul>\n{items}</ul>", 3))
    for name, title in CREDITS:
        if name in fragments:
            out.append(section(title, render(fragments[name], 4), 3))
    maintainers = manifest["maintainers"] or []
    body = ""
    if maintainers:
        avatars = " ".join(
            f'<a href="https://github.com/{html.escape(m)}"><img class="maintainer" '
            f'alt="{html.escape(m)}" src="https://github.com/{html.escape(m)}.png?size=40px"'
            f" /></a>"
            for m in maintainers
        )
        plural = "s" if len(maintainers) > 1 else ""
        body += f"<p>Current maintainer{plural}:</p>\n<p>{avatars}</p>\n"
    repo = github_repo(manifest["website"])
    website = html.escape(manifest["website"] or "")
    if repo:
        body += (
            f'<p>This module is part of the <a href="{website}">'
            f"{html.escape('/'.join(repo))}</a> project on GitHub.</p>\n"
        )
    elif manifest["website"]:
        body += f'<p>Website: <a href="{website}">{website}</a></p>\n'
    body += "<p>You are welcome to contribute.</p>"
    out.append(section("Maintainers", body, 3))
    return section("Credits", "".join(out), 2)


def slug(text, taken):
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def add_ids_and_toc(body):
    """Give every <h2>/<h3> an id and a link back to the table of contents, and return
    (body, table of contents)."""
    entries, taken = [], set()

    def anchor(match):
        level, inner = int(match[1]), match[2]
        text = html.unescape(re.sub(r"<[^>]+>", "", inner))
        ident = slug(text, taken)
        n = len(entries) + 1
        entries.append((level, ident, inner, n))
        return (
            f'<h{level} id="{ident}"><a class="toc-backref" href="#toc-entry-{n}">'
            f"{inner}</a></h{level}>"
        )

    body = re.sub(r"<h([23])>(.*?)</h\1>", anchor, body)
    toc, open_sub = ["<ul>"], False
    for level, ident, inner, n in entries:
        link = f'<a href="#{ident}" id="toc-entry-{n}">{inner}</a>'
        if level == 3:
            if not open_sub:
                toc[-1] = toc[-1].removesuffix("</li>")
                toc.append("<ul>")
                open_sub = True
            toc.append(f"<li>{link}</li>")
        else:
            if open_sub:
                toc.append("</ul></li>")
                open_sub = False
            toc.append(f"<li>{link}</li>")
    if open_sub:
        toc.append("</ul></li>")
    toc.append("</ul>")
    return body, "\n".join(toc)


def source_digest(manifest, fragments):
    data = json.dumps([manifest, fragments], sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def build():
    manifest = read_manifest()
    fragments = read_fragments()
    if "DESCRIPTION" not in fragments:
        raise SystemExit("readme/DESCRIPTION.md is missing or empty")
    name = manifest["name"] or addon_name()
    description = render(fragments["DESCRIPTION"], 2)
    sections = "".join(
        section(title, render(fragments[key], 3), 2)
        for key, title in SECTIONS
        if key in fragments
    )
    body, toc = add_ids_and_toc(
        description + "\0" + sections + credits_section(manifest, fragments)
    )
    description, rest = body.split("\0")
    summary = (
        f'<p class="summary">{html.escape(manifest["summary"], quote=False)}</p>\n'
        if manifest["summary"]
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="generator" content="scripts/gen_index_html.py" />
<title>{html.escape(name, quote=False)}</title>
<style>{STYLE}</style>
</head>
<body>
<div class="document" id="{addon_name()}">
<h1 class="title">{html.escape(name, quote=False)}</h1>
<!-- !! This file is generated by scripts/gen_index_html.py from readme/*.md and
     !! __manifest__.py: changes will be overwritten.
     !! source digest: {source_digest(manifest, fragments)} -->
{summary}<p class="badges">{badges(manifest)}</p>
{description}
<p><strong>Table of contents</strong></p>
<div class="contents">
{toc}
</div>
{rest}</div>
</body>
</html>
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if static/description/index.html is out of date",
    )
    args = parser.parse_args()
    page = build()
    current = INDEX.read_text(encoding="utf-8") if INDEX.is_file() else None
    rel = INDEX.relative_to(ROOT)
    if args.check:
        if current != page:
            print(
                f"{rel} is out of date: run python3 scripts/gen_index_html.py",
                file=sys.stderr,
            )
            return 1
        print(f"{rel} is up to date")
        return 0
    if current != page:
        INDEX.parent.mkdir(parents=True, exist_ok=True)
        INDEX.write_text(page, encoding="utf-8", newline="\n")
        print(f"wrote {rel}")
    else:
        print(f"{rel} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
