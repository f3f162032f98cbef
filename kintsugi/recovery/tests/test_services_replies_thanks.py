"""Reply templates (managers edit, filled for a case in its language) and thank-and-explain (drafted from what the
customer saw, sent as THANKS_SENT)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from kintsugi.accounts.models import User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, CaseEvent, Category, EventKind
from kintsugi.cases.services import InvalidInput, NotAllowed
from kintsugi.comms.models import Message
from kintsugi.intake.models import CaseAccessLink
from kintsugi.intake.services import link_for_token
from kintsugi.recovery.models import ReplyTemplate
from kintsugi.recovery.services import messages
from kintsugi.recovery.testing import complete_steps
from kintsugi.recovery.thanks import draft_thanks


def test_managers_and_admins_save_templates_and_get_placeholder_problems_back(
    manager: User, admin_user: User, rooms: Category
) -> None:
    template, check = messages.save_reply_template(
        None, by=manager, language="vi", category=rooms, name=" Phòng chưa dọn ",
        body="Chào {customer_name}, {room} {{ reference }}",
    )
    assert (template.name, template.language, template.category, template.organisation_id) == (
        "Phòng chưa dọn", "vi", rooms, manager.organisation_id)
    assert (check.unknown, check.malformed) == (["{room}"], ["{{ reference }}"])
    messages.save_reply_template(template, by=admin_user, language="en", category=None, name="Room", body="Hi")
    template.refresh_from_db()
    assert (template.language, template.category, template.body, template.updated_by) == ("en", None, "Hi",
                                                                                          admin_user)


def test_frontline_and_supervisors_cannot_change_templates(agent: User, supervisor: User, manager: User) -> None:
    template, _check = messages.save_reply_template(None, by=manager, language="en", category=None, name="A",
                                                    body="Hello")
    for user in (agent, supervisor):
        with pytest.raises(NotAllowed):
            messages.save_reply_template(None, by=user, language="en", category=None, name="B", body="x")
        with pytest.raises(NotAllowed):
            messages.save_reply_template(template, by=user, language="en", category=None, name="B", body="x")
        with pytest.raises(NotAllowed):
            messages.delete_reply_template(template, by=user)
    template.refresh_from_db()
    assert (ReplyTemplate.objects.count(), template.name, template.body) == (1, "A", "Hello")


def test_another_organisations_category_or_template_is_refused(
    manager: User, outsider: User, other_org: object
) -> None:
    foreign = Category.objects.create(organisation=other_org, code="spa", name="Spa")  # type: ignore[misc]
    with pytest.raises(InvalidInput):
        messages.save_reply_template(None, by=manager, language="en", category=foreign, name="A", body="x")
    template, _check = messages.save_reply_template(None, by=manager, language="en", category=None, name="A",
                                                    body="Hello")
    outsider.role = "cx_manager"
    with pytest.raises(NotAllowed):
        messages.delete_reply_template(template, by=outsider)
    assert ReplyTemplate.objects.count() == 1


def test_template_is_filled_for_the_case_in_its_language(case: Case, agent: User, manager: User) -> None:
    template, _check = messages.save_reply_template(
        None, by=manager, language="vi", category=None, name="Xác nhận",
        body="Chào {customer_name}, hồ sơ {reference} tại {location} ({category}) do {agent_name} xử lý. {x}",
    )
    before = CaseAccessLink.objects.filter(case=case).count()
    filled = messages.fill_reply_template(case, template, by=agent)
    assert filled.text == (f"Chào Nguyễn Thị Hoa, hồ sơ {case.reference} tại Lotus Hà Nội (Phòng) do Linh xử lý. {{x}}")
    assert filled.unknown == ["{x}"]
    assert CaseAccessLink.objects.filter(case=case).count() == before  # no link unless the template shows it


def test_status_url_placeholder_issues_a_fresh_link(case: Case, agent: User, manager: User) -> None:
    before = CaseAccessLink.objects.filter(case=case).count()
    template, _check = messages.save_reply_template(None, by=manager, language="vi", category=None, name="Link",
                                                    body="{status_url}")
    filled = messages.fill_reply_template(case, template, by=agent)
    link = CaseAccessLink.objects.filter(case=case).latest("id")
    assert filled.text.startswith("http")
    assert link_for_token(filled.text.rstrip("/").rsplit("/", 1)[-1]) == link
    assert CaseAccessLink.objects.filter(case=case).count() == before + 1


def test_thanks_draft_explains_what_the_customer_saw_in_their_language(
    case: Case, agent: User, vi_parts: dict[str, str]
) -> None:
    cases.acknowledge(case, by=agent, at=case.created_at + timedelta(minutes=5))
    cases.add_note(case, "Khách VIP, nội bộ thôi", by=agent)
    cases.reply(case, "Chúng tôi đang xử lý.", by=agent)
    messages.send_apology(case, vi_parts, by=agent)
    complete_steps(case, by=agent)  # the rest of the playbook, done in person (not seen by the customer)
    cases.resolve(case, by=agent, summary="lý do nội bộ", at=case.created_at + timedelta(minutes=10))
    draft = draft_thanks(case, "vi")
    # The days the customer saw each step, in the hotel's time zone: the first reply went out as the case opened,
    # the resolution came ten minutes later (the next day, when the test runs just before midnight there).
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    opened, fixed = case.created_at.astimezone(zone), (case.created_at + timedelta(minutes=10)).astimezone(zone)
    started = f"{opened.day} tháng {opened.month} năm {opened.year}"  # “6 tháng 12 năm 2026”
    day = f"{fixed.day} tháng {fixed.month} năm {fixed.year}"
    assert draft == (
        "Kính gửi quý khách Nguyễn Thị Hoa,\n\n"
        "Cảm ơn quý khách đã cho chúng tôi biết về sự cố này và đã kiên nhẫn trong lúc chúng tôi khắc phục.\n\n"
        "Dưới đây là những việc chúng tôi đã làm:\n"
        f"- Ngày {started}, chúng tôi bắt đầu xử lý phản ánh của quý khách.\n"
        "- Chúng tôi đã gửi lời xin lỗi, giải thích nguyên nhân và những thay đổi để sự cố không lặp lại.\n"
        "- Chúng tôi đã cập nhật tình hình cho quý khách qua 1 tin nhắn.\n"
        f"- Ngày {day}, chúng tôi đã khắc phục xong sự cố.\n\n"
        "Ý kiến của quý khách giúp chúng tôi phục vụ tốt hơn. Nếu vẫn còn điều gì chưa ổn, quý khách chỉ cần trả "
        "lời tin nhắn này.\n\n"
        "Trân trọng,\nLinh\nLotus Test Hotels"
    )
    assert "nội bộ" not in draft


def test_thanks_draft_for_a_new_case_in_thai_has_no_steps(bangkok_case: Case) -> None:
    draft = draft_thanks(bangkok_case, "th")
    assert draft.startswith("เรียน คุณสมศรี ใจดี\n\nขอบคุณที่แจ้งปัญหานี้ให้เราทราบ")
    assert "สิ่งที่เราได้ดำเนินการมีดังนี้" not in draft


def test_send_thanks_records_thanks_sent_and_queues_the_message(case: Case, agent: User) -> None:
    message = messages.send_thanks(case, "  Cảm ơn quý khách.  ", by=agent)
    event = CaseEvent.objects.get(case=case, kind=EventKind.THANKS_SENT)
    assert (message.body, message.language, event.body, event.is_customer_visible) == (
        "Cảm ơn quý khách.", "vi", "Cảm ơn quý khách.", True)


def test_empty_thanks_is_refused_and_nothing_is_sent(case: Case, agent: User, outsider: User) -> None:
    before = (CaseEvent.objects.count(), Message.objects.count())
    with pytest.raises(InvalidInput):
        messages.send_thanks(case, "   ", by=agent)
    with pytest.raises(NotAllowed):
        messages.send_thanks(case, "Thanks", by=outsider)
    assert (CaseEvent.objects.count(), Message.objects.count()) == before
