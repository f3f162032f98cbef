"""The mail written for a message, read from Django's test outbox (the project's default mailer): the HTML part
a page in the case's language with the customer's words escaped, and the text part the words themselves."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.core.mail import EmailMultiAlternatives

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Channel, SlaPolicy
from kintsugi.comms.delivery import deliver
from kintsugi.comms.mailids import message_id_for

T = MONDAY_10AM + timedelta(minutes=5)


def test_a_thai_case_gets_a_thai_page_with_the_words_escaped(
    org: Organisation, bangkok_desk: Touchpoint, policy: SlaPolicy, bangkok_agent: User
) -> None:
    customer = services.find_or_create_customer(organisation=org, name="สมศรี ใจดี", email="somsri@example.co.th",
                                                language="th")
    case = services.open_case(by=None, organisation=org, touchpoint=bangkok_desk, channel=Channel.EMAIL,
                              customer=customer, description="ห้องสกปรกมาก ผ้าเช็ดตัวมีคราบ", at=MONDAY_10AM)
    assert case.language == "th"
    reply = services.reply(case, "ขออภัยค่ะ <b>ส่วนลด</b> 10% & อาหารเช้าฟรี\nพรุ่งนี้เช้า", by=bangkok_agent, at=T)

    assert deliver(reply.pk, now=T) == "sent"

    [email] = mail.outbox
    assert isinstance(email, EmailMultiAlternatives)
    assert email.body == "ขออภัยค่ะ <b>ส่วนลด</b> 10% & อาหารเช้าฟรี\nพรุ่งนี้เช้า\n\n-- \nK-2026-000001 · Lotus Test Hotels\n"
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert '<html lang="th" dir="ltr">' in str(html)
    assert "<p>ขออภัยค่ะ &lt;b&gt;ส่วนลด&lt;/b&gt; 10% &amp; อาหารเช้าฟรี<br>พรุ่งนี้เช้า</p>" in str(html)
    assert "<b>" not in str(html)
    assert email.extra_headers == {"Message-ID": f"<{message_id_for(reply.pk)}>", "X-Kintsugi-Case": "K-2026-000001"}
