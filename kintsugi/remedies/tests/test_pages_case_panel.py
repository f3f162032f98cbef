"""The remedies panel on the case page and its actions: suggestions, the authority hint, giving a remedy (granted
or sent for approval), deciding, fulfilling, cancelling and recording the customer's costs; refusals keep what was
typed; other organisations get 404, staff without the role 403, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Organisation, User
from kintsugi.cases.models import Case, CaseEvent
from kintsugi.comms.models import Message
from kintsugi.remedies import services
from kintsugi.remedies.models import CustomerCost, Remedy, RemedyOption, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings", "catalogue")


def state() -> tuple[Any, ...]:
    return (list(Remedy.objects.order_by("id").values_list("status", "decided_by_id", "amount_minor")),
            CaseEvent.objects.count(), Message.objects.count(), CustomerCost.objects.count())


def test_the_case_page_shows_suggestions_and_the_agents_authority(
    client: Client, case: Case, agent: User, catalogue: list[RemedyOption]
) -> None:
    page = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    assert 'id="remedies"' in page
    # A service-process failure of severity 3: re-perform the service (no money), no voucher.
    reperform = catalogue[2]
    assert f'href="?suggestion=option-{reperform.pk}#remedy-form">Clean the room again</a>' in page
    assert "voucher" not in page.split('id="remedy-form"')[0].split("Suggested")[1]
    assert "Within your authority up to 500,000 ₫ on this case now" in page


def test_a_suggestion_prefills_the_form(client: Client, case: Case, agent: User,
                                        catalogue: list[RemedyOption]) -> None:
    refund, voucher = catalogue[0], catalogue[3]
    case.failure_type, case.severity = "monetary", 4
    case.save()
    page = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    # 300 000 x 150 % (severity 4); the link names the suggestion, never its amount.
    assert f'href="?suggestion=option-{refund.pk}#remedy-form">Refund · 450,000 ₫</a>' in page
    # 750 000 is above the frontline agent's 500 000 at once: the most they may give, and the rest needs approval.
    assert f'href="?suggestion=option-{voucher.pk}#remedy-form">Dinner voucher · 500,000 ₫</a>' in page
    assert "The most you may give yourself; 750,000 ₫ needs approval." in page
    assert page.count("needs approval.") == 1
    filled = client.get(f"/cases/{case.reference}/?suggestion=option-{refund.pk}")
    html = filled.content.decode()
    assert f'<option value="option-{refund.pk}" selected>Refund · Full refund · 300,000 ₫</option>' in html
    assert 'name="amount" inputmode="decimal" value="450,000"' in html


def test_a_catalogue_entry_without_an_amount_gives_its_default(client: Client, case: Case, agent: User,
                                                                catalogue: list[RemedyOption]) -> None:
    gesture = catalogue[4]
    login(client, agent).post(f"/cases/{case.reference}/remedies/", {
        "kind": f"option-{gesture.pk}", "amount": "", "currency": "VND"})
    remedy = Remedy.objects.get()
    assert (remedy.kind, remedy.option, remedy.amount_minor, remedy.status) == (
        "gesture", gesture, 150_000, RemedyStatus.GRANTED)


def test_an_inactive_or_foreign_catalogue_entry_is_refused(client: Client, case: Case, agent: User,
                                                           catalogue: list[RemedyOption],
                                                           other_org: Organisation) -> None:
    foreign = RemedyOption.objects.create(organisation=other_org, kind="voucher", name="Spa", currency="VND")
    catalogue[3].is_active = False
    catalogue[3].save()
    login(client, agent)
    for option in (foreign, catalogue[3]):
        response = client.post(f"/cases/{case.reference}/remedies/", {
            "kind": f"option-{option.pk}", "amount": "100", "currency": "VND"}, follow=True)
        assert "Choose a remedy from your organisation&#x27;s catalogue." in response.content.decode()
    assert Remedy.objects.count() == 0


def test_agent_grants_within_the_limit(client: Client, case: Case, agent: User) -> None:
    response = login(client, agent).post(f"/cases/{case.reference}/remedies/", {
        "kind": "gesture", "amount": "150,000", "currency": "VND", "description": "Fruit basket to room 305"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#remedies"
    remedy = Remedy.objects.get()
    assert remedy.is_outlier is False
    assert (remedy.status, remedy.amount_minor, remedy.requested_by) == (RemedyStatus.GRANTED, 150_000, agent)
    page = client.get(response["Location"]).content.decode()
    assert "Remedy granted: Small gesture, 150,000 ₫." in page


def test_vietnamese_staff_type_amounts_the_vietnamese_way(client: Client, case: Case, agent: User) -> None:
    agent.language = "vi"
    agent.save()
    login(client, agent).post(f"/cases/{case.reference}/remedies/", {
        "kind": "refund", "amount": "1.200.000", "currency": "VND", "transaction_value": "800.000"})
    remedy = Remedy.objects.get()
    assert (remedy.amount_minor, remedy.transaction_value_minor, remedy.status) == (
        1_200_000, 800_000, RemedyStatus.PENDING_APPROVAL)


def test_above_the_limit_waits_and_warns_above_150_percent(client: Client, case: Case, agent: User) -> None:
    response = login(client, agent).post(f"/cases/{case.reference}/remedies/", {
        "kind": "refund", "amount": "600000", "currency": "VND", "transaction_value": "300000"}, follow=True)
    page = response.content.decode()
    assert Remedy.objects.get().status == RemedyStatus.PENDING_APPROVAL
    assert "This is above your authority, so the remedy waits for approval" in page
    assert "worth more than 150 % of the transaction" in page


def test_an_unreadable_amount_comes_back_at_its_field_with_what_was_typed(client: Client, case: Case,
                                                                          agent: User) -> None:
    before = state()
    response = login(client, agent).post(f"/cases/{case.reference}/remedies/", {
        "kind": "voucher", "amount": "10.5", "currency": "VND", "description": "Voucher ăn tối"})
    assert state() == before
    assert response["Location"] == f"/cases/{case.reference}/#remedy-form"  # nothing typed rides on the URL
    page = client.get(response["Location"]).content.decode()
    assert ('value="10.5" maxlength="30" aria-invalid="true" aria-describedby="remedy-amount-error">\n          '
            '<p class="field-error" id="remedy-amount-error">VND has no decimals: enter a whole amount.</p>') in page
    assert ">Voucher ăn tối</textarea>" in page
    assert '<option value="voucher" selected>' in page
    # Shown once: the next visit has an empty form again.
    assert "VND has no decimals" not in client.get(f"/cases/{case.reference}/").content.decode()


@pytest.fixture
def pending(case: Case, agent: User) -> Remedy:
    return services.propose_remedy(case, kind="refund", amount_minor=900_000, currency="VND", by=agent)


def test_supervisor_approves_from_the_case_page(client: Client, pending: Remedy, supervisor: User) -> None:
    page = login(client, supervisor).get(f"/cases/{pending.case.reference}/").content.decode()
    assert f'action="/remedies/{pending.pk}/decide/"' in page
    response = client.post(f"/remedies/{pending.pk}/decide/", {"decision": "approve", "reason": ""})
    assert response["Location"] == f"/cases/{pending.case.reference}/#remedies"
    assert Remedy.objects.get(pk=pending.pk).status == RemedyStatus.APPROVED


def test_the_agent_sees_no_decision_buttons_and_a_post_is_403(client: Client, pending: Remedy,
                                                              agent: User) -> None:
    page = login(client, agent).get(f"/cases/{pending.case.reference}/").content.decode()
    assert f'action="/remedies/{pending.pk}/decide/"' not in page
    assert "Waiting for a supervisor or CX manager to approve it." in page
    before = state()
    assert client.post(f"/remedies/{pending.pk}/decide/", {"decision": "approve"}).status_code == 403
    assert state() == before


@pytest.mark.parametrize("who", ["outsider", "bangkok_agent"])
def test_other_organisations_and_locations_get_404_and_nothing_changes(
    client: Client, pending: Remedy, staff_cast: dict[str, User], who: str
) -> None:
    login(client, staff_cast[who])
    reference = pending.case.reference
    before = state()
    for url, data in [
        (f"/remedies/{pending.pk}/decide/", {"decision": "approve"}),
        (f"/remedies/{pending.pk}/fulfil/", {"proof": "x"}),
        (f"/remedies/{pending.pk}/cancel/", {}),
        (f"/cases/{reference}/remedies/", {"kind": "apology", "amount": "0", "currency": "VND"}),
        (f"/cases/{reference}/customer-costs/", {"cost_kind": "time_lost", "cost_minutes": "30"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert state() == before


def test_rejecting_without_a_reason_is_refused(client: Client, pending: Remedy, manager: User) -> None:
    before = state()
    response = login(client, manager).post(f"/remedies/{pending.pk}/decide/", {"decision": "reject"}, follow=True)
    assert "Please say why the remedy is rejected." in response.content.decode()
    assert state() == before


def test_fulfil_and_cancel(client: Client, case: Case, agent: User) -> None:
    granted = services.propose_remedy(case, kind="voucher", amount_minor=400_000, currency="VND", by=agent)
    other = services.propose_remedy(case, kind="gesture", amount_minor=100_000, currency="VND", by=agent)
    login(client, agent)
    missing = client.post(f"/remedies/{granted.pk}/fulfil/", {"proof": ""}, follow=True)
    assert "Please enter the voucher code." in missing.content.decode()
    client.post(f"/remedies/{granted.pk}/fulfil/", {"proof": "VC-88"})
    client.post(f"/remedies/{other.pk}/cancel/", {"reason": "Khách từ chối"})
    assert Remedy.objects.get(pk=granted.pk).voucher_code == "VC-88"
    assert Remedy.objects.get(pk=other.pk).status == RemedyStatus.CANCELLED
    assert Message.objects.filter(case=case).count() == 1


def test_recording_a_cost_feeds_the_suggestion(client: Client, case: Case, agent: User,
                                               catalogue: list[RemedyOption]) -> None:
    case.failure_type = "monetary"
    case.save()
    login(client, agent).post(f"/cases/{case.reference}/customer-costs/", {
        "cost_kind": "money_spent", "cost_amount": "200,000", "cost_currency": "VND", "cost_note": "Taxi"})
    cost = CustomerCost.objects.get()
    assert (cost.amount_minor, cost.currency, cost.note) == (200_000, "VND", "Taxi")
    page = client.get(f"/cases/{case.reference}/").content.decode()
    # 300 000 x 125 % + 200 000 = 575 000, above the agent's 500 000 at once.
    assert f'href="?suggestion=option-{catalogue[0].pk}#remedy-form">Refund · 500,000 ₫</a>' in page
    assert "575,000 ₫ needs approval." in page
    assert "Money spent · 200,000 ₫" in page


def test_a_bad_cost_is_refused_with_what_was_typed(client: Client, case: Case, agent: User) -> None:
    before = state()
    response = login(client, agent).post(f"/cases/{case.reference}/customer-costs/", {
        "cost_kind": "time_lost", "cost_minutes": "an hour", "cost_note": "Chờ lễ tân"})
    assert state() == before
    assert response["Location"] == f"/cases/{case.reference}/#cost-form"
    page = client.get(response["Location"]).content.decode()
    assert ('<p class="field-error">Enter the minutes as a whole number.</p>') in page
    assert 'name="cost_note" value="Chờ lễ tân"' in page
