"""The case page links each entry that came through the inbound pipeline to its original; the admin's menu links
to the mailboxes and the inbound list."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.templatetags.intake_ui import original_link
from kintsugi.intake.tests.inbound.conftest import mail
from kintsugi.intake.tests.staff.conftest import Deliver

pytestmark = pytest.mark.django_db


def test_an_email_case_links_its_entries_to_the_originals(client: Client, agent: User, deliver: Deliver,
                                                          mailbox: ChannelConnection) -> None:
    first = deliver(mailbox, mail())
    case = Case.objects.get()
    second = deliver(mailbox, mail(f"Re: [{case.reference}]", "Vẫn chưa ai đến.", message_id="m2@example.vn"))
    login(client, agent)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert html.count('<p class="entry-original">') == 2
    assert f'<p class="entry-original"><a href="/inbound/{first.pk}/">Show the original</a></p>' in html
    assert f'<p class="entry-original"><a href="/inbound/{second.pk}/">Show the original</a></p>' in html
    assert client.get(f"/inbound/{second.pk}/").status_code == 200


def test_a_case_from_the_web_form_has_no_original_link(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    assert "entry-original" not in client.get(f"/cases/{case.reference}/").content.decode()


def test_the_link_says_when_quoted_mail_was_folded_away() -> None:
    folded = CaseEvent(kind=EventKind.MESSAGE_IN, data={"inbound": 41, "folded": True})
    assert original_link(folded) == ('<p class="entry-original"><a href="/inbound/41/">Show the original</a> '
                                     '<span class="muted">Earlier quoted mail is folded away.</span></p>')
    assert original_link(CaseEvent(kind=EventKind.NOTE, data={"inbound": "41"})) == ""
    assert original_link(CaseEvent(kind=EventKind.NOTE, data={"inbound": True})) == ""
    assert original_link(CaseEvent(kind=EventKind.NOTE, data={})) == ""


@pytest.mark.parametrize("who", ["agent", "supervisor", "manager", "outsider"])
def test_only_administrators_have_the_mailbox_links_in_their_menu(client: Client, staff_cast: dict[str, User],
                                                                  who: str) -> None:
    login(client, staff_cast[who])
    html = client.get("/cases/").content.decode()
    assert "/settings/mailboxes/" not in html
    assert 'href="/inbound/"' not in html


def test_an_administrators_menu_links_to_mailboxes_and_inbound_messages(client: Client, admin_user: User) -> None:
    login(client, admin_user)
    html = client.get("/settings/mailboxes/").content.decode()
    assert '<a class="menu-item" href="/settings/mailboxes/" aria-current="page">Mailboxes</a>' in html
    assert '<a class="menu-item" href="/inbound/">Inbound messages</a>' in html
