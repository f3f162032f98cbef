"""The customer's status page /s/<token>/: what they see, what they never see, and who can reach it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, CaseEvent, Category, EventKind, Status
from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS
from kintsugi.intake.models import Attachment, CaseAccessLink
from kintsugi.intake.services import (
    add_customer_message,
    issue_link,
    link_for_token,
    revoke_link,
    submit_public_complaint,
)
from kintsugi.intake.tests.images import jpeg_with_gps
from kintsugi.intake.tests.pages import freeze_now, text_of, tr
from kintsugi.recovery.testing import complete_steps

pytestmark = pytest.mark.django_db
# Monday 16 November 2026, 10:00 in Hà Nội.
MONDAY_10AM = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)
HOA = "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát."
SURNAME = "Nguyễn-Secretsurname"


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return text_of(response.content)


@pytest.fixture
def linh(agent: User) -> User:
    """The Hà Nội agent, with a surname customers must never see."""
    agent.last_name = SURNAME
    agent.save()
    return agent


@pytest.fixture
def complaint(front_desk: Touchpoint, policy: object, monkeypatch: pytest.MonkeyPatch) -> tuple[Case, str]:
    freeze_now(monkeypatch, MONDAY_10AM)
    case, raw = submit_public_complaint(
        touchpoint=front_desk, description=HOA, severity=4, email="hoa@example.com", form_language="vi",
        client_ip="203.0.113.7",
    )
    return Case.objects.get(pk=case.pk), raw


def test_a_new_case_shows_its_status_the_team_and_when_we_will_answer(
    client: Client, complaint: tuple[Case, str]
) -> None:
    case, raw = complaint

    text = page_text(client, f"/s/{raw}/")  # no language in the URL: the case's language

    vi = {message: tr("vi", message) for message in (
        "We have received your complaint", "Handled by", "our team", "We will answer you", "Where",
        "You told us what happened.",
    )}
    assert vi["Handled by"] != "Handled by"
    assert f"{case.reference} {vi['We have received your complaint']}" in text
    assert f"{vi['Handled by']} {vi['our team']}" in text
    assert f"{vi['We will answer you']} {tr('vi', 'by %(time)s today') % {'time': '11:00'}}" in text
    assert f"{vi['Where']} Lotus Hà Nội · Front desk" in text
    assert f"{vi['You told us what happened.']} 16 " in text
    assert HOA in text


def test_the_switcher_shows_the_page_in_another_language(client: Client, complaint: tuple[Case, str]) -> None:
    _case, raw = complaint

    response = client.get(f"/s/{raw}/th/")

    assert response.headers["Content-Language"] == "th"
    assert f"<h1 class=\"status status-new\">{tr('th', 'We have received your complaint')}</h1>" in (
        response.content.decode()
    )
    assert f'<a href="/s/{raw}/en/" lang="en" hreflang="en">English</a>' in response.content.decode()


def test_the_handler_is_known_by_first_name_and_replies_are_shown(
    client: Client, complaint: tuple[Case, str], linh: User
) -> None:
    case, raw = complaint
    cases.acknowledge(case, by=linh, at=MONDAY_10AM + timedelta(minutes=5))
    cases.reply(case, "Chào chị Hoa, buồng phòng đang lên dọn phòng 305.", by=linh,
                at=MONDAY_10AM + timedelta(minutes=10))

    text = page_text(client, f"/s/{raw}/en/")

    assert "Case K-2026-000001 We are working on it" in text
    assert "Handled by Linh " in text
    assert "We have started looking into it. 16 November 2026, 10:05" in text
    assert "Linh replied. 16 November 2026, 10:10 Chào chị Hoa, buồng phòng đang lên dọn phòng 305." in text
    # 8 working hours from 10:00 on Monday: 7 to 17:00, then 1 from 08:00 on Tuesday.
    assert "Expected resolution by 09:00 tomorrow" in text
    assert SURNAME not in text


def test_a_case_awaiting_the_customer_says_the_clock_is_paused(
    client: Client, complaint: tuple[Case, str], linh: User
) -> None:
    case, raw = complaint
    cases.reply(case, "Chị cho em xin số phòng mới?", by=linh, at=MONDAY_10AM + timedelta(minutes=5))
    cases.change_status(case, Status.AWAITING_CUSTOMER, by=linh, reason="wait for room number (internal)",
                        at=MONDAY_10AM + timedelta(minutes=6))

    text = page_text(client, f"/s/{raw}/en/")

    assert "Case K-2026-000001 We are waiting for your answer" in text
    assert "Expected resolution Paused while we wait for your answer." in text
    assert "We need an answer from you to go on." in text
    assert "wait for room number" not in text


def test_a_resolved_case_says_so(client: Client, complaint: tuple[Case, str], linh: User) -> None:
    case, raw = complaint
    complete_steps(case, by=linh)
    cases.resolve(case, by=linh, summary="Refunded one night; housekeeping retrained (internal summary)",
                  at=MONDAY_10AM + timedelta(hours=1))

    text = page_text(client, f"/s/{raw}/en/")

    assert "Case K-2026-000001 Resolved" in text
    assert "We believe the problem is now put right. 16 November 2026, 11:00" in text
    assert "internal summary" not in text
    assert "Expected resolution" not in text


def test_nothing_internal_ever_reaches_the_status_page(
    client: Client, complaint: tuple[Case, str], linh: User, supervisor: User
) -> None:
    case, raw = complaint
    rooms = Category.objects.create(organisation=case.organisation, code="hk", name="CATEGORY-Housekeeping",
                                    name_vi="CATEGORY-Buồng phòng", name_th="CATEGORY-แม่บ้าน")
    at = MONDAY_10AM + timedelta(minutes=1)
    cases.assign(case, linh, by=supervisor, at=at)
    cases.add_note(case, "NOTE-SECRET: guest is a travel blogger, comp the minibar", by=linh, at=at)
    cases.escalate(case, by=linh, reason="ESCALATION-SECRET: second complaint this week", at=at)
    cases.update_details(case, by=supervisor, category=rooms, severity=5, at=at)
    cases.change_status(case, Status.IN_PROGRESS, by=linh, reason="STATUS-REASON-SECRET", at=at)
    # Every kind of event, staff-only, each carrying a marker in its text and data; and one customer-visible
    # event of every kind the status page does not show.
    for kind in EventKind:
        CaseEvent.objects.create(case=case, organisation_id=case.organisation_id, kind=kind, actor=linh,
                                 is_customer_visible=False, body=f"HIDDEN-{kind}", created_at=at,
                                 data={"reason": f"DATA-{kind}", "to_name": linh.get_full_name()})
    for kind in {EventKind.NOTE, EventKind.ESCALATED, EventKind.SLA_WARNING, EventKind.SLA_BREACH,
                 EventKind.UPDATED, EventKind.ASSIGNED, EventKind.MESSAGE_STATUS} | (
                     set(EventKind) - {EventKind(k) for k in (
                         "created", "acknowledged", "message_in", "message_out", "status_changed", "resolved",
                         "reopened", "closed", "apology_sent", "thanks_sent", "follow_up_sent",
                         "follow_up_answered")} - set(CUSTOMER_DESCRIBERS)):  # apps word those (remedies)
        CaseEvent.objects.create(case=case, organisation_id=case.organisation_id, kind=kind, actor=linh,
                                 is_customer_visible=True, body=f"VISIBLE-BUT-INTERNAL-{kind}", created_at=at)
    case.refresh_from_db()
    assert (case.priority, case.category_id, case.assignee_id) == ("high", rooms.pk, linh.pk)

    for language in ("en", "vi", "th"):
        response = client.get(f"/s/{raw}/{language}/")
        page = response.content.decode()
        assert response.status_code == 200
        for secret in ("SECRET", "HIDDEN-", "DATA-", "VISIBLE-BUT-INTERNAL", SURNAME, "travel blogger",
                       rooms.name, rooms.name_vi, rooms.name_th, tr(language, "%(priority)s priority") % {
                           "priority": tr(language, "High")},
                       tr(language, "Internal note"), tr(language, "Escalated"), "Minh", "supervisor",
                       "hoa@example.com", "priority", "severity"):
            assert secret not in page, (language, secret)
        assert "Linh" in page  # the first name only


def test_a_token_shows_its_own_case_and_no_other(
    client: Client, complaint: tuple[Case, str], front_desk: Touchpoint
) -> None:
    case, raw = complaint
    other, other_raw = submit_public_complaint(
        touchpoint=front_desk, description="ANOTHER GUEST: the lift is broken.", severity=3, form_language="en",
        client_ip="203.0.113.9",
    )

    mine, theirs = page_text(client, f"/s/{raw}/en/"), page_text(client, f"/s/{other_raw}/en/")

    assert (case.reference in mine, HOA in mine) == (True, True)
    assert (other.reference in mine, "ANOTHER GUEST" in mine) == (False, False)
    assert (other.reference in theirs, HOA in theirs) == (True, False)


def test_another_organisations_case_is_unreachable_without_its_own_token(
    client: Client, complaint: tuple[Case, str], other_case: Case
) -> None:
    _case, raw = complaint
    _link, other_raw = issue_link(other_case)

    assert other_case.description not in page_text(client, f"/s/{raw}/en/")
    for guess in (raw[:-2] + "xx", "A" * 43, other_raw.swapcase(), other_case.reference):
        response = client.get(f"/s/{guess}/")
        assert response.status_code == 404
        assert other_case.description not in response.content.decode()
    assert other_case.description in page_text(client, f"/s/{other_raw}/en/")


@pytest.mark.parametrize("how", ["wrong", "revoked", "malformed"])
def test_a_wrong_or_revoked_token_gets_the_friendly_not_found_page(
    client: Client, complaint: tuple[Case, str], linh: User, how: str
) -> None:
    case, raw = complaint
    if how == "revoked":
        link = link_for_token(raw)
        assert link is not None
        revoke_link(link, by=linh)
    url = {"wrong": "/s/" + "B" * 43 + "/", "revoked": f"/s/{raw}/", "malformed": "/s/short/"}[how]

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 404
    assert f"<h1>{tr('vi', 'This link does not work')}</h1>" in response.content.decode()
    assert case.reference not in response.content.decode()


def test_the_customer_writes_and_the_message_lands_on_the_timeline(
    client: Client, complaint: tuple[Case, str], linh: User
) -> None:
    case, raw = complaint
    cases.change_status(case, Status.AWAITING_CUSTOMER, by=linh, at=MONDAY_10AM + timedelta(minutes=2))

    response = client.post(f"/s/{raw}/en/", {"body": "Room 412 is also not cleaned."})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/s/{raw}/en/?sent=1#sent"
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.events.filter(kind=EventKind.MESSAGE_IN).get().body == "Room 412 is also not cleaned."
    text = page_text(client, response.headers["Location"])
    assert "Thank you. Your message is on your case." in text
    assert "You wrote to us. 16 November 2026, 10:00 Room 412 is also not cleaned." in text
    assert "Thank you for your answer. We are working on it again." in text


def test_an_empty_message_is_refused_in_the_page_language(client: Client, complaint: tuple[Case, str]) -> None:
    case, raw = complaint

    response = client.post(f"/s/{raw}/th/", {"body": "   "})

    assert response.status_code == 400
    assert tr("th", "Please write a message or add a photo.") in response.content.decode()
    assert not case.events.filter(kind=EventKind.MESSAGE_IN).exists()


def test_a_photo_sent_from_the_status_page_is_shown_there_and_to_staff_only(
    client: Client, complaint: tuple[Case, str], front_desk: Touchpoint, linh: User, bangkok_agent: User,
    outsider: User, media: Path
) -> None:
    _case, raw = complaint
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "IMG_0001.JPG"

    assert client.post(f"/s/{raw}/en/", {"body": "", "photo": upload}).status_code == 303

    attachment = Attachment.objects.get()
    page = client.get(f"/s/{raw}/en/").content.decode()
    photo_url = f"/s/{raw}/photos/{attachment.uuid}.jpg"
    assert f'<img src="{photo_url}" width="640" height="480"' in page
    served = client.get(photo_url)
    assert (served.status_code, served.headers["Content-Type"]) == (200, "image/jpeg")
    assert attachment.file.name is not None
    assert served.content == (media / attachment.file.name).read_bytes()
    _other, other_raw = submit_public_complaint(touchpoint=front_desk, description="Lift broken.", severity=3,
                                                form_language="en", client_ip="203.0.113.9")
    assert client.get(f"/s/{other_raw}/photos/{attachment.uuid}.jpg").status_code == 404
    staff_url = f"/photos/{attachment.uuid}.jpg"
    assert login(Client(), linh).get(staff_url).status_code == 200
    assert login(Client(), bangkok_agent).get(staff_url).status_code == 404
    assert login(Client(), outsider).get(staff_url).status_code == 404
    assert Client().get(staff_url).status_code == 302  # to the login page


def test_the_staff_case_page_shows_the_photos_and_links_and_revokes_a_link(
    complaint: tuple[Case, str], linh: User, bangkok_agent: User, media: Path
) -> None:
    case, raw = complaint
    link = CaseAccessLink.objects.get()
    staff = login(Client(), linh)
    page = staff.get(f"/cases/{case.reference}/").content.decode()
    revoke_url = f"/cases/{case.reference}/status-links/{link.pk}/revoke/"
    assert f'action="{revoke_url}"' in page

    assert login(Client(), bangkok_agent).post(revoke_url).status_code == 404
    assert link_for_token(raw) is not None

    response = staff.post(revoke_url)

    assert (response.status_code, response.headers["Location"]) == (302, f"/cases/{case.reference}/")
    assert link_for_token(raw) is None
    after = text_of(staff.get(response.headers["Location"]).content)
    assert "The customer's status page link no longer works." in after
    assert f"{linh.display_name} changed the details. Staff only" in after
    assert "The customer's status page link was revoked." in after
    assert Client().get(f"/s/{raw}/").status_code == 404


def test_staff_photo_thumbnail_links_are_on_the_case_page(
    complaint: tuple[Case, str], linh: User, media: Path
) -> None:
    case, raw = complaint
    link = link_for_token(raw)
    assert link is not None
    add_customer_message(link, "Look", jpeg_with_gps())
    attachment = Attachment.objects.get()

    page = login(Client(), linh).get(f"/cases/{case.reference}/").content.decode()

    assert re.search(rf'<a href="/photos/{attachment.uuid}.jpg"[^>]*><img src="/photos/{attachment.uuid}.jpg"', page)


def test_the_status_page_costs_a_fixed_number_of_queries(
    client: Client, complaint: tuple[Case, str], linh: User, django_assert_num_queries: Any
) -> None:
    case, raw = complaint
    client.get(f"/s/{raw}/")  # records the visit; the next five minutes of views write nothing
    # the link with its case, the timeline, the photos
    with django_assert_num_queries(3):
        assert client.get(f"/s/{raw}/").status_code == 200
    for n in range(5):
        cases.reply(case, f"Reply {n}.", by=linh)
        cases.receive_message(case, f"Answer {n}.")
    with django_assert_num_queries(3):
        assert client.get(f"/s/{raw}/").status_code == 200


def test_the_status_page_takes_photos_through_the_same_picker_as_the_form(
    client: Client, complaint: tuple[Case, str]
) -> None:
    _case, raw = complaint

    page = client.get(f"/s/{raw}/th/").content.decode()

    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/photo-picker.js" defer>']
    assert '<label class="picker-target" for="id_photo">' in page
    assert f'<span class="picker-action">{tr("th", "Take a photo or choose one")}</span>' in page
