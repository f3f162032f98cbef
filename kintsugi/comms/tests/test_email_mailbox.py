"""Which mailbox a message goes out from, and the settings page's SMTP check (check_smtp) against a real server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, Customer, SlaPolicy
from kintsugi.comms.models import ChannelConnection, Message
from kintsugi.comms.services import record_inbound
from kintsugi.comms.tests.conftest import SMTP_PASSWORD, SMTP_USER, closed_port
from kintsugi.comms.tests.smtpserver import SmtpServer
from kintsugi.comms.transports.base import SendError
from kintsugi.comms.transports.email import check_smtp
from kintsugi.comms.transports.mail.mailbox import sender_for

T = MONDAY_10AM + timedelta(minutes=5)


def connect(org: Organisation, location: Location, address: str, *, smtp_host: str = "smtp.hotel.example",
            is_active: bool = True, from_name: str = "") -> ChannelConnection:
    config = {"smtp_host": smtp_host, "smtp_security": "ssl", "smtp_user": address, "from_name": from_name}
    connection = ChannelConnection(organisation=org, channel="email", name=address, address=address,
                                   location=location, config=config, is_active=is_active)
    connection.set_secrets({"smtp_password": "password-of-" + address})
    connection.save()
    return connection


@pytest.fixture
def case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Customer) -> Case:
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.EMAIL,
                              customer=en_customer, description="The room was not cleaned.", at=MONDAY_10AM)


def reply(case: Case, agent: User) -> Message:
    message: Message = services.reply(case, "We are very sorry.", by=agent, at=T)
    return message


def came_in_through(case: Case, connection: ChannelConnection, message_id: str) -> None:
    record_inbound(case, "Hello?", channel=Channel.EMAIL, at=MONDAY_10AM, external_id=message_id,
                   connection_id=connection.pk, subject="Room")


def sender_address(message: Message) -> str:
    return sender_for(message).from_email


def test_the_mailbox_the_customer_wrote_to_answers(case: Case, agent: User, org: Organisation,
                                                   hanoi: Location) -> None:
    connect(org, hanoi, "first@hotel.example")
    bookings = connect(org, hanoi, "bookings@hotel.example", from_name="Lotus Bookings, Hà Nội")
    came_in_through(case, bookings, "m1@example.com")

    assert sender_address(reply(case, agent)) == '"Lotus Bookings, Hà Nội" <bookings@hotel.example>'


def test_the_latest_mail_that_came_through_a_mailbox_decides(case: Case, agent: User, org: Organisation,
                                                             hanoi: Location) -> None:
    first = connect(org, hanoi, "first@hotel.example")
    second = connect(org, hanoi, "second@hotel.example")
    came_in_through(case, second, "m1@example.com")
    came_in_through(case, first, "m2@example.com")

    assert sender_address(reply(case, agent)) == "Lotus Test Hotels <first@hotel.example>"


def test_the_messages_own_connection_comes_first(case: Case, agent: User, org: Organisation,
                                                 hanoi: Location) -> None:
    wrote_to = connect(org, hanoi, "first@hotel.example")
    chosen = connect(org, hanoi, "chosen@hotel.example")
    came_in_through(case, wrote_to, "m1@example.com")
    message = reply(case, agent)
    Message.objects.filter(pk=message.pk).update(connection=chosen)
    message.refresh_from_db()

    assert sender_address(message) == "Lotus Test Hotels <chosen@hotel.example>"


def test_without_mail_from_the_customer_the_organisations_first_active_mailbox_sends(
    case: Case, agent: User, org: Organisation, hanoi: Location
) -> None:
    connect(org, hanoi, "old@hotel.example", is_active=False)
    connect(org, hanoi, "pipe@hotel.example", smtp_host="")  # mail delivered by pipe: no SMTP of its own
    connect(org, hanoi, "care@hotel.example")
    connect(org, hanoi, "later@hotel.example")

    assert sender_address(reply(case, agent)) == "Lotus Test Hotels <care@hotel.example>"


def test_a_mailbox_switched_off_or_without_smtp_is_passed_over_for_the_project_default(
    case: Case, agent: User, org: Organisation, hanoi: Location
) -> None:
    came_in_through(case, connect(org, hanoi, "old@hotel.example", is_active=False), "m1@example.com")
    came_in_through(case, connect(org, hanoi, "pipe@hotel.example", smtp_host=""), "m2@example.com")

    assert sender_address(reply(case, agent)) == "care@kintsugi.local"


def test_another_organisations_mailbox_never_sends(
    case: Case, agent: User, other_org: Organisation, other_location: Location
) -> None:
    theirs = connect(other_org, other_location, "care@rival.example")
    message = reply(case, agent)
    Message.objects.filter(pk=message.pk).update(connection=theirs)
    message.refresh_from_db()

    assert sender_address(message) == "care@kintsugi.local"


@pytest.mark.parametrize("address", ["care", "care desk@hotel.example", ""])
def test_a_mailbox_whose_address_is_not_one_fails_the_message_with_what_to_fix(
    case: Case, agent: User, org: Organisation, hanoi: Location, address: str
) -> None:
    came_in_through(case, connect(org, hanoi, address), "m1@example.com")
    message = reply(case, agent)

    with pytest.raises(SendError) as raised:
        sender_for(message)

    assert (raised.value.permanent, raised.value.reason) == (
        True, f"The mailbox's address {address} is not an email address; an admin should correct it in the settings."
    )


# ------------------------------------------------------------------------------------------ check_smtp
def test_check_smtp_logs_in_and_sends_nothing(smtp_mailbox: ChannelConnection, smtp_server: SmtpServer) -> None:
    assert check_smtp(smtp_mailbox) is None
    assert smtp_server.received == []


def test_check_smtp_says_the_login_was_refused(smtp_mailbox: ChannelConnection) -> None:
    smtp_mailbox.set_secrets({"smtp_password": "not-" + SMTP_PASSWORD})

    assert check_smtp(smtp_mailbox) == (
        "The mailbox could not log in to 127.0.0.1: 535 5.7.8 Authentication credentials invalid. An admin "
        "should check its SMTP user and password in the settings."
    )


def test_check_smtp_says_the_server_cannot_be_reached(smtp_mailbox: ChannelConnection) -> None:
    smtp_mailbox.config["smtp_port"] = closed_port()

    assert check_smtp(smtp_mailbox) == "Could not reach 127.0.0.1: Connection refused"


def test_check_smtp_says_the_server_offers_no_login(smtp_mailbox: ChannelConnection) -> None:
    server = SmtpServer()  # no users: it offers no AUTH at all
    server.start()
    try:
        smtp_mailbox.config["smtp_port"] = server.port
        reason = check_smtp(smtp_mailbox)
    finally:
        server.stop()

    assert reason == (
        "127.0.0.1 does not offer what this mailbox is set to use (SMTP AUTH extension not supported by server.). "
        "An admin should check its SMTP security setting."
    )


@pytest.mark.parametrize(("config", "secrets", "reason"), [
    ({"smtp_host": "", "smtp_user": SMTP_USER}, {}, "The mailbox care@hotel.example has no SMTP server set."),
    ({"smtp_host": "smtp.gmail.com", "smtp_security": "none"}, {},
     "smtp.gmail.com is not on this machine, so its connection must be encrypted: choose SSL or STARTTLS for the "
     "mailbox."),
    ({"smtp_host": "smtp.gmail.com", "smtp_security": "tls1.0"}, {},
     "The mailbox's SMTP security must be SSL, STARTTLS or none, not tls1.0."),
    ({"smtp_host": "smtp.gmail.com", "smtp_port": "abc"}, {},
     "The mailbox's SMTP port must be a number from 1 to 65535."),
    ({"smtp_host": "smtp.gmail.com", "smtp_port": 70000}, {},
     "The mailbox's SMTP port must be a number from 1 to 65535."),
    ({"smtp_host": "smtp.gmail.com", "smtp_user": "care@hotel.example"}, {},
     "The mailbox has an SMTP user but no SMTP password."),
])
def test_check_smtp_refuses_settings_that_cannot_work_without_connecting(
    org: Organisation, hanoi: Location, config: dict[str, object], secrets: dict[str, str], reason: str
) -> None:
    connection = ChannelConnection(organisation=org, channel="email", name="Care", address="care@hotel.example",
                                   location=hanoi, config=config)
    connection.set_secrets(secrets)

    assert check_smtp(connection) == reason
