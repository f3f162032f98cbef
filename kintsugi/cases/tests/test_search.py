"""Case search (kintsugi.cases.search) over the fixed cast: what each kind of query finds, on SQLite and
PostgreSQL alike, and that nobody finds a case they may not see."""

from __future__ import annotations

import pytest

from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import access, search, services
from kintsugi.cases.models import Case, Channel, Customer


@pytest.fixture
def danang_case(org: Organisation, hanoi: Location, en_customer: Customer) -> Case:
    return services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.EMAIL, customer=en_customer,
                              description="Khách sạn ở Đà Nẵng không có nước nóng suốt hai ngày.")


@pytest.fixture
def shower_case(org: Organisation, bangkok_desk: Touchpoint, th_customer: Customer) -> Case:
    return services.open_case(by=None, organisation=org, touchpoint=bangkok_desk, channel=Channel.LINE,
                              customer=th_customer, description="ฝักบัวในห้องน้ำไม่ร้อนตั้งแต่เมื่อคืนแจ้งแล้วไม่มีใครมา")


@pytest.fixture
def cases(case: Case, bangkok_case: Case, danang_case: Case, shower_case: Case, other_case: Case) -> dict[str, Case]:
    return {"phong": case, "air": bangkok_case, "danang": danang_case, "shower": shower_case, "other": other_case}


