"""The approvals queue and the remedy settings pages: who may see them (frontline 403, other organisations see
nothing of ours), deciding from the queue, and saving the catalogue, limits and settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login, make_staff
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases.models import Case
from kintsugi.remedies import services
from kintsugi.remedies.models import AuthorityLimit, Remedy, RemedyOption, RemedySettings, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


@pytest.fixture
def pending(case: Case, agent: User, supervisor: User, manager: User) -> Remedy:
    """Asked for after the approvers exist, so they are notified."""
    return services.propose_remedy(case, kind="voucher", amount_minor=700_000, currency="VND", by=agent,
                                   description="Voucher ăn tối cho hai người")


def test_the_queue_lists_pending_remedies_for_supervisors(client: Client, pending: Remedy,
                                                          supervisor: User) -> None:
    page = login(client, supervisor).get("/remedies/approvals/").content.decode()
    assert pending.case.reference in page
    assert "Voucher ăn tối cho hai người" in page
    assert "700,000 ₫" in page
    assert 'href="/remedies/approvals/" class="nav-link"' in page


def test_approving_from_the_queue_comes_back_to_the_queue(client: Client, pending: Remedy, manager: User) -> None:
    response = login(client, manager).post(f"/remedies/{pending.pk}/decide/",
                                           {"decision": "approve", "next": "approvals"}, follow=True)
    assert response.redirect_chain[-1][0] == "/remedies/approvals/"
    assert "Nothing is waiting for approval." in response.content.decode()
    assert Remedy.objects.get(pk=pending.pk).status == RemedyStatus.APPROVED


@pytest.mark.parametrize("asked", [1, 6])
def test_the_queue_pins_its_queries(client: Client, case: Case, bangkok_case: Case, agent: User,
                                    bangkok_agent: User, supervisor: User, asked: int,
                                    django_assert_num_queries: Any) -> None:
    services.propose_remedy(case, kind="gesture", amount_minor=100_000, currency="VND", by=agent)
    services.record_customer_cost(case, kind="time_lost", minutes=30, by=agent)
    for number in range(asked):
        services.propose_remedy(case, kind="refund", amount_minor=600_000 + number, currency="VND", by=agent)
        services.propose_remedy(bangkok_case, kind="refund", amount_minor=90_000 + number, currency="THB",
                                by=bangkok_agent)
    login(client, supervisor)
    client.get("/remedies/approvals/")
    # session, user, scope, pending remedies with their case, location and requester, the remedies given on those
    # cases, their customer costs, the organisation's limits, unread notifications: the same for 2 cards or 12
    with django_assert_num_queries(8):
        assert client.get("/remedies/approvals/").status_code == 200


def test_a_location_scoped_supervisor_sees_only_their_locations(client: Client, org: Organisation,
                                                                bangkok: Location, pending: Remedy) -> None:
    bangkok_supervisor = make_staff(org, "bkk_sup", Role.SUPERVISOR, locations=[bangkok])
    page = login(client, bangkok_supervisor).get("/remedies/approvals/").content.decode()
    assert pending.case.reference not in page


@pytest.mark.parametrize("path", ["/remedies/approvals/", "/remedies/cost/", "/remedies/settings/"])
def test_frontline_staff_get_403(client: Client, agent: User, path: str) -> None:
    assert login(client, agent).get(path).status_code == 403


def test_the_outsider_sees_nothing_of_ours(client: Client, pending: Remedy, outsider: User) -> None:
    page = login(client, outsider).get("/remedies/approvals/").content.decode()
    assert pending.case.reference not in page
    assert "Nothing is waiting for approval." in page


def test_supervisors_may_not_change_settings(client: Client, supervisor: User) -> None:
    login(client, supervisor)
    assert client.get("/remedies/settings/").status_code == 403
    before = list(AuthorityLimit.objects.values_list("pk", "per_remedy_minor"))
    assert client.post("/remedies/settings/limits/", {"role": "frontline", "currency": "VND",
                                                       "per_remedy": "9000000"}).status_code == 403
    assert list(AuthorityLimit.objects.values_list("pk", "per_remedy_minor")) == before


def test_the_cx_manager_sets_a_location_limit(client: Client, manager: User, hanoi: Location) -> None:
    login(client, manager)
    assert "Authority limits" in client.get("/remedies/settings/").content.decode()
    client.post("/remedies/settings/limits/", {"role": "frontline", "location": "hanoi", "currency": "VND",
                                               "per_remedy": "700,000", "per_case": "1,000,000", "per_day": ""})
    row = AuthorityLimit.objects.get(location=hanoi)
    assert (row.role, row.per_remedy_minor, row.per_case_minor, row.per_day_minor) == (
        "frontline", 700_000, 1_000_000, None)
    client.post("/remedies/settings/limits/", {"role": "frontline", "location": "hanoi", "currency": "VND",
                                               "per_remedy": "800,000", "per_case": "", "per_day": ""})
    assert AuthorityLimit.objects.get(location=hanoi).per_remedy_minor == 800_000
    client.post(f"/remedies/settings/limits/{row.pk}/delete/")
    assert not AuthorityLimit.objects.filter(location=hanoi).exists()


def test_a_thai_amount_with_too_many_decimals_is_refused(client: Client, manager: User) -> None:
    before = list(AuthorityLimit.objects.values_list("pk", "per_remedy_minor"))
    response = login(client, manager).post("/remedies/settings/limits/", {
        "role": "supervisor", "currency": "THB", "per_remedy": "100.555"}, follow=True)
    assert "THB has at most 2 decimals." in response.content.decode()
    assert list(AuthorityLimit.objects.values_list("pk", "per_remedy_minor")) == before


def test_another_organisations_limit_cannot_be_removed(client: Client, outsider: User, other_org: Organisation,
                                                       limits: list[AuthorityLimit]) -> None:
    outsider.role = Role.CX_MANAGER
    outsider.save()
    assert login(client, outsider).post(f"/remedies/settings/limits/{limits[0].pk}/delete/").status_code == 404
    assert AuthorityLimit.objects.filter(pk=limits[0].pk).exists()


def test_the_catalogue_and_settings_are_saved(client: Client, admin_user: User, org: Organisation) -> None:
    login(client, admin_user)
    client.post("/remedies/settings/catalogue/", {"kind": "gesture", "name": "Fruit basket", "name_vi": "Giỏ trái cây",
                                                  "name_th": "ตะกร้าผลไม้", "default_amount": "150,000",
                                                  "currency": "VND", "is_active": "1"})
    option = RemedyOption.objects.get()
    assert (option.kind, option.label("vi"), option.default_amount_minor, option.is_active) == (
        "gesture", "Giỏ trái cây", 150_000, True)
    client.post("/remedies/settings/catalogue/", {"pk": option.pk, "kind": "gesture", "name": "Fruit basket",
                                                  "default_amount": "200,000", "currency": "VND"})
    option.refresh_from_db()
    assert (option.default_amount_minor, option.is_active) == (200_000, False)
    client.post("/remedies/settings/general/", {"currencies": ["VND", "THB", "USD"], "average_customer_value":
                                                "3,000,000", "average_value_currency": "VND", "at_risk_days": "120"})
    saved = RemedySettings.objects.get(organisation=org)
    assert (saved.currencies, saved.average_customer_value_minor, saved.at_risk_days) == (
        ["VND", "THB", "USD"], 3_000_000, 120)


def test_the_approval_notification_opens_the_remedy_on_the_case_page(client: Client, pending: Remedy,
                                                                      supervisor: User) -> None:
    from kintsugi.comms.models import Notification

    notification = Notification.objects.get(user=supervisor, kind="approval_needed")
    response = login(client, supervisor).post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == f"/cases/{pending.case.reference}/#remedy-{pending.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_url_that_leaves_the_site_is_ignored(client: Client, case: Case, supervisor: User) -> None:
    from kintsugi.comms.models import Notification

    notification = Notification.objects.create(organisation_id=case.organisation_id, user=supervisor, case=case,
                                               kind="approval_needed", data={"url": "//evil.example/"})
    response = login(client, supervisor).post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == f"/cases/{case.reference}/"
