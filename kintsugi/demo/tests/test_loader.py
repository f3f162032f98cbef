"""The demo organisation: its logins, places, languages and case timelines, loaded idempotently and
deterministically. A small load (60 cases) keeps these fast; the full 2,000 is `manage.py load_demo`."""

from __future__ import annotations

import hashlib
import random
import re
import string
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db.models import Count, Q

from kintsugi.accounts.models import Holiday, Location, Organisation, Role, Touchpoint, User
from kintsugi.cases.models import Case, CaseEvent, Category, Customer, CustomerIdentity, SlaPolicy, Timer
from kintsugi.demo import compose
from kintsugi.demo.loader import load_demo
from kintsugi.demo.organisation import SLUG
from kintsugi.demo.plan import RESTAURANT_MIX, plan_demo

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
SEED = 20261123


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    return load_demo(cases=60, seed=SEED, now=NOW)


def _counts() -> dict[str, int]:
    models: list[Any] = [Organisation, Location, Holiday, Touchpoint, User, Category, SlaPolicy, Customer,
                         CustomerIdentity, Case, CaseEvent]
    return {model.__name__: model.objects.count() for model in models}


def test_the_four_demo_logins_have_their_roles_and_the_demo_password(demo: dict[str, Any]) -> None:
    roles = {"agent": Role.FRONTLINE, "supervisor": Role.SUPERVISOR, "manager": Role.CX_MANAGER, "admin": Role.ADMIN}
    for username, role in roles.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.organisation is not None
        assert user.organisation.slug == SLUG
        assert user.check_password("kintsugi")
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    agent = User.objects.get(username="agent")
    assert (agent.first_name, agent.last_name, agent.language) == ("Linh", "Nguyễn", "vi")
    assert [loc.code for loc in agent.locations.all()] == ["hanoi"]
    assert not User.objects.get(username="supervisor").locations.exists()
    others = User.objects.filter(organisation__slug=SLUG).exclude(username__in=roles)
    assert others.count() >= 12
    assert not any(user.has_usable_password() for user in others)
    assert demo["logins"] == ["agent", "supervisor", "manager", "admin"]


def test_the_demo_has_places_in_vietnam_and_thailand_in_their_time_zones(demo: dict[str, Any]) -> None:
    org = Organisation.objects.get(slug=SLUG)
    assert (org.name, org.currency, org.default_language) == ("Lotus Hospitality Group", "VND", "vi")
    zones = dict(Location.objects.filter(organisation=org).values_list("code", "timezone"))
    assert zones == {"hanoi": "Asia/Ho_Chi_Minh", "danang": "Asia/Ho_Chi_Minh", "saigon": "Asia/Ho_Chi_Minh",
                     "bangkok": "Asia/Bangkok", "phuket": "Asia/Bangkok"}
    saigon = Location.objects.get(organisation=org, code="saigon")
    assert saigon.working_hours["mon"] == [["10:30", "14:00"], ["17:00", "22:30"]]
    phuket = Location.objects.get(organisation=org, code="phuket")
    assert ["18:00", "02:00"] in phuket.working_hours["fri"]
    for location in Location.objects.filter(organisation=org):
        location.clean()  # the working hours make a valid calendar
    assert Holiday.objects.filter(location=phuket, date="2026-04-13").exists()
    assert Holiday.objects.filter(location__code="hanoi", date="2026-09-02").exists()
    assert Touchpoint.objects.filter(organisation=org, code="pkt-beachbar", location=phuket).exists()
    assert Category.objects.filter(organisation=org, parent__isnull=False).count() == 13


def test_demo_cases_are_written_in_vietnamese_thai_and_english(demo: dict[str, Any]) -> None:
    cases = Case.objects.filter(organisation__slug=SLUG)
    assert cases.count() == 60
    assert set(cases.values_list("language", flat=True)) == {"vi", "th", "en"}
    assert demo["cases"] == 60
    assert sum(demo["by_language"].values()) == 60
    for case in cases.filter(language="th"):
        assert re.search(r"[\u0e00-\u0e7f]", case.description), case.description
    assert set(cases.filter(location__country="TH").values_list("language", flat=True)) <= {"th", "en"}
    assert set(cases.filter(location__country="VN").values_list("language", flat=True)) <= {"vi", "en"}
    assert "lorem" not in " ".join(cases.values_list("description", flat=True)).lower()


def test_the_demo_history_has_sent_its_follow_ups_so_starting_it_sends_none(demo: dict[str, Any]) -> None:
    overdue = Timer.objects.filter(case__organisation__slug=SLUG, kind="follow_up", state="pending", due_at__lte=NOW)
    assert overdue.count() == 0
    sent = CaseEvent.objects.filter(case__organisation__slug=SLUG, kind="follow_up_sent")
    answered = CaseEvent.objects.filter(case__organisation__slug=SLUG, kind="follow_up_answered")
    assert sent.count() > 0
    assert 0 < answered.count() <= sent.count()
    assert all(moment <= NOW for moment in sent.values_list("created_at", flat=True))


