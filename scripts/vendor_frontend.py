#!/usr/bin/env python3
"""Copy NHS.UK frontend's compiled files from node_modules into static/ (run by `make setup`).

- CSS → static/vendor/nhsuk/nhsuk-frontend.min.css, with every @font-face that loads a font
  from a remote URL removed: we serve nothing from a CDN, so the font stack falls back to Arial.
- JS (an ES module exporting initAll) and its source map → static/vendor/nhsuk/
- assets/ → static/root/assets/: the CSS asks for /assets/images/..., and WhiteNoise serves
  static/root at the site root (settings.WHITENOISE_ROOT).

Standard library only; idempotent (unchanged files are not rewritten, stale ones are removed).
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "nhsuk-frontend"
DIST = PACKAGE / "dist" / "nhsuk"
VENDOR = ROOT / "static" / "vendor" / "nhsuk"
ASSETS = ROOT / "static" / "root" / "assets"

CSS = "nhsuk-frontend.min.css"
JS_FILES = ("nhsuk-frontend.min.js", "nhsuk-frontend.min.js.map")

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
REMOTE_URL = re.compile(r"""url\(\s*['"]?\s*(?:https?:)?//""", re.IGNORECASE)
# The source map describes the unmodified file; drop the reference rather than ship a wrong map.
CSS_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/")


def local_css(css: str) -> str:
    """The CSS without remote @font-face rules; fails loudly if any remote url() is left."""
    css = FONT_FACE.sub(lambda rule: "" if REMOTE_URL.search(rule.group()) else rule.group(), css)
    css = CSS_SOURCE_MAP.sub("", css).rstrip() + "\n"
    leftover = REMOTE_URL.findall(css)
    if leftover:
        raise SystemExit(f"vendor_frontend: {len(leftover)} remote url() left in {CSS}; refusing to copy it")
    return css


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def sync_tree(source: Path, target: Path) -> int:
    """Make target an exact copy of source; return how many files were written or removed."""
    changes = 0
    wanted = set()
    for file in source.rglob("*"):
        if file.is_file():
            relative = file.relative_to(source)
            wanted.add(relative)
            changes += write_if_changed(target / relative, file.read_bytes())
    if target.exists():
        for file in sorted(target.rglob("*"), reverse=True):
            if file.is_file() and file.relative_to(target) not in wanted:
                file.unlink()
                changes += 1
            elif file.is_dir() and not any(file.iterdir()):
                file.rmdir()
    return changes


def main() -> int:
    if not DIST.is_dir():
        print(
            f"vendor_frontend: {DIST.relative_to(ROOT)} not found.\n"
            "Install the front-end package first: `npm ci` (needs Node.js), then run this again.",
            file=sys.stderr,
        )
        return 1
    version = json.loads((PACKAGE / "package.json").read_text())["version"]

    changes = write_if_changed(VENDOR / CSS, local_css((DIST / CSS).read_text(encoding="utf-8")).encode())
    for name in JS_FILES:
        changes += write_if_changed(VENDOR / name, (DIST / name).read_bytes())
    changes += write_if_changed(VENDOR / "VERSION", f"{version}\n".encode())
    changes += sync_tree(DIST / "assets", ASSETS)

    print(f"vendor_frontend: nhsuk-frontend {version} → static/ ({changes} file(s) changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
