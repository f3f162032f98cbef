"""The corpus of real-world mails (tests/payloads/email): every one read exactly as its JSON says."""

from __future__ import annotations

import pytest

from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.tests.email.corpus import CORPUS, described, expected, names, raw, read


@pytest.mark.parametrize("name", names())
def test_a_real_world_mail_reads_as_its_json_says(name: str) -> None:
    message = read(name)
    wanted = expected(name)
    assert described(message, set(wanted)) == wanted
    assert external_id_of(raw(name)) == message.external_id  # what the store keys a redelivery on


def test_every_mail_of_the_corpus_has_its_expectations() -> None:
    mails = sorted(path.stem for path in CORPUS.glob("*.eml"))
    assert mails == names()
    assert len(mails) == 44


def test_the_corpus_is_what_its_script_writes() -> None:
    from tests.payloads.email import mails_automatic, mails_charsets, mails_files, mails_replies

    written = {**mails_charsets.MAILS, **mails_files.MAILS, **mails_replies.MAILS, **mails_automatic.MAILS}
    assert sorted(written) == names()
    for name, mail in written.items():
        assert raw(name) == mail.raw, f"{name}.eml differs: run python -m tests.payloads.email.make_corpus"
        assert expected(name) == mail.expected, name
