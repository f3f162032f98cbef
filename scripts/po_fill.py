"""Fill Vietnamese and Thai catalogue entries from a JSON file of translations, and list what is missing.

    .venv/bin/python scripts/po_fill.py --missing            # msgids still untranslated or fuzzy, as JSON
    .venv/bin/python scripts/po_fill.py translations.json    # {"msgid": {"vi": "...", "th": "..."}, ...}

A plural entry takes a list per language ({"vi": ["..."], "th": ["..."]}: one form each, as both languages
have). A filled entry loses its fuzzy flag. Run scripts/makemessages.sh before (so every msgid is in the files)
and again after (it rewraps the lines as gettext does). Serialised with flock: two people filling at once lose
nothing.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {lang: ROOT / "kintsugi" / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("vi", "th")}
LOCK = ROOT / "var" / ".po_fill.lock"


def _is_missing(entry: polib.POEntry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not all(entry.msgstr_plural.values())
    return not entry.msgstr


def missing() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for lang, path in CATALOGUES.items():
        for entry in polib.pofile(str(path)):
            if _is_missing(entry):
                found.setdefault(entry.msgid, {})[lang] = ""
    return found


def fill(translations: dict[str, dict[str, str | list[str]]]) -> int:
    filled = 0
    for lang, path in CATALOGUES.items():
        po = polib.pofile(str(path), wrapwidth=79)
        for entry in po:
            text = translations.get(entry.msgid, {}).get(lang)
            if not text:
                continue
            if entry.msgid_plural:
                forms = text if isinstance(text, list) else [text]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = text if isinstance(text, str) else text[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgid_plural = None
                entry.previous_msgctxt = None
            filled += 1
        po.save(str(path))
    return filled


def main(argv: list[str]) -> int:
    LOCK.parent.mkdir(exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if argv[1:] == ["--missing"]:
            print(json.dumps(missing(), ensure_ascii=False, indent=1))
            return 0
        if len(argv) != 2:
            print(__doc__, file=sys.stderr)
            return 2
        count = fill(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        print(f"po_fill: filled {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
