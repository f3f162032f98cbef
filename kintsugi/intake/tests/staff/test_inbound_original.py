"""The original of a payload: headers, full text, the HTML made safe, files, and the .eml download; for whoever may
see its case, and a payload on no case for administrators only. Anything else is a 404."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases.models import Case, Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.inbound.normalised import InboundFile
from kintsugi.intake.inbound.originals import ORIGINALS, Original, safe_html
from kintsugi.intake.models import InboundPayload
from kintsugi.intake.tests.inbound.conftest import mail
from kintsugi.intake.tests.staff.conftest import Deliver

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def html_mail() -> bytes:
    boundary = "b1"
    parts = [
        "From: =?utf-8?b?VHLhuqduIFRo4buLIE1haQ==?= <mai@example.vn>", "To: care@hotel.example",
        "Subject: =?utf-8?q?H=C3=B3a_=C4=91=C6=A1n_sai?=", "Message-ID: <html-1@example.vn>",
        "Date: Mon, 16 Nov 2026 10:00:00 +0700", "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
        f"--{boundary}", "Content-Type: text/html; charset=utf-8", "",
        '<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>'
        '<p style="color:red" class="x" onclick="steal()">Hóa đơn tính <b>hai lần</b> phí minibar.</p>'
        '<img src="https://tracker.example/open.gif"><a href="https://lotus.example/bill">Xem hóa đơn</a>'
        '<a href="javascript:alert(1)">bad</a></body></html>',
        f"--{boundary}", 'Content-Type: application/pdf; name="hóa đơn.pdf"',
        'Content-Disposition: attachment; filename="hóa đơn.pdf"', "Content-Transfer-Encoding: base64", "",
        base64.b64encode(PDF).decode(), f"--{boundary}--", "",
    ]
    return "\r\n".join(parts).encode()


@pytest.fixture
def on_case(deliver: Deliver, mailbox: ChannelConnection) -> InboundPayload:
    return deliver(mailbox, mail())


@pytest.fixture
def no_case(deliver: Deliver, mailbox: ChannelConnection) -> InboundPayload:
    return deliver(mailbox, mail("Auto", "Đã nhận.", sender="care@hotel.example", message_id="own@x"))


# ------------------------------------------------------------------------------------------ who may


@pytest.mark.parametrize("who", ["agent", "supervisor", "manager", "admin"])
def test_staff_who_see_the_case_see_its_original(client: Client, staff_cast: dict[str, User], who: str,
                                                 on_case: InboundPayload) -> None:
    login(client, staff_cast[who])
    assert client.get(f"/inbound/{on_case.pk}/").status_code == 200
    assert client.get(f"/inbound/{on_case.pk}/download/").status_code == 200


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_staff_who_cannot_see_the_case_get_a_404(client: Client, staff_cast: dict[str, User], who: str,
                                                 on_case: InboundPayload) -> None:
    login(client, staff_cast[who])
    assert client.get(f"/inbound/{on_case.pk}/").status_code == 404
    assert client.get(f"/inbound/{on_case.pk}/download/").status_code == 404
    assert client.get(f"/inbound/{on_case.pk}/files/1/").status_code == 404


@pytest.mark.parametrize("who", ["agent", "bangkok_agent", "supervisor", "manager", "outsider"])
def test_a_payload_on_no_case_is_for_administrators_only(client: Client, staff_cast: dict[str, User], who: str,
                                                         no_case: InboundPayload) -> None:
    login(client, staff_cast[who])
    assert client.get(f"/inbound/{no_case.pk}/").status_code == 404
    assert client.get(f"/inbound/{no_case.pk}/download/").status_code == 404


def test_an_administrator_of_another_organisation_gets_a_404(client: Client, rival_admin: User,
                                                             on_case: InboundPayload, no_case: InboundPayload) -> None:
    login(client, rival_admin)
    for payload in (on_case, no_case):
        assert client.get(f"/inbound/{payload.pk}/").status_code == 404
        assert client.get(f"/inbound/{payload.pk}/download/").status_code == 404


def test_an_administrator_sees_a_payload_on_no_case(client: Client, admin_user: User,
                                                    no_case: InboundPayload) -> None:
    login(client, admin_user)
    html = client.get(f"/inbound/{no_case.pk}/").content.decode()
    assert "<dt>From</dt><dd>care@hotel.example</dd>" in html
    assert '<span class="badge inbound-badge-ignored">Kept, no case</span> Sent by this mailbox itself' in html
    assert '<a class="back-link" href="/inbound/">' in html


# ------------------------------------------------------------------------------------------ what it shows


def test_the_original_shows_the_headers_and_the_full_text(client: Client, agent: User,
                                                          on_case: InboundPayload) -> None:
    login(client, agent)
    html = client.get(f"/inbound/{on_case.pk}/").content.decode()
    case = Case.objects.get()
    assert "<dt>From</dt><dd>Lan Nguyen &lt;lan@example.vn&gt;</dd>" in html
    assert "<dt>To</dt><dd>care@hotel.example</dd>" in html
    assert "<dt>Subject</dt><dd>Phòng bẩn</dd>" in html
    assert "<dt>Message-ID</dt><dd>&lt;m1@example.vn&gt;</dd>" in html
    assert '<pre class="original-text">Phòng 204 rất bẩn, khăn tắm có vết ố.</pre>' in html
    assert f'<a class="back-link" href="/cases/{case.reference}/">' in html
    assert f'href="/inbound/{on_case.pk}/download/" download>Download .eml</a>' in html


def read_chat(payload: InboundPayload) -> Original:
    """A chat channel's reader, as the next channels will register theirs: the payload's JSON as an original."""
    body = json.loads(bytes(payload.raw))
    return Original(headers=[("From", body["from"])], text=body["text"], html=safe_html(body["html"]),
                    files=tuple(InboundFile(f["name"], f["type"], base64.b64decode(f["data"])) for f in body["files"]),
                    download_name=f"chat-{payload.pk}.json", download_type="application/json")


@pytest.fixture
def chat_channel(org: Organisation, hanoi: Location) -> Iterator[ChannelConnection]:
    ORIGINALS.register(Channel.MESSENGER, read_chat)
    yield ChannelConnection.objects.create(organisation=org, channel=Channel.MESSENGER, name="Facebook page",
                                           address="lotus-page", location=hanoi)
    ORIGINALS._entries.pop(Channel.MESSENGER)  # the registry has no way out: it is filled once at start-up


@pytest.fixture
def chat(chat_channel: ChannelConnection, deliver: Deliver) -> InboundPayload:
    return deliver(chat_channel, json.dumps({
        "from": "Trần Thị Mai", "text": "Hóa đơn tính hai lần phí minibar.", "files": [
            {"name": "hóa đơn.pdf", "type": "application/pdf", "data": base64.b64encode(PDF).decode()}],
        "html": '<p style="color:red" class="x" onclick="steal()">Hóa đơn tính <b>hai lần</b> phí minibar.</p>'
                '<img src="https://tracker.example/open.gif"><a href="https://lotus.example/bill">Xem hóa đơn</a>'
                '<a href="javascript:alert(1)">bad</a><script>alert(1)</script>',
    }).encode(), "mid-1")


def test_html_is_shown_made_safe_and_files_are_listed(client: Client, admin_user: User,
                                                      chat: InboundPayload) -> None:
    login(client, admin_user)
    html = client.get(f"/inbound/{chat.pk}/").content.decode()
    assert "<dt>From</dt><dd>Trần Thị Mai</dd>" in html
    assert '<pre class="original-text">Hóa đơn tính hai lần phí minibar.</pre>' in html
    shown = html[html.index('<div class="original-html">'):]
    shown = shown[:shown.index("</div>")]
    assert shown == (
        '<div class="original-html"><p>Hóa đơn tính <b>hai lần</b> phí minibar.</p>'
        '<a href="https://lotus.example/bill" target="_blank" rel="noopener noreferrer nofollow">Xem hóa đơn</a>'
        '<a target="_blank" rel="noopener noreferrer nofollow">bad</a>'
    )
    assert f'<a href="/inbound/{chat.pk}/files/1/" download>hóa đơn.pdf</a>' in html
    assert f"application/pdf · {len(PDF)}\xa0bytes" in html
    assert "Download as received" in html


def test_a_file_downloads_exactly_as_received(client: Client, admin_user: User, chat: InboundPayload) -> None:
    login(client, admin_user)
    response = client.get(f"/inbound/{chat.pk}/files/1/")
    assert response.content == PDF
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''h%C3%B3a%20%C4%91%C6%A1n.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/inbound/{chat.pk}/files/2/").status_code == 404
    assert client.get(f"/inbound/{chat.pk}/files/0/").status_code == 404
    whole = client.get(f"/inbound/{chat.pk}/download/")
    assert whole.content == bytes(InboundPayload.objects.get(pk=chat.pk).raw)
    assert (whole["Content-Type"], whole["Content-Disposition"]) == (
        "application/json", f'attachment; filename="chat-{chat.pk}.json"')


def test_an_html_mail_brings_no_script_or_tracker_into_the_page(client: Client, admin_user: User,
                                                                deliver: Deliver,
                                                                mailbox: ChannelConnection) -> None:
    raw = html_mail()
    payload = deliver(mailbox, raw)
    login(client, admin_user)
    html = client.get(f"/inbound/{payload.pk}/").content.decode()
    assert "<dt>From</dt><dd>Trần Thị Mai &lt;mai@example.vn&gt;</dd>" in html
    assert "<dt>Subject</dt><dd>Hóa đơn sai</dd>" in html
    assert "<dt>Date</dt><dd>Mon, 16 Nov 2026 10:00:00 +0700</dd>" in html
    assert "<script>alert" not in html
    assert '<img src="https://tracker' not in html
    assert 'onclick="steal()"' not in html
    eml = client.get(f"/inbound/{payload.pk}/download/")
    assert eml.content == raw
    assert eml["Content-Type"] == "message/rfc822"
    assert eml["Content-Disposition"] == f'attachment; filename="mail-{payload.pk}.eml"'


def test_a_payload_no_reader_knows_is_shown_as_received(client: Client, admin_user: User, deliver: Deliver,
                                                        line_channel: ChannelConnection) -> None:
    payload = deliver(line_channel, json.dumps({"events": [{"text": "ห้องสกปรก"}]}).encode(), "evt-9")
    login(client, admin_user)
    html = client.get(f"/inbound/{payload.pk}/").content.decode()
    pretty = '{\n  &quot;events&quot;: [\n    {\n      &quot;text&quot;: &quot;ห้องสกปรก&quot;'
    assert f'<pre class="original-text original-raw">{pretty}' in html
    assert f'<button type="submit" class="button" name="one" value="{payload.pk}">Process again</button>' in html
    assert '<pre class="inbound-error">ValueError: no parser for the line channel</pre>' in html
    assert "Download as received" in html
    response = client.get(f"/inbound/{payload.pk}/download/")
    assert response["Content-Disposition"] == f'attachment; filename="payload-{payload.pk}.txt"'


def test_a_payload_its_reader_cannot_read_is_shown_raw_with_why(client: Client, admin_user: User,
                                                                 chat_channel: ChannelConnection,
                                                                 deliver: Deliver) -> None:
    payload = deliver(chat_channel, b"\xe9t\xe9 <b>not json", "mid-2")
    login(client, admin_user)
    html = client.get(f"/inbound/{payload.pk}/").content.decode()
    assert ("It could not be read (&#x27;utf-8&#x27; codec can&#x27;t decode byte 0xe9 in position 0: invalid "
            "continuation byte); here it is as received.") in html
    assert '<pre class="original-text original-raw">été &lt;b&gt;not json</pre>' in html


@pytest.mark.parametrize(("given", "shown"), [
    ('<p>ok</p><script>x()</script>', "<p>ok</p>"),
    ('<div style="position:fixed" id="main" class="topbar">x</div>', "<div>x</div>"),
    ('<form action="https://evil.example"><input name="password"></form>', ""),
    ('<img src="cid:logo" alt="Logo">after', "after"),
    ('<a href="/relative">r</a>', '<a target="_blank" rel="noopener noreferrer nofollow">r</a>'),
    ('<iframe src="https://evil.example"></iframe>x', "x"),
    ("   ", ""),
])
def test_safe_html_keeps_structure_and_links_only(given: str, shown: str) -> None:
    assert safe_html(given) == shown
