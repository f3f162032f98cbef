"""One raw mail into one InboundMessage: bodies, HTML, files, headers, whatever state they arrive in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kintsugi.accounts.models import Organisation
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.parse import external_id_of, parse_email
from kintsugi.intake.inbound.normalised import InboundMessage
from tests.payloads.email.build import PDF, b64, mail, png

PHOTO = png(5, 5)


def parsed(raw: bytes, language: str = "") -> InboundMessage:
    connection = ChannelConnection(channel="email", address="care@hotel.example")
    if language:
        connection.organisation = Organisation(name="Hotel", default_language=language)
    return parse_email(raw, {}, connection)


def simple(*headers: tuple[str, str | bytes], body: bytes = b"Hello", content_type: str = "text/plain") -> bytes:
    return mail([("From", "Lan <lan@example.vn>"), ("Subject", "Room"), ("Message-ID", "<x@example.vn>"), *headers,
                 ("MIME-Version", "1.0"), ("Content-Type", content_type)], body)


def multipart(kind: str, *parts: bytes, top: tuple[tuple[str, str], ...] = ()) -> bytes:
    body = b"".join(b"--BOUND\n" + part + b"\n" for part in parts) + b"--BOUND--\n"
    return simple(*top, body=body, content_type=f'multipart/{kind}; boundary="BOUND"')


HTML = ('<p onclick="x()">Phòng <b>bẩn</b> <img src="https://tracker.example/p.gif"> <img src="cid:photo1">'
        '<img src="data:image/png;base64,AAAA"> <a href="https://maps.example/x" target="_blank">map</a>'
        '<a href="javascript:alert(1)">x</a></p><script>alert(1)</script><style>p{}</style>'
        '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input></form>')


def test_html_is_sanitised_for_showing_and_turned_into_text_when_there_is_no_plain_text() -> None:
    message = parsed(simple(body=HTML.encode(), content_type="text/html; charset=utf-8"))
    assert message.html == ('<p>Phòng <b>bẩn</b> <img> <img src="cid:photo1"><img> <a href="https://maps.example/x" '
                            'rel="noopener noreferrer">map</a><a rel="noopener noreferrer">x</a></p>')
    assert message.text == "Phòng bẩn mapx"


def test_the_plain_alternative_is_the_text_and_the_html_only_shown() -> None:
    message = parsed(multipart(
        "alternative", b"Content-Type: text/plain; charset=utf-8\n\nThe plain words.",
        b"Content-Type: text/html; charset=utf-8\n\n<p>The <i>rich</i> words.</p>",
    ))
    assert (message.text, message.html) == ("The plain words.", "<p>The <i>rich</i> words.</p>")


def test_inline_is_what_the_html_shows_or_the_sender_said() -> None:
    message = parsed(multipart(
        "related",
        b'Content-Type: text/html\n\n<img src="cid:one@x"><img src="cid:three@x">',
        b"Content-Type: image/png\nContent-ID: <one@x>\nContent-Transfer-Encoding: base64\n\n" + b64(PHOTO),
        b"Content-Type: image/png; name=two.png\nContent-ID: <two@x>\nContent-Transfer-Encoding: base64\n\n"
        + b64(PHOTO),
        b"Content-Type: image/png; name=three.png\nContent-Disposition: attachment; filename=three.png\n"
        b"Content-ID: <three@x>\nContent-Transfer-Encoding: base64\n\n" + b64(PHOTO),
        b"Content-Type: image/png\nContent-Disposition: inline; filename=four.png\n"
        b"Content-Transfer-Encoding: base64\n\n" + b64(PHOTO),
    ))
    assert [(file.filename, file.inline, file.data == PHOTO) for file in message.attachments] == [
        ("", True, True), ("two.png", False, True), ("three.png", False, True), ("four.png", True, True)]


def test_a_text_file_attached_is_a_file_not_the_text() -> None:
    message = parsed(multipart(
        "mixed", b"Content-Type: text/plain\n\nSee the log.",
        b"Content-Type: text/plain; name=log.txt\nContent-Disposition: attachment; filename=log.txt\n\nline 1",
        b"Content-Type: text/html\nContent-Disposition: attachment; filename=bill.html\n\n<p>bill</p>",
    ))
    assert message.text == "See the log."
    assert [(file.filename, file.content_type, file.data) for file in message.attachments] == [
        ("log.txt", "text/plain", b"line 1"), ("bill.html", "text/html", b"<p>bill</p>")]
    assert message.html == ""


def test_a_signed_mail_gives_its_text_and_not_its_signature() -> None:
    message = parsed(mail([("From", "a@example.vn"), ("MIME-Version", "1.0"), (
        "Content-Type", 'multipart/signed; micalg=sha-256; protocol="application/pkcs7-signature"; boundary=S')],
        b"--S\nContent-Type: text/plain\n\nSigned words.\n--S\nContent-Type: application/pkcs7-signature; "
        b"name=smime.p7s\nContent-Disposition: attachment; filename=smime.p7s\n\nMIIB\n--S--\n"))
    assert (message.text, message.attachments) == ("Signed words.", ())


def test_a_forwarded_mails_files_come_but_not_its_inline_images() -> None:
    inner = (b"From: Agoda <b@agoda.example>\nSubject: Booking\nMIME-Version: 1.0\n"
             b"Content-Type: multipart/mixed; boundary=IN\n\n--IN\nContent-Type: text/plain\n\nBooked.\n--IN\n"
             b"Content-Type: image/png\nContent-Disposition: inline; filename=logo.png\n\nPNG\n--IN\n"
             b"Content-Type: application/pdf; name=v.pdf\nContent-Disposition: attachment; filename=v.pdf\n"
             b"Content-Transfer-Encoding: base64\n\n" + b64(PDF) + b"\n--IN--\n")
    message = parsed(multipart("mixed", b"Content-Type: text/plain\n\nLook.", b"Content-Type: message/rfc822\n\n"
                               + inner))
    assert message.text == ("Look.\n\n---------- Forwarded message ----------\nFrom: Agoda <b@agoda.example>\n"
                            "Subject: Booking\n\nBooked.")
    assert [(file.filename, file.data) for file in message.attachments] == [("v.pdf", PDF)]


def test_an_attachments_name_in_raw_thai_bytes_is_read() -> None:
    name = "ใบเสร็จ.pdf".encode("tis-620")
    message = parsed(multipart(
        "mixed", b"Content-Type: text/plain\n\nReceipt attached.",
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="' + name + b'"\n\n%PDF-1.4',
    ))
    assert [file.filename for file in message.attachments] == ["ใบเสร็จ.pdf"]


def test_references_are_in_reply_to_then_references_newest_first_each_once() -> None:
    message = parsed(simple(("In-Reply-To", "<c@x> (Lan's message of Tuesday)"),
                            ("References", "<a@x>\n <b@x> <c@x>")))
    assert message.references == ("c@x", "b@x", "a@x")


def test_references_without_brackets_are_read_too() -> None:
    assert parsed(simple(("In-Reply-To", "c@x"), ("References", "a@x b@x"))).references == ("c@x", "b@x", "a@x")


@pytest.mark.parametrize(("value", "hint"), [
    ("vi-VN", "vi"), ("th", "th"), ("en-US, vi", "en"), ("fr-FR, th-TH", "th"), ("ja", ""), ("", ""),
])
def test_the_language_hint_is_the_first_of_ours_content_language_names(value: str, hint: str) -> None:
    assert parsed(simple(("Content-Language", value))).language_hint == hint


def test_the_language_of_the_text_part_counts_when_the_mail_has_none() -> None:
    message = parsed(multipart("mixed", b"Content-Type: text/plain\nContent-Language: th-TH\n\nhello"))
    assert message.language_hint == "th"


@pytest.mark.parametrize(("value", "moment"), [
    ("Tue, 3 Mar 2026 09:30:00 +0700", datetime(2026, 3, 3, 2, 30, tzinfo=UTC)),
    ("3 Mar 2026 02:30:00 -0000", datetime(2026, 3, 3, 2, 30, tzinfo=UTC)),
    ("Tue, 3 Mar 2026 02:30:00 GMT", datetime(2026, 3, 3, 2, 30, tzinfo=UTC)),
    ("yesterday", None),
    ("Tue, 99 Foo 2026 99:99:99 +0700", None),
])
def test_when_it_was_sent(value: str, moment: datetime | None) -> None:
    assert parsed(simple(("Date", value))).sent_at == moment


def test_a_broken_encoded_subject_falls_back_on_the_email_packages_reading() -> None:
    message = parsed(mail([("From", "a@example.vn"), ("Subject", "Re: =?utf-8?B?broken!!?= room")], b"x"))
    assert message.subject.startswith("Re: ")
    assert message.subject.endswith("room")


def test_the_organisations_language_guides_a_guess() -> None:
    raw = simple(body=b"\xe0 \xe1")  # as plausible in Thai (เ แ) as in Vietnamese (à á)
    assert (parsed(raw, "th").text, parsed(raw, "vi").text) == ("เ แ", "à á")


@pytest.mark.parametrize("raw", [b"", b"\x00\xff\xfe garbage", b"From:\n\n", b"Content-Type: multipart/mixed\n\n--",
                                 b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: message/rfc822\n\n"])
def test_garbage_still_reads(raw: bytes) -> None:
    message = parsed(raw)
    assert message.external_id == external_id_of(raw)
    assert message.email == ""
