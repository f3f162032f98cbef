"""The remedy form on the case page: a POST, its errors at the field with what was typed kept, through HTMX or a
plain post/redirect/get, never in the URL; an amount far above the usual asks to be confirmed before it is saved
and is flagged once saved; the same form sent twice gives one remedy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent
from kintsugi.remedies.models import Remedy, RemedyOption, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings", "catalogue")


def url(case: Case) -> str:
    return f"/cases/{case.reference}/remedies/"


def events(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def test_the_form_is_a_post_with_a_one_time_token_and_no_amount_in_any_link(client: Client, case: Case,
                                                                              agent: User) -> None:
    page = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    form = page.split('id="remedy-form"')[1].split("</form>")[0]
    assert f'<form method="post" action="{url(case)}" hx-post="{url(case)}"' in form
    assert 'type="hidden" name="form_token"' in form
    assert re.findall(r'href="[^"]*amount', page) == []


def test_htmx_gets_the_case_fragment_with_the_error_at_the_field(client: Client, case: Case, agent: User) -> None:
    before = events(case)
    response = login(client, agent).post(url(case), {
        "kind": "gesture", "amount": "abc", "currency": "VND", "description": "Hoa quả"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case-body"')
    assert ('<p class="field-error" id="remedy-amount-error">Enter the amount as a number, for example '
            '150,000.</p>') in html
    assert 'name="amount" inputmode="decimal" value="abc"' in html
    assert ">Hoa quả</textarea>" in html
    assert "The remedy was not given yet: see the form." in html
    assert (Remedy.objects.count(), events(case)) == (0, before)
    # Taken with it: the next page shows an empty form.
    assert 'value="abc"' not in client.get(f"/cases/{case.reference}/").content.decode()


def test_htmx_success_shows_the_remedy_in_the_fragment(client: Client, case: Case, agent: User) -> None:
    response = login(client, agent).post(url(case), {"kind": "gesture", "amount": "150,000", "currency": "VND"},
                                         HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    remedy = Remedy.objects.get()
    assert f'id="remedy-{remedy.pk}"' in response.content.decode()
    assert "Remedy granted: Small gesture, 150,000 ₫." in response.content.decode()


def test_a_refusal_of_the_service_comes_back_in_the_form(client: Client, case: Case, agent: User) -> None:
    case.status, case.is_open = "closed", False
    case.save()
    response = login(client, agent).post(url(case), {"kind": "gesture", "amount": "150,000", "currency": "VND"})
    assert response["Location"] == f"/cases/{case.reference}/#remedy-form"
    assert Remedy.objects.count() == 0


def test_a_currency_the_case_does_not_take_is_an_error_at_the_currency(client: Client, case: Case,
                                                                        agent: User) -> None:
    login(client, agent).post(url(case), {"kind": "gesture", "amount": "15", "currency": "USD"})
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Remedies here are given in VND, THB.</p>" in page
    assert Remedy.objects.count() == 0


def test_a_small_gesture_of_two_billion_dong_asks_to_be_confirmed_first(
    client: Client, case: Case, supervisor: User, catalogue: list[RemedyOption]
) -> None:
    gesture = catalogue[4]  # Fruit basket, 150 000 ₫: ten times is 1 500 000 ₫
    typed = {"kind": f"option-{gesture.pk}", "amount": "2,000,000,000", "currency": "VND", "form_token": "t-1"}
    before = events(case)
    response = login(client, supervisor).post(url(case), typed)
    assert response["Location"] == f"/cases/{case.reference}/#remedy-form"
    assert (Remedy.objects.count(), events(case)) == (0, before)
    page = client.get(response["Location"]).content.decode()
    assert ("2,000,000,000 ₫ is far more than is usual for this remedy. Check the zeros; if it is right, tick "
            "“Yes, this amount is right” and give it again.") in page
    assert 'name="confirm_outlier" value="1"> Yes, this amount is right' in page
    assert 'value="2,000,000,000"' in page

    client.post(url(case), {**typed, "confirm_outlier": "1"})
    remedy = Remedy.objects.get()
    assert (remedy.amount_minor, remedy.is_outlier, remedy.status) == (
        2_000_000_000, True, RemedyStatus.PENDING_APPROVAL)
    assert CaseEvent.objects.filter(case=case, kind="remedy_requested").get().data["is_outlier"] is True
    assert "Far above the usual amount for this remedy; whoever asked confirmed it." in client.get(
        f"/cases/{case.reference}/").content.decode()


@pytest.mark.parametrize(("amount", "flagged"), [("1,500,000", False), ("1,500,001", True)])
def test_ten_times_the_catalogue_amount_is_the_edge(client: Client, case: Case, manager: User,
                                                    catalogue: list[RemedyOption], amount: str,
                                                    flagged: bool) -> None:
    gesture = catalogue[4]
    login(client, manager).post(url(case), {"kind": f"option-{gesture.pk}", "amount": amount, "currency": "VND"})
    assert Remedy.objects.filter(is_outlier=False).count() == (0 if flagged else 1)


def test_the_same_form_sent_twice_gives_one_remedy(client: Client, case: Case, agent: User) -> None:
    typed = {"kind": "gesture", "amount": "150,000", "currency": "VND", "form_token": "tap-tap"}
    login(client, agent)
    first = client.post(url(case), typed)
    second = client.post(url(case), typed)
    assert first.status_code == second.status_code == 302
    assert Remedy.objects.count() == 1
    assert events(case).count("remedy_granted") == 1
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert page.count(f'id="remedy-{Remedy.objects.get().pk}"') == 1


def test_a_form_for_another_organisations_case_is_404_and_keeps_nothing(client: Client, case: Case,
                                                                        outsider: User) -> None:
    response = login(client, outsider).post(url(case), {"kind": "gesture", "amount": "abc", "currency": "VND"})
    assert response.status_code == 404
    assert Remedy.objects.count() == 0
    assert not [key for key, _value in client.session.items() if key.startswith("remedies.draft")]


def test_the_panel_pins_its_queries_with_a_draft_or_without(client: Client, case: Case, agent: User,
                                                            django_assert_max_num_queries: Any) -> None:
    login(client, agent).get(f"/cases/{case.reference}/")
    with django_assert_max_num_queries(40) as plain:
        client.get(f"/cases/{case.reference}/")
    client.post(url(case), {"kind": "gesture", "amount": "abc", "currency": "VND"})
    with django_assert_max_num_queries(40) as drafted:
        client.get(f"/cases/{case.reference}/")
    # A kept draft costs its outlier check's two reads and the session's write, nothing per remedy.
    assert len(drafted) - len(plain) <= 3
