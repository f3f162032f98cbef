"""What the inbox keeps between page views: its rendered rows (keyed on everything they show, so never stale) and
the filter bar's choices (per organisation, for a short time, each user still seeing only their locations)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import inbox_choices, selectors, services
from kintsugi.cases.models import Case, Category, Customer, SlaPolicy
from kintsugi.cases.tests.inbox_cases import listed, open_web
from kintsugi.cases.views.inbox_rows import rows_key


def _row(html: str, reference: str) -> str:
    row = html[html.rindex("<tr", 0, html.index(reference)):]
    return row[: row.index("</tr>")]


@pytest.fixture
def fresh_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer) -> Case:
    return open_web(org, front_desk, timezone.now(), customer=vi_customer, description="Điều hòa không mát.")


def test_a_change_to_a_case_shows_on_the_next_page_view(
    client: Client, supervisor: User, agent: User, fresh_case: Case
) -> None:
    login(client, supervisor)
    before = _row(client.get("/cases/").content.decode(), fresh_case.reference)
    assert '<span class="muted">Unassigned</span>' in before
    assert '<span class="badge status-new">New</span>' in before
    services.assign(fresh_case, agent, by=supervisor)
    after = _row(client.get("/cases/").content.decode(), fresh_case.reference)
    assert '<span class="assignee-name">Linh</span>' in after
    assert "Unassigned" not in after


def test_the_rows_follow_the_language_and_the_ticked_cases(
    client: Client, supervisor: User, fresh_case: Case
) -> None:
    login(client, supervisor)
    english = _row(client.get("/cases/").content.decode(), fresh_case.reference)
    vietnamese = _row(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="vi").content.decode(), fresh_case.reference)
    assert '<span class="muted">Unassigned</span>' in english
    assert "Unassigned" not in vietnamese
    assert f'value="{fresh_case.pk}" aria-labelledby="ref-{fresh_case.pk}" checked' not in english
    ticked = _row(client.get("/cases/", {"selected": str(fresh_case.pk)}).content.decode(), fresh_case.reference)
    assert f'value="{fresh_case.pk}" aria-labelledby="ref-{fresh_case.pk}" checked' in ticked


def test_the_rows_of_another_organisation_never_show(
    client: Client, supervisor: User, outsider: User, fresh_case: Case, other_case: Case
) -> None:
    login(client, supervisor)
    assert listed(client.get("/cases/")) == [fresh_case.reference]
    login(client, outsider)
    assert listed(client.get("/cases/")) == [other_case.reference]


def test_filter_choices_are_read_once_per_organisation_and_scoped_per_user(
    client: Client, supervisor: User, agent: User, outsider: User, hanoi: Location, bangkok: Location,
    other_location: Location, rooms: Category, django_assert_num_queries: Any
) -> None:
    assert inbox_choices.inbox_filter_choices(supervisor) == (
        [(bangkok.pk, "Lotus Bangkok"), (hanoi.pk, "Lotus Hà Nội")], [(rooms.pk, "Rooms")]
    )
    with django_assert_num_queries(1):  # the agent's location scope; the organisation's choices are kept
        assert inbox_choices.inbox_filter_choices(agent) == ([(hanoi.pk, "Lotus Hà Nội")], [(rooms.pk, "Rooms")])
    locations, categories = inbox_choices.inbox_filter_choices(outsider)
    assert locations == [(other_location.pk, other_location.name)]
    assert categories == []


def test_a_new_category_is_offered_once_the_kept_choices_expire(
    client: Client, supervisor: User, org: Organisation, rooms: Category, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert inbox_choices.inbox_filter_choices(supervisor)[1] == [(rooms.pk, "Rooms")]
    spa = Category.objects.create(organisation=org, code="spa", name="Spa", name_vi="Spa VI", position=9)
    assert inbox_choices.inbox_filter_choices(supervisor)[1] == [(rooms.pk, "Rooms")]  # kept for a while
    monkeypatch.setattr(inbox_choices, "CHOICES_CACHE_SECONDS", 0.0)
    assert inbox_choices.inbox_filter_choices(supervisor)[1] == [(rooms.pk, "Rooms"), (spa.pk, "Spa")]
    login(client, supervisor)
    html = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert f'<option value="{spa.pk}">Spa VI</option>' in html


def test_the_rows_key_changes_when_a_relative_time_turns_over(supervisor: User, fresh_case: Case) -> None:
    rows = selectors.inbox_page(supervisor, view="open", filters={}, cursor=None).cases
    now = timezone.now()
    key = rows_key(rows, now=now, selected=frozenset(), show_location=True)
    assert rows_key(rows, now=now + timedelta(seconds=1), selected=frozenset(), show_location=True) == key
    assert rows_key(rows, now=now + timedelta(hours=2), selected=frozenset(), show_location=True) != key
    assert rows_key(rows, now=now, selected=frozenset({fresh_case.pk}), show_location=True) != key
    assert rows_key(rows, now=now, selected=frozenset(), show_location=False) != key
