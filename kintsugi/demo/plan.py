"""The demo's plan: `plan_demo` decides everything (who complains where, on which channel, in which words, and
how each case lives: acknowledged, answered, escalated, resolved, reopened, closed, and when) from one
`random.Random(seed)`, with no database."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.utils import timezone

from kintsugi.demo import compose
from kintsugi.demo.compose import Person, Place, Story
from kintsugi.demo.organisation import (
    COUNTRY_LANGUAGE,
    CURRENCY,
    LOCATIONS,
    STAFF,
    STAFF_BY_NAME,
    LocationSpec,
    StaffSpec,
)

HOTEL_MIX = {"housekeeping": 14, "air-conditioning": 9, "wifi": 7, "noise": 7, "front-desk": 10, "booking": 7,
             "transfer": 5, "staff-attitude": 7, "food-quality": 9, "slow-service": 7, "room-service": 6, "spa": 5,
             "billing": 8}
RESTAURANT_MIX = {"food-quality": 30, "slow-service": 25, "staff-attitude": 12, "billing": 12, "room-service": 10,
                  "booking": 11}
# Where each kind of failure happens (touchpoint kinds, in order of preference).
CATEGORY_TOUCHPOINTS = {
    "housekeeping": ("room",), "air-conditioning": ("room",), "wifi": ("room",), "noise": ("room",),
    "front-desk": ("front_desk",), "booking": ("website", "front_desk"), "transfer": ("other",),
    "staff-attitude": ("front_desk", "restaurant"), "food-quality": ("restaurant",),
    "slow-service": ("restaurant",), "room-service": ("room_service", "delivery"), "spa": ("spa",),
    "billing": ("front_desk",),
}

# SLA policies: name, severity, channel, first response minutes, resolution minutes.
CHANNEL_MIX = {
    ("VN", "vi"): {"zalo": 26, "messenger": 16, "phone": 16, "in_person": 14, "email": 10, "web": 14, "api": 4},
    ("VN", "en"): {"email": 26, "web": 22, "in_person": 20, "messenger": 14, "phone": 10, "api": 8},
    ("TH", "th"): {"line": 36, "phone": 15, "in_person": 14, "email": 10, "web": 15, "messenger": 6, "api": 4},
    ("TH", "en"): {"email": 26, "web": 22, "in_person": 20, "line": 8, "messenger": 10, "phone": 6, "api": 8},
}
SEVERITY_MIX = {1: 8, 2: 35, 3: 40, 4: 13, 5: 4}
# Guests complain when they are awake: weights per local hour 0..23.
HOTEL_HOURS = (1, 1, 0, 0, 0, 0, 2, 4, 6, 6, 5, 5, 5, 4, 4, 4, 5, 6, 7, 8, 8, 7, 5, 3)
RESTAURANT_HOURS = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 6, 5, 2, 1, 1, 3, 6, 8, 8, 6, 3, 1)
FAST_CHANNELS = frozenset({"zalo", "messenger", "line", "web"})  # an hour to first response (SLA_POLICIES)
OPEN_STATES = {"new": 25, "acknowledged": 20, "in_progress": 35, "awaiting_customer": 20}
# How old the still-open cases are, per state: nobody has looked at the new ones for long.
OPEN_AGE_MINUTES = {"new": (15, 600), "acknowledged": (30, 1200), "in_progress": (60, 4320),
                    "awaiting_customer": (120, 4320)}
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved: demo mail never reaches anyone
THAI_NICKNAMES = ("ploy", "nok", "bank", "mint", "beam", "fah", "golf", "palm", "earth", "noon", "pim", "tong")
ABROAD_PHONES = (("+614", 8), ("+8210", 8), ("+49151", 8), ("+3361", 8), ("+8190", 8))  # prefix, digits after


@dataclass(frozen=True)
class Step:
    """One thing that happens to a case: `actor` is a username, or empty for the guest."""

    kind: str  # ack, assign, reply, await, note, customer, escalate, resolve, reopen, close
    at: datetime
    actor: str = ""
    text: str = ""
    target: str = ""


@dataclass
class CustomerPlan:
    key: int
    person: Person
    country: str
    channel: str
    casual: bool
    phone: str = ""
    email: str = ""
    zalo_id: str = ""
    messenger_id: str = ""
    line_id: str = ""


@dataclass
class CasePlan:
    location: str
    touchpoint: str
    category: str
    channel: str
    severity: int
    language: str
    customer: int
    identities: dict[str, str]
    opened_by: str
    created_at: datetime
    subject: str
    description: str
    steps: list[Step] = field(default_factory=list)


@dataclass
class DemoPlan:
    now: datetime
    customers: list[CustomerPlan]
    cases: list[CasePlan]


def _weighted(rng: random.Random, mix: dict[Any, int]) -> Any:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if ch.isascii() and ch.isalnum()).lower()


def _unique(used: set[str], make: Callable[[], str]) -> str:
    while True:
        value = make()
        if value not in used:
            used.add(value)
            return value


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _phone(rng: random.Random, country: str, language: str, used: set[str]) -> str:
    while True:
        if language == "en":
            prefix, n = rng.choice(ABROAD_PHONES)
            value = prefix + _digits(rng, n)
        elif country == "VN":
            value = "+849" + rng.choice("0134678") + _digits(rng, 7)
        else:
            value = "+66" + rng.choice("689") + rng.choice("123456789") + _digits(rng, 7)
        if value not in used and phonenumbers.is_valid_number(phonenumbers.parse(value)):
            used.add(value)
            return value


def _new_customer(rng: random.Random, key: int, country: str, language: str, used: set[str]) -> CustomerPlan:
    person = compose.make_customer(rng, language)
    channel = _weighted(rng, CHANNEL_MIX[(country, language)])
    plan = CustomerPlan(key=key, person=person, country=country, channel=channel,
                        casual=language == "vi" and rng.random() < 0.35)
    if language != "en" or rng.random() < 0.6:
        plan.phone = _phone(rng, country, language, used)
    if language == "en" or rng.random() < 0.55:
        if language == "th":
            local = f"{rng.choice(THAI_NICKNAMES)}.{_digits(rng, 4)}"
        else:
            parts = person.name.split()  # Vietnamese: family name first; English: given name first
            given, family = (parts[-1], parts[0]) if language == "vi" else (parts[0], parts[-1])
            local = f"{_ascii(given)}.{_ascii(family)}{_digits(rng, 2)}"
        plan.email = _unique(used, lambda: f"{local}{_digits(rng, 1)}@{rng.choice(EMAIL_DOMAINS)}")
    plan.messenger_id = _unique(used, lambda: str(rng.randrange(10**15, 10**16)))
    if language == "vi":
        plan.zalo_id = _unique(used, lambda: str(rng.randrange(10**17, 10**18)))
    if country == "TH":
        plan.line_id = _unique(used, lambda: f"U{rng.getrandbits(128):032x}")
    return plan


def _identities(rng: random.Random, customer: CustomerPlan, channel: str) -> dict[str, str]:
    """What the guest tells us on this channel: the channel's own address, often a phone number too."""
    ids: dict[str, str] = {}
    own = {"zalo": ("zalo_id", customer.zalo_id), "messenger": ("messenger_id", customer.messenger_id),
           "line": ("line_id", customer.line_id), "email": ("email", customer.email),
           "web": ("email", customer.email), "api": ("email", customer.email), "phone": ("phone", customer.phone)}
    if channel in own and own[channel][1]:
        ids[own[channel][0]] = own[channel][1]
    extra_phone = {"zalo": 1.0, "messenger": 0.3, "line": 0.3, "email": 0.2, "web": 0.6, "api": 0.2,
                   "in_person": 0.6}.get(channel, 0.0)
    if customer.phone and rng.random() < extra_phone:
        ids["phone"] = customer.phone
    if not ids and customer.email and (channel != "in_person" or rng.random() < 0.5):
        ids["email"] = customer.email
    return ids


