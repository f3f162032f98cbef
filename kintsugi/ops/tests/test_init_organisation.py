"""`manage.py init_organisation`: a business's own organisation, first location and administrator, once; every bad
value refused before anything is written, and the administrator can sign in."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases.models import SlaPolicy

pytestmark = pytest.mark.django_db

PASSWORD = "lotus-sen-hong-2026"


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def init(password_file: Path | None, **flags: Any) -> str:
    options = {
        "name": "Sen Hồng Hotels", "language": "vi", "currency": "vnd", "location_name": "Sen Hồng Huế",
        "country": "vn", "timezone": "Asia/Ho_Chi_Minh", "hours": "07:00-23:00", "admin_username": "hoa",
        "admin_email": "hoa@senhong.vn", **flags,
    }
    if password_file is not None:
        options["admin_password_file"] = password_file
    out = StringIO()
    call_command("init_organisation", interactive=False, stdout=out, **options)
    return out.getvalue()


def test_it_creates_the_organisation_its_location_and_an_administrator_who_can_sign_in(password_file: Path) -> None:
    out = init(password_file)

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.slug, organisation.default_language, organisation.currency) == (
        "Sen Hồng Hotels", "sen-hong-hotels", "vi", "VND")
    location = Location.objects.get()
    assert (location.organisation_id, location.name, location.code, location.country, location.timezone) == (
        organisation.pk, "Sen Hồng Huế", "sen-hong-hue", "VN", "Asia/Ho_Chi_Minh")
    assert location.working_hours == {day: [["07:00", "23:00"]] for day in
                                      ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    assert location.always_open is False
    admin = User.objects.get()
    assert (admin.username, admin.email, admin.role, admin.organisation_id, admin.language) == (
        "hoa", "hoa@senhong.vn", Role.ADMIN, organisation.pk, "vi")
    assert admin.locations.count() == 0  # every location
    assert list(SlaPolicy.objects.values_list("organisation_id", "first_response_minutes", "resolution_minutes")) == [
        (organisation.pk, 60, 1440)]
    assert out.splitlines()[-1] == "Sign in at http://127.0.0.1:8000/login/"

    # Through the sign-in page, as the administrator will.
    client = Client()
    response = client.post("/login/", {"username": "hoa", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200


def test_it_runs_once_an_organisation(password_file: Path) -> None:
    init(password_file)
    with pytest.raises(CommandError, match="'sen-hong-hotels' exists already"):
        init(password_file, admin_username="lan")
    assert Organisation.objects.count() == 1
    assert User.objects.count() == 1


def test_a_place_open_day_and_night(password_file: Path) -> None:
    init(password_file, hours="24/7", timezone="Asia/Bangkok", country="TH", language="th", currency="THB")
    location = Location.objects.get()
    assert (location.always_open, location.timezone, location.country) == (True, "Asia/Bangkok", "TH")


@pytest.mark.parametrize(("flags", "message"), [
    ({"timezone": "Asia/Hanoi"}, "Unknown time zone 'Asia/Hanoi'"),
    ({"hours": "8-22"}, "Opening hours '8-22': write them HH:MM-HH:MM"),
    ({"currency": "dong"}, "'dong' is not a currency code"),
    ({"country": "VNM"}, "'VNM' is not a country code"),
    ({"name": "!!!"}, "gives no slug"),
])
def test_bad_values_are_refused_and_nothing_is_written(password_file: Path, flags: dict[str, str],
                                                       message: str) -> None:
    with pytest.raises(CommandError, match=message):
        init(password_file, **flags)
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_without_input_the_missing_values_are_named(password_file: Path) -> None:
    with pytest.raises(CommandError, match=r"Missing: --name, --location-name\."):
        call_command("init_organisation", interactive=False, admin_password_file=password_file, stdout=StringIO())


def test_the_password_comes_from_a_file_and_must_be_a_good_one(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--admin-password-file"):
        init(None)
    weak = tmp_path / "weak"
    weak.write_text("sen\n", encoding="utf-8")
    with pytest.raises(CommandError, match="The password is refused"):
        init(weak)
    with pytest.raises(CommandError, match="Cannot read"):
        init(tmp_path / "nowhere")
    assert not Organisation.objects.exists()


def test_a_taken_username_is_refused(password_file: Path, org: Organisation, agent: User) -> None:
    with pytest.raises(CommandError, match=f"The username '{agent.username}' is taken"):
        init(password_file, admin_username=agent.username)
    assert not Organisation.objects.filter(slug="sen-hong-hotels").exists()
