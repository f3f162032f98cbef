"""One date style per language on a staff page (the case) and the customer's pages (status, acknowledgement):
day-month-year and 24-hour, in the location's time zone, and the Thai Buddhist year where the organisation
chose it. The moment: 21:10 on 6 December 2026 in Hồ Chí Minh City."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases.models import Case
from kintsugi.intake.services import status_path, submit_public_complaint
from kintsugi.intake.tests.pages import freeze_now, text_of

pytestmark = pytest.mark.django_db
MOMENT = datetime(2026, 12, 6, 14, 10, tzinfo=UTC)  # 21:10 in Hà Nội

# (language, Buddhist year on, the case page's "Opened", the status page's entry time)
PAGES = [
    ("en", False, "6 Dec 2026, 21:10 +07", "6 December 2026, 21:10"),
    ("vi", False, "06/12/2026 21:10 +07", "6 tháng 12 năm 2026, 21:10"),
    ("th", False, "06/12/2026 21:10 +07", "6 ธันวาคม 2026, 21:10"),
    ("th", True, "06/12/2569 21:10 +07", "6 ธันวาคม 2569, 21:10"),
    ("vi", True, "06/12/2026 21:10 +07", "6 tháng 12 năm 2026, 21:10"),  # the Buddhist year is Thai only
]


@pytest.fixture
def complaint(front_desk: Touchpoint, policy: object, monkeypatch: pytest.MonkeyPatch) -> tuple[Case, str]:
    freeze_now(monkeypatch, MOMENT)
    case, raw = submit_public_complaint(
        touchpoint=front_desk, description="Phòng 305 chưa được dọn.", severity=3, email="hoa@example.com",
        form_language="vi", client_ip="203.0.113.7",
    )
    return Case.objects.get(pk=case.pk), raw


@pytest.mark.parametrize(("language", "buddhist", "staff", "customer"), PAGES)
def test_case_page_and_status_page_show_the_languages_date_style(
    client: Client, org: Organisation, agent: User, complaint: tuple[Case, str],
    language: str, buddhist: bool, staff: str, customer: str,
) -> None:
    case, raw = complaint
    Organisation.objects.filter(pk=org.pk).update(thai_buddhist_year=buddhist)
    agent.language = language
    agent.save()
    page = text_of(login(client, agent).get(reverse("case_detail", args=[case.reference])).content)
    assert staff in page
    client.logout()
    status = text_of(Client().get(status_path(raw, language)).content)
    assert customer in status
    assert "Tháng" not in status
    assert "Tháng" not in page


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "by 21:15 on 6 December"), ("vi", "trước 21:15, ngày 6 tháng 12"), ("th", "ภายใน 21:15 น. วันที่ 6 ธันวาคม"),
])
def test_acknowledgement_promises_in_the_languages_style(
    org: Organisation, complaint: tuple[Case, str], language: str, expected: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case, raw = complaint
    freeze_now(monkeypatch, datetime(2026, 11, 20, 3, 0, tzinfo=UTC))  # more than a week before the deadline
    Case.objects.filter(pk=case.pk).update(first_response_due_at=MOMENT)
    page = text_of(Client().get(reverse("public_ack", args=[raw, language])).content)
    assert expected in page


def test_the_buddhist_year_is_each_organisations_own_choice(
    client: Client, org: Organisation, other_org: Organisation, outsider: User, other_case: Case,
) -> None:
    """Lotus shows 2569; the rival organisation's Thai supervisor, on their own case, still reads 2026."""
    Organisation.objects.filter(pk=org.pk).update(thai_buddhist_year=True)
    Case.objects.filter(pk=other_case.pk).update(created_at=MOMENT)
    outsider.language = "th"
    outsider.save()
    page = text_of(login(client, outsider).get(reverse("case_detail", args=[other_case.reference])).content)
    assert "06/12/2026 21:10 +07" in page  # Phuket is UTC+7 too
    assert "2569" not in page
    Organisation.objects.filter(pk=other_org.pk).update(thai_buddhist_year=True)
    page = text_of(client.get(reverse("case_detail", args=[other_case.reference])).content)
    assert "06/12/2569 21:10 +07" in page