def _created_times(rng: random.Random, spec: LocationSpec, count: int, now: datetime) -> list[datetime]:
    """Moments guests complained over the last year: more lately, at weekends and in high season."""
    tz = ZoneInfo(spec.timezone)
    today = now.astimezone(tz).date()
    days = list(range(5, 366))
    weights = []
    for offset in days:
        day = today - timedelta(days=offset)
        weight = 1.0 + 0.6 * (365 - offset) / 365
        weight *= 1.25 if day.weekday() >= 5 else 1.0
        weight *= 1.2 if day.month in {12, 1, 2, 6, 7, 8} else 1.0
        weights.append(weight)
    hours = RESTAURANT_HOURS if spec.kind == "restaurant" else HOTEL_HOURS
    moments = []
    for offset in rng.choices(days, weights=weights, k=count):
        hour = rng.choices(range(24), weights=hours)[0]
        local = datetime.combine(today - timedelta(days=offset), time(hour, rng.randrange(60)), tzinfo=tz)
        moments.append(local.astimezone(UTC))
    return moments


def _place(spec: LocationSpec) -> Place:
    return Place(names=spec.names, country=spec.country, has_rooms=spec.kind == "hotel",
                 currency=CURRENCY[spec.country])


def _person(spec: StaffSpec) -> Person:
    return Person(name=f"{spec.first_name} {spec.last_name}", short=spec.first_name, gender=spec.gender,
                  language=spec.language, latin=spec.latin)


