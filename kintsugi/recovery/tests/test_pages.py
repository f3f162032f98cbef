"""The recovery pages: the playbooks (managers edit, others read, 403 on POST), the checklist on the case page and
its ticks, the resolve form's open steps and override, and the follow-ups page; each isolated per organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login
from kintsugi.accounts.models import Organisation, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, Category, EventKind, Status, Timer
from kintsugi.recovery import services
from kintsugi.recovery.models import CategoryRecovery, Playbook, PlaybookStep, RecoverySettings
from kintsugi.recovery.testing import complete_steps

EDITORS = ["manager", "admin"]
READERS = ["agent", "bangkok_agent", "supervisor"]


def choices(org: Organisation) -> tuple[Any, ...]:
    settings = RecoverySettings.objects.get(organisation=org)
    return (settings.default_playbook_id, settings.follow_up_days,
            sorted(CategoryRecovery.objects.values_list("category_id", "playbook_id", "follow_up_days")))


def steps(playbook: Playbook) -> list[tuple[str, str, int]]:
    return list(playbook.steps.values_list("code", "name", "target_minutes"))


# --------------------------------------------------------------------------------------------- playbooks


@pytest.mark.parametrize("who", EDITORS + READERS)
def test_all_staff_see_the_playbooks(client: Client, staff_cast: dict[str, User], playbooks: dict[str, Playbook],
                                     who: str) -> None:
    login(client, staff_cast[who])

    page = client.get("/playbooks/").content.decode()

    assert all(name in page for name in ("LATTE", "LEARN", "HEART"))
    assert ("Save choices" in page) is (who in EDITORS)


def test_the_outsider_sees_only_their_own_organisations_playbooks(client: Client, outsider: User,
                                                                  playbooks: dict[str, Playbook]) -> None:
    login(client, outsider)
    client.get("/playbooks/")

    assert Playbook.objects.filter(organisation=outsider.organisation).count() == 3
    assert client.get(f"/playbooks/{playbooks['latte'].pk}/").status_code == 404


def test_a_manager_chooses_the_default_and_a_category_playbook(
    client: Client, manager: User, org: Organisation, rooms: Category, playbooks: dict[str, Playbook],
) -> None:
    login(client, manager)

    response = client.post("/playbooks/", {
        "default": playbooks["learn"].pk, "follow_up_days": "5",
        f"playbook_{rooms.pk}": playbooks["heart"].pk, f"days_{rooms.pk}": "2",
    })

    assert response.status_code == 302
    assert choices(org) == (playbooks["learn"].pk, 5, [(rooms.pk, playbooks["heart"].pk, 2)])


def test_a_bad_choice_is_shown_again_and_changes_nothing(
    client: Client, manager: User, org: Organisation, playbooks: dict[str, Playbook],
) -> None:
    login(client, manager)
    before = choices(org)

    response = client.post("/playbooks/", {"default": playbooks["learn"].pk, "follow_up_days": "0"})

    assert response.status_code == 400
    assert choices(org) == before


@pytest.mark.parametrize("who", READERS)
def test_readers_cannot_change_anything(client: Client, staff_cast: dict[str, User], org: Organisation,
                                        playbooks: dict[str, Playbook], who: str) -> None:
    login(client, staff_cast[who])
    before = (choices(org), steps(playbooks["latte"]), Playbook.objects.count())

    assert client.post("/playbooks/", {"default": playbooks["heart"].pk, "follow_up_days": "9"}).status_code == 403
    assert client.post("/playbooks/new/", {"name": "Mine"}).status_code == 403
    assert client.post(f"/playbooks/{playbooks['latte'].pk}/", {"form-TOTAL_FORMS": "0"}).status_code == 403
    page = client.get(f"/playbooks/{playbooks['latte'].pk}/").content.decode()
    assert "Quý khách vui lòng kể cho tôi nghe" in page  # read-only: the phrases are shown
    assert 'name="form-0-name"' not in page
    assert (choices(org), steps(playbooks["latte"]), Playbook.objects.count()) == before


def test_a_manager_creates_a_playbook_and_edits_its_steps(client: Client, manager: User,
                                                         playbooks: dict[str, Playbook]) -> None:
    login(client, manager)
    response = client.post("/playbooks/new/", {"name": "Spa recovery", "copy_of": playbooks["latte"].pk})
    made = Playbook.objects.get(name="Spa recovery")
    assert response["Location"] == f"/playbooks/{made.pk}/"
    page = client.get(f"/playbooks/{made.pk}/").content.decode()
    assert 'name="form-0-name"' in page

    forms = list(made.steps.all())
    data: dict[str, Any] = {"form-TOTAL_FORMS": str(len(forms) + 1), "form-INITIAL_FORMS": str(len(forms)),
                            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, step in enumerate(forms):
        data.update({f"form-{i}-id": step.pk, f"form-{i}-position": step.position, f"form-{i}-code": step.code,
                     f"form-{i}-name": step.name, f"form-{i}-target_minutes": step.target_minutes,
                     f"form-{i}-completes_on": step.completes_on, f"form-{i}-is_required": "on"})
    data["form-0-target_minutes"] = "15"
    data["form-4-DELETE"] = "on"
    n = len(forms)
    data.update({f"form-{n}-position": "6", f"form-{n}-code": "offer-tea", f"form-{n}-name": "Offer tea",
                 f"form-{n}-name_vi": "Mời trà", f"form-{n}-target_minutes": "20", f"form-{n}-completes_on": "manual"})

    response = client.post(f"/playbooks/{made.pk}/", data)

    assert response.status_code == 302
    assert steps(made) == [("listen", "Listen", 15), ("acknowledge", "Acknowledge", 60),
                           ("take_action", "Take action", 240), ("thank", "Thank", 480), ("offer-tea", "Offer tea", 20)]
    assert steps(playbooks["latte"])[0] == ("listen", "Listen", 30)  # the original is untouched


def test_two_steps_with_one_code_are_refused(client: Client, manager: User, playbooks: dict[str, Playbook]) -> None:
    login(client, manager)
    playbook = playbooks["latte"]
    first, second = list(playbook.steps.all())[:2]
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "9"}
    for i, step in enumerate((first, second)):
        data.update({f"form-{i}-id": str(step.pk), f"form-{i}-position": str(i), f"form-{i}-code": "listen",
                     f"form-{i}-name": step.name, f"form-{i}-target_minutes": "30", f"form-{i}-completes_on": "manual"})
    before = steps(playbook)

    response = client.post(f"/playbooks/{playbook.pk}/", data)

    assert response.status_code == 400
    assert steps(playbook) == before


# --------------------------------------------------------------------------------------------- the case page


def test_the_case_page_shows_the_checklist_with_what_to_say_in_the_cases_language(
    client: Client, agent: User, case: Case,
) -> None:
    cases.reply(case, "Chúng tôi xin lỗi.", by=agent)
    login(client, agent)

    page = client.get(f"/cases/{case.reference}/").content.decode()
    card = page[page.index('id="playbook"'):page.index("</section>", page.index('id="playbook"'))]

    assert "Playbook: LATTE" in card
    assert "1 of 5 done" in card
    assert 'class="step step-open step-current"' in card  # Listen, the first open step
    assert 'lang="vi"' in card
    assert "Quý khách vui lòng kể cho tôi nghe" in card
    assert "Linh · Reply to customer" in card


def test_an_overdue_step_is_highlighted(client: Client, agent: User, case: Case) -> None:
    case.created_at = timezone.now() - timedelta(hours=2)
    case.save(update_fields=["created_at"])
    login(client, agent)

    page = client.get(f"/cases/{case.reference}/").content.decode()

    assert page.count("step-overdue") == 2  # Listen (30 min) and Acknowledge (60 min)


@pytest.mark.parametrize("htmx", [False, True])
def test_ticking_a_step_from_the_case_page(client: Client, agent: User, case: Case, htmx: bool) -> None:
    login(client, agent)
    headers = {"HX-Request": "true", "HX-Target": "case-body"} if htmx else {}

    response = client.post(f"/cases/{case.reference}/steps/listen/done/", {"note": "Nghe tại quầy."}, headers=headers)

    assert response.status_code == (200 if htmx else 302)
    event = case.events.get(kind=EventKind.STEP_DONE)
    assert (event.actor, event.body, event.data["step"]) == (agent, "Nghe tại quầy.", "listen")


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_staff_who_cannot_see_the_case_cannot_tick_it(client: Client, staff_cast: dict[str, User], case: Case,
                                                      who: str) -> None:
    login(client, staff_cast[who])

    assert client.post(f"/cases/{case.reference}/steps/listen/done/").status_code == 404
    assert list(case.events.values_list("kind", flat=True)) == ["created"]


def test_the_resolve_form_lists_open_steps_and_offers_supervisors_the_override(
    client: Client, agent: User, supervisor: User, case: Case,
) -> None:
    login(client, agent)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "These required playbook steps are still open:" in page
    assert 'name="override_reason"' not in page

    login(client, supervisor)
    response = client.post(f"/cases/{case.reference}/resolve/",
                           {"summary": "Đã đổi phòng.", "override_reason": "Khách đã trả phòng."})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert case.events.get(kind=EventKind.STEP_OVERRIDE).body == "Khách đã trả phòng."


def test_a_refused_resolve_keeps_what_was_typed(client: Client, agent: User, case: Case) -> None:
    login(client, agent)

    response = client.post(f"/cases/{case.reference}/resolve/", {"summary": "Đã dọn."},
                           headers={"HX-Request": "true", "HX-Target": "case-body"})

    page = response.content.decode()
    assert "These playbook steps are still open: Listen, Acknowledge, Take action, Thank, Explain." in page
    assert ">Đã dọn.</textarea>" in page
    case.refresh_from_db()
    assert case.status == Status.NEW


# --------------------------------------------------------------------------------------------- follow-ups


def test_the_follow_ups_page_lists_those_due_in_the_users_scope(
    client: Client, staff_cast: dict[str, User], case: Case, agent: User,
) -> None:
    complete_steps(case, by=agent)
    cases.resolve(case, by=agent, at=timezone.now() - timedelta(days=4))
    assert Timer.objects.filter(case=case, kind="follow_up").count() == 1

    for who, shown in [("agent", True), ("supervisor", True), ("bangkok_agent", False), ("outsider", False)]:
        login(client, staff_cast[who])
        page = client.get("/follow-ups/").content.decode()
        assert (case.reference in page) is shown, who
    assert 'href="/follow-ups/"' in page  # in the main navigation


def test_sent_and_unanswered_follow_ups_are_listed_until_answered(client: Client, agent: User, case: Case) -> None:
    complete_steps(case, by=agent)
    cases.resolve(case, by=agent, at=timezone.now() - timedelta(days=4))
    cases.run_due_timers()
    login(client, agent)
    page = client.get("/follow-ups/").content.decode()
    assert page.count(f'<span class="case-ref">{case.reference}</span>') == 1
    assert "No follow-up is due today." in page

    services.answer_follow_up(case, happy=True)

    assert case.reference not in client.get("/follow-ups/").content.decode()


def test_playbook_step_edits_move_due_times_of_new_cases_at_once(
    org: Organisation, manager: User, playbooks: dict[str, Playbook], case: Case,
) -> None:
    services.choose_playbooks(org, by=manager, default=playbooks["latte"], follow_up_days=3)
    step = PlaybookStep.objects.get(playbook=playbooks["latte"], code="listen")
    step.target_minutes = 5
    services.save_steps(playbooks["latte"], by=manager, save=step.save)

    fresh = cases.open_case(by=None, organisation=org, touchpoint=case.touchpoint, channel="web",
                            description="Ồn quá.")

    assert fresh.playbook_due_at == fresh.created_at + timedelta(minutes=5)


def test_the_outsider_cannot_edit_our_playbooks(client: Client, outsider: User, playbooks: dict[str, Playbook]) -> None:
    login(client, outsider)
    before = steps(playbooks["latte"])

    response = client.post(f"/playbooks/{playbooks['latte'].pk}/", {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})

    assert response.status_code == 404
    assert steps(playbooks["latte"]) == before


def test_the_follow_ups_page_costs_the_same_whatever_its_length(
    client: Client, agent: User, case: Case, django_assert_max_num_queries: Any,
) -> None:
    def resolved_case() -> Case:
        fresh = cases.open_case(by=None, organisation=case.organisation, touchpoint=case.touchpoint, channel="web",
                                customer=case.customer, description="Ồn quá.", at=timezone.now() - timedelta(days=5))
        complete_steps(fresh, by=agent)
        cases.resolve(fresh, by=agent, at=timezone.now() - timedelta(days=4))
        return fresh

    resolved_case()
    login(client, agent)
    client.get("/follow-ups/")
    # session, user, scope, the due timers, the unanswered follow-ups, the bell's unread count
    with django_assert_max_num_queries(8) as first:
        assert client.get("/follow-ups/").status_code == 200
    for _i in range(3):
        resolved_case()
    cases.run_due_timers()
    resolved_case()
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get("/follow-ups/").content.decode()
    assert page.count('<span class="case-ref">') == 5
