"""The reply templates page, the composer's template picker, the apology phrases page and the thanks page: who
may see and change what, across the cast and across organisations."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, Category, EventKind
from kintsugi.comms.models import Message
from kintsugi.recovery.models import ApologyPhrase, ReplyTemplate
from kintsugi.recovery.services import messages

EDITORS = ["manager", "admin_user"]
READERS = ["agent", "bangkok_agent", "supervisor"]


def _template(manager: User, **fields: object) -> ReplyTemplate:
    values: dict[str, object] = {"language": "vi", "category": None, "name": "Xác nhận",
                                 "body": "Chào {customer_name}, hồ sơ {reference}."}
    values.update(fields)
    template, _check = messages.save_reply_template(None, by=manager, **values)  # type: ignore[arg-type]
    return template


# --------------------------------------------------------------------------------------------- reply templates


@pytest.mark.parametrize("who", EDITORS)
def test_editors_add_a_template_and_see_unknown_placeholders_reported(
    client: Client, who: str, request: pytest.FixtureRequest, rooms: Category
) -> None:
    login(client, request.getfixturevalue(who))
    response = client.post("/replies/templates/", {"language": "vi", "category": str(rooms.pk), "name": "Phòng",
                                                   "body": "Chào {customer_name} {room} {{ reference }}"}, follow=True)
    html = response.content.decode()
    template = ReplyTemplate.objects.get()
    assert (template.language, template.category, template.body) == (
        "vi", rooms, "Chào {customer_name} {room} {{ reference }}")
    assert "Unknown placeholders stay as typed: {room}" in html
    assert "These braces are not placeholders and stay as typed: {{ reference }}" in html


@pytest.mark.parametrize("who", READERS)
def test_others_may_view_templates_but_get_403_on_post(
    client: Client, who: str, request: pytest.FixtureRequest, manager: User
) -> None:
    template = _template(manager)
    login(client, request.getfixturevalue(who))
    page = client.get("/replies/templates/")
    assert page.status_code == 200
    assert "Xác nhận" in page.content.decode()
    assert 'id="template-editor"' not in page.content.decode()
    assert client.post("/replies/templates/", {"language": "en", "name": "x", "body": "x"}).status_code == 403
    assert client.post(f"/replies/templates/{template.pk}/", {"language": "en", "name": "x",
                                                              "body": "x"}).status_code == 403
    assert client.post(f"/replies/templates/{template.pk}/delete/").status_code == 403
    template.refresh_from_db()
    assert (ReplyTemplate.objects.count(), template.name, template.language) == (1, "Xác nhận", "vi")


def test_another_organisation_gets_404_on_our_template_and_does_not_see_it(
    client: Client, manager: User, outsider: User
) -> None:
    template = _template(manager)
    outsider.role = "cx_manager"
    outsider.save()
    login(client, outsider)
    assert "Xác nhận" not in client.get("/replies/templates/").content.decode()
    assert client.get(f"/replies/templates/{template.pk}/").status_code == 404
    assert client.post(f"/replies/templates/{template.pk}/", {"language": "en", "name": "x",
                                                              "body": "x"}).status_code == 404
    assert client.post(f"/replies/templates/{template.pk}/delete/").status_code == 404
    template.refresh_from_db()
    assert (ReplyTemplate.objects.count(), template.name) == (1, "Xác nhận")


def test_the_editor_reports_placeholders_as_they_are_typed(client: Client, agent: User) -> None:
    login(client, agent)
    response = client.post("/replies/templates/check/", {"body": "Hi {customer_name} {room} {% if %}"},
                           headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div id="placeholder-report"')
    assert "Unknown placeholders stay as typed: {room}" in html
    assert "These braces are not placeholders: {% if %}" in html
    clean = client.post("/replies/templates/check/", {"body": "Hi {customer_name}"}).content.decode()
    assert "field-error" not in clean


def test_editing_and_deleting_a_template(client: Client, manager: User) -> None:
    template = _template(manager)
    login(client, manager)
    assert "Chào {customer_name}" in client.get(f"/replies/templates/{template.pk}/").content.decode()
    client.post(f"/replies/templates/{template.pk}/", {"language": "en", "name": "Hello", "body": "Hi {reference}"})
    template.refresh_from_db()
    assert (template.language, template.name, template.body) == ("en", "Hello", "Hi {reference}")
    client.post(f"/replies/templates/{template.pk}/delete/")
    assert ReplyTemplate.objects.count() == 0


def test_an_empty_template_is_refused_with_what_was_typed_kept(client: Client, manager: User) -> None:
    login(client, manager)
    response = client.post("/replies/templates/", {"language": "vi", "name": "Chỉ tên", "body": "  "})
    assert response.status_code == 400
    assert "The template&#x27;s text is empty." in response.content.decode()
    assert 'value="Chỉ tên"' in response.content.decode()
    assert ReplyTemplate.objects.count() == 0


def test_the_composer_offers_templates_in_the_case_language_category_first(
    client: Client, case: Case, agent: User, manager: User, rooms: Category, billing: Category
) -> None:
    _template(manager, name="B chung")
    _template(manager, name="C phòng", category=rooms)
    _template(manager, name="A thanh toán", category=billing)
    _template(manager, name="English", language="en")
    html = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    picker = html.split('id="reply-template"')[1].split("</select>")[0]
    names = [name.strip() for name in re.findall(r'<option value="\d+">([^<·]+)', picker)]
    assert names == ["C phòng", "B chung", "A thanh toán"]


def test_inserting_a_template_fills_it_for_the_case_after_what_was_typed(
    client: Client, case: Case, agent: User, manager: User
) -> None:
    template = _template(manager)
    login(client, agent)
    url = f"/cases/{case.reference}/reply-template/"
    response = client.post(url, {"template": template.pk, "body": "Dạ,"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<textarea id="reply-body" name="body"')
    assert f"Dạ,\n\nChào Nguyễn Thị Hoa, hồ sơ {case.reference}.</textarea>" in html
    plain = client.post(url, {"template": template.pk, "body": ""}).content.decode()
    assert f'action="/cases/{case.reference}/reply/"' in plain
    assert "Chào Nguyễn Thị Hoa" in plain
    assert Message.objects.filter(case=case).count() == 0


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_inserting_into_a_case_out_of_reach_is_404(
    client: Client, case: Case, manager: User, who: str, request: pytest.FixtureRequest
) -> None:
    template = _template(manager)
    login(client, request.getfixturevalue(who))
    assert client.post(f"/cases/{case.reference}/reply-template/", {"template": template.pk}).status_code == 404


def test_another_organisations_template_cannot_be_inserted(
    client: Client, other_case: Case, manager: User, outsider: User
) -> None:
    template = _template(manager)
    login(client, outsider)
    response = client.post(f"/cases/{other_case.reference}/reply-template/", {"template": template.pk})
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------- phrases


@pytest.mark.parametrize("who", EDITORS)
def test_editors_add_and_remove_phrases(client: Client, who: str, request: pytest.FixtureRequest) -> None:
    login(client, request.getfixturevalue(who))
    response = client.post("/apology/phrases/", {"language": "th", "kind": "excuse", "phrase": "งานยุ่งมาก"})
    assert response.status_code == 302
    phrase = ApologyPhrase.objects.get()
    assert (phrase.language, phrase.kind, phrase.phrase) == ("th", "excuse", "งานยุ่งมาก")
    assert "งานยุ่งมาก" in client.get("/apology/phrases/").content.decode()
    client.post(f"/apology/phrases/{phrase.pk}/delete/")
    assert ApologyPhrase.objects.count() == 0


@pytest.mark.parametrize("who", READERS)
def test_others_may_view_phrases_but_get_403_on_post(
    client: Client, who: str, request: pytest.FixtureRequest, manager: User
) -> None:
    phrase = messages.add_apology_phrase(by=manager, language="en", phrase="busy night", kind="excuse")
    login(client, request.getfixturevalue(who))
    assert client.get("/apology/phrases/").status_code == 200
    assert client.post("/apology/phrases/", {"language": "en", "kind": "excuse", "phrase": "x"}).status_code == 403
    assert client.post(f"/apology/phrases/{phrase.pk}/delete/").status_code == 403
    assert list(ApologyPhrase.objects.values_list("phrase", flat=True)) == ["busy night"]


def test_phrases_do_not_leak_between_organisations(client: Client, manager: User, outsider: User) -> None:
    phrase = messages.add_apology_phrase(by=manager, language="en", phrase="busy night", kind="excuse")
    outsider.role = "cx_manager"
    outsider.save()
    login(client, outsider)
    assert "busy night" not in client.get("/apology/phrases/").content.decode()
    assert client.post(f"/apology/phrases/{phrase.pk}/delete/").status_code == 404
    assert ApologyPhrase.objects.filter(pk=phrase.pk).exists()


def test_a_duplicate_phrase_is_refused_with_a_message(client: Client, manager: User) -> None:
    login(client, manager)
    response = client.post("/apology/phrases/", {"language": "en", "kind": "excuse", "phrase": "The System"})
    assert response.status_code == 400
    assert "This phrase is already on the list." in response.content.decode()
    assert ApologyPhrase.objects.count() == 0


# --------------------------------------------------------------------------------------------- thanks


def test_thanks_page_shows_the_draft_and_sends_it(client: Client, case: Case, agent: User) -> None:
    login(client, agent)
    page = client.get(f"/cases/{case.reference}/thanks/").content.decode()
    assert "Kính gửi quý khách Nguyễn Thị Hoa," in page
    response = client.post(f"/cases/{case.reference}/thanks/", {"body": "Cảm ơn quý khách."})
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, kind=EventKind.THANKS_SENT)
    assert (event.body, event.actor) == ("Cảm ơn quý khách.", agent)


def test_empty_thanks_is_refused_on_the_page_and_nothing_is_sent(client: Client, case: Case, agent: User) -> None:
    login(client, agent)
    response = client.post(f"/cases/{case.reference}/thanks/", {"body": "  "})
    assert response.status_code == 400
    assert Message.objects.filter(case=case).count() == 0
    assert not CaseEvent.objects.filter(kind=EventKind.THANKS_SENT).exists()
