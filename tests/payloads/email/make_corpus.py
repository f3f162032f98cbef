"""Writes the email corpus (<name>.eml and <name>.json beside this file) from the definitions in mails_*.py.

The mails are written as real clients write them (Gmail, Outlook, Apple Mail, Thunderbird, Foxmail, Outlook
Express, mail servers' bounces), in the charsets they use; a script makes the binary charsets reproducible. Each
<name>.json holds what the parser must read out of it, stated by hand in the definitions, never taken from the
parser. Run from the repository's root:

    .venv/bin/python -m tests.payloads.email.make_corpus
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.payloads.email import mails_automatic, mails_charsets, mails_files, mails_replies

HERE = Path(__file__).resolve().parent


def main() -> None:
    mails = {**mails_charsets.MAILS, **mails_files.MAILS, **mails_replies.MAILS, **mails_automatic.MAILS}
    for old in [*HERE.glob("*.eml"), *HERE.glob("*.json")]:
        old.unlink()
    for name, mail in sorted(mails.items()):
        (HERE / f"{name}.eml").write_bytes(mail.raw)
        (HERE / f"{name}.json").write_text(json.dumps(mail.expected, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    print(f"{len(mails)} mails written to {HERE}")


if __name__ == "__main__":
    main()
