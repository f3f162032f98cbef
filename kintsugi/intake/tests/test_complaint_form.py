"""The public complaint form on its own: a description of a few words at least (Thai counted in letters), and
when it happened read in the location's time zone, neither ahead nor more than a year back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from kintsugi.intake.channels.webform.forms import ComplaintForm, is_too_short
from kintsugi.intake.tests.pages import freeze_now, tr

MONDAY_1630 = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)  # 16:30 in Hà Nội and Bangkok
SHORT = "Could you tell us a little more? A few words help us put it right."


def form(tz: str = "Asia/Ho_Chi_Minh", **data: str) -> ComplaintForm:
    return ComplaintForm({"description": "The shower has no hot water.", **data}, tz=tz)


@pytest.mark.parametrize(
    ("text", "too_short"),
    [
        ("Bad", True),
        ("Room dirty", True),
        ("Room was dirty", False),
        ("  Room   dirty \n ", True),
        ("Phòng bẩn", True),
        ("Phòng rất bẩn", False),
        ("แอร์เสีย", True),  # 8 letters: "the air conditioning is broken", too short to act on
        ("แอร์ไม่เย็น", False),  # 11 letters: "the air conditioning is not cold"
        ("แอร์ เสีย", True),  # spaces do not count
        ("ห้อง 512 แอร์เสีย", False),
        ("😡😡😡", True),
    ],
)
def test_a_description_needs_a_few_words_or_in_thai_ten_letters(text: str, too_short: bool) -> None:
    assert is_too_short(text) is too_short


@pytest.mark.parametrize("language", ["en", "vi", "th"])
def test_a_too_short_description_gets_a_friendly_message_in_the_customers_language(language: str) -> None:
    with translation.override(language):
        complaint = form(description="Room dirty")

        assert not complaint.is_valid()

        assert complaint.errors["description"] == [tr(language, SHORT)]
    assert tr("en", SHORT) == SHORT
    if language != "en":
        assert tr(language, SHORT) != SHORT


def test_the_english_message_reads_as_written() -> None:
    complaint = form(description="Dirty")

    assert not complaint.is_valid()
    assert complaint.errors["description"] == [SHORT]


def test_when_it_happened_is_read_in_the_locations_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_now(monkeypatch, MONDAY_1630)
    hanoi = form(occurred_at="2026-11-16T14:05")
    london = form("Europe/London", occurred_at="2026-11-16T08:05")

    assert hanoi.is_valid(), hanoi.errors
    assert london.is_valid(), london.errors
    assert hanoi.cleaned_data["occurred_at"] == datetime(2026, 11, 16, 7, 5, tzinfo=UTC)
    assert london.cleaned_data["occurred_at"] == datetime(2026, 11, 16, 8, 5, tzinfo=UTC)


def test_when_it_happened_is_optional() -> None:
    complaint = form(occurred_at="")

    assert complaint.is_valid(), complaint.errors
    assert complaint.cleaned_data["occurred_at"] is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-11-16T17:00", "That time has not come yet. Please give when it happened."),  # 17:00 in Hà Nội: ahead
        ("2025-11-15T16:00", "That is more than a year ago. Please give a time within the last 12 months."),
        ("0001-01-01T00:00", "That is more than a year ago. Please give a time within the last 12 months."),
        ("9999-12-31T23:59", "That time has not come yet. Please give when it happened."),
        ("yesterday evening", "Please give a date and a time, or leave it empty."),
        ("2026-13-40T25:00", "Please give a date and a time, or leave it empty."),
    ],
    ids=["ahead", "over-a-year", "year-1", "year-9999", "words", "no-such-day"],
)
def test_a_time_ahead_too_old_or_unreadable_is_refused_at_its_field(
    monkeypatch: pytest.MonkeyPatch, typed: str, message: str
) -> None:
    freeze_now(monkeypatch, MONDAY_1630)
    complaint = form(occurred_at=typed)

    assert not complaint.is_valid()

    assert complaint.errors == {"occurred_at": [message]}


def test_the_time_errors_are_in_the_customers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_now(monkeypatch, MONDAY_1630)
    with translation.override("th"):
        complaint = form(occurred_at="2026-11-17T09:00")
        assert not complaint.is_valid()

    message = tr("th", "That time has not come yet. Please give when it happened.")
    assert message != "That time has not come yet. Please give when it happened."
    assert complaint.errors["occurred_at"] == [message]


def test_a_long_booking_number_is_refused_at_its_field() -> None:
    complaint = form(booking_reference="B" * 51)

    assert not complaint.is_valid()
    assert complaint.errors == {"booking_reference": ["Ensure this value has at most 50 characters (it has 51)."]}


def test_a_time_the_clocks_skipped_is_still_taken_not_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # 01:30 on 29 March 2026 never happened in London (the clocks went from 01:00 to 02:00); a customer who types
    # it still means about then. (Django's own date-time field refuses such a time.)
    freeze_now(monkeypatch, datetime(2026, 3, 30, 12, 0, tzinfo=UTC))
    complaint = form("Europe/London", occurred_at="2026-03-29T01:30")

    assert complaint.is_valid(), complaint.errors
    assert complaint.cleaned_data["occurred_at"] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_time_sent_with_its_offset_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_now(monkeypatch, MONDAY_1630)
    complaint = form("Europe/London", occurred_at="2026-11-16T14:05+07:00")

    assert complaint.is_valid(), complaint.errors
    assert complaint.cleaned_data["occurred_at"] == datetime(2026, 11, 16, 7, 5, tzinfo=UTC)