def _note_language(username: str, country: str) -> str:
    """Staff write internal notes in their own language, or in English about the other country's cases."""
    language = STAFF_BY_NAME[username].language
    return language if language == COUNTRY_LANGUAGE[country] else "en"


def _frontline(location: str) -> list[str]:
    return [s.username for s in STAFF if s.role == "frontline" and location in s.locations]


def _supervisors(country: str) -> list[str]:
    """Who supervises a country's cases: its own supervisor most often, the group's supervisor and manager too."""
    local = [s.username for s in STAFF
             if s.role == "supervisor" and s.locations and s.language == COUNTRY_LANGUAGE[country]]
    return [*local, *local, "supervisor", "manager"]


class _Life:
    """Writes one case's steps in time order; staff texts come in the writer's language."""

    def __init__(self, rng: random.Random, story: Story, country: str, start: datetime) -> None:
        self.rng, self.story, self.country, self.t = rng, story, country, start
        self.steps: list[Step] = []
        self.answer_topic = "when"

    def wait(self, low_minutes: float, high_minutes: float) -> None:
        self.t += timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))

    def add(self, kind: str, actor: str = "", text: str = "", target: str = "") -> None:
        self.steps.append(Step(kind, self.t, actor, text, target))

    def reply(self, actor: str, kind: str) -> None:
        person = _person(STAFF_BY_NAME[actor])
        self.add("reply", actor, compose.staff_text(self.rng, self.story, kind, language=self.story.language,
                                                     author=person))

    def internal(self, step: str, actor: str, kind: str) -> None:
        person = _person(STAFF_BY_NAME[actor])
        language = _note_language(actor, self.country)
        self.add(step, actor, compose.staff_text(self.rng, self.story, kind, language=language, author=person))

    def guest(self, kind: str, agent: str) -> None:
        text = compose.customer_text(self.rng, self.story, kind, agent=_person(STAFF_BY_NAME[agent]))
        self.add("customer", text=text)

    def ask(self, handler: str) -> None:
        topics = ["when", "phone", *(["photo"] if self.story.facts["amount"] else [])]
        topic = self.rng.choice(topics)
        self.reply(handler, f"ask_{topic}")
        self.wait(1, 3)
        self.add("await", handler)
        self.answer_topic = topic


