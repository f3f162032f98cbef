"""Thank-and-explain (S10): the closing message that thanks the customer and explains what was done, drafted in
the case's language from what the customer could already see on the case's timeline.

The words are data here, per language (the message is in the customer's language, whatever the staff member
reads); `compose_thanks` is pure, `draft_thanks` reads the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from kintsugi.cases.models import Case, EventKind
from kintsugi.cases.selectors import timeline
from kintsugi.cases.timeline import CUSTOMER_DESCRIBERS
from kintsugi.intake.wording import first_name
from kintsugi.lib.dates import format_moment

FIRST_RESPONSE_KINDS = frozenset({EventKind.ACKNOWLEDGED, EventKind.MESSAGE_OUT, EventKind.APOLOGY_SENT})

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Dear {name},",
        "greeting_anonymous": "Hello,",
        "thanks": "Thank you for telling us about this problem, and for your patience while we put it right.",
        "intro": "Here is what we did:",
        "acknowledged": "On {date} we started looking into it.",
        "apology": "We apologised, explained what went wrong and what we have changed so it does not happen "
                   "again.",
        "messages": "We kept you informed ({count} messages).",
        "resolved": "On {date} we put the problem right.",
        "closing": "What you told us helps us do better. If anything is still not right, simply reply to this "
                   "message.",
        "signature": "With thanks,",
    },
    "vi": {
        "greeting": "Kính gửi quý khách {name},",
        "greeting_anonymous": "Kính gửi quý khách,",
        "thanks": "Cảm ơn quý khách đã cho chúng tôi biết về sự cố này và đã kiên nhẫn trong lúc chúng tôi "
                  "khắc phục.",
        "intro": "Dưới đây là những việc chúng tôi đã làm:",
        "acknowledged": "Ngày {date}, chúng tôi bắt đầu xử lý phản ánh của quý khách.",
        "apology": "Chúng tôi đã gửi lời xin lỗi, giải thích nguyên nhân và những thay đổi để sự cố không lặp lại.",
        "messages": "Chúng tôi đã cập nhật tình hình cho quý khách qua {count} tin nhắn.",
        "resolved": "Ngày {date}, chúng tôi đã khắc phục xong sự cố.",
        "closing": "Ý kiến của quý khách giúp chúng tôi phục vụ tốt hơn. Nếu vẫn còn điều gì chưa ổn, quý khách "
                   "chỉ cần trả lời tin nhắn này.",
        "signature": "Trân trọng,",
    },
    "th": {
        "greeting": "เรียน คุณ{name}",
        "greeting_anonymous": "เรียน ลูกค้าที่เคารพ",
        "thanks": "ขอบคุณที่แจ้งปัญหานี้ให้เราทราบ และขอบคุณที่รอให้เราแก้ไขด้วยความอดทน",
        "intro": "สิ่งที่เราได้ดำเนินการมีดังนี้",
        "acknowledged": "วันที่ {date} เราเริ่มตรวจสอบเรื่องของคุณ",
        "apology": "เราได้ขออภัย อธิบายสาเหตุ และแจ้งสิ่งที่เราปรับปรุงเพื่อไม่ให้เกิดขึ้นอีก",
        "messages": "เราแจ้งความคืบหน้าให้คุณทราบ {count} ครั้ง",
        "resolved": "วันที่ {date} เราได้แก้ไขปัญหาเรียบร้อยแล้ว",
        "closing": "ความคิดเห็นของคุณช่วยให้เราพัฒนาบริการได้ดียิ่งขึ้น หากยังมีสิ่งใดไม่เรียบร้อย "
                   "ตอบกลับข้อความนี้ได้เลย",
        "signature": "ด้วยความขอบคุณ",
    },
}


def compose_thanks(language: str, *, customer_name: str, done: Sequence[str], signed: Sequence[str]) -> str:
    """The message: greeting, thanks, what was done (one line each), an open door, and the signature."""
    words = WORDS.get(language, WORDS["en"])
    name = customer_name.strip()
    lines = [words["greeting"].format(name=name) if name else words["greeting_anonymous"], "", words["thanks"]]
    if done:
        lines += ["", words["intro"], *[f"- {item}" for item in done]]
    lines += ["", words["closing"], "", words["signature"], *[s for s in signed if s]]
    return "\n".join(lines)


def _date(moment: datetime, timezone_name: str, language: str, *, buddhist: bool = False) -> str:
    """The day in the customer's language and the location's time zone, in the project's long date format."""
    return format_moment(moment.astimezone(ZoneInfo(timezone_name)), "DATE_FORMAT", language=language,
                         buddhist=buddhist)


def draft_thanks(case: Case, language: str) -> str:
    """A draft of the closing message for `case`, in `language`, from its customer-visible events."""
    words = WORDS.get(language, WORDS["en"])
    tz = case.location.timezone
    buddhist = case.organisation.thai_buddhist_year
    done: list[str] = []
    acknowledged = resolved = None
    apologised = False
    replies = 0
    for event in timeline(case, customer_visible_only=True):
        if event.kind in FIRST_RESPONSE_KINDS and acknowledged is None:
            acknowledged = event.created_at  # the first sign that someone was on it
        if event.kind == EventKind.APOLOGY_SENT:
            apologised = True
        elif event.kind == EventKind.MESSAGE_OUT:
            replies += 1
        elif event.kind == EventKind.RESOLVED:
            resolved = event.created_at
        elif event.kind.startswith("remedy_") and (describer := CUSTOMER_DESCRIBERS.get(event.kind)):
            # What the remedies app tells the customer about a remedy, in the customer's words.
            with translation.override(language):
                entry = describer(event)
            if entry is not None and entry.sentence:
                done.append(entry.sentence)
    if acknowledged is not None:
        done.insert(0, words["acknowledged"].format(date=_date(acknowledged, tz, language, buddhist=buddhist)))
    if apologised:
        done.append(words["apology"])
    if replies:
        done.append(words["messages"].format(count=replies))
    if resolved is not None:
        done.append(words["resolved"].format(date=_date(resolved, tz, language, buddhist=buddhist)))
    customer = case.addressed_as
    return compose_thanks(
        language, customer_name=customer, done=done,
        signed=[first_name(case.assignee), case.organisation.name],
    )
