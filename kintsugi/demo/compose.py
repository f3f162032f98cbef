"""One demo case's words, built from the corpus fragments with a `random.Random`: pure, no Django.

`compose` fixes a case's facts (room, dish, amount, time...) and writes its subject and description; then
`customer_text` and `staff_text` write every later message of that case from the same facts, in any of the
three languages, so the guest's complaint, the staff's replies, their internal notes and the resolution
summary all agree on the room number, the dish, the amount, the action taken and its root cause.
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kintsugi.demo import corpus_en, corpus_th, corpus_vi


@dataclass(frozen=True)
class Corpus:
    categories: Mapping[str, Mapping[str, tuple[str, ...]]]
    texts: Mapping[str, tuple[str, ...]]
    remedies: Mapping[str, str]
    logged: Mapping[str, tuple[str, ...]]


CORPORA: dict[str, Corpus] = {
    "vi": Corpus(corpus_vi.CATEGORIES, corpus_vi.TEXTS, corpus_vi.REMEDIES, corpus_vi.LOGGED),
    "th": Corpus(corpus_th.CATEGORIES, corpus_th.TEXTS, corpus_th.REMEDIES, corpus_th.LOGGED),
    "en": Corpus(corpus_en.CATEGORIES, corpus_en.TEXTS, corpus_en.REMEDIES, corpus_en.LOGGED),
}
CATEGORY_CODES: tuple[str, ...] = tuple(corpus_vi.CATEGORIES)
# Lists whose entries mean the same thing in every language: one index is picked per case.
ALIGNED = ("subject", "action", "cause", "prevent")
CHAT_CHANNELS = frozenset({"zalo", "messenger", "line"})
SPOKEN_CHANNELS = frozenset({"phone", "in_person"})

# Names of what guests ate, booked or were served by, per country and language (lists aligned per country).
DISHES = {
    ("VN", "vi"): corpus_vi.DISHES, ("VN", "en"): corpus_en.DISHES_VN,
    ("TH", "th"): corpus_th.DISHES, ("TH", "en"): corpus_en.DISHES_TH,
}
TREATMENTS = {
    ("VN", "vi"): corpus_vi.TREATMENTS, ("VN", "en"): corpus_en.TREATMENTS_VN,
    ("TH", "th"): corpus_th.TREATMENTS, ("TH", "en"): corpus_en.TREATMENTS_TH,
}
STAFF = {
    ("VN", "vi"): corpus_vi.STAFF, ("VN", "en"): corpus_en.STAFF_VN,
    ("TH", "th"): corpus_th.STAFF, ("TH", "en"): corpus_en.STAFF_TH,
}

# The money at stake per category, in each currency: (lowest, highest, step). Missing: no money involved.
AMOUNTS: dict[str, dict[str, tuple[int, int, int]]] = {
    "VND": {
        "billing": (250_000, 3_500_000, 50_000), "food-quality": (120_000, 900_000, 10_000),
        "slow-service": (300_000, 2_500_000, 10_000), "room-service": (150_000, 800_000, 10_000),
        "spa": (450_000, 1_800_000, 50_000), "transfer": (250_000, 600_000, 10_000),
        "booking": (500_000, 3_000_000, 100_000),
    },
    "THB": {
        "billing": (300, 6_000, 50), "food-quality": (180, 1_500, 10), "slow-service": (400, 3_500, 10),
        "room-service": (250, 1_200, 10), "spa": (800, 3_500, 100), "transfer": (400, 1_500, 50),
        "booking": (1_000, 5_000, 500),
    },
}
MONEY_REMEDIES = ("refund", "waive")
# Hours that appear in the guests' stories ({time}): a restaurant only at lunch and dinner.
HOTEL_HOURS = (7, 8, 9, 11, 12, 13, 14, 16, 18, 19, 19, 20, 20, 21, 22)
RESTAURANT_HOURS = (11, 12, 12, 13, 18, 19, 19, 20, 20, 21)
# What goes with each problem, per category and in the order the problems are listed (the same in every
# language): the subjects, actions and root causes (a cause and its prevention share an index) that fit it.
Fit = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]
STORIES: dict[str, tuple[Fit, ...]] = {
    "housekeeping": (((0,), (0, 2), (0,)), ((1,), (0, 1), (1,)), ((0,), (0, 2), (0,)), ((1,), (0, 1, 2), (0,))),
    "air-conditioning": (((0,), (0, 1), (0,)), ((1,), (1, 2), (1,)), ((1,), (1, 2), (0,)), ((0,), (2,), (0,))),
    "wifi": (((0,), (0,), (0,)), ((0, 1), (0, 1), (0,)), ((1,), (1,), (1,)), ((1,), (1,), (1,))),
    "noise": (((0, 1), (0,), (0,)), ((1,), (0, 1), (1,)), ((0, 1), (0,), (0,)), ((0,), (0,), (1,))),
    "front-desk": (((0,), (0,), (0,)), ((1,), (1,), (1,)), ((2,), (2,), (2,)), ((3,), (3,), (3,))),
    "booking": (((0, 2), (0, 2), (0,)), ((0, 2), (0,), (0,)), ((1, 2), (1,), (0, 1)), ((1, 2), (1, 2), (1,))),
    "transfer": (((0,), (0, 1), (1,)), ((1,), (0,), (0,)), ((2,), (1,), (2,))),
    "staff-attitude": (((0, 1), (0,), (0,)), ((1,), (0, 1), (0, 1)), ((0,), (1,), (1,)), ((1,), (0, 1), (0,))),
    "food-quality": (((0, 1), (0,), (0,)), ((0, 1), (0,), (2,)), ((0, 1), (1,), (1,)), ((0, 1), (0,), (3,))),
    "slow-service": (((0, 1), (0, 1), (0, 1)), ((0,), (1,), (1,)), ((0, 1), (0,), (0,)), ((0, 1), (1,), (1,))),
    "room-service": (((0,), (0, 2), (0,)), ((0, 2), (0, 2), (1,)), ((1,), (1, 2), (0,)), ((1, 2), (1,), (1,))),
    "spa": (((0,), (0, 1), (0,)), ((1,), (0, 1), (1,)), ((1,), (1,), (2,))),
    "billing": (((0,), (0,), (1,)), ((1,), (1, 0), (0,)), ((0,), (0,), (1,)), ((0,), (0,), (2,))),
}
# Vietnamese as typed quickly on Zalo or Messenger.
_TEENCODE = (("không", "ko"), ("được", "dc"), ("mọi người", "mn"), ("nhân viên", "nv"), ("khách sạn", "ks"),
             ("bây giờ", "bh"), ("rồi", "r"))
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Person:
    """A guest or a staff member as the texts name them: `short` is how they are addressed or sign."""

    name: str
    short: str
    gender: str
    language: str
    latin: str = ""  # the short name in Latin letters, for English texts (Thai staff)


@dataclass(frozen=True)
class Place:
    names: Mapping[str, str]
    country: str
    has_rooms: bool
    currency: str


@dataclass(frozen=True)
class Story:
    category: str
    language: str
    channel: str
    place: Place
    customer: Person
    casual: bool
    facts: Mapping[str, int]
    picks: Mapping[str, int]
    remedy: str
    subject: str
    description: str
    available: frozenset[str] = field(default_factory=frozenset)


def make_customer(rng: random.Random, language: str) -> Person:
    """A guest with a plausible name for the language."""
    gender = rng.choice(("f", "m"))
    if language == "vi":
        given = rng.choice(corpus_vi.GIVEN[gender])
        name = f"{rng.choice(corpus_vi.FAMILY)} {rng.choice(corpus_vi.MIDDLE[gender])} {given}"
        return Person(name=name, short=given, gender=gender, language=language)
    module_given = corpus_th.GIVEN if language == "th" else corpus_en.GIVEN
    family = corpus_th.FAMILY if language == "th" else corpus_en.FAMILY
    given = rng.choice(module_given[gender])
    return Person(name=f"{given} {rng.choice(family)}", short=given, gender=gender, language=language)


def _fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in _FORMATTER.parse(template) if name}


def _fits(template: str, place: Place, available: frozenset[str]) -> bool:
    if template.startswith("^") and not place.has_rooms:
        return False
    if template.startswith("~") and place.has_rooms:
        return False
    return _fields(template) <= available


def _clean(template: str) -> str:
    return template[1:] if template[:1] in {"^", "~"} else template


def _pick(rng: random.Random, options: Sequence[str], place: Place, available: frozenset[str]) -> str:
    fitting = [t for t in options if _fits(t, place, available)]
    return _clean(rng.choice(fitting)) if fitting else ""


def _pick_index(rng: random.Random, options: Sequence[str], place: Place, available: frozenset[str],
                allowed: Sequence[int] | None = None) -> int:
    fitting = [i for i, t in enumerate(options) if _fits(t, place, available)]
    preferred = [i for i in fitting if allowed is None or i in allowed]
    return rng.choice(preferred or fitting)


def _fmt_time(hour: int, minute: int, language: str) -> str:
    if language == "vi":
        return f"{hour}h{minute:02d}" if minute else f"{hour}h"
    if language == "th":
        return f"{hour:02d}.{minute:02d} น."
    suffix = "am" if hour < 12 else "pm"
    h12 = hour % 12 or 12
    return f"{h12}:{minute:02d}{suffix}" if minute else f"{h12}{suffix}"


def _fmt_amount(amount: int, currency: str, language: str) -> str:
    grouped = f"{amount:,}"
    if currency == "VND":
        return grouped.replace(",", ".") + "đ" if language == "vi" else f"{grouped} VND"
    if language == "th":
        return f"{grouped} บาท"
    return f"THB {grouped}" if language == "en" else f"{grouped} baht"


def _localised(table: Mapping[tuple[str, str], tuple[str, ...]], place: Place, language: str, index: int) -> str:
    names = table.get((place.country, language)) or table[(place.country, "en")]
    return names[index % len(names)]


def _particles(person: Person | None) -> tuple[str, str, str]:
    if person is None or person.language != "th":
        return "", "", ""
    return corpus_th.PARTICLES[person.gender]


def _base_slots(story: Story, language: str, writer: Person | None, author: Person | None) -> dict[str, str]:
    facts, place, customer = story.facts, story.place, story.customer
    title = corpus_vi.TITLES[customer.gender] if language == "vi" else ""
    p, na, q = _particles(writer)
    agent = ""
    if author is not None:
        agent = author.latin if language == "en" and author.latin else author.short
    return {
        "room": str(facts["room"]), "table": str(facts["table"]), "minutes": str(facts["minutes"]),
        "time": _fmt_time(facts["hour"], facts["minute"], language),
        "amount": _fmt_amount(facts["amount"], place.currency, language),
        "dish": _localised(DISHES, place, language, facts["dish"]),
        "treatment": _localised(TREATMENTS, place, language, facts["treatment"]),
        "staff": _localised(STAFF, place, language, facts["staff"]),
        "hotel": place.names.get(language) or place.names["en"],
        "name": customer.name, "short": customer.short, "title": title, "Title": title.capitalize(),
        "agent": agent, "p": p, "na": na, "q": q,
    }


def _slots(story: Story, language: str, writer: Person | None, author: Person | None) -> dict[str, str]:
    """Every slot in `language`: the facts, the people, and the case's aligned picks rendered in it."""
    slots = _base_slots(story, language, writer, author)
    corpus = CORPORA[language].categories[story.category]
    for key in ALIGNED:
        slots[key] = _clean(corpus[key][story.picks[key]]).format_map(slots)
    slots["remedy"] = _clean(CORPORA[language].remedies[story.remedy]).format_map(slots)
    slots["Action"] = slots["action"][:1].upper() + slots["action"][1:]
    return slots


