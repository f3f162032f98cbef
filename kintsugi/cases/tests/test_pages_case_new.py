"""Log a complaint (/cases/new/): a phone or walk-in complaint typed by staff."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Category, Channel, Customer, CustomerIdentity, EventKind, SlaPolicy, Status


def in_english(user: User) -> User:
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def form(**overrides: Any) -> dict[str, Any]:
    data = {"channel": "phone", "description": "Khách gọi: điều hòa phòng 210 chảy nước.", "severity": "3",
            "customer_name": "Trần Văn Nam", "customer_phone": "0903 123 456", "customer_email": "", "language": ""}
    data.update(overrides)
    return data


def test_form_defaults_to_the_agents_only_location(
    client: Client, agent: User, hanoi: Location, bangkok: Location, front_desk: Touchpoint,
    bangkok_desk: Touchpoint, rooms: Category
) -> None:
    login(client, agent)
    html = client.get("/cases/new/").content.decode()
    assert f'<option value="{hanoi.pk}" selected>Lotus Hà Nội</option>' in html
    assert "Lotus Bangkok" not in html
    assert f'<option value="{front_desk.pk}">Front desk</option>' in html
    assert f'<option value="{bangkok_desk.pk}"' not in html
    assert '<input type="radio" name="channel" value="phone"' in html
    assert "checked" in html
    assert '<input type="radio" name="severity" value="3"' in html
    assert f'<option value="{rooms.pk}">Rooms</option>' in html  # the agent's browser asks for English


def test_supervisor_chooses_among_every_location(
    client: Client, supervisor: User, hanoi: Location, bangkok: Location, front_desk: Touchpoint,
    bangkok_desk: Touchpoint
) -> None:
    login(client, supervisor)
    html = client.get("/cases/new/").content.decode()
    assert '<option value="" selected>Choose a location</option>' in html
    assert '<optgroup label="Lotus Bangkok">' in html
    assert '<optgroup label="Lotus Hà Nội">' in html


def test_logging_a_complaint_opens_a_case_for_the_customer(
    client: Client, agent: User, hanoi: Location, front_desk: Touchpoint, rooms: Category, policy: SlaPolicy
) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, touchpoint=front_desk.pk, category=rooms.pk,
                                               severity="4"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert (case.channel, case.location_id, case.touchpoint_id) == (Channel.PHONE, hanoi.pk, front_desk.pk)
    assert (case.category_id, case.severity, case.created_by_id) == (rooms.pk, 4, agent.pk)
    assert case.description == "Khách gọi: điều hòa phòng 210 chảy nước."
    assert case.language == "vi"
    assert case.first_response_at is not None  # staff answered the caller while logging it
    assert case.customer is not None
    assert case.customer.name == "Trần Văn Nam"
    assert list(case.customer.identities.values_list("kind", "value")) == [("phone", "+84903123456")]
    event = case.events.get()
    assert (event.kind, event.actor_id) == (EventKind.CREATED, agent.pk)
    page = client.get(response["Location"]).content.decode()
    assert f"Case {case.reference} is open." in page


def test_logging_without_customer_details(client: Client, agent: User, hanoi: Location, policy: SlaPolicy) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, customer_name="", customer_phone="",
                                               channel="in_person", language="en",
                                               description="A guest said the lift smells of smoke."))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.customer_id, case.channel, case.language, case.status) == (None, Channel.IN_PERSON, "en", Status.NEW)
    assert Customer.objects.count() == 0


def test_a_known_phone_number_finds_the_customer_and_flags_a_repeat_failure(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, case: Case, vi_customer: Customer
) -> None:
    login(client, agent)
    client.post("/cases/new/", form(location=hanoi.pk, customer_name="", customer_phone="+84 912 345 678"))
    new = Case.objects.exclude(pk=case.pk).get()
    assert new.customer_id == vi_customer.pk
    assert new.is_repeat_failure is True
    assert Customer.objects.count() == 1


def test_a_bad_phone_number_is_a_form_error_and_keeps_what_was_typed(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy
) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, customer_phone="12345",
                                               customer_email="nam@example.com"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "“12345” is not a valid phone number." in html
    assert "Please correct the marked fields. Everything you typed is still here." in html
    assert 'value="12345"' in html
    assert 'value="Trần Văn Nam"' in html
    assert 'value="nam@example.com"' in html
    assert "Khách gọi: điều hòa phòng 210 chảy nước.</textarea>" in html
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
    assert CustomerIdentity.objects.count() == 0


def test_a_bad_email_is_a_form_error(client: Client, agent: User, hanoi: Location, policy: SlaPolicy) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, customer_email="nam at example"))
    assert "“nam at example” is not a valid email address." in response.content.decode()
    assert Case.objects.count() == 0


def test_what_happened_is_required(client: Client, agent: User, hanoi: Location, policy: SlaPolicy) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, description="   "))
    assert response.status_code == 400
    assert "Please describe what happened." in response.content.decode()
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_touchpoint_must_be_at_the_location(
    client: Client, supervisor: User, hanoi: Location, bangkok_desk: Touchpoint, policy: SlaPolicy
) -> None:
    login(client, supervisor)
    response = client.post("/cases/new/", form(location=hanoi.pk, touchpoint=bangkok_desk.pk))
    assert "This touchpoint is not at the chosen location." in response.content.decode()
    assert Case.objects.count() == 0


def test_agent_cannot_log_for_a_location_outside_their_scope(
    client: Client, agent: User, bangkok: Location, policy: SlaPolicy
) -> None:
    login(client, in_english(agent))
    response = client.post("/cases/new/", form(location=bangkok.pk))
    assert response.status_code == 400
    assert f"Select a valid choice. {bangkok.pk} is not one of the available choices." in response.content.decode()
    assert Case.objects.count() == 0


def test_unknown_channel_and_severity_are_form_errors(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy
) -> None:
    login(client, in_english(agent))
    html = client.post("/cases/new/", form(location=hanoi.pk, channel="pigeon", severity="7")).content.decode()
    assert "Select a valid choice. pigeon is not one of the available choices." in html
    assert "Select a valid choice. 7 is not one of the available choices." in html
    assert Case.objects.count() == 0


def test_the_service_refusal_is_shown_on_the_form(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, monkeypatch: Any
) -> None:
    def refuse(**kwargs: Any) -> Case:
        raise services.InvalidInput("The location is closed for renovation.")

    monkeypatch.setattr(services, "open_case", refuse)
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk))
    assert "The location is closed for renovation." in response.content.decode()
    assert Customer.objects.count() == 0  # the customer created first was rolled back with it


# ------------------------------------------------------------------------------------------ the customer picker


def test_a_chosen_customer_gets_the_case_and_it_is_flagged_as_a_repeat_failure(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, case: Case, vi_customer: Customer
) -> None:
    login(client, agent)
    # What the new-customer fields still hold (hidden while a customer is chosen) is ignored.
    response = client.post("/cases/new/", form(location=hanoi.pk, customer=vi_customer.pk,
                                               customer_phone="not a number", customer_email="x@example.com"))

    new = Case.objects.exclude(pk=case.pk).get()
    assert response.status_code == 302
    assert (new.customer_id, new.is_repeat_failure, new.priority) == (vi_customer.pk, True, "high")
    assert list(new.events.values_list("kind", flat=True)) == [EventKind.CREATED, EventKind.ESCALATED]
    assert Customer.objects.count() == 1
    assert sorted(vi_customer.identities.values_list("value", flat=True)) == ["+84912345678", "zalo-hoa"]
    assert "REPEAT FAILURE" in client.get(response["Location"]).content.decode()


def test_a_customer_of_another_organisation_is_refused_and_nothing_is_created(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, other_org: Organisation
) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, name="Rival guest", phone="0912 000 111")
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, customer=theirs.pk))
    html = response.content.decode()

    assert response.status_code == 400
    assert "This customer does not exist, or you do not have access to them." in html
    assert "Rival guest" not in html
    assert '<input type="search" id="customer-q" name="q"' in html  # back to searching
    assert (Case.objects.count(), Customer.objects.count(), CustomerIdentity.objects.count()) == (0, 1, 1)


def test_without_javascript_find_shows_the_matches_and_keeps_what_was_typed(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, case: Case, vi_customer: Customer
) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, severity="4", q="0912 345 678", find="1"))
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<button type="submit" name="pick" value="{vi_customer.pk}"' in html
    assert '<span class="match-name">Nguyễn Thị Hoa</span>' in html
    assert 'value="0912 345 678"' in html
    assert "Khách gọi: điều hòa phòng 210 chảy nước.</textarea>" in html
    assert '<input type="radio" name="severity" value="4" id="id_severity_3" required checked>' in html
    assert "form-error" not in html
    assert Case.objects.count() == 1


def test_without_javascript_pick_then_open_the_case(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, case: Case, vi_customer: Customer
) -> None:
    login(client, agent)
    picked = client.post("/cases/new/", form(location=hanoi.pk, q="hoa", pick=str(vi_customer.pk))).content.decode()
    assert f'<input type="hidden" name="customer" value="{vi_customer.pk}">' in picked
    assert ">Change</button>" in picked
    assert Case.objects.count() == 1

    changed = client.post("/cases/new/", form(location=hanoi.pk, customer=vi_customer.pk, change="1"))
    assert 'name="customer"' not in changed.content.decode()

    response = client.post("/cases/new/", form(location=hanoi.pk, customer=vi_customer.pk))
    assert response.status_code == 302
    assert Case.objects.exclude(pk=case.pk).get().customer_id == vi_customer.pk


def test_a_chosen_customer_stays_chosen_when_the_form_has_an_error(
    client: Client, agent: User, hanoi: Location, policy: SlaPolicy, vi_customer: Customer
) -> None:
    login(client, agent)
    response = client.post("/cases/new/", form(location=hanoi.pk, customer=vi_customer.pk, description=""))
    html = response.content.decode()

    assert response.status_code == 400
    assert "Please describe what happened." in html
    assert f'<input type="hidden" name="customer" value="{vi_customer.pk}">' in html
    assert Case.objects.count() == 0
