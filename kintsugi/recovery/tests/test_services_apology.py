"""send_apology: every required part or nothing is sent; the message goes out in the case's language through the
outbox, and the timeline records the parts and the seconds since the complaint."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.cases.services import InvalidInput, NotAllowed
from kintsugi.comms.models import Direction, Message
from kintsugi.recovery.models import ApologyPhrase
from kintsugi.recovery.services import messages
from kintsugi.remedies.models import AuthorityLimit, RemedyStatus
from kintsugi.remedies.services import approve_remedy, propose_remedy


def _counts(case: Case) -> tuple[int, int]:
    return CaseEvent.objects.filter(case=case).count(), Message.objects.filter(case=case).count()


def test_apology_is_sent_in_the_case_language_with_seconds_since_complaint(
    case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    at = case.created_at + timedelta(hours=2, seconds=5)
    message = messages.send_apology(case, vi_parts, by=agent, at=at)
    event = CaseEvent.objects.get(case=case, kind=EventKind.APOLOGY_SENT)
    expected = "\n\n".join(vi_parts[k] for k in ("restore", "responsibility", "explanation", "prevention", "regret"))
    assert (message.body, message.language, message.direction) == (expected, "vi", Direction.OUTBOUND)
    assert event.body == expected
    assert event.is_customer_visible is True
    assert event.actor == agent
    assert event.data["parts"] == ["restore", "responsibility", "explanation", "prevention", "regret"]
    assert event.data["seconds_since_complaint"] == 7205
    assert event.data["warnings"] == 0
    assert event.data["message_id"] == message.pk


@pytest.mark.parametrize("missing", ["restore", "responsibility", "explanation", "prevention", "regret"])
def test_a_missing_required_part_is_refused_and_nothing_is_sent(
    case: Case, agent: User, vi_parts: dict[str, str], missing: str
) -> None:
    before = _counts(case)
    vi_parts[missing] = "   "
    with pytest.raises(InvalidInput):
        messages.send_apology(case, vi_parts, by=agent)
    assert _counts(case) == before


def test_forgiveness_is_left_out_unless_asked_for(case: Case, agent: User, vi_parts: dict[str, str]) -> None:
    vi_parts["forgiveness"] = "Mong quý khách thông cảm."
    first = messages.send_apology(case, vi_parts, by=agent)
    assert "thông cảm" not in first.body
    second = messages.send_apology(case, vi_parts, by=agent, include_forgiveness=True)
    assert second.body.endswith("\n\nMong quý khách thông cảm.")
    assert CaseEvent.objects.filter(kind=EventKind.APOLOGY_SENT).latest("id").data["parts"][-1] == "forgiveness"


def test_lint_warnings_do_not_block_sending_and_are_counted_with_the_organisation_phrases(
    case: Case, agent: User, manager: User, vi_parts: dict[str, str]
) -> None:
    messages.add_apology_phrase(by=manager, language="vi", phrase="đêm đó đông", kind="excuse")
    vi_parts["explanation"] = "Do hệ thống nên phòng bị đánh dấu nhầm, đêm đó đông khách."
    messages.send_apology(case, vi_parts, by=agent)
    assert CaseEvent.objects.get(kind=EventKind.APOLOGY_SENT).data["warnings"] == 2


def test_a_staff_member_who_cannot_see_the_case_cannot_apologise(
    case: Case, bangkok_agent: User, outsider: User, vi_parts: dict[str, str]
) -> None:
    before = _counts(case)
    for user in (bangkok_agent, outsider):
        with pytest.raises(NotAllowed):
            messages.send_apology(case, vi_parts, by=user)
    assert _counts(case) == before


def test_the_offer_part_comes_from_the_remedy_being_given(case: Case, agent: User, supervisor: User) -> None:
    AuthorityLimit.objects.create(organisation=case.organisation, role="frontline", currency="VND",
                                  per_remedy_minor=100_000, per_case_minor=1_000_000, per_day_minor=2_000_000)
    assert messages.remedy_offer_text(case, "vi") == ""  # nothing given yet
    remedy = propose_remedy(case, kind="refund", amount_minor=500_000, currency="VND", by=agent)
    assert remedy.status == RemedyStatus.PENDING_APPROVAL
    assert messages.remedy_offer_text(case, "vi") == ""  # not promised before it is approved

    approve_remedy(remedy, by=supervisor, reason="Guest stayed three nights")
    assert messages.remedy_offer_text(case, "vi") == "Chúng tôi sẽ hoàn lại 500.000 ₫ cho Quý khách."
    assert messages.remedy_offer_text(case, "en") == "We will refund 500,000 ₫ to you."


def test_only_managers_and_admins_change_the_phrase_list(
    agent: User, supervisor: User, manager: User, admin_user: User
) -> None:
    for user in (agent, supervisor):
        with pytest.raises(NotAllowed):
            messages.add_apology_phrase(by=user, language="en", phrase="busy night", kind="excuse")
    assert ApologyPhrase.objects.count() == 0
    phrase = messages.add_apology_phrase(by=manager, language="en", phrase="  Busy   night ", kind="excuse")
    assert (phrase.phrase, phrase.organisation_id, phrase.created_by) == ("Busy night", manager.organisation_id,
                                                                          manager)
    with pytest.raises(NotAllowed):
        messages.remove_apology_phrase(phrase, by=supervisor)
    assert ApologyPhrase.objects.count() == 1
    messages.remove_apology_phrase(phrase, by=admin_user)
    assert ApologyPhrase.objects.count() == 0


@pytest.mark.parametrize(("language", "phrase", "kind"), [
    ("en", "", "excuse"), ("en", "x" * 101, "excuse"), ("fr", "parce que", "excuse"), ("en", "odd", "rude"),
    ("en", "the system", "excuse"), ("en", "THE  System", "blame"),
])
def test_bad_or_duplicate_phrases_are_refused(manager: User, language: str, phrase: str, kind: str) -> None:
    with pytest.raises(InvalidInput):
        messages.add_apology_phrase(by=manager, language=language, phrase=phrase, kind=kind)
    assert ApologyPhrase.objects.count() == 0


def test_an_outsider_cannot_remove_our_phrase(manager: User, outsider: User) -> None:
    phrase = messages.add_apology_phrase(by=manager, language="en", phrase="busy night", kind="excuse")
    outsider.role = "cx_manager"
    with pytest.raises(NotAllowed):
        messages.remove_apology_phrase(phrase, by=outsider)
    assert ApologyPhrase.objects.filter(pk=phrase.pk).exists()
