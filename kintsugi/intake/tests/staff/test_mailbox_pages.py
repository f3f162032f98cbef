"""The mailbox settings pages: administrators only, their own organisation's mailboxes only; passwords never shown
again; every bad input a form message that keeps what was typed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from kintsugi.accounts.models import Location, Touchpoint, User
from kintsugi.comms.models import ChannelConnection

pytestmark = pytest.mark.django_db

NOT_ADMINS = ["agent", "bangkok_agent", "supervisor", "manager", "outsider"]


def form_data(location: Location, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "Guest care Hà Nội", "address": "Care-HN@hotel.example", "imap_host": "imap.hotel.example",
        "imap_port": "", "imap_security": "ssl", "imap_user": "", "imap_password": "app-password-5678",
        "folder": "INBOX", "smtp_host": "smtp.hotel.example", "smtp_port": "", "smtp_security": "starttls",
        "smtp_user": "", "smtp_password": "", "from_name": "Lotus Guest Care", "location": str(location.pk),
        "touchpoint": "", "category": "", "thread_window_hours": "48",
    }
    data.update(changes)
    return data


def snapshot(mailbox: ChannelConnection) -> dict[str, Any]:
    mailbox.refresh_from_db()
    return {"name": mailbox.name, "address": mailbox.address, "config": mailbox.config, "is_active": mailbox.is_active,
            "secrets": mailbox.secrets(), "location": mailbox.location_id}


# ------------------------------------------------------------------------------------------ who may


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_administrators_see_the_mailboxes(client: Client, staff_cast: dict[str, User], who: str,
                                               mailbox: ChannelConnection) -> None:
    login(client, staff_cast[who])
    assert client.get("/settings/mailboxes/").status_code == 403
    assert client.get("/settings/mailboxes/new/").status_code == 403
    assert client.get(f"/settings/mailboxes/{mailbox.pk}/").status_code == 403


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_nobody_but_an_administrator_changes_a_mailbox(client: Client, staff_cast: dict[str, User], who: str,
                                                       mailbox: ChannelConnection, hanoi: Location) -> None:
    before = snapshot(mailbox)
    login(client, staff_cast[who])
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/", form_data(hanoi)).status_code == 403
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/active/", {"is_active": "0"}).status_code == 403
    assert client.post("/settings/mailboxes/new/", form_data(hanoi, address="new@hotel.example")).status_code == 403
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/test/", form_data(hanoi)).status_code == 403
    assert snapshot(mailbox) == before
    assert ChannelConnection.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, mailbox: ChannelConnection) -> None:
    response = client.get("/settings/mailboxes/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/settings/mailboxes/"


def test_another_organisations_mailbox_is_not_found(client: Client, rival_admin: User, mailbox: ChannelConnection,
                                                    other_location: Location) -> None:
    before = snapshot(mailbox)
    login(client, rival_admin)
    listing = client.get("/settings/mailboxes/").content.decode()
    assert "care@hotel.example" not in listing
    assert client.get(f"/settings/mailboxes/{mailbox.pk}/").status_code == 404
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/", form_data(other_location)).status_code == 404
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/active/", {"is_active": "0"}).status_code == 404
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/test/", form_data(other_location)).status_code == 404
    assert snapshot(mailbox) == before


def test_a_connection_of_another_channel_is_no_mailbox(client: Client, admin_user: User,
                                                       line_channel: ChannelConnection) -> None:
    login(client, admin_user)
    assert client.get(f"/settings/mailboxes/{line_channel.pk}/").status_code == 404
    assert client.post(f"/settings/mailboxes/{line_channel.pk}/active/", {"is_active": "0"}).status_code == 404
    line_channel.refresh_from_db()
    assert line_channel.is_active


# ------------------------------------------------------------------------------------------ the list


def test_the_list_shows_each_mailbox_with_its_last_error(client: Client, admin_user: User,
                                                         mailbox: ChannelConnection, front_desk: Touchpoint) -> None:
    checked = timezone.now() - timedelta(minutes=3)
    ChannelConnection.objects.filter(pk=mailbox.pk).update(
        touchpoint=front_desk, last_checked_at=checked, last_error="Login failed: AUTHENTICATIONFAILED",
        last_error_at=checked)
    login(client, admin_user)
    html = client.get("/settings/mailboxes/").content.decode()
    assert f'<a href="/settings/mailboxes/{mailbox.pk}/">Care</a>' in html
    assert '<p class="mailbox-address">care@hotel.example</p>' in html
    assert "<dd>Lotus Hà Nội · Front desk</dd>" in html
    assert '<span class="badge status-resolved">Active</span>' in html
    assert "Last error, 3\xa0minutes ago:" in html
    assert '<p class="mailbox-error-text">Login failed: AUTHENTICATIONFAILED</p>' in html
    assert "app-password-1234" not in html


def test_a_mailbox_never_checked_says_so(client: Client, admin_user: User, mailbox: ChannelConnection) -> None:
    login(client, admin_user)
    html = client.get("/settings/mailboxes/").content.decode()
    assert '<span class="muted">Not yet</span>' in html
    assert "mailbox-error" not in html


def test_an_organisation_without_mailboxes_is_invited_to_add_one(client: Client, admin_user: User) -> None:
    login(client, admin_user)
    html = client.get("/settings/mailboxes/").content.decode()
    assert "No mailbox yet." in html


# ------------------------------------------------------------------------------------------ add and change


def test_an_administrator_adds_a_mailbox(client: Client, admin_user: User, hanoi: Location,
                                         front_desk: Touchpoint) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(hanoi, touchpoint=str(front_desk.pk)))
    assert response.status_code == 302
    assert response["Location"] == "/settings/mailboxes/"
    mailbox = ChannelConnection.objects.get()
    assert (mailbox.channel, mailbox.name, mailbox.address) == ("email", "Guest care Hà Nội", "care-hn@hotel.example")
    assert mailbox.config == {
        "imap_host": "imap.hotel.example", "imap_port": 993, "imap_security": "ssl",
        "imap_user": "Care-HN@hotel.example", "folder": "INBOX", "smtp_host": "smtp.hotel.example", "smtp_port": 587,
        "smtp_security": "starttls", "smtp_user": "Care-HN@hotel.example", "from_name": "Lotus Guest Care",
    }
    # One login for both: sending uses the mailbox's password when no other is given.
    assert mailbox.secrets() == {"imap_password": "app-password-5678", "smtp_password": "app-password-5678"}
    assert "app-password-5678" not in mailbox.sealed_secrets
    assert (mailbox.location_id, mailbox.touchpoint_id, mailbox.thread_window_hours) == (hanoi.pk, front_desk.pk, 48)
    assert mailbox.is_active
    page = client.get("/settings/mailboxes/").content.decode()
    assert "The mailbox “Guest care Hà Nội” was saved." in page


def test_a_form_with_errors_says_what_and_keeps_what_was_typed(client: Client, admin_user: User,
                                                               hanoi: Location) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(
        hanoi, address="not an address", imap_password="", smtp_port="99999", name="Chăm sóc khách"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the marked fields. Everything you typed is still here." in html
    assert "Correct these first:" not in html  # that is the test button's answer, not the save's
    assert "Enter a valid email address." in html
    assert "Give the mailbox&#x27;s password." in html
    assert "Ensure this value is less than or equal to 65535." in html
    assert 'value="Chăm sóc khách"' in html
    assert 'value="imap.hotel.example"' in html
    assert not ChannelConnection.objects.exists()


def test_no_encryption_is_only_for_a_server_on_this_machine(client: Client, admin_user: User,
                                                            hanoi: Location) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(hanoi, imap_security="none"))
    assert response.status_code == 400
    assert "Without encryption only a server on this machine (localhost) may be used." in response.content.decode()
    assert not ChannelConnection.objects.exists()
    response = client.post("/settings/mailboxes/new/", form_data(hanoi, imap_security="none", imap_host="127.0.0.1",
                                                                 smtp_host=""))
    assert response.status_code == 302
    assert ChannelConnection.objects.get().config["imap_port"] == 143


def test_the_touchpoint_must_be_at_the_mailboxs_location(client: Client, admin_user: User, hanoi: Location,
                                                         bangkok_desk: Touchpoint) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(hanoi, touchpoint=str(bangkok_desk.pk)))
    assert response.status_code == 400
    assert "Choose a touchpoint at the mailbox&#x27;s location, or none." in response.content.decode()
    assert not ChannelConnection.objects.exists()


def test_another_organisations_location_cannot_be_chosen(client: Client, admin_user: User,
                                                         other_location: Location) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(other_location))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not ChannelConnection.objects.exists()


def test_two_mailboxes_cannot_share_an_address(client: Client, admin_user: User, hanoi: Location,
                                               mailbox: ChannelConnection) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(hanoi, address="CARE@hotel.example"))
    assert response.status_code == 400
    assert "Another of your mailboxes has this address already." in response.content.decode()
    assert ChannelConnection.objects.count() == 1


def test_the_same_address_in_another_organisation_is_no_conflict(client: Client, admin_user: User,
                                                                 hanoi: Location,
                                                                 rival_mailbox: ChannelConnection) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/new/", form_data(hanoi, address="care@rival.example"))
    assert response.status_code == 302
    assert ChannelConnection.objects.filter(address="care@rival.example").count() == 2


def test_passwords_are_shown_only_as_a_hint_and_an_empty_one_keeps_the_old(
    client: Client, admin_user: User, hanoi: Location, mailbox: ChannelConnection
) -> None:
    login(client, admin_user)
    html = client.get(f"/settings/mailboxes/{mailbox.pk}/").content.decode()
    assert "app-password-1234" not in html
    assert 'placeholder="••••••34"' in html
    assert "Kept: ••••••34. Leave empty to keep it." in html
    response = client.post(f"/settings/mailboxes/{mailbox.pk}/", form_data(
        hanoi, name="Care", address="care@hotel.example", imap_host="127.0.0.1", imap_password="", smtp_host=""))
    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.secrets() == {"imap_password": "app-password-1234"}
    response = client.post(f"/settings/mailboxes/{mailbox.pk}/", form_data(
        hanoi, name="Care", address="care@hotel.example", imap_host="127.0.0.1", imap_password="new-secret-0099",
        smtp_host=""))
    mailbox.refresh_from_db()
    assert mailbox.secret("imap_password") == "new-secret-0099"


def test_moving_the_mailbox_to_another_server_or_folder_starts_reading_afresh(
    client: Client, admin_user: User, hanoi: Location, mailbox: ChannelConnection
) -> None:
    login(client, admin_user)
    same = form_data(hanoi, name="Care", address="care@hotel.example", imap_host="127.0.0.1", imap_port="993",
                     imap_user="care@hotel.example", imap_password="", smtp_host="")
    client.post(f"/settings/mailboxes/{mailbox.pk}/", same)
    ChannelConnection.objects.filter(pk=mailbox.pk).update(state={"uidvalidity": 7, "last_uid": 120})
    client.post(f"/settings/mailboxes/{mailbox.pk}/", {**same, "name": "Care desk"})
    mailbox.refresh_from_db()
    assert (mailbox.name, mailbox.state) == ("Care desk", {"uidvalidity": 7, "last_uid": 120})
    client.post(f"/settings/mailboxes/{mailbox.pk}/", {**same, "folder": "Guests"})
    mailbox.refresh_from_db()
    assert (mailbox.config["folder"], mailbox.state) == ("Guests", {})


def test_the_mailbox_page_shows_how_to_deliver_by_pipe(client: Client, admin_user: User,
                                                       mailbox: ChannelConnection) -> None:
    login(client, admin_user)
    html = client.get(f"/settings/mailboxes/{mailbox.pk}/").content.decode()
    assert f"<code>python manage.py receive_email --mailbox {mailbox.pk}</code>" in html


# ------------------------------------------------------------------------------------------ on and off


def test_an_administrator_switches_a_mailbox_off_and_on(client: Client, admin_user: User,
                                                        mailbox: ChannelConnection) -> None:
    login(client, admin_user)
    response = client.post(f"/settings/mailboxes/{mailbox.pk}/active/", {"is_active": "0"}, follow=True)
    mailbox.refresh_from_db()
    assert not mailbox.is_active
    html = response.content.decode()
    assert "“Care” is switched off: nothing more is read from it." in html
    assert '<span class="badge status-closed">Switched off</span>' in html
    client.post(f"/settings/mailboxes/{mailbox.pk}/active/", {"is_active": "1"})
    mailbox.refresh_from_db()
    assert mailbox.is_active


def test_there_is_no_way_to_delete_a_mailbox(client: Client, admin_user: User, mailbox: ChannelConnection) -> None:
    login(client, admin_user)
    assert client.post(f"/settings/mailboxes/{mailbox.pk}/delete/").status_code == 404
    assert ChannelConnection.objects.filter(pk=mailbox.pk).exists()


def test_the_list_costs_the_same_queries_for_one_mailbox_or_many(client: Client, admin_user: User, hanoi: Location,
                                                                 mailbox: ChannelConnection,
                                                                 front_desk: Touchpoint) -> None:
    login(client, admin_user)
    client.get("/settings/mailboxes/")
    with CaptureQueriesContext(connection) as one:
        client.get("/settings/mailboxes/")
    for n in range(3):
        ChannelConnection.objects.create(organisation=hanoi.organisation, channel="email", name=f"Box {n}",
                                         address=f"box{n}@hotel.example", location=hanoi, touchpoint=front_desk)
    with CaptureQueriesContext(connection) as four:
        html = client.get("/settings/mailboxes/").content.decode()
    assert html.count('class="card mailbox') == 4
    assert len(four.captured_queries) == len(one.captured_queries) == 4
