"""The public complaint form page /t/<public_code>/: language, the acknowledgement, abuse and bad input."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation
from pytest_django import Settings

from kintsugi.accounts.models import Touchpoint
from kintsugi.cases.models import Case, SlaPolicy
from kintsugi.intake.models import Attachment, CaseAccessLink, PublicRateLimit
from kintsugi.intake.tests.conftest import stored_files
from kintsugi.intake.tests.images import jpeg_with_gps
from kintsugi.intake.tests.pages import freeze_now, text_of, tr

pytestmark = pytest.mark.django_db
# Monday 16 November 2026, 16:30 in Hà Nội: half an hour of the working day left.
MONDAY_1630 = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
THAI_TEXT = "แอร์ในห้องไม่เย็นเลยค่ะ แจ้งไปสองรอบแล้ว"
PAGE_BUDGET = 100_000


def form_url(touchpoint: Touchpoint, language: str = "") -> str:
    return f"/t/{touchpoint.public_code}/" + (f"{language}/" if language else "")


def post(client: Client, url: str, **fields: object) -> Any:
    data: dict[str, object] = {"description": THAI_TEXT, "severity": "4", "phone": "", "email": "", "line_id": "",
                               "zalo_id": "", "website": ""}
    data.update(fields)
    return client.post(url, data, REMOTE_ADDR="203.0.113.7")


# --------------------------------------------------------------------------------------------- showing the form


@pytest.mark.parametrize(
    ("accept", "language"),
    [("th-TH,th;q=0.9,en;q=0.8", "th"), ("vi", "vi"), ("en-GB,en;q=0.9", "en"), ("de-DE,fr;q=0.8", "vi"), ("", "vi")],
)
def test_the_form_speaks_the_browsers_language_else_the_locations(
    client: Client, front_desk: Touchpoint, accept: str, language: str
) -> None:
    response = client.get(form_url(front_desk), HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()
    assert f"<h1>{tr(language, 'Tell us what went wrong')}</h1>" in response.content.decode()


def test_the_language_in_the_url_wins_over_the_browser(client: Client, front_desk: Touchpoint) -> None:
    response = client.get(form_url(front_desk, "en"), HTTP_ACCEPT_LANGUAGE="th")

    assert response.headers["Content-Language"] == "en"
    assert "<h1>Tell us what went wrong</h1>" in response.content.decode()


def test_the_form_shows_the_place_and_a_switcher_of_plain_links(client: Client, front_desk: Touchpoint) -> None:
    assert tr("th", "Tell us what went wrong") != "Tell us what went wrong"  # the Thai catalogue is there
    code = front_desk.public_code

    page = client.get(form_url(front_desk, "th")).content.decode()

    assert '<p class="place">Lotus Hà Nội · Front desk</p>' in page
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"( aria-current="true")?>([^<]+)</a>', page)
    assert links == [
        (f"/t/{code}/en/", "en", "", "English"),
        (f"/t/{code}/vi/", "vi", "", "Tiếng Việt"),
        (f"/t/{code}/th/", "th", ' aria-current="true"', "ภาษาไทย"),
    ]
    assert f'action="/t/{code}/th/"' in page
    assert re.findall(r'<span>([^<]+)</span></label>', page) == [
        tr("th", word, "how bad") for word in ("A little annoying", "Bad", "Very bad", "Unacceptable")
    ]
    assert tr("th", "All optional. Without a way to reach you, we cannot answer you: your feedback still helps us "
                    "improve.") in text_of(page.encode())


def test_a_typed_code_in_lower_case_opens_the_form(client: Client, front_desk: Touchpoint) -> None:
    assert client.get(form_url(front_desk).lower()).status_code == 200


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "inactive"])
def test_an_unknown_or_inactive_touchpoint_gets_the_friendly_not_found_page(
    client: Client, front_desk: Touchpoint, code: str
) -> None:
    if code == "inactive":
        Touchpoint.objects.filter(pk=front_desk.pk).update(is_active=False)
        code = front_desk.public_code

    response = client.get(f"/t/{code}/", HTTP_ACCEPT_LANGUAGE="th")

    assert response.status_code == 404
    assert f"<h1>{tr('th', 'This link does not work')}</h1>" in response.content.decode()


def test_the_form_page_weighs_under_100_kb_with_everything_it_loads(client: Client, front_desk: Touchpoint) -> None:
    response = client.get(form_url(front_desk, "th"))
    page = response.content.decode()
    # One small deferred script, the photo picker's; the form works without it (no inline script either).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/photo-picker.js" defer>']
    assets = (re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(r'<script src="([^"]+)"', page)
              + re.findall(r'<img [^>]*src="([^"]+)"', page))
    assert assets == ["/static/css/public.css", "/static/js/photo-picker.js"]
    loaded = b""
    for asset in assets:
        served = client.get(asset)
        body = b"".join(served.streaming_content) if served.streaming else served.content  # type: ignore[attr-defined]
        assert body == Path(finders.find(asset.removeprefix("/static/"))).read_bytes()  # type: ignore[arg-type]
        loaded += body

    weight = len(response.content) + len(loaded)

    assert weight <= PAGE_BUDGET, f"the form page weighs {weight} bytes"


# --------------------------------------------------------------------------------------------- submitting


def test_a_complaint_redirects_to_its_acknowledgement(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_now(monkeypatch, MONDAY_1630)

    response = post(client, form_url(front_desk, "th"), email="somsri@example.com")

    case = Case.objects.get()
    assert (case.language, case.severity, case.channel, case.touchpoint_id) == ("th", 4, "web", front_desk.pk)
    assert response.status_code == 303
    match = re.fullmatch(r"/s/([A-Za-z0-9_-]{43})/thanks/th/", response.headers["Location"])
    assert match is not None
    token = match.group(1)
    assert CaseAccessLink.objects.get().case_id == case.pk

    ack = client.get(response.headers["Location"])

    assert ack.status_code == 200
    text = text_of(ack.content)
    assert f"{tr('th', 'Your reference')} {case.reference}" in text
    tomorrow = tr("th", "by %(time)s tomorrow") % {"time": "08:30"}  # Tuesday 08:30: the 60 working minutes
    assert f"{tr('th', 'We will answer you')} {tomorrow}" in text
    assert f'<a href="/s/{token}/th/">http://testserver/s/{token}/</a>' in ack.content.decode()


def test_a_complaint_to_a_touchpoint_switched_off_since_it_was_kept_writes_nothing(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    client.get(form_url(front_desk, "th"))  # this process now keeps the touchpoint
    # Switched off elsewhere (another process, the admin): the copy kept here still says it is active.
    Touchpoint.objects.filter(pk=front_desk.pk).update(is_active=False)

    response = post(client, form_url(front_desk, "th"), email="somsri@example.com")

    assert response.status_code == 404
    assert f"<h1>{tr('th', 'This link does not work')}</h1>" in response.content.decode()
    assert not Case.objects.exists()
    assert not PublicRateLimit.objects.exists()


def test_a_complaint_to_a_touchpoint_moved_since_it_was_kept_is_written_where_it_is_now(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    client.get(form_url(front_desk, "th"))
    hue = front_desk.organisation.locations.create(name="Lotus Huế", code="hue", country="VN",
                                                   timezone="Asia/Ho_Chi_Minh")
    Touchpoint.objects.filter(pk=front_desk.pk).update(location=hue)

    response = post(client, form_url(front_desk, "th"), email="somsri@example.com")

    assert response.status_code == 303
    assert Case.objects.get().location_id == hue.pk


def test_a_complaint_with_a_photo_made_again_after_a_change_keeps_one_copy_of_its_photo(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, media: Path
) -> None:
    client.get(form_url(front_desk, "vi"))
    Touchpoint.objects.filter(pk=front_desk.pk).update(name="Quầy lễ tân")  # the kept copy is now out of date
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "photo.jpg"

    response = post(client, form_url(front_desk, "vi"), email="hoa@example.com", photo=photo)

    assert response.status_code == 303
    case = Case.objects.get()
    attachment = Attachment.objects.get(case=case)
    assert stored_files(media) == [attachment.file.name]  # the first try's copy was deleted, the second kept


def test_the_acknowledgement_page_in_english_reads_by_08_30_tomorrow(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_now(monkeypatch, MONDAY_1630)

    response = post(client, form_url(front_desk, "en"), description="The shower has no hot water.")
    text = text_of(client.get(response.headers["Location"]).content)

    assert "Your reference K-2026-000001 We will answer you by 08:30 tomorrow" in text


def test_a_rejected_complaint_keeps_what_was_typed_and_says_what_to_fix_in_the_customers_language(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, media: Path
) -> None:
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "photo.jpg"

    response = post(client, form_url(front_desk, "vi"), description="", phone="12", email="hoa@example.com",
                    line_id="hoa.line", zalo_id="zalo-hoa", severity="5", photo=photo)

    assert response.status_code == 400
    page = response.content.decode()
    assert tr("vi", "Please check the marked fields. Everything you wrote is still here.") in page
    assert f'<p class="error" id="id_description_error">{tr("vi", "Please tell us what happened.")}</p>' in page
    phone_error = tr("vi", "“%(phone)s” is not a valid phone number.") % {"phone": "12"}
    assert f'<p class="error" id="id_phone_error">{phone_error}</p>' in page
    # Each error is the one its input names for screen readers (Django's aria-describedby).
    assert re.search(r'<textarea [^>]*aria-describedby="id_description_error"', page)
    assert tr("vi", "Your photo was not kept: please attach it again.") in page
    for field, value in (("phone", "12"), ("email", "hoa@example.com"), ("line_id", "hoa.line"),
                         ("zalo_id", "zalo-hoa")):
        assert re.search(rf'<input [^>]*name="{field}"[^>]*value="{re.escape(value)}"', page), field
    assert re.search(r'<input type="radio" name="severity" value="5"[^>]* checked', page)
    assert (Case.objects.count(), stored_files(media)) == (0, [])


def test_a_filled_honeypot_pretends_success_and_creates_nothing(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    response = post(client, form_url(front_desk, "en"), website="https://cheap-pills.example")

    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{front_desk.public_code}/sent/en/"
    assert Case.objects.count() == 0
    assert sorted(PublicRateLimit.objects.values_list("key", "hits")) == [
        ("ip:203.0.113.7", 1), (f"touchpoint:{front_desk.pk}", 1),
    ]
    thanks = client.get(response.headers["Location"])
    assert (thanks.status_code, "<h1>Thank you. We have your message.</h1>" in thanks.content.decode()) == (200, True)


def test_the_honeypot_is_hidden_from_people(client: Client, front_desk: Touchpoint) -> None:
    page = client.get(form_url(front_desk, "en")).content.decode()

    assert re.search(r'<div class="hp" aria-hidden="true"><label for="id_website">Website</label>'
                     r'<input type="text" name="website" autocomplete="off" tabindex="-1"', page)
    css = Path(finders.find("css/public.css")).read_text()  # type: ignore[arg-type]
    assert ".hp { position: absolute; left: -10000px;" in css


def test_too_many_complaints_from_one_client_get_a_friendly_429_in_their_language(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_now(monkeypatch, MONDAY_1630)
    settings.PUBLIC_FORM_LIMIT_PER_IP = "2/600"
    for _ in range(2):
        assert post(client, form_url(front_desk, "th")).status_code == 303

    response = post(client, form_url(front_desk, "th"))

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "600"
    with translation.override("th"):
        expected = translation.ngettext(
            "We have received a lot from here in a short time. Please try again in about %(counter)s minute.",
            "We have received a lot from here in a short time. Please try again in about %(counter)s minutes.", 10,
        ) % {"counter": 10}
    assert "10" in expected
    assert not expected.startswith("We have")
    assert expected in text_of(response.content)
    assert Case.objects.count() == 2
    other = client.post(form_url(front_desk, "th"), {"description": THAI_TEXT}, REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 303


def test_a_failed_csrf_check_shows_a_friendly_page_in_the_customers_language(
    front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(form_url(front_desk, "th"), {"description": THAI_TEXT})

    assert response.status_code == 403
    assert response.headers["Content-Language"] == "th"
    page = response.content.decode()
    assert f"<h1>{tr('th', 'Your message was not sent')}</h1>" in page
    assert "CSRF" not in page
    assert Case.objects.count() == 0


def test_the_form_posts_with_its_csrf_token_like_a_browser_without_javascript(
    front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(form_url(front_desk, "en")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None

    response = strict.post(form_url(front_desk, "en"), {"csrfmiddlewaretoken": token.group(1),
                                                        "description": "No towels in room 305."})

    assert response.status_code == 303
    assert Case.objects.get().severity == 3  # no pick: "Bad"


def test_staff_pages_keep_djangos_csrf_failure(agent: object) -> None:
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/login/", {"username": "agent", "password": "x"})

    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