def _first_wait(rng: random.Random, severity: int, channel: str) -> tuple[float, float]:
    """Minutes until staff first react: mostly within the SLA (an hour on chat and the web form, half an hour
    or less for severe cases, a working day otherwise), sometimes not."""
    if severity >= 4:
        return rng.choices([(1, 10), (10, 25), (25, 120)], weights=[80, 15, 5])[0]
    if channel in FAST_CHANNELS:
        return rng.choices([(1, 15), (15, 40), (40, 180), (180, 600)], weights=[72, 20, 6, 2])[0]
    return rng.choices([(2, 20), (20, 50), (50, 240), (240, 900)], weights=[62, 26, 9, 3])[0]


def _history(life: _Life, handler: str, location: str, channel: str, severity: int) -> None:
    """A case from the past: answered, worked on, resolved and usually closed; now and then reopened. About a
    third are put right at first contact: the first answer already says what was done."""
    rng = life.rng
    sup = rng.choice(_supervisors(life.country))
    quick = rng.random() < 0.3
    spoken, chat = channel in compose.SPOKEN_CHANNELS, channel in compose.CHAT_CHANNELS
    if spoken:
        life.wait(1, 5)
        if rng.random() < 0.3:
            life.add("ack", handler)
    elif rng.random() < 0.4:
        life.wait(*_first_wait(rng, severity, channel))
        life.add("ack", handler)
    others = [u for u in _frontline(location) if u != handler]
    if others and rng.random() < 0.05:
        life.wait(5, 60)
        handler = rng.choice(others)
        life.add("assign", sup, target=handler)
    if not spoken or rng.random() < 0.5:
        life.wait(*((2, 25) if life.steps else _first_wait(rng, severity, channel)))
        life.reply(handler, "update" if quick else "ack")
    if rng.random() < 0.35:
        life.wait(10, 120)
        life.internal("note", handler, "call_note" if quick and spoken else "note")
    if not quick:
        if rng.random() < 0.15:
            life.wait(5, 60)
            life.ask(handler)
            if rng.random() < 0.9:
                life.wait(20, 1200)
                life.guest(f"answer_{life.answer_topic}", handler)
        elif rng.random() < 0.06:
            life.wait(60, 480)
            life.guest("chaser", handler)
        if rng.random() < 0.05 or (severity == 5 and rng.random() < 0.5):
            life.wait(10, 90)
            life.internal("escalate", handler, "escalation")
            life.wait(10, 60)
            life.internal("note", sup, "note")
        life.wait(*((20, 240) if severity >= 4 else (60, 1800)))
        if chat and rng.random() < 0.5:
            life.internal("note", handler, "call_note")  # called the guest back instead of writing
        else:
            life.reply(handler, "update")
    if rng.random() < 0.4:
        life.wait(5, 360)
        life.guest("thanks", handler)
    life.wait(5, 120)
    resolver = handler if rng.random() < 0.8 else sup
    life.internal("resolve", resolver, "resolution")
    if rng.random() < 0.04:
        life.wait(120, 2880)
        life.guest("unhappy", handler)
        life.wait(10, 90)
        life.internal("reopen", handler, "reopen")
        life.wait(5, 30)
        life.add("ack", handler)
        life.wait(60, 1440)
        life.reply(handler, "update")
        life.wait(10, 120)
        life.internal("resolve", handler, "resolution")
    if rng.random() < 0.85:
        life.wait(1440, 8640)
        life.add("close", handler if rng.random() < 0.7 else sup)


def _recent(life: _Life, handler: str, state: str, now: datetime) -> None:
    """A case from the last days, left in `state`; its steps are spread over the time it has had."""
    rng = life.rng
    start = life.t
    sup = rng.choice(_supervisors(life.country))
    if state == "new":
        if rng.random() < 0.3:
            life.add("assign", sup, target=handler)
        if rng.random() < 0.25:
            life.guest("chaser", handler)
    else:
        life.add("ack", handler)
        if state in {"in_progress", "awaiting_customer"}:
            life.reply(handler, "ack")
        if rng.random() < 0.5:
            life.internal("note", handler, "note")
        if state == "in_progress" and rng.random() < 0.15:
            life.internal("escalate", handler, "escalation")
        if state == "awaiting_customer":
            life.ask(handler)
    span = (now - timedelta(minutes=5) - start).total_seconds()
    offsets = sorted(rng.uniform(0.05, 0.95) * span for _ in life.steps)
    life.steps = [Step(s.kind, start + timedelta(seconds=o), s.actor, s.text, s.target)
                  for s, o in zip(life.steps, offsets, strict=True)]


