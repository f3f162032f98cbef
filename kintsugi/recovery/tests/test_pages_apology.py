"""The apology page: parts with guidance in the case's language, live preview and lint (HTMX and plain POST),
sending, the missing-part refusal, and who may open it."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.comms.models import Message
from kintsugi.recovery import services
from kintsugi.recovery.apology import PARTS_BY_KEY


def _url(case: Case) -> str:
    return f"/cases/{case.reference}/apology/"


def _counts(case: Case) -> tuple[int, int]:
    return CaseEvent.objects.filter(case=case).count(), Message.objects.filter(case=case).count()


def test_page_shows_the_five_parts_with_guidance_in_the_case_language(client: Client, case: Case,
                                                                       agent: User) -> None:
    response = login(client, agent).get(_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    for key in ("restore", "responsibility", "explanation", "prevention", "regret", "forgiveness"):
        assert f'name="{key}"' in html
    assert "Nhận trách nhiệm rõ ràng" in html  # Vietnamese guidance for a Vietnamese case
    assert "Own it plainly" not in html
    assert "The complaint came in" in html
    assert "An apology was already sent" not in html
    assert 'name="forgiveness"' in html
    assert "checked" not in html.split('name="forgiveness"')[1][:20]


def test_page_chrome_is_in_the_staff_language_and_guidance_in_the_case_language(
    client: Client, bangkok_case: Case, bangkok_agent: User
) -> None:
    bangkok_agent.language = "en"
    bangkok_agent.save()
    html = login(client, bangkok_agent).get(_url(bangkok_case)).content.decode()
    assert "Write the apology" in html
    assert "ยอมรับความรับผิดชอบอย่างชัดเจน" in html


def test_htmx_preview_returns_the_composed_text_and_warnings_part_by_part(
    client: Client, case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    vi_parts["explanation"] = "Do hệ thống nên phòng bị đánh dấu nhầm."
    before = _counts(case)
    response = login(client, agent).post(_url(case), {**vi_parts, "action": "preview"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="apology-live"' in html
    assert "<html" not in html
    assert vi_parts["restore"] in html
    assert 'id="part-explanation-warnings" class="apology-warnings" hx-swap-oob="true"' in html
    explanation = html.split('id="part-explanation-warnings"')[1].split("</div>")[0]
    assert "Do hệ thống" in explanation
    assert "Blame" in explanation
    restore = html.split('id="part-restore-warnings"')[1].split("</div>")[0]
    assert "lint" not in restore
    assert _counts(case) == before


def test_a_part_left_as_its_example_is_flagged_beside_it(
    client: Client, case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    vi_parts["prevention"] = "Từ hôm nay, trưởng ca sẽ kiểm tra từng phòng trước khi giao cho khách."  # the example
    assert vi_parts["prevention"] in PARTS_BY_KEY["prevention"].examples["vi"]
    html = login(client, agent).post(_url(case), {**vi_parts, "action": "preview"}).content.decode()
    prevention = html.split('id="part-prevention-warnings"')[1].split("</div>")[0]
    assert 'class="lint lint-unedited"' in prevention
    restore = html.split('id="part-restore-warnings"')[1].split("</div>")[0]
    assert "lint-unedited" not in restore


def test_plain_post_preview_without_javascript_shows_the_whole_page(
    client: Client, case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    before = _counts(case)
    response = login(client, agent).post(_url(case), {**vi_parts, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert vi_parts["regret"] in html
    assert _counts(case) == before


def test_sending_goes_back_to_the_case_with_the_apology_on_its_timeline(
    client: Client, case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    response = login(client, agent).post(_url(case), {**vi_parts, "action": "send"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    event = CaseEvent.objects.get(case=case, kind=EventKind.APOLOGY_SENT)
    assert event.body.startswith(vi_parts["restore"])
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Linh apologised to the customer" in page
    assert "An apology was already sent" in client.get(_url(case)).content.decode()


def test_a_missing_part_is_a_form_error_and_nothing_is_sent_and_nothing_typed_is_lost(
    client: Client, case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    del vi_parts["prevention"]
    before = _counts(case)
    response = login(client, agent).post(_url(case), {**vi_parts, "action": "send"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "This part is required." in html
    assert vi_parts["explanation"] in html
    assert _counts(case) == before


def test_part_one_is_prefilled_from_the_remedy_seam(client: Client, case: Case, agent: User,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "remedy_offer_text", lambda case, language: "Hoàn lại 500.000 đồng.")
    html = login(client, agent).get(_url(case)).content.decode()
    assert ">Hoàn lại 500.000 đồng.</textarea>" in html


@pytest.mark.parametrize("who", ["bangkok_agent", "outsider"])
def test_someone_who_cannot_see_the_case_gets_404_and_nothing_changes(
    client: Client, case: Case, who: str, request: pytest.FixtureRequest, vi_parts: dict[str, str]
) -> None:
    user = request.getfixturevalue(who)
    login(client, user)
    before = _counts(case)
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), {**vi_parts, "action": "send"}).status_code == 404
    assert client.get(f"/cases/{case.reference}/thanks/").status_code == 404
    assert client.post(f"/cases/{case.reference}/thanks/", {"body": "x"}).status_code == 404
    assert _counts(case) == before


def test_signed_out_visitors_are_sent_to_log_in(client: Client, case: Case) -> None:
    assert client.get(_url(case)).status_code == 302


def test_case_page_links_to_the_apology_and_thanks(client: Client, case: Case, agent: User) -> None:
    html = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    assert f'href="/cases/{case.reference}/apology/"' in html
    assert f'href="/cases/{case.reference}/thanks/"' in html