@pytest.fixture(params=["view first", "index first"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """SQLite's two ways of finding words: reading a small view whole, or walking the index (any view at all
    counts as large when SMALL_VIEW is 0). PostgreSQL has one way; both params run it."""
    if request.param == "index first":
        monkeypatch.setattr(search, "SMALL_VIEW", 0)
    return str(request.param)


def found(user: User, q: str) -> list[str]:
    """The references `user` finds with `q`, newest first."""
    assert user.organisation_id is not None
    rows = search.matching(access.visible_cases(user), user.organisation_id, search.parse(q), 50,
                           columns=("reference",))
    return [reference for (reference,) in rows]


def refs(*cases: Case) -> list[str]:
    return [c.reference for c in sorted(cases, key=lambda c: -c.pk)]


@pytest.mark.parametrize(("q", "expected"), [
    ("phòng", ["phong"]),
    ("phong", ["phong"]),
    ("PHONG 305", ["phong"]),
    ("Đà Nẵng", ["danang"]),
    ("da nang", ["danang"]),
    ("DA NANG", ["danang"]),
    ("nuoc nong", ["danang"]),
    ("น้ำไม่ร้อน", ["shower"]),
    ("ไม่เย็น", ["air"]),
    ("ไม่", ["air", "shower"]),
    ("khăn tắm bẩn", ["phong"]),
    ("dieu hoa khong mat", ["phong"]),
    ("nguyen thi hoa", ["phong"]),
    ("Nguyễn Hoa", ["phong"]),
    ("emma wilson", ["danang"]),
    ("สมศรี", ["air", "shower"]),
    ("minibar", []),  # only the other organisation's case says it
    ("phong minibar", []),
    ("xyz", []),
])
def test_words_are_found_in_the_text_and_the_customer_name(
    supervisor: User, cases: dict[str, Case], q: str, expected: list[str], strategy: str
) -> None:
    assert found(supervisor, q) == refs(*(cases[key] for key in expected))


def test_a_reference_is_found_exactly_in_any_case(supervisor: User, cases: dict[str, Case]) -> None:
    reference = cases["danang"].reference
    assert found(supervisor, reference) == [reference]
    assert found(supervisor, reference.lower()) == [reference]
    assert found(supervisor, f"  {reference} ") == [reference]


def test_the_number_of_a_reference_is_found_as_text(supervisor: User, cases: dict[str, Case]) -> None:
    reference = cases["danang"].reference
    assert found(supervisor, reference[-6:]) == [reference]


@pytest.mark.parametrize("phone", ["0912 345 678", "0912345678", "+84 912 345 678", "+84912345678", "0912.345.678"])
def test_a_phone_number_finds_the_customers_cases_in_local_and_international_form(
    supervisor: User, cases: dict[str, Case], phone: str
) -> None:
    assert found(supervisor, phone) == [cases["phong"].reference]


def test_a_thai_phone_number_finds_the_thai_customers_cases(supervisor: User, cases: dict[str, Case]) -> None:
    assert found(supervisor, "081 234 5678") == refs(cases["air"], cases["shower"])
    assert found(supervisor, "+66812345678") == refs(cases["air"], cases["shower"])


def test_an_email_address_finds_the_customers_cases_whatever_its_case(supervisor: User,
                                                                      cases: dict[str, Case]) -> None:
    assert found(supervisor, "emma@example.com") == [cases["danang"].reference]
    assert found(supervisor, "Emma@Example.COM") == [cases["danang"].reference]
    assert found(supervisor, "nobody@example.com") == []


def test_a_query_under_three_characters_finds_only_an_exact_reference(supervisor: User,
                                                                     cases: dict[str, Case]) -> None:
    assert search.parse("ph").is_too_short
    assert not search.parse("pho").is_too_short
    assert found(supervisor, "ph") == []
    assert found(supervisor, "30") == []
    assert found(supervisor, "") == refs(*(c for key, c in cases.items() if key != "other"))


def test_another_organisations_cases_are_never_found(outsider: User, supervisor: User,
                                                     cases: dict[str, Case]) -> None:
    other = cases["other"]
    assert found(outsider, "minibar") == [other.reference]
    for q in ("phong", "da nang", "น้ำไม่ร้อน", "0912 345 678", "emma@example.com"):
        assert found(outsider, q) == []
    # Each organisation numbers its cases from 1: the same reference finds the outsider's own case only.
    assert other.reference == cases["phong"].reference
    assert found(outsider, other.reference) == [other.reference]
    assert access.visible_cases(outsider).get(reference=other.reference).pk == other.pk
    assert found(supervisor, other.reference) == [cases["phong"].reference]
    assert access.visible_cases(supervisor).get(reference=other.reference).pk == cases["phong"].pk
    assert found(supervisor, "charged twice") == []


def test_a_location_scoped_agent_finds_only_their_locations_cases(agent: User, bangkok_agent: User,
                                                                  cases: dict[str, Case], strategy: str) -> None:
    # agent works in Hà Nội, bangkok_agent in Bangkok; the Thai customer's cases are in Bangkok.
    assert found(agent, "น้ำไม่ร้อน") == []
    assert found(agent, "081 234 5678") == []
    assert found(agent, cases["air"].reference) == []
    assert found(agent, "da nang") == [cases["danang"].reference]
    assert found(bangkok_agent, "น้ำไม่ร้อน") == [cases["shower"].reference]
    assert found(bangkok_agent, "da nang") == []
    assert found(bangkok_agent, "0912 345 678") == []


def test_an_edited_description_and_a_renamed_customer_are_searched_as_they_are_now(
    supervisor: User, cases: dict[str, Case], vi_customer: Customer, strategy: str
) -> None:
    Case.objects.filter(pk=cases["phong"].pk).update(subject="Thang máy hỏng", description="Thang máy hỏng.")
    assert found(supervisor, "phong 305") == []
    assert found(supervisor, "thang may") == [cases["phong"].reference]
    vi_customer.name = "Lê Văn Tám"
    vi_customer.save(update_fields=["name"])
    assert found(supervisor, "nguyen thi hoa") == []
    assert found(supervisor, "le van tam") == [cases["phong"].reference]


def test_search_composes_with_filters_and_pages(supervisor: User, org: Organisation, hanoi: Location,
                                                bangkok: Location, strategy: str) -> None:
    opened = [services.open_case(by=None, organisation=org, location=hanoi if i % 2 else bangkok,
                                 channel=Channel.PHONE if i % 3 == 0 else Channel.EMAIL,
                                 description=f"Nước nóng yếu, lần {i}.") for i in range(12)]
    services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.EMAIL, description="Other.")
    qs = access.visible_cases(supervisor).filter(location_id=hanoi.pk)
    query = search.parse("nuoc nong")
    assert supervisor.organisation_id is not None
    first = search.matching(qs, supervisor.organisation_id, query, 3, columns=("id",))
    rest = search.matching(qs, supervisor.organisation_id, query, 10, columns=("id",), before_id=first[-1][0])
    hanoi_ids = [c.pk for c in reversed(opened) if c.location_id == hanoi.pk]
    assert len(hanoi_ids) == 6
    assert [pk for (pk,) in first + rest] == hanoi_ids
    phone = search.matching(qs.filter(channel=Channel.PHONE), supervisor.organisation_id, query, 10,
                            columns=("id",))
    assert [pk for (pk,) in phone] == [opened[9].pk, opened[3].pk]


def test_a_common_word_is_read_a_window_at_a_time(monkeypatch: pytest.MonkeyPatch, supervisor: User,
                                                  org: Organisation, hanoi: Location, bangkok: Location) -> None:
    # Eleven matching cases, only the oldest in Hà Nội: the search reads windows of 2 and 8 hits, then the last.
    monkeypatch.setattr(search, "FIRST_WINDOW", 2)
    monkeypatch.setattr(search, "SMALL_VIEW", 0)
    opened = [services.open_case(by=None, organisation=org, location=hanoi if i == 0 else bangkok,
                                 channel=Channel.EMAIL, description=f"Wifi yếu {i}.") for i in range(11)]
    qs = access.visible_cases(supervisor).filter(location_id=hanoi.pk)
    assert supervisor.organisation_id is not None
    rows = search.matching(qs, supervisor.organisation_id, search.parse("wifi"), 5, columns=("id",))
    assert rows == [(opened[0].pk,)]
