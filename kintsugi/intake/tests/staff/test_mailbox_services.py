"""The mailbox services: administrators of the mailbox's own organisation only; a trial changes nothing."""

from __future__ import annotations

import dataclasses

import pytest

from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases.errors import InvalidInput, NotAllowed
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import services
from kintsugi.intake.tests.staff.test_mailbox_pages import snapshot

pytestmark = pytest.mark.django_db


def settings_for(location: Location, **changes: object) -> services.MailboxSettings:
    values = services.MailboxSettings(
        name="Care", address="care@hotel.example", imap_host="imap.hotel.example", imap_port=None,
        imap_security="ssl", imap_user="care@hotel.example", imap_password="", folder="INBOX", smtp_host="",
        smtp_port=None, smtp_security="starttls", smtp_user="", smtp_password="", from_name="", location=location,
        touchpoint=None, category=None, thread_window_hours=72,
    )
    return dataclasses.replace(values, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("who", ["agent", "supervisor", "manager", "outsider"])
def test_only_an_administrator_saves_a_mailbox(staff_cast: dict[str, User], who: str, org: Organisation,
                                               hanoi: Location, mailbox: ChannelConnection) -> None:
    before = snapshot(mailbox)
    with pytest.raises(NotAllowed, match=r"^Only administrators may connect mailboxes\.$"):
        services.save_mailbox(mailbox, settings_for(hanoi, name="Taken over"), organisation=org,
                              by=staff_cast[who])
    with pytest.raises(NotAllowed):
        services.set_mailbox_active(mailbox, is_active=False, by=staff_cast[who])
    assert snapshot(mailbox) == before


def test_an_administrator_cannot_save_another_organisations_mailbox(rival_admin: User, other_org: Organisation,
                                                                    other_location: Location,
                                                                    mailbox: ChannelConnection) -> None:
    before = snapshot(mailbox)
    with pytest.raises(NotAllowed):
        services.save_mailbox(mailbox, settings_for(other_location), organisation=other_org, by=rival_admin)
    with pytest.raises(NotAllowed):
        services.set_mailbox_active(mailbox, is_active=False, by=rival_admin)
    assert snapshot(mailbox) == before


def test_the_service_guards_what_the_form_checks(admin_user: User, org: Organisation, hanoi: Location,
                                                 bangkok_desk: Touchpoint, other_location: Location,
                                                 mailbox: ChannelConnection) -> None:
    cases = [
        (settings_for(other_location, imap_password="x" * 10), "Choose one of your locations."),
        (settings_for(hanoi, touchpoint=bangkok_desk, imap_password="x" * 10),
         "Choose a touchpoint at the mailbox's location."),
        (settings_for(hanoi, imap_security="none", imap_password="x" * 10),
         "A connection without encryption is allowed only to this machine (localhost)."),
        (settings_for(hanoi, address="new@hotel.example"), "Give the mailbox's password."),
        (settings_for(hanoi, address="CARE@hotel.example", imap_password="x" * 10),
         "Another of your mailboxes has this address already."),
    ]
    for values, message in cases:
        with pytest.raises(InvalidInput) as refused:
            services.save_mailbox(None, values, organisation=org, by=admin_user)
        assert refused.value.message == message
    assert ChannelConnection.objects.count() == 1


def test_a_trial_leaves_the_saved_mailbox_as_it_was(admin_user: User, org: Organisation, hanoi: Location,
                                                    mailbox: ChannelConnection) -> None:
    before = snapshot(mailbox)
    trial = services.trial_mailbox(mailbox, settings_for(hanoi, imap_host="other.example", imap_password="typed-1234"),
                                   organisation=org, by=admin_user)
    assert (trial.pk, trial.config["imap_host"], trial.secret("imap_password")) == (
        mailbox.pk, "other.example", "typed-1234")
    assert snapshot(mailbox) == before
    assert mailbox.config == {"imap_host": "127.0.0.1"}
