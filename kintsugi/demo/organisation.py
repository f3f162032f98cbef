"""The demo organisation: Lotus Hospitality Group, three places in Vietnam and two in Thailand (their hours,
holidays and touchpoints), its categories, SLA policies and staff, and writing them (`create_organisation`)
with the demo's playbooks (kintsugi.demo.recovery) and remedies (kintsugi.demo.remedies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.hashers import make_password

from kintsugi.accounts.models import Holiday, Location, Organisation, Touchpoint, User
from kintsugi.cases.models import Category, SlaPolicy
from kintsugi.demo import recovery as recovery_demo
from kintsugi.demo import remedies as remedies_demo

SLUG = "lotus-hospitality"
PASSWORD = "kintsugi"
LOGINS = ("agent", "supervisor", "manager", "admin")

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


# ------------------------------------------------------------------------------------------- writing it


@dataclass
class World:
    """The demo organisation as written: its locations, touchpoints, categories and staff by code."""

    organisation: Any
    locations: dict[str, Any]
    touchpoints: dict[str, Any]
    categories: dict[str, Any]
    users: dict[str, Any]
    now: datetime


def create_organisation(now: datetime) -> World:
    """Write the organisation with its places, categories, SLA policies, staff, playbooks and remedies."""
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
    return World(org, locations, touchpoints, categories, users, now)


