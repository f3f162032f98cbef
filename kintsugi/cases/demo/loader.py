"""Load the demo organisation: Lotus Hospitality Group, three places in Vietnam and two in Thailand, its staff
and a year of cases in Vietnamese, Thai and English.

Two halves: `plan_demo` decides everything (who complains where, on which channel, in which words, and how
each case lives: acknowledged, answered, escalated, resolved, reopened, closed, and when) from one
`random.Random(seed)`, with no database; `load_demo` writes the organisation and plays every plan through the
case services, back-dated with `at=`, so the timelines, SLA clocks and notifications are the real ones.
Running it again for an organisation that exists changes nothing.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.db import transaction
from django.utils import timezone

from kintsugi.cases.demo import compose
from kintsugi.cases.demo.compose import Person, Place, Story
from kintsugi.recovery import demo as recovery_demo
from kintsugi.remedies import demo as remedies_demo

SLUG = "lotus-hospitality"
PASSWORD = "kintsugi"
LOGINS = ("agent", "supervisor", "manager", "admin")
BATCH = 200

# ------------------------------------------------------------------------------------------- the organisation


def _every_day(*spans: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {day: [list(span) for span in spans] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


_PHUKET_HOURS = _every_day(("07:00", "22:00"))
# The beach bar keeps the desk busy until 2am on Friday and Saturday nights.
_PHUKET_HOURS["fri"] = _PHUKET_HOURS["sat"] = [["07:00", "18:00"], ["18:00", "02:00"]]

VN_HOLIDAYS = (
    ("2026-01-01", "Tết Dương lịch"), *((f"2026-02-{d}", "Tết Nguyên Đán") for d in range(16, 21)),
    ("2026-04-27", "Giỗ Tổ Hùng Vương"), ("2026-04-30", "Ngày Giải phóng miền Nam"),
    ("2026-05-01", "Quốc tế Lao động"), ("2026-09-02", "Quốc khánh"),
)
TH_HOLIDAYS = (
    ("2025-12-05", "วันพ่อแห่งชาติ"), ("2025-12-10", "วันรัฐธรรมนูญ"), ("2025-12-31", "วันสิ้นปี"),
    ("2026-01-01", "วันขึ้นปีใหม่"), *((f"2026-04-{d}", "วันสงกรานต์") for d in (13, 14, 15)),
    ("2026-07-28", "วันเฉลิมพระชนมพรรษา ร.10"), ("2026-08-12", "วันแม่แห่งชาติ"),
    ("2026-10-13", "วันนวมินทรมหาราช"), ("2026-10-23", "วันปิยมหาราช"), ("2026-12-05", "วันพ่อแห่งชาติ"),
    ("2026-12-10", "วันรัฐธรรมนูญ"), ("2026-12-31", "วันสิ้นปี"),
)


@dataclass(frozen=True)
class LocationSpec:
    code: str
    name: str
    kind: str
    country: str
    timezone: str
    hours: dict[str, list[list[str]]]
    names: dict[str, str]  # how guests and staff write the place's name, per language
    weight: int  # share of the cases
    english: float  # share of the guests who write in English
    touchpoints: tuple[tuple[str, str, str], ...]  # code, name, kind


LOCATIONS = (
    LocationSpec(
        "hanoi", "Lotus Hà Nội Hotel", "hotel", "VN", "Asia/Ho_Chi_Minh", _every_day(("06:00", "23:00")),
        {"vi": "Lotus Hà Nội", "en": "Lotus Hanoi"}, 25, 0.24,
        (("hn-frontdesk", "Lễ tân", "front_desk"), ("hn-room", "Phòng nghỉ", "room"),
         ("hn-roomservice", "Phục vụ tại phòng", "room_service"), ("hn-restaurant", "Nhà hàng Sen", "restaurant"),
         ("hn-transfer", "Xe đưa đón Nội Bài", "other"), ("hotline", "Hotline 1900 6868", "hotline")),
    ),
    LocationSpec(
        "danang", "Lotus Đà Nẵng Beach Resort", "hotel", "VN", "Asia/Ho_Chi_Minh", _every_day(("06:30", "22:30")),
        {"vi": "Lotus Đà Nẵng", "en": "Lotus Da Nang"}, 22, 0.26,
        (("dn-frontdesk", "Lễ tân", "front_desk"), ("dn-room", "Phòng & villa", "room"),
         ("dn-roomservice", "Phục vụ tại phòng", "room_service"), ("dn-restaurant", "Nhà hàng Biển Xanh", "restaurant"),
         ("dn-spa", "Lotus Spa", "spa"), ("dn-transfer", "Xe đưa đón sân bay", "other"),
         ("dn-web", "Đặt phòng online", "website")),
    ),
    LocationSpec(
        "saigon", "Lotus Kitchen Sài Gòn", "restaurant", "VN", "Asia/Ho_Chi_Minh",
        _every_day(("10:30", "14:00"), ("17:00", "22:30")),
        {"vi": "Lotus Kitchen", "en": "Lotus Kitchen Saigon"}, 13, 0.15,
        (("sg-table", "Bàn ăn (mã QR)", "restaurant"), ("sg-cashier", "Quầy thu ngân", "front_desk"),
         ("sg-delivery", "Giao hàng", "delivery"), ("sg-booking", "Đặt bàn online", "website")),
    ),
    LocationSpec(
        "bangkok", "Lotus Bangkok Sukhumvit", "hotel", "TH", "Asia/Bangkok", _every_day(("07:00", "23:00")),
        {"th": "โลตัส สุขุมวิท", "en": "Lotus Sukhumvit"}, 22, 0.26,
        (("bkk-frontdesk", "แผนกต้อนรับ", "front_desk"), ("bkk-room", "ห้องพัก", "room"),
         ("bkk-roomservice", "รูมเซอร์วิส", "room_service"), ("bkk-restaurant", "Sky Lotus Rooftop", "restaurant"),
         ("bkk-spa", "Lotus Spa Sukhumvit", "spa"), ("bkk-transfer", "รถรับส่งสนามบิน", "other"),
         ("bkk-hotline", "Call centre", "hotline")),
    ),
    LocationSpec(
        "phuket", "Lotus Phuket Beach Resort", "hotel", "TH", "Asia/Bangkok", _PHUKET_HOURS,
        {"th": "โลตัส ภูเก็ต", "en": "Lotus Phuket"}, 18, 0.4,
        (("pkt-frontdesk", "แผนกต้อนรับ", "front_desk"), ("pkt-room", "ห้องพักและวิลล่า", "room"),
         ("pkt-roomservice", "รูมเซอร์วิส", "room_service"), ("pkt-restaurant", "ห้องอาหาร Andaman", "restaurant"),
         ("pkt-beachbar", "Beach bar", "restaurant"), ("pkt-spa", "Lotus Spa Phuket", "spa"),
         ("pkt-transfer", "รถรับส่งสนามบิน", "other")),
    ),
)
COUNTRY_LANGUAGE = {"VN": "vi", "TH": "th"}
CURRENCY = {"VN": "VND", "TH": "THB"}

# code, parent, English, Vietnamese, Thai, default failure type
CATEGORIES = (
    ("rooms", "", "Rooms & facilities", "Phòng & tiện ích", "ห้องพักและสิ่งอำนวยความสะดวก", "product"),
    ("housekeeping", "rooms", "Housekeeping & cleanliness", "Dọn phòng & vệ sinh", "แม่บ้านและความสะอาด", "product"),
    ("air-conditioning", "rooms", "Air conditioning", "Điều hòa", "เครื่องปรับอากาศ", "product"),
    ("wifi", "rooms", "Wi-Fi & facilities", "Wifi & tiện ích", "Wi-Fi และสิ่งอำนวยความสะดวก", "product"),
    ("noise", "rooms", "Noise", "Tiếng ồn", "เสียงรบกวน", "service_process"),
    ("front-office", "", "Front office", "Lễ tân & đặt chỗ", "ส่วนหน้าและการจอง", "service_process"),
    ("front-desk", "front-office", "Check-in & front desk", "Check-in & lễ tân", "เช็กอินและแผนกต้อนรับ",
     "service_process"),
    ("booking", "front-office", "Bookings & reservations", "Đặt phòng & đặt bàn", "การจองห้องและโต๊ะ",
     "service_process"),
    ("transfer", "front-office", "Airport transfer", "Đưa đón sân bay", "รถรับส่งสนามบิน", "service_process"),
    ("food-beverage", "", "Food & beverage", "Ẩm thực", "อาหารและเครื่องดื่ม", "product"),
    ("food-quality", "food-beverage", "Food quality", "Chất lượng món ăn", "คุณภาพอาหาร", "product"),
    ("slow-service", "food-beverage", "Slow service", "Phục vụ chậm", "บริการล่าช้า", "service_process"),
    ("room-service", "food-beverage", "Room service & delivery", "Phục vụ tại phòng & giao hàng",
     "รูมเซอร์วิสและเดลิเวอรี่", "service_process"),
    ("people", "", "Staff", "Nhân viên", "พนักงาน", "lack_of_attention"),
    ("staff-attitude", "people", "Staff attitude", "Thái độ nhân viên", "ทัศนคติของพนักงาน", "lack_of_attention"),
    ("wellness", "", "Spa & wellness", "Spa & chăm sóc sức khỏe", "สปาและสุขภาพ", "service_process"),
    ("spa", "wellness", "Spa", "Spa", "สปา", "service_process"),
    ("money", "", "Billing & payments", "Thanh toán", "การชำระเงิน", "monetary"),
    ("billing", "money", "Billing & overcharge", "Tính tiền sai", "การคิดเงินผิด", "monetary"),
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
SLA_POLICIES = (
    ("Default", None, "", 1440, 4320),
    *((f"Chat: {channel}", None, channel, 60, 4320) for channel in ("line", "messenger", "zalo", "web")),
    ("Severity 4", 4, "", 30, 480),
    ("Severity 5", 5, "", 15, 240),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    locations: tuple[str, ...]
    language: str
    gender: str
    latin: str = ""


STAFF = (
    StaffSpec("agent", "Linh", "Nguyễn", "frontline", ("hanoi",), "vi", "f"),
    StaffSpec("supervisor", "Minh", "Trần", "supervisor", (), "en", "m"),
    StaffSpec("manager", "Anh", "Phạm", "cx_manager", (), "vi", "m"),
    StaffSpec("admin", "Admin", "Kintsugi", "admin", (), "en", "f"),
    StaffSpec("hung.le", "Hùng", "Lê", "frontline", ("hanoi",), "vi", "m"),
    StaffSpec("thao.do", "Thảo", "Đỗ", "frontline", ("hanoi",), "vi", "f"),
    StaffSpec("quang.vo", "Quang", "Võ", "frontline", ("danang",), "vi", "m"),
    StaffSpec("my.huynh", "Mỹ", "Huỳnh", "frontline", ("danang",), "vi", "f"),
    StaffSpec("duc.pham", "Đức", "Phạm", "frontline", ("danang",), "vi", "m"),
    StaffSpec("tuan.bui", "Tuấn", "Bùi", "frontline", ("saigon",), "vi", "m"),
    StaffSpec("ngoc.dang", "Ngọc", "Đặng", "frontline", ("saigon",), "vi", "f"),
    StaffSpec("hoa.le", "Hoa", "Lê", "supervisor", ("hanoi", "danang", "saigon"), "vi", "f"),
    StaffSpec("natcha.s", "ณัฐชา", "สุขใจ", "frontline", ("bangkok",), "th", "f", "Natcha"),
    StaffSpec("kittipong.w", "กิตติพงษ์", "วงศ์ใหญ่", "frontline", ("bangkok",), "th", "m", "Kittipong"),
    StaffSpec("sasithorn.k", "ศศิธร", "แก้วใส", "frontline", ("bangkok",), "th", "f", "Sasithorn"),
    StaffSpec("paweena.t", "ปวีณา", "ทองดี", "frontline", ("phuket",), "th", "f", "Paweena"),
    StaffSpec("anucha.s", "อนุชา", "ศรีสวัสดิ์", "frontline", ("phuket",), "th", "m", "Anucha"),
    StaffSpec("wanna.c", "วรรณา", "เจริญผล", "supervisor", ("bangkok", "phuket"), "th", "f", "Wanna"),
)
STAFF_BY_NAME = {spec.username: spec for spec in STAFF}

# ------------------------------------------------------------------------------------------- the plan

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


# ------------------------------------------------------------------------------------------- writing it


@dataclass
class _World:
    organisation: Any
    locations: dict[str, Any]
    touchpoints: dict[str, Any]
    categories: dict[str, Any]
    users: dict[str, Any]
    now: datetime


def _create_organisation(now: datetime) -> _World:
    from django.contrib.auth.hashers import make_password

    from kintsugi.accounts.models import Holiday, Location, Organisation, Touchpoint, User
    from kintsugi.cases.models import Category, SlaPolicy

    org = Organisation.objects.create(name="Lotus Hospitality Group", slug=SLUG, currency="VND",
                                      default_language="vi")
    locations: dict[str, Any] = {}
    touchpoints: dict[str, Any] = {}
    for spec in LOCATIONS:
        location = Location(organisation=org, name=spec.name, code=spec.code, kind=spec.kind, country=spec.country,
                            timezone=spec.timezone, always_open=False, working_hours=spec.hours,
                            languages=[COUNTRY_LANGUAGE[spec.country], "en"])
        location.clean()
        location.save()
        for day, name in VN_HOLIDAYS if spec.country == "VN" else TH_HOLIDAYS:
            Holiday.objects.create(location=location, date=date.fromisoformat(day), name=name)
        for code, name, kind in spec.touchpoints:
            touchpoints[code] = Touchpoint.objects.create(organisation=org, location=location, name=name, kind=kind,
                                                          code=code)
    # Holidays touched the locations: read them again so the working calendars see them.
    locations = {loc.code: loc for loc in Location.objects.filter(organisation=org)}
    for tp in touchpoints.values():
        tp.location = locations[tp.location.code]
    categories: dict[str, Any] = {}
    for position, (code, parent, name, name_vi, name_th, failure_type) in enumerate(CATEGORIES):
        categories[code] = Category.objects.create(
            organisation=org, parent=categories.get(parent), code=code, name=name, name_vi=name_vi,
            name_th=name_th, default_failure_type=failure_type, position=position,
        )
    SlaPolicy.objects.bulk_create(
        SlaPolicy(organisation=org, name=name, severity=severity, channel=channel, first_response_minutes=first,
                  resolution_minutes=resolution)
        for name, severity, channel, first, resolution in SLA_POLICIES
    )
    # One hash for the four demo logins (PBKDF2 is slow on purpose; they share the published password anyway).
    login_password = make_password(PASSWORD)
    users: dict[str, Any] = {}
    for staff in STAFF:
        if User.objects.filter(username=staff.username).exists():
            continue  # someone already uses this name: leave their account alone
        user = User(username=staff.username, first_name=staff.first_name, last_name=staff.last_name,
                    organisation=org, role=staff.role, language=staff.language,
                    is_staff=staff.role == "admin", is_superuser=staff.role == "admin")
        if staff.username in LOGINS:
            user.password = login_password
        else:
            user.set_unusable_password()
        user.save()
        if staff.locations:
            user.locations.set([locations[code] for code in staff.locations])
        users[staff.username] = user
    recovery_demo.load(org)
    remedies_demo.load(org)
    return _World(org, locations, touchpoints, categories, users, now)


class _Timers:
    """One case's pending SLA timers, fired at their own time as the timer loop would have fired them. The
    list is read again only after a step that may have rescheduled them."""

    RESCHEDULING = frozenset({"await", "resolve", "reopen", "close"})

    def __init__(self, case: Any) -> None:
        self.case = case
        self.pending: list[Any] | None = None
        self.last: datetime = case.created_at

    def before(self, step: Step) -> None:
        case = self.case
        if (step.kind in self.RESCHEDULING or (step.kind == "reply" and case.first_response_at is None)
                or (step.kind == "customer" and case.status == "awaiting_customer")):
            self.pending = None

    def fire(self, until: datetime) -> None:
        from kintsugi.cases import services
        from kintsugi.cases.models import Case, Timer, TimerState

        case = self.case
        if not case.is_open:
            return
        if self.pending is None:
            # The earliest pending timer is never before the earliest of these (warnings come first).
            clocks = [case.sla_warn_at, case.resolution_due_at if case.resolution_running_since else None,
                      case.first_response_due_at if case.first_response_at is None else None]
            if all(moment is None or moment > until for moment in clocks):
                return
            rows = Timer.objects.filter(case=case, state=TimerState.PENDING).order_by("due_at")
            self.pending = [
                Timer(pk=pk, case_id=case.pk, organisation_id=case.organisation_id, kind=kind, due_at=due_at,
                      then_due_at=then_due_at)
                for pk, kind, due_at, then_due_at in rows.values_list("pk", "kind", "due_at", "then_due_at")
            ]
        fired = False
        while due := [timer for timer in self.pending if timer.due_at <= until]:
            timer = min(due, key=lambda timer: (timer.due_at, timer.pk))
            self.pending.remove(timer)
            at = max(timer.due_at, self.last)  # a timer set in the past fires no earlier than the last event
            won, breach = services.claim_timer(timer, at)
            if won:
                if breach is not None:  # a warning's breach, scheduled as it was claimed
                    self.pending.append(breach)
                services.fire_timer(timer, at=at)
            self.last, fired = at, True
        if fired:  # fire_timer worked on its own copy of the case
            fresh = Case.objects.filter(pk=case.pk).values(*self.FIRED_FIELDS).get()
            for name, value in fresh.items():
                setattr(case, name, value)

    FIRED_FIELDS = ("priority", "first_response_breached", "resolution_breached", "updated_at")


def _user(world: _World, username: str) -> Any:
    """The staff member, or a colleague at the same places when that username was taken by someone else."""
    if username in world.users:
        return world.users[username]
    spec = STAFF_BY_NAME[username]
    for other in STAFF:
        if other.username in world.users and other.role == spec.role and other.locations == spec.locations:
            return world.users[other.username]
    return next(world.users[s.username] for s in STAFF if s.username in world.users and not s.locations
                and s.role in {"supervisor", "cx_manager"})


def _play(world: _World, customers: Sequence[CustomerPlan], plan: CasePlan) -> None:
    from kintsugi.cases import services
    from kintsugi.cases.models import Status

    person = customers[plan.customer]
    customer = services.find_or_create_customer(
        organisation=world.organisation, name=person.person.name, language=person.person.language,
        at=plan.created_at, **plan.identities,
    )
    case = services.open_case(
        by=_user(world, plan.opened_by) if plan.opened_by else None, organisation=world.organisation,
        description=plan.description, channel=plan.channel, location=world.locations[plan.location],
        touchpoint=world.touchpoints.get(plan.touchpoint), customer=customer,
        category=world.categories[plan.category], severity=plan.severity, language=plan.language,
        subject=plan.subject, at=plan.created_at,
    )
    timers = _Timers(case)
    for step in plan.steps:
        timers.fire(step.at)
        _follow_up(case, step.at, now=world.now)
        timers.before(step)
        by: Any = _user(world, step.actor) if step.actor else None
        if step.kind == "ack":
            services.acknowledge(case, by=by, at=step.at)
        elif step.kind == "assign":
            services.assign(case, _user(world, step.target), by=by, at=step.at)
        elif step.kind == "reply":
            services.reply(case, step.text, by=by, at=step.at)
        elif step.kind == "await":
            services.change_status(case, Status.AWAITING_CUSTOMER, by=by, at=step.at)
        elif step.kind == "note":
            services.add_note(case, step.text, by=by, at=step.at)
        elif step.kind == "customer":
            services.receive_message(case, step.text, at=step.at)
        elif step.kind == "escalate":
            services.escalate(case, by=by, reason=step.text, at=step.at)
        elif step.kind == "resolve":
            # What the story did not record as events (a remedy given, steps done at the desk) happens now, so
            # the history obeys the playbook's resolve rule like a real one.
            remedies_demo.before_resolving(case, by=by, at=step.at)
            recovery_demo.before_resolving(case, by=by, at=step.at)
            services.resolve(case, by=by, summary=step.text, at=step.at)
        elif step.kind == "reopen":
            services.reopen(case, by=by, reason=step.text, at=step.at)
        elif step.kind == "close":
            services.close_case(case, by=by, at=step.at)
        else:  # pragma: no cover - the planner writes only the kinds above
            raise ValueError(step.kind)
        timers.last = step.at
    # Whatever fell due between the last step and now has fired too, as the timer loop would have done.
    timers.fire(world.now)
    _follow_up(case, world.now, now=world.now)


def _follow_up(case: Any, until: datetime, *, now: datetime) -> None:
    """The follow-up after resolving, as the timer loop and the customer would have done it, up to `until` (the
    next step of the story): sent when it fell due, and answered "all good" three hours later if that is before
    `until` and more than two days ago (the last days' still await an answer). So starting the demo does not
    send months of follow-ups at once, and the timeline stays in order."""
    from kintsugi.cases import services
    from kintsugi.cases.models import Timer, TimerKind, TimerState
    from kintsugi.recovery.services import answer_follow_up

    if case.is_open:  # a follow-up waits only on a resolved or closed case
        return
    due = Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP, state=TimerState.PENDING, due_at__lte=until)
    for timer in due:
        Timer.objects.filter(pk=timer.pk).update(state=TimerState.DONE, fired_at=timer.due_at)
        services.fire_timer(timer, at=timer.due_at)
        answered = timer.due_at + timedelta(hours=3)
        if answered <= until and answered <= now - timedelta(days=2):
            answer_follow_up(case, happy=True, at=answered)


def summary(organisation: Any) -> dict[str, Any]:
    """What the demo organisation holds now."""
    from kintsugi.accounts.models import User
    from kintsugi.cases.models import Case

    cases = Case.objects.filter(organisation=organisation)
    return {
        "organisation": organisation.name,
        "slug": organisation.slug,
        "locations": organisation.locations.count(),
        "touchpoints": organisation.touchpoints.count(),
        "staff": User.objects.filter(organisation=organisation).count(),
        "customers": organisation.customers.count(),
        "cases": cases.count(),
        "by_language": dict(sorted(Counter(cases.values_list("language", flat=True)).items())),
        "by_status": dict(sorted(Counter(cases.values_list("status", flat=True)).items())),
        "logins": [u for u in LOGINS if User.objects.filter(username=u, organisation=organisation).exists()],
        "password": PASSWORD,
    }


def load_demo(*, cases: int = 2000, seed: int = 20261123, now: datetime | None = None) -> dict[str, Any]:
    """Create the demo organisation with `cases` cases; if it exists already, change nothing."""
    from django.db.models import F

    from kintsugi.accounts.models import Organisation
    from kintsugi.comms.models import DeliveryStatus, Message, Notification
    from kintsugi.comms.services import mark_notifications_read, sends_held

    existing = Organisation.objects.filter(slug=SLUG).first()
    if existing is not None:
        return {**summary(existing), "already_loaded": True}
    plan = plan_demo(cases=cases, seed=seed, now=now)
    with transaction.atomic():
        world = _create_organisation(plan.now)
    with sends_held():
        for start in range(0, len(plan.cases), BATCH):
            with transaction.atomic():
                for case_plan in plan.cases[start:start + BATCH]:
                    _play(world, plan.customers, case_plan)
    # Staff have read what was news more than two days ago.
    with transaction.atomic():
        for user in world.users.values():
            old = list(Notification.objects.filter(user=user, read_at__isnull=True,
                                                   created_at__lt=plan.now - timedelta(days=2))
                       .values_list("pk", flat=True))
            if old:
                mark_notifications_read(user, ids=old, at=plan.now)
        # The demo's past happened with its channels connected: what staff sent more than a day ago was
        # delivered then. Recent replies stay queued, so the worker shows today's real outcome for them.
        Message.objects.filter(
            organisation=world.organisation, status=DeliveryStatus.QUEUED, created_at__lt=plan.now - timedelta(days=1)
        ).update(status=DeliveryStatus.SENT, sent_at=F("created_at"), next_attempt_at=None)
    # Only what is still queued (the last day's replies) is for the worker; the command hands it over.
    pending = list(
        Message.objects.filter(organisation=world.organisation, status=DeliveryStatus.QUEUED)
        .values_list("pk", flat=True)
    )
    return {**summary(world.organisation), "already_loaded": False, "pending_sends": pending}