def casual_vietnamese(text: str, *, strip_marks: bool) -> str:
    """Vietnamese as typed in a hurry: teencode abbreviations, and often no diacritics at all."""
    for word, short in _TEENCODE:
        text = text.replace(word, short).replace(word.capitalize(), short.capitalize())
    if strip_marks:
        text = text.replace("đ", "d").replace("Đ", "D")
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
        text = unicodedata.normalize("NFC", text)
    return text


def _facts(rng: random.Random, category: str, place: Place) -> dict[str, int]:
    low, high, step = AMOUNTS[place.currency].get(category, (0, 0, 1))
    return {
        "room": rng.randint(2, 12) * 100 + rng.randint(1, 24),
        "table": rng.randint(1, 30),
        "hour": rng.choice(HOTEL_HOURS if place.has_rooms else RESTAURANT_HOURS),
        "minute": rng.choice((0, 0, 15, 30, 45)),
        "minutes": rng.randrange(25, 100, 5),
        "dish": rng.randrange(8),
        "treatment": rng.randrange(4),
        "staff": rng.randrange(6),
        "amount": rng.randrange(low, high + 1, step) if high else 0,
    }


def compose(
    rng: random.Random, *, language: str, category: str, channel: str, place: Place, customer: Person,
    casual: bool = False,
) -> Story:
    """Fix the case's facts and picks and write its subject and description in `language`."""
    facts = _facts(rng, category, place)
    slot_names = {"table"} if not place.has_rooms else {"room"}
    if facts["amount"]:
        slot_names.add("amount")
    available = frozenset(
        {"time", "minutes", "dish", "treatment", "staff", "hotel", "name", "short", "title", "Title", "agent",
         "p", "na", "q", "subject", "action", "Action", "cause", "prevent", "remedy"} | slot_names
    )
    corpus = CORPORA[language]
    fragments = corpus.categories[category]
    problem = _pick_index(rng, fragments["problem"], place, available)
    subjects, actions, roots = STORIES[category][problem]
    root = _pick_index(rng, fragments["cause"], place, available, roots)
    picks = {"subject": _pick_index(rng, fragments["subject"], place, available, subjects),
             "action": _pick_index(rng, fragments["action"], place, available, actions),
             "cause": root, "prevent": root, "problem": problem}
    remedies = [k for k, t in corpus.remedies.items() if _fits(t, place, available)]
    # A wrong bill is put right by the action itself; the remedy is then a gesture on top.
    money = [k for k in remedies if k in MONEY_REMEDIES] if category != "billing" else []
    remedies = [k for k in remedies if category != "billing" or k not in MONEY_REMEDIES]
    remedy = rng.choice(money) if money and rng.random() < 0.7 else rng.choice(remedies)
    story = Story(category=category, language=language, channel=channel, place=place, customer=customer,
                  casual=casual, facts=facts, picks=picks, remedy=remedy, subject="", description="",
                  available=available)
    slots = _slots(story, language, customer, None)
    body = [_clean(fragments["problem"][problem]).format_map(slots)]
    if rng.random() < 0.7:
        impacts = fragments["impact"] if rng.random() < 0.6 else corpus.texts["impact"]
        body.append(_pick(rng, impacts, place, available).format_map(slots))
    if rng.random() < 0.8:
        wants = corpus.texts["want_money"] if facts["amount"] and rng.random() < 0.5 else corpus.texts["want"]
        body.append(_pick(rng, wants, place, available).format_map(slots))
    body = [part for part in body if part]
    if channel in SPOKEN_CHANNELS:
        description = rng.choice(corpus.logged[channel]) + " ".join(body)
    else:
        formal = channel not in CHAT_CHANNELS
        lines = []
        if rng.random() < (0.7 if formal else 0.35):
            lines.append(_pick(rng, corpus.texts["opening"], place, available).format_map(slots))
        lines.append(" ".join(body))
        if rng.random() < (0.6 if formal else 0.2):
            lines.append(_pick(rng, corpus.texts["signoff"], place, available).format_map(slots))
        description = ("\n\n" if formal else " ").join(line for line in lines if line)
        if casual and language == "vi":
            description = casual_vietnamese(description, strip_marks=rng.random() < 0.6)
    subject = slots["subject"]
    return Story(category=category, language=language, channel=channel, place=place, customer=customer,
                 casual=casual, facts=facts, picks=picks, remedy=remedy, subject=subject,
                 description=description.strip(), available=available)


def customer_text(rng: random.Random, story: Story, kind: str, *, agent: Person | None = None) -> str:
    """A later message from the guest (answer, chaser, thanks or unhappy); `agent` is who they talk to."""
    slots = _slots(story, story.language, story.customer, agent)
    available = story.available if agent is not None else story.available - {"agent"}
    text = _pick(rng, CORPORA[story.language].texts[kind], story.place, available).format_map(slots)
    if story.casual and story.language == "vi":
        text = casual_vietnamese(text, strip_marks=rng.random() < 0.6)
    return text


def staff_text(rng: random.Random, story: Story, kind: str, *, language: str, author: Person) -> str:
    """Something staff write about the case in `language`: ack, ask, update, note, call_note, escalation,
    resolution or reopen. Replies (ack, ask, update) address the guest; the rest are internal."""
    slots = _slots(story, language, author, author)
    return _pick(rng, CORPORA[language].texts[kind], story.place, story.available).format_map(slots)