def test_every_demo_case_has_a_reference_one_creation_and_a_timeline_in_order(demo: dict[str, Any]) -> None:
    cases = Case.objects.filter(organisation__slug=SLUG).annotate(
        created=Count("events", filter=Q(events__kind="created"))
    )
    for case in cases:
        assert re.fullmatch(r"K-\d{4}-\d{6}", case.reference)
        assert case.created == 1
        moments = list(case.events.order_by("id").values_list("created_at", flat=True))
        assert moments == sorted(moments)
        assert moments[0] == case.created_at
        assert moments[-1] <= NOW
    statuses = set(cases.values_list("status", flat=True))
    assert "closed" in statuses
    assert statuses & {"new", "acknowledged", "in_progress", "awaiting_customer"}


def test_loading_the_demo_twice_changes_nothing(demo: dict[str, Any]) -> None:
    before = _counts()
    again = load_demo(cases=60, seed=SEED, now=NOW)
    assert again["already_loaded"] is True
    assert again["cases"] == 60
    assert _counts() == before


def test_the_loaded_descriptions_are_the_planned_ones(demo: dict[str, Any]) -> None:
    plan = plan_demo(cases=60, seed=SEED, now=NOW)
    loaded = Case.objects.filter(organisation__slug=SLUG).order_by("id").values_list("description", flat=True)
    digest = hashlib.sha256("\n".join(loaded).encode()).hexdigest()
    assert digest == hashlib.sha256("\n".join(c.description for c in plan.cases).encode()).hexdigest()


def test_the_same_seed_gives_the_same_demo() -> None:
    first, second = plan_demo(cases=80, seed=7, now=NOW), plan_demo(cases=80, seed=7, now=NOW)
    assert first == second
    other = plan_demo(cases=80, seed=8, now=NOW)
    assert [c.description for c in other.cases] != [c.description for c in first.cases]
    for case in first.cases:
        moments = [case.created_at, *(step.at for step in case.steps)]
        assert moments == sorted(moments)
        assert moments[-1] <= NOW


def _markers(template: str) -> tuple[str, set[str]]:
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    return template[:1] if template[:1] in {"^", "~"} else "", fields


def test_aligned_fragments_say_the_same_thing_in_every_language() -> None:
    corpora = compose.CORPORA
    for category in compose.CATEGORY_CODES:
        for key in compose.ALIGNED:
            lists = {language: corpora[language].categories[category][key] for language in corpora}
            shapes = {language: [_markers(t) for t in items] for language, items in lists.items()}
            assert shapes["vi"] == shapes["th"] == shapes["en"], (category, key)
    remedies = {language: {k: _markers(v) for k, v in corpora[language].remedies.items()} for language in corpora}
    assert remedies["vi"] == remedies["th"] == remedies["en"]
    assert set(corpora["vi"].texts) == set(corpora["th"].texts) == set(corpora["en"].texts)


@pytest.mark.parametrize("language", ["vi", "th", "en"])
def test_every_fragment_fills_in(language: str) -> None:
    rng = random.Random(language)
    country = "TH" if language == "th" else "VN"
    staff = compose.Person("Test Staff", "Staff", "f", "th" if country == "TH" else "vi", latin="Staff")
    for has_rooms in (True, False):
        place = compose.Place({language: "Lotus", "en": "Lotus"}, country, has_rooms, "THB" if country == "TH"
                              else "VND")
        for category in compose.CATEGORY_CODES if has_rooms else RESTAURANT_MIX:
            for _ in range(12):
                guest = compose.make_customer(rng, language)
                story = compose.compose(rng, language=language, category=category, channel="email", place=place,
                                        customer=guest, casual=True)
                texts = [story.subject, story.description]
                texts += [compose.customer_text(rng, story, kind, agent=staff)
                          for kind in ("thanks", "unhappy", "chaser", "answer_when")]
                texts += [compose.staff_text(rng, story, kind, language=language, author=staff)
                          for kind in ("ack", "ask_phone", "update", "note", "escalation", "resolution")]
                assert all(texts), (category, texts)
                assert not any("{" in text or "}" in text for text in texts), texts


def _only(template: str) -> str:
    """Where a fragment can be used: "hotel", "restaurant" or "" for both."""
    if template.startswith("^") or "{room}" in template:
        return "hotel"
    if template.startswith("~") or "{table}" in template:
        return "restaurant"
    return ""


def test_every_problem_has_a_subject_an_action_and_a_root_cause_that_fit_it() -> None:
    for category, stories in compose.STORIES.items():
        for language, corpus in compose.CORPORA.items():
            fragments = corpus.categories[category]
            assert len(stories) == len(fragments["problem"]), (category, language)
            places = ["hotel", "restaurant"] if category in RESTAURANT_MIX else ["hotel"]
            for problem, fits in zip(fragments["problem"], stories, strict=True):
                for place in places:
                    if _only(problem) not in {"", place}:
                        continue
                    for key, allowed in zip(("subject", "action", "cause"), fits, strict=True):
                        usable = [i for i in allowed if _only(fragments[key][i]) in {"", place}]
                        assert usable, (category, language, place, key, problem)
            assert len(fragments["cause"]) == len(fragments["prevent"]), (category, language)
