"""The staff touchpoint pages over the whole cast: the list with QR codes, and the printable cards and posters.

Out of scope is a 404 (anonymous: the login page) and a refused request changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pytest_django import Settings

from conftest import login
from kintsugi.accounts import qr
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.accounts.views_touchpoints import InvitationLine, invitation_lines, phrases, print_languages

IN_SCOPE = ["agent", "supervisor", "manager", "admin"]  # for the Hà Nội front desk
OUT_OF_SCOPE = ["bangkok_agent", "outsider"]
SITE = "https://care.lotus.example"



def in_language(language: str, text: str) -> str:
    # The wording in each language is the translators' (kintsugi/locale); these tests check where it appears.
    with translation.override(language):
        return gettext(text)


INVITATION_EN = "Something not right? Tell us, and we will put it right."
SCAN_HINT_EN = "Scan with your phone camera. No app needed."
INVITATION = {language: in_language(language, INVITATION_EN) for language in ("en", "vi", "th")}
SCAN_HINT = {language: in_language(language, SCAN_HINT_EN) for language in ("en", "vi", "th")}


@pytest.fixture(autouse=True)
def _site(settings: Settings) -> None:
    settings.SITE_URL = SITE


@pytest.fixture
def pool_bar(org: Organisation, hanoi: Location) -> Touchpoint:
    return Touchpoint.objects.create(organisation=org, location=hanoi, name="Pool bar", code="hn-pool",
                                     kind="restaurant")


@pytest.fixture
def old_kiosk(org: Organisation, hanoi: Location) -> Touchpoint:
    return Touchpoint.objects.create(organisation=org, location=hanoi, name="Old kiosk", code="hn-kiosk",
                                     is_active=False)


def snapshot() -> list[tuple[Any, ...]]:
    return list(Touchpoint.objects.order_by("pk").values_list("pk", "public_code", "is_active", "name", "location"))


def sheets(html: str) -> list[str]:
    return re.findall(r'<article class="sheet sheet-\w+">.*?</article>', html, re.S)


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def lines_of(sheet: str) -> list[tuple[str, str]]:
    return [(lang, text(line)) for lang, line in re.findall(r'<p class="sheet-line" lang="(\w+)">(.*?)</p>', sheet)]


# ------------------------------------------------------------------------------------------ the invitation


@pytest.mark.parametrize(("languages", "expected"), [
    (["vi", "en"], ["vi", "en"]),
    (["th", "en"], ["th", "en"]),
    (["EN", "xx", "en", " th"], ["en", "th"]),
    (["fr"], ["vi"]),
    ([], ["vi"]),
])
def test_print_languages_follow_the_location_then_the_organisation(
    org: Organisation, languages: list[str], expected: list[str]
) -> None:
    location = Location(organisation=org, name="X", code="x", languages=languages)
    assert print_languages(location) == expected


def test_the_invitation_is_translated_into_vietnamese_and_thai() -> None:
    assert INVITATION["en"] == "Something not right? Tell us, and we will put it right."
    assert len({*INVITATION.values()}) == 3
    assert len({*SCAN_HINT.values()}) == 3
    assert "?" in INVITATION["vi"]
    assert any("\u0e00" <= char <= "\u0e7f" for char in INVITATION["th"])  # Thai letters


def test_thai_is_split_into_phrases_and_other_languages_are_kept_whole() -> None:
    assert phrases("มีอะไรไม่เรียบร้อยไหม? แจ้งเรา", "th") == ["มีอะไรไม่เรียบร้อยไหม?", "แจ้งเรา"]
    assert phrases("Có điều gì chưa ổn? Hãy cho", "vi") == ["Có điều gì chưa ổn? Hãy cho"]
    assert phrases("Tell us", "en") == ["Tell us"]


def test_the_invitation_is_written_in_each_language(db: Any) -> None:
    assert invitation_lines(["vi", "th", "en"]) == [
        InvitationLine(language, INVITATION[language], SCAN_HINT[language]) for language in ("vi", "th", "en")
    ]


# ------------------------------------------------------------------------------------------ the list


def test_supervisor_sees_every_touchpoint_with_its_link_and_qr_code(
    client: Client, supervisor: User, front_desk: Touchpoint, bangkok_desk: Touchpoint, old_kiosk: Touchpoint
) -> None:
    html = login(client, supervisor).get("/touchpoints/").content.decode()

    code = front_desk.public_code
    assert re.findall(r'<h2 id="location-\d+">([^<]+)</h2>', html) == ["Lotus Bangkok", "Lotus Hà Nội"]
    assert f'<a href="{SITE}/t/{code}/" target="_blank" rel="noopener">care.lotus.example/t/{code}</a>' in html
    assert f'<img src="/t/{code}/qr.svg?scale=2"' in html
    assert f'href="/touchpoints/{front_desk.pk}/print/?format=card"' in html
    assert f'href="/touchpoints/{front_desk.pk}/print/?format=poster"' in html
    assert 'href="/locations/hanoi/print/?format=card"' in html
    assert 'href="/locations/bangkok/print/?format=poster"' in html
    # The inactive kiosk is listed, marked, without a QR code or print buttons.
    assert "Old kiosk" in html
    assert "Its QR code does not open the complaint form while it is inactive." in html
    assert f"/t/{old_kiosk.public_code}/" not in html
    assert f"/touchpoints/{old_kiosk.pk}/print/" not in html


@pytest.mark.parametrize(("who", "expected"), [
    ("agent", ["Lotus Hà Nội"]),
    ("bangkok_agent", ["Lotus Bangkok"]),
    ("supervisor", ["Lotus Bangkok", "Lotus Hà Nội"]),
    ("manager", ["Lotus Bangkok", "Lotus Hà Nội"]),
    ("admin", ["Lotus Bangkok", "Lotus Hà Nội"]),
    ("outsider", []),
])
def test_the_list_shows_only_touchpoints_in_scope(
    client: Client, staff_cast: dict[str, User], front_desk: Touchpoint, bangkok_desk: Touchpoint, who: str,
    expected: list[str],
) -> None:
    html = login(client, staff_cast[who]).get("/touchpoints/").content.decode()

    assert re.findall(r'<h2 id="location-\d+">([^<]+)</h2>', html) == expected
    assert (front_desk.public_code in html) == ("Lotus Hà Nội" in expected)
    assert (bangkok_desk.public_code in html) == ("Lotus Bangkok" in expected)
    if not expected:
        assert "No touchpoints yet. An administrator adds them to each location." in html


@pytest.mark.parametrize(("who", "linked"), [
    ("agent", False), ("bangkok_agent", False), ("supervisor", True), ("manager", True), ("admin", True),
    ("outsider", True),
])
def test_the_nav_links_touchpoints_for_supervisors_and_above(
    client: Client, staff_cast: dict[str, User], who: str, linked: bool
) -> None:
    html = login(client, staff_cast[who]).get("/cases/").content.decode()
    assert ('href="/touchpoints/" class="nav-link"' in html) is linked


def test_the_list_takes_the_same_queries_for_two_or_twenty(
    client: Client, supervisor: User, org: Organisation, hanoi: Location, bangkok: Location,
    django_assert_num_queries: Any,
) -> None:
    login(client, supervisor)
    for n in range(2):
        Touchpoint.objects.create(organisation=org, location=hanoi, name=f"Room {n}", code=f"room-{n}")
    # session, user, location scope, touchpoints with locations, unread notifications
    with django_assert_num_queries(5):
        assert client.get("/touchpoints/").status_code == 200
    for n in range(2, 20):
        Touchpoint.objects.create(organisation=org, location=bangkok, name=f"Room {n}", code=f"room-{n}")
    with django_assert_num_queries(5):
        assert client.get("/touchpoints/").content.decode().count('class="tp-row"') == 20


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, front_desk: Touchpoint) -> None:
    for url in ("/touchpoints/", f"/touchpoints/{front_desk.pk}/print/", "/locations/hanoi/print/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


# ------------------------------------------------------------------------------------------ one touchpoint


@pytest.mark.parametrize("who", IN_SCOPE)
@pytest.mark.parametrize("print_format", ["card", "poster"])
def test_staff_in_scope_print_the_touchpoint(
    client: Client, staff_cast: dict[str, User], front_desk: Touchpoint, who: str, print_format: str
) -> None:
    before = snapshot()

    response = login(client, staff_cast[who]).get(f"/touchpoints/{front_desk.pk}/print/?format={print_format}")

    assert response.status_code == 200
    (sheet,) = sheets(response.content.decode())
    assert sheet.startswith(f'<article class="sheet sheet-{print_format}">')
    assert snapshot() == before


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
@pytest.mark.parametrize("print_format", ["card", "poster"])
def test_staff_out_of_scope_get_404_for_the_print_page(
    client: Client, staff_cast: dict[str, User], front_desk: Touchpoint, who: str, print_format: str
) -> None:
    before = snapshot()

    response = login(client, staff_cast[who]).get(f"/touchpoints/{front_desk.pk}/print/?format={print_format}")

    assert response.status_code == 404
    html = response.content.decode()
    assert front_desk.public_code not in html
    assert "Lotus Test Hotels" not in html
    assert snapshot() == before


def test_a_missing_touchpoint_is_404(client: Client, supervisor: User, front_desk: Touchpoint) -> None:
    assert login(client, supervisor).get(f"/touchpoints/{front_desk.pk + 100}/print/").status_code == 404


def test_the_card_has_the_qr_code_the_business_the_place_and_the_invitation(
    client: Client, supervisor: User, front_desk: Touchpoint
) -> None:
    response = login(client, supervisor).get(f"/touchpoints/{front_desk.pk}/print/")

    html = response.content.decode()
    (sheet,) = sheets(html)
    code = front_desk.public_code
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert '<header class="sheet-brand">Lotus Test Hotels</header>' in sheet
    assert lines_of(sheet) == [("vi", INVITATION["vi"]), ("en", INVITATION["en"])]
    hints = re.findall(r'<p class="sheet-scan" lang="(\w+)">(.*?)</p>', sheet)
    assert [(lang, text(hint)) for lang, hint in hints] == [("vi", SCAN_HINT["vi"]), ("en", SCAN_HINT["en"])]
    assert qr.make_qr_svg(f"{SITE}/t/{code}/", 1, css_class="sheet-qr") in sheet
    assert f'<p class="sheet-url">care.lotus.example/t/{code}</p>' in sheet
    assert '<footer class="sheet-place">Lotus Hà Nội · Front desk</footer>' in sheet
    assert '<a href="?format=card" aria-current="page">Card (A6)</a>' in html


def test_the_poster_shows_both_languages_of_bangkok(client: Client, supervisor: User,
                                                    bangkok_desk: Touchpoint) -> None:
    response = login(client, supervisor).get(f"/touchpoints/{bangkok_desk.pk}/print/?format=poster")

    (sheet,) = sheets(response.content.decode())
    assert sheet.startswith('<article class="sheet sheet-poster">')
    assert lines_of(sheet) == [("th", INVITATION["th"]), ("en", INVITATION["en"])]


def test_the_toolbar_speaks_the_staff_members_language_and_the_card_the_locations(
    client: Client, bangkok_agent: User, bangkok_desk: Touchpoint, bangkok: Location
) -> None:
    Location.objects.filter(pk=bangkok.pk).update(languages=["en", "vi"])

    html = login(client, bangkok_agent).get(f"/touchpoints/{bangkok_desk.pk}/print/").content.decode()

    assert '<html lang="th">' in html
    assert ">พิมพ์</button>" in html
    (sheet,) = sheets(html)
    assert lines_of(sheet) == [("en", INVITATION["en"]), ("vi", INVITATION["vi"])]


def test_a_location_without_languages_prints_in_the_organisations_language(
    client: Client, outsider: User, other_org: Organisation, other_location: Location
) -> None:
    bar = Touchpoint.objects.create(organisation=other_org, location=other_location, name="Beach bar", code="bar")

    html = login(client, outsider).get(f"/touchpoints/{bar.pk}/print/").content.decode()

    (sheet,) = sheets(html)
    assert lines_of(sheet) == [("en", INVITATION["en"])]
    assert '<header class="sheet-brand">Rival Resorts</header>' in sheet


def test_an_inactive_touchpoint_can_be_printed_with_a_warning(
    client: Client, supervisor: User, old_kiosk: Touchpoint
) -> None:
    html = login(client, supervisor).get(f"/touchpoints/{old_kiosk.pk}/print/").content.decode()

    assert len(sheets(html)) == 1
    assert "This touchpoint is inactive: its QR code does not open the complaint form until it is active again." in html


@pytest.mark.parametrize("print_format", ["a5", "CARD", ""])
def test_an_unknown_format_is_400(client: Client, supervisor: User, front_desk: Touchpoint, print_format: str) -> None:
    login(client, supervisor)
    for url in (f"/touchpoints/{front_desk.pk}/print/", "/locations/hanoi/print/"):
        response = client.get(url, {"format": print_format})
        assert response.status_code == 400
        assert response.content.decode() == "Choose the format: card or poster."


def test_the_print_page_takes_a_fixed_number_of_queries(
    client: Client, supervisor: User, front_desk: Touchpoint, django_assert_num_queries: Any
) -> None:
    login(client, supervisor)
    with django_assert_num_queries(4):  # session, user, location scope, the touchpoint with its places
        client.get(f"/touchpoints/{front_desk.pk}/print/")


# ------------------------------------------------------------------------------------------ a whole location


@pytest.mark.parametrize("who", IN_SCOPE)
def test_a_location_prints_one_sheet_per_active_touchpoint(
    client: Client, staff_cast: dict[str, User], front_desk: Touchpoint, pool_bar: Touchpoint,
    old_kiosk: Touchpoint, bangkok_desk: Touchpoint, who: str,
) -> None:
    before = snapshot()

    html = login(client, staff_cast[who]).get("/locations/hanoi/print/?format=poster").content.decode()

    found = sheets(html)
    assert [re.search(r'<footer class="sheet-place">([^<]*)</footer>', s)[1] for s in found] == [  # type: ignore[index]
        "Lotus Hà Nội · Front desk", "Lotus Hà Nội · Pool bar",
    ]
    assert all(s.startswith('<article class="sheet sheet-poster">') for s in found)
    assert front_desk.public_code in found[0]
    assert pool_bar.public_code in found[1]
    assert old_kiosk.public_code not in html
    assert bangkok_desk.public_code not in html
    assert "2 pages, one per touchpoint." in html
    assert snapshot() == before


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_staff_out_of_scope_get_404_for_the_location_print_page(
    client: Client, staff_cast: dict[str, User], front_desk: Touchpoint, who: str
) -> None:
    before = snapshot()

    response = login(client, staff_cast[who]).get("/locations/hanoi/print/")

    assert response.status_code == 404
    assert front_desk.public_code not in response.content.decode()
    assert snapshot() == before


def test_another_organisations_location_is_404(client: Client, supervisor: User, other_location: Location) -> None:
    assert login(client, supervisor).get("/locations/phuket/print/").status_code == 404
    assert client.get("/locations/nowhere/print/").status_code == 404


def test_a_location_without_active_touchpoints_says_so(
    client: Client, supervisor: User, bangkok: Location, old_kiosk: Touchpoint
) -> None:
    html = login(client, supervisor).get("/locations/bangkok/print/").content.decode()

    assert sheets(html) == []
    assert "This location has no active touchpoints to print." in html
    assert '<button type="button" class="print-button"' not in html
