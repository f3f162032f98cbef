"""The public form's name, booking or room number and “when it happened”, the too-short description, the photo
picker and the privacy notice, as the customer sees them at /t/<public_code>/."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from kintsugi.accounts.models import Organisation, Touchpoint
from kintsugi.cases.models import Case, Customer, SlaPolicy
from kintsugi.intake.tests.pages import freeze_now, text_of, tr

pytestmark = pytest.mark.django_db
MONDAY_1630 = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)  # 16:30 in Hà Nội
THAI_TEXT = "แอร์ในห้องไม่เย็นเลยค่ะ แจ้งไปสองรอบแล้ว"


def form_url(touchpoint: Touchpoint, language: str) -> str:
    return f"/t/{touchpoint.public_code}/{language}/"


def post(client: Client, touchpoint: Touchpoint, language: str, **fields: object) -> Any:
    data: dict[str, object] = {"description": THAI_TEXT, "severity": "4", "website": ""}
    data.update(fields)
    return client.post(form_url(touchpoint, language), data, REMOTE_ADDR="203.0.113.7")


# --------------------------------------------------------------------------------------------- the new fields


def test_the_name_booking_and_local_time_reach_the_case_and_its_customer(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_now(monkeypatch, MONDAY_1630)

    response = post(client, front_desk, "th", name=" สมศรี ใจดี ", phone="081 234 5678",
                    booking_reference=" Room 512 ", occurred_at="2026-11-16T14:05")

    assert response.status_code == 303
    case = Case.objects.get()
    assert (case.booking_reference, case.occurred_at) == ("Room 512", datetime(2026, 11, 16, 7, 5, tzinfo=UTC))
    assert case.customer is not None
    assert (case.customer.name, case.customer.language) == ("สมศรี ใจดี", "th")


def test_a_name_alone_is_kept_on_a_customer_of_its_own(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    response = post(client, front_desk, "vi", description="Phòng 305 chưa được dọn.", name="Hoa")

    assert response.status_code == 303
    case = Case.objects.get()
    assert case.customer is not None
    assert (case.customer.name, list(case.customer.identities.values_list("kind", flat=True))) == ("Hoa", [])


def test_without_them_the_case_has_none_and_no_customer(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    response = post(client, front_desk, "en", description="No towels in room 305.")

    assert response.status_code == 303
    case = Case.objects.get()
    assert (case.booking_reference, case.occurred_at, case.customer_id) == ("", None, None)
    assert Customer.objects.count() == 0


def test_a_time_to_come_is_refused_at_its_field_in_thai_and_everything_typed_stays(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze_now(monkeypatch, MONDAY_1630)

    response = post(client, front_desk, "th", name="สมศรี", booking_reference="Room 512",
                    occurred_at="2026-11-16T18:00", email="somsri@example.com")

    assert response.status_code == 400
    page = response.content.decode()
    message = tr("th", "That time has not come yet. Please give when it happened.")
    assert f'<p class="error" id="id_occurred_at_error">{message}</p>' in page
    assert ('<input type="datetime-local" name="occurred_at" value="2026-11-16T18:00" aria-invalid="true" '
            'aria-describedby="id_occurred_at_error" id="id_occurred_at">') in page
    for field, value in (("name", "สมศรี"), ("booking_reference", "Room 512"), ("email", "somsri@example.com")):
        assert re.search(rf'<input [^>]*name="{field}"[^>]*value="{re.escape(value)}"', page), field
    assert f">\n{THAI_TEXT}</textarea>" in page
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("language", "description"), [("en", "Dirty room"), ("vi", "Phòng bẩn"), ("th", "แอร์เสีย")])
def test_a_too_short_description_is_kept_with_a_friendly_message(
    client: Client, front_desk: Touchpoint, policy: SlaPolicy, language: str, description: str
) -> None:
    response = post(client, front_desk, language, description=description, phone="0912 345 678")

    assert response.status_code == 400
    page = response.content.decode()
    message = tr(language, "Could you tell us a little more? A few words help us put it right.")
    assert f'<p class="error" id="id_description_error">{message}</p>' in page
    assert f">\n{description}</textarea>" in page
    assert re.search(r'<input [^>]*name="phone"[^>]*value="0912 345 678"', page)
    assert Case.objects.count() == 0


# --------------------------------------------------------------------------------------------- the photo picker


def test_the_photo_picker_is_one_large_label_over_a_plain_file_input(client: Client, front_desk: Touchpoint) -> None:
    page = client.get(form_url(front_desk, "vi")).content.decode()

    picker = re.search(r'<div class="field picker" data-picker data-remove="([^"]+)" data-too-large="([^"]+)">'
                       r'(.*?)</div>', page, flags=re.S)
    assert picker is not None
    assert picker.group(1, 2) == (tr("vi", "Remove"), tr("vi", "The photo is too large (at most 8 MB)."))
    inside = picker.group(3)
    assert re.search(r'<label class="picker-target" for="id_photo">.*'
                     rf'<span class="picker-title">{re.escape(tr("vi", "A photo (optional)"))}</span>\s*'
                     rf'<span class="picker-action">{re.escape(tr("vi", "Take a photo or choose one"))}</span>',
                     inside,
                     flags=re.S)
    assert '<input type="file" name="photo" accept="image/jpeg,image/png,image/webp" id="id_photo">' in inside
    assert "style=" not in page  # nothing inline: the Content-Security-Policy allows none


# --------------------------------------------------------------------------------------------- the privacy notice


def notice(client: Client, touchpoint: Touchpoint, language: str) -> str:
    page = client.get(form_url(touchpoint, language)).content.decode()
    found = re.search(r'<section class="privacy" aria-labelledby="privacy-title">(.*?)</section>', page, flags=re.S)
    assert found is not None
    return found.group(1)


def test_the_notice_without_settings_says_the_default_and_points_at_the_staff(
    client: Client, front_desk: Touchpoint
) -> None:
    text = text_of(notice(client, front_desk, "en").encode())

    assert text == (
        "Your privacy We keep what you write, the contact details you give and your photos. We use them only to "
        "resolve your complaint and to improve our service. We keep them for 24 months. Questions about your data? "
        "Ask our staff at Lotus Hà Nội."
    )
    assert "<a " not in notice(client, front_desk, "en")


def test_the_notice_gives_the_organisations_period_contact_and_policy(
    client: Client, org: Organisation, front_desk: Touchpoint
) -> None:
    Organisation.objects.filter(pk=org.pk).update(
        data_retention_months=12, privacy_contact="privacy@lotus.example",
        privacy_policy_url="https://lotus.example/privacy",
    )

    html = notice(client, front_desk, "en")

    assert text_of(html.encode()).endswith(
        "We keep them for 12 months. Questions about your data? Ask: privacy@lotus.example Our privacy policy"
    )
    assert '<a href="mailto:privacy@lotus.example">privacy@lotus.example</a>' in html
    assert '<a href="https://lotus.example/privacy" target="_blank" rel="noopener">Our privacy policy</a>' in html


@pytest.mark.parametrize(("contact", "link"), [
    ("+84 24 3826 5555", '<a href="tel:+842438265555">+84 24 3826 5555</a>'),
    ("the Guest Relations team", None),
])
def test_a_phone_contact_is_a_tel_link_and_a_name_plain_text(
    client: Client, org: Organisation, front_desk: Touchpoint, contact: str, link: str | None
) -> None:
    Organisation.objects.filter(pk=org.pk).update(privacy_contact=contact)

    html = notice(client, front_desk, "en")

    if link:
        assert link in html
    else:
        assert "<a " not in html
        assert f"Ask: {contact}" in text_of(html.encode())


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_notice_is_in_the_customers_language(client: Client, front_desk: Touchpoint, language: str) -> None:
    text = text_of(notice(client, front_desk, language).encode())

    for sentence in ("Your privacy", "We keep what you write, the contact details you give and your photos.",
                     "We use them only to resolve your complaint and to improve our service."):
        assert tr(language, sentence) in text
        assert tr(language, sentence) != sentence
    assert "We keep them" not in text


def test_one_organisations_notice_never_shows_anothers_settings(
    client: Client, org: Organisation, front_desk: Touchpoint, other_org: Organisation
) -> None:
    rival = Touchpoint.objects.create(
        organisation=other_org, location=other_org.locations.create(name="Rival Phuket", code="phuket",
                                                                    timezone="Asia/Bangkok", country="TH"),
        name="Lobby", code="lobby", kind="front_desk",
    )
    Organisation.objects.filter(pk=other_org.pk).update(
        data_retention_months=6, privacy_contact="dpo@rival.example", privacy_policy_url="https://rival.example/p",
    )

    ours, theirs = notice(client, front_desk, "en"), notice(client, rival, "en")

    assert "rival" not in ours
    assert "We keep them for 24 months." in text_of(ours.encode())
    assert "We keep them for 6 months." in text_of(theirs.encode())
    assert "Ask our staff at Rival Phuket" not in text_of(theirs.encode())
