"""What customers read: deadlines as phrases (lib/timeutil.py) and the timeline as sentences (intake/wording.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind, Status
from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS
from kintsugi.intake.wording import (
    CUSTOMER_EVENT_KINDS,
    customer_entry,
    customer_status,
    first_name,
    handler_name,
)
from kintsugi.lib.timeutil import due_phrase, round_up

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 16 November 2026, 10:00 in Hà Nội.
NOW = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)


def local(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=HANOI)


@pytest.mark.parametrize(
    ("due", "absolute", "phrase"),
    [
        (local(16, 11, 0), False, "by 11:00 today"),
        (local(16, 10, 31), False, "by 10:45 today"),  # rounded up to the quarter, never earlier
        (local(16, 23, 50), False, "by 00:00 tomorrow"),
        (local(17, 8, 30), False, "by 08:30 tomorrow"),
        (local(17, 13, 29, 12), False, "by 13:30 tomorrow"),
        (local(18, 9, 0), False, "by 09:00 on Wednesday"),
        (local(22, 17, 0), False, "by 17:00 on Sunday"),
        (local(23, 9, 0), False, "by 09:00 on 23 November"),
        (local(16, 11, 0), True, "by 11:00 on 16 November"),
        (local(17, 8, 30), True, "by 08:30 on 17 November"),
    ],
)
def test_a_deadline_reads_as_a_phrase_in_the_places_time_zone(due: datetime, absolute: bool, phrase: str) -> None:
    assert due_phrase(due.astimezone(UTC), tz=HANOI, now=NOW, absolute=absolute) == phrase


def test_the_same_deadline_reads_in_the_time_zone_given() -> None:
    assert due_phrase(local(16, 11, 0), tz=ZoneInfo("Asia/Tokyo"), now=NOW) == "by 13:00 today"
    assert due_phrase(local(16, 23, 0), tz=ZoneInfo("Asia/Tokyo"), now=NOW) == "by 01:00 tomorrow"


def test_the_phrase_is_in_the_active_language() -> None:
    with translation.override("vi"):
        vietnamese = due_phrase(local(17, 8, 30), tz=HANOI, now=NOW)
        expected = translation.gettext("by %(time)s tomorrow") % {"time": "08:30"}

    assert vietnamese == expected
    assert vietnamese != "by 08:30 tomorrow"


def test_the_date_of_an_absolute_phrase_is_in_the_active_language_every_time() -> None:
    seen: dict[str, str] = {}
    for language in ("th", "en", "vi", "th", "en"):  # the same date again and again, as a day's emails ask for it
        with translation.override(language):
            phrase = due_phrase(local(17, 8, 30), tz=HANOI, now=NOW, absolute=True)
        assert seen.setdefault(language, phrase) == phrase
    assert seen["en"] == "by 08:30 on 17 November"
    assert seen["vi"] == "trước 08:30, ngày 17 tháng 11"  # “tháng” in lowercase inside the sentence
    assert seen["th"] == "ภายใน 08:30 น. วันที่ 17 พฤศจิกายน"
    assert len(set(seen.values())) == 3


@pytest.mark.parametrize(
    ("moment", "rounded"),
    [(local(16, 10, 0), local(16, 10, 0)), (local(16, 10, 0, 1), local(16, 10, 15)),
     (local(16, 10, 14), local(16, 10, 15)), (local(16, 10, 46), local(16, 11, 0))],
)
def test_round_up_to_the_quarter(moment: datetime, rounded: datetime) -> None:
    assert round_up(moment, timedelta(minutes=15)) == rounded


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.NEW, "We have received your complaint"),
        (Status.ACKNOWLEDGED, "We are looking into it"),
        (Status.IN_PROGRESS, "We are working on it"),
        (Status.AWAITING_CUSTOMER, "We are waiting for your answer"),
        (Status.RESOLVED, "Resolved"),
        (Status.CLOSED, "Closed"),
        (Status.REOPENED, "We are working on it again"),
    ],
)
def test_every_status_has_words_for_customers(status: str, words: str) -> None:
    assert customer_status(Case(status=status)) == words


def test_staff_are_known_by_first_name_only_or_as_our_team() -> None:
    linh = User(first_name="Linh", last_name="Trần")

    assert first_name(linh) == "Linh"
    assert first_name(User(first_name="", last_name="Trần", username="ltran")) == ""
    assert handler_name(Case(assignee=linh)) == "Linh"
    assert handler_name(Case(assignee=None)) == "our team"
    assert handler_name(Case(assignee=User(first_name=" ", username="ltran"))) == "our team"


def event(kind: str, *, visible: bool = True, body: str = "BODY", data: dict[str, str] | None = None,
          actor: User | None = None) -> CaseEvent:
    return CaseEvent(kind=kind, is_customer_visible=visible, body=body, data=data or {}, actor=actor)


@pytest.mark.parametrize(
    ("kind", "data", "side", "sentence", "text"),
    [
        (EventKind.CREATED, {}, "you", "You told us what happened.", "BODY"),
        (EventKind.MESSAGE_IN, {}, "you", "You wrote to us.", "BODY"),
        (EventKind.MESSAGE_OUT, {}, "us", "Linh replied.", "BODY"),
        (EventKind.ACKNOWLEDGED, {}, "us", "We have started looking into it.", ""),
        (EventKind.STATUS_CHANGED, {"to": "awaiting_customer"}, "us", "We need an answer from you to go on.", ""),
        (EventKind.STATUS_CHANGED, {"to": "in_progress"}, "us", "We are working on it.", ""),
        (EventKind.STATUS_CHANGED, {"to": "in_progress", "reason": "customer_replied"}, "us",
         "Thank you for your answer. We are working on it again.", ""),
        (EventKind.RESOLVED, {}, "us", "We believe the problem is now put right.", ""),
        (EventKind.REOPENED, {}, "us", "We opened your case again.", ""),
        (EventKind.CLOSED, {}, "us", "We closed your case.", ""),
    ],
)
def test_customer_visible_events_read_as_sentences_with_only_the_words_said(
    kind: str, data: dict[str, str], side: str, sentence: str, text: str
) -> None:
    entry = customer_entry(event(kind, data=data, actor=User(first_name="Linh", last_name="Trần")))

    assert entry is not None
    assert (entry.side, entry.sentence, entry.text) == (side, sentence, text)


def test_a_reply_without_a_first_name_is_from_us() -> None:
    entry = customer_entry(event(EventKind.MESSAGE_OUT, actor=User(username="ltran")))

    assert entry is not None
    assert entry.sentence == "We replied."


@pytest.mark.parametrize("kind", list(EventKind))
def test_no_staff_only_event_of_any_kind_is_shown(kind: str) -> None:
    assert customer_entry(event(kind, visible=False)) is None


# Kinds an app words for the customer itself (CUSTOMER_DESCRIBERS, e.g. a remedy given) are tested by that app.
@pytest.mark.parametrize("kind", sorted(set(EventKind) - CUSTOMER_EVENT_KINDS - set(CUSTOMER_DESCRIBERS)))
def test_kinds_customers_never_see_stay_hidden_even_if_marked_visible(kind: str) -> None:
    assert customer_entry(event(kind, visible=True)) is None