def truncate_to_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def plan_demo(*, cases: int = 2000, seed: int = 20261123, now: datetime | None = None) -> DemoPlan:
    """Everything the demo will contain, decided by `seed` alone (times relative to `now`, to the hour)."""
    rng = random.Random(seed)
    now = truncate_to_hour(now or timezone.now())
    specs = {spec.code: spec for spec in LOCATIONS}
    open_count = min(cases, max(3, round(cases * 0.03)))
    where = rng.choices(list(specs), weights=[spec.weight for spec in LOCATIONS], k=cases)
    starts: list[tuple[datetime, str, str]] = []
    for code in specs:
        history = where[: cases - open_count].count(code)
        starts += [(moment, code, "") for moment in _created_times(rng, specs[code], history, now)]
    for code in where[cases - open_count:]:
        state = _weighted(rng, OPEN_STATES)
        low, high = OPEN_AGE_MINUTES[state]
        minutes = low + (high - low) * rng.random() ** 1.5
        starts.append((now - timedelta(minutes=minutes), code, state))
    starts.sort(key=lambda item: (item[0], item[1]))

    used: set[str] = set()
    customers: list[CustomerPlan] = []
    returning: dict[tuple[str, str], list[CustomerPlan]] = {}
    plans: list[CasePlan] = []
    for created_at, code, state in starts:
        spec = specs[code]
        language = "en" if rng.random() < spec.english else COUNTRY_LANGUAGE[spec.country]
        pool = returning.setdefault((spec.country, language), [])
        if pool and rng.random() < 0.12:
            customer = rng.choice(pool)
            channel = customer.channel if rng.random() < 0.75 else _weighted(rng, CHANNEL_MIX[(spec.country,
                                                                                                language)])
        else:
            customer = _new_customer(rng, len(customers), spec.country, language, used)
            customers.append(customer)
            pool.append(customer)
            channel = customer.channel
        mix = RESTAURANT_MIX if spec.kind == "restaurant" else dict(HOTEL_MIX)
        kinds = {kind for _code, _name, kind in spec.touchpoints}
        if "spa" not in kinds:
            mix.pop("spa", None)
        category = _weighted(rng, mix)
        touchpoints = [c for c, _name, kind in spec.touchpoints if kind in CATEGORY_TOUCHPOINTS[category]]
        hotline = [c for c, _name, kind in spec.touchpoints if kind == "hotline"]
        if channel == "phone" and hotline and rng.random() < 0.5:
            touchpoints = hotline
        touchpoint = rng.choice(touchpoints) if touchpoints and rng.random() < 0.9 else ""
        severity = _weighted(rng, SEVERITY_MIX)
        story = compose.compose(rng, language=language, category=category, channel=channel, place=_place(spec),
                                customer=customer.person, casual=customer.casual and channel in compose.CHAT_CHANNELS)
        frontline = _frontline(code)
        if code == "hanoi" and ((state and rng.random() < 0.7) or rng.random() < 0.4):
            handler = "agent"
        else:
            handler = rng.choice(frontline)
        spoken = channel in compose.SPOKEN_CHANNELS
        life = _Life(rng, story, spec.country, created_at)
        if state:
            _recent(life, handler, state, now)
        else:
            _history(life, handler, code, channel, severity)
        steps = []
        for step in life.steps:
            if step.at > now:
                break
            steps.append(step)
        plans.append(CasePlan(
            location=code, touchpoint=touchpoint, category=category, channel=channel, severity=severity,
            language=language, customer=customer.key, identities=_identities(rng, customer, channel),
            opened_by=handler if spoken else "", created_at=created_at, subject=story.subject,
            description=story.description, steps=steps,
        ))
    return DemoPlan(now=now, customers=customers, cases=plans)

