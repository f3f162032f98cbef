"""Customers' replies from Gmail, Outlook, Apple Mail, Yahoo and Thunderbird, in English, Vietnamese and Thai, with
the quoted history and signatures their clients add: only the new words are the text."""

from __future__ import annotations

from tests.payloads.email.build import MAILBOX, OUR_ID, RECEIVED, Mail, b64, expect, mail, qp, word_b, word_q

MAILS: dict[str, Mail] = {}
_OURS = ("Dear guest,\n\nThank you for telling us. We have opened case K-2026-000123 and will reply within 24"
         " hours.\n\nSong Hong Hotel Care")


def _reply(name: str, sender: str, subject: str, body: bytes, *, extra: list[tuple[str, str]] | None = None,
           content_type: str = 'text/plain; charset="UTF-8"', encoding: str = "quoted-printable") -> bytes:
    return mail([
        ("Received", RECEIVED),
        ("From", sender),
        ("To", f"Song Hong Hotel Care <{MAILBOX}>"),
        ("Subject", subject),
        ("Date", "Tue, 3 Mar 2026 09:30:00 +0700"),
        ("Message-ID", f"<{name}@mail.example>"),
        ("In-Reply-To", f"<{OUR_ID}>"),
        ("References", f"<first-complaint@mail.example> <{OUR_ID}>"),
        *(extra or []),
        ("MIME-Version", "1.0"),
        ("Content-Type", content_type),
        ("Content-Transfer-Encoding", encoding),
    ], body)


def _quoted(text: str) -> str:
    return "\n".join(("> " + line) if line else ">" for line in text.split("\n"))


_REFS = [OUR_ID, "first-complaint@mail.example"]

# --- Gmail, English: "On ... wrote:" wrapped over two lines as Gmail wraps it, a "-- " signature ------------------
_GMAIL_EN = (
    "Nobody has called me back yet, and the shower is still broken.\n\n-- \nJohn Smith\nSenior Engineer, Contoso\n\n"
    "On Tue, 3 Mar 2026 at 08:12, Song Hong Hotel Care <\ncare@hotel.example> wrote:\n\n" + _quoted(_OURS) + "\n"
)
MAILS["gmail_reply_en"] = Mail(_reply(
    "gmail-reply-en", "John Smith <john.smith@gmail.com>", "Re: [K-2026-000123] We received your message",
    qp(_GMAIL_EN)),
    expect(sender_name="John Smith", email="john.smith@gmail.com",
           subject="Re: [K-2026-000123] We received your message",
           text="Nobody has called me back yet, and the shower is still broken.", references=_REFS,
           full_text=_GMAIL_EN.strip().replace("-- \n", "--\n")))

# --- Outlook desktop, English: a closing, then the line of underscores and the From/Sent/To/Subject block ----------
_OUTLOOK_EN = (
    "Hello,\n\nThe refund has not arrived on my card. Could you check the booking reference 55102?\n\n"
    "Best regards,\nMary Jones\nAcme Travel | +44 20 7946 0958\n\n"
    "________________________________\nFrom: Song Hong Hotel Care <care@hotel.example>\n"
    "Sent: Tuesday, March 3, 2026 8:12 AM\nTo: Mary Jones <mary.jones@acme.example>\n"
    "Subject: [K-2026-000123] We received your message\n\n" + _OURS + "\n"
)
MAILS["outlook_reply_en"] = Mail(_reply(
    "outlook-reply-en", "Mary Jones <mary.jones@acme.example>", "RE: [K-2026-000123] We received your message",
    qp(_OUTLOOK_EN), extra=[("Thread-Topic", "[K-2026-000123] We received your message"),
                            ("Thread-Index", "AQHZq2x3Bz8j0vQwLk6nA5s7Tt9Y1w=="), ("Content-Language", "en-US")]),
    expect(sender_name="Mary Jones", email="mary.jones@acme.example",
           subject="RE: [K-2026-000123] We received your message",
           text="Hello,\n\nThe refund has not arrived on my card. Could you check the booking reference 55102?",
           language_hint="en", references=_REFS))

# --- Apple Mail on an iPhone: "Sent from my iPhone", then the header inside the quote -------------------------------
_APPLE = (
    "Still no hot water in room 1208.\n\nSent from my iPhone\n\n"
    "> On 3 Mar 2026, at 08:12, Song Hong Hotel Care <care@hotel.example> wrote:\n>\n" + _quoted(_OURS) + "\n"
)
MAILS["apple_mail_reply_en"] = Mail(_reply(
    "apple-reply-en", "Peter Brown <peter.brown@icloud.com>", "Re: [K-2026-000123] We received your message",
    qp(_APPLE), extra=[("X-Mailer", "iPhone Mail (21D61)")]),
    expect(sender_name="Peter Brown", email="peter.brown@icloud.com",
           subject="Re: [K-2026-000123] We received your message", text="Still no hot water in room 1208.",
           references=_REFS))

# --- Gmail in Vietnamese: "Vào ... đã viết:", a "Trân trọng," closing ----------------------------------------------
_OURS_VI = "Kính gửi quý khách,\n\nChúng tôi đã nhận được phản ánh (mã K-2026-000123).\n\nKhách sạn Sông Hồng"
_GMAIL_VI = (
    "Đã hai ngày rồi mà vẫn chưa ai liên hệ lại với tôi.\nTôi muốn được hoàn tiền đêm đầu tiên.\n\n"
    "Trân trọng,\nNguyễn Thị Lan\n0901 234 567\n\n"
    "Vào Th 3, 3 thg 3, 2026 vào lúc 08:12 Khách sạn Sông Hồng <care@hotel.example>\nđã viết:\n\n"
    + _quoted(_OURS_VI) + "\n"
)
MAILS["gmail_reply_vi"] = Mail(_reply(
    "gmail-reply-vi", f"{word_b('Nguyễn Thị Lan')} <lan.nguyen@gmail.com>",
    word_b("Re: [K-2026-000123] Chúng tôi đã nhận được phản ánh"), qp(_GMAIL_VI)),
    expect(sender_name="Nguyễn Thị Lan", email="lan.nguyen@gmail.com",
           subject="Re: [K-2026-000123] Chúng tôi đã nhận được phản ánh",
           text="Đã hai ngày rồi mà vẫn chưa ai liên hệ lại với tôi.\nTôi muốn được hoàn tiền đêm đầu tiên.",
           references=_REFS))

# --- Outlook in Vietnamese: "-----Thư gốc-----" and the Từ/Gửi/Đến/Chủ đề block ----------------------------------
_OUTLOOK_VI = (
    "Phòng vẫn còn mùi thuốc lá, tôi đề nghị đổi phòng ngay hôm nay.\n\n"
    "-----Thư gốc-----\nTừ: Khách sạn Sông Hồng <care@hotel.example>\nGửi: Thứ Ba, 3 tháng 3, 2026 8:12 SA\n"
    "Đến: Phạm Minh Đức <duc.pham@fpt.example>\nChủ đề: [K-2026-000123] Chúng tôi đã nhận được phản ánh\n\n"
    + _OURS_VI + "\n"
)
MAILS["outlook_reply_vi"] = Mail(_reply(
    "outlook-reply-vi", f"{word_q('Phạm Minh Đức')} <duc.pham@fpt.example>",
    word_q("TL: [K-2026-000123] Chúng tôi đã nhận được phản ánh"), qp(_OUTLOOK_VI),
    extra=[("Content-Language", "vi-VN"), ("X-Mailer", "Microsoft Outlook 16.0")]),
    expect(sender_name="Phạm Minh Đức", email="duc.pham@fpt.example",
           subject="TL: [K-2026-000123] Chúng tôi đã nhận được phản ánh",
           text="Phòng vẫn còn mùi thuốc lá, tôi đề nghị đổi phòng ngay hôm nay.", language_hint="vi",
           references=_REFS))

# --- Outlook on the web in Vietnamese: underscores, then "Từ: ... Đã gửi: ..." --------------------------------------
_OWA_VI = (
    "Cảm ơn, nhưng tôi cần hóa đơn VAT cho công ty.\n\n________________________________\n"
    "Từ: Khách sạn Sông Hồng <care@hotel.example>\nĐã gửi: Thứ Ba, ngày 3 tháng 3 năm 2026 08:12\n"
    "Đến: Vũ Thu Trang <trang.vu@outlook.example>\nChủ đề: [K-2026-000123] Chúng tôi đã nhận được phản ánh\n\n"
    + _OURS_VI + "\n"
)
MAILS["outlook_web_reply_vi"] = Mail(_reply(
    "owa-reply-vi", "Vu Thu Trang <trang.vu@outlook.example>",
    word_b("Trả lời: [K-2026-000123] Chúng tôi đã nhận được phản ánh"), b64(_OWA_VI), encoding="base64"),
    expect(sender_name="Vu Thu Trang", email="trang.vu@outlook.example",
           subject="Trả lời: [K-2026-000123] Chúng tôi đã nhận được phản ánh",
           text="Cảm ơn, nhưng tôi cần hóa đơn VAT cho công ty.", references=_REFS))

# --- Yahoo in Vietnamese: "Vào lúc ..., ... đã viết:" ----------------------------------------------------------------
_YAHOO_VI = (
    "Tôi sẽ chờ cuộc gọi của quản lý vào chiều nay.\n\n"
    "Vào lúc 08:12 Thứ Ba, 3 tháng 3, 2026, Khách sạn Sông Hồng <care@hotel.example> đã viết:\n\n\n"
    + _quoted(_OURS_VI) + "\n"
)
MAILS["yahoo_reply_vi"] = Mail(_reply(
    "yahoo-reply-vi", "Hoang Nam <hoangnam@yahoo.example>", "Re: [K-2026-000123]", qp(_YAHOO_VI)),
    expect(sender_name="Hoang Nam", email="hoangnam@yahoo.example", subject="Re: [K-2026-000123]",
           text="Tôi sẽ chờ cuộc gọi của quản lý vào chiều nay.", references=_REFS))

# --- Gmail in Thai: "เมื่อ ... เขียนว่า:", a "ขอแสดงความนับถือ" closing -------------------------------------------------
_OURS_TH = "เรียนลูกค้า\n\nเราได้รับเรื่องของท่านแล้ว (K-2026-000123)\n\nโรงแรมซองฮง"
_GMAIL_TH = (
    "ยังไม่มีใครติดต่อกลับมาเลยค่ะ ขอให้ผู้จัดการโทรหาด้วย\n\nขอแสดงความนับถือ\nสมหญิง ใจดี\n\n"
    "เมื่อ อ. 3 มี.ค. 2026 เวลา 08:12 โรงแรมซองฮง <care@hotel.example> เขียนว่า:\n\n" + _quoted(_OURS_TH) + "\n"
)
MAILS["gmail_reply_th"] = Mail(_reply(
    "gmail-reply-th", f"{word_b('สมหญิง ใจดี')} <somying.j@gmail.com>",
    word_b("Re: [K-2026-000123] เราได้รับเรื่องของท่านแล้ว"), b64(_GMAIL_TH), encoding="base64"),
    expect(sender_name="สมหญิง ใจดี", email="somying.j@gmail.com",
           subject="Re: [K-2026-000123] เราได้รับเรื่องของท่านแล้ว",
           text="ยังไม่มีใครติดต่อกลับมาเลยค่ะ ขอให้ผู้จัดการโทรหาด้วย", references=_REFS))

# --- Outlook in Thai: "จาก: ... ส่ง: ... ถึง: ... เรื่อง: ..." ------------------------------------------------------------
_OUTLOOK_TH = (
    "ผมได้รับเงินคืนแล้วครับ แต่ยังขาดอีก 500 บาท\n\n"
    "จาก: โรงแรมซองฮง <care@hotel.example>\nส่ง: 3 มีนาคม 2569 8:12\nถึง: ประเสริฐ วงศ์ใหญ่ <prasert.w@company.co.th>\n"
    "เรื่อง: [K-2026-000123] เราได้รับเรื่องของท่านแล้ว\n\n" + _OURS_TH + "\n"
)
MAILS["outlook_reply_th"] = Mail(_reply(
    "outlook-reply-th", f"{word_q('ประเสริฐ วงศ์ใหญ่')} <prasert.w@company.co.th>",
    word_b("ตอบกลับ: [K-2026-000123] เราได้รับเรื่องของท่านแล้ว"), qp(_OUTLOOK_TH),
    extra=[("Content-Language", "th-TH")]),
    expect(sender_name="ประเสริฐ วงศ์ใหญ่", email="prasert.w@company.co.th",
           subject="ตอบกลับ: [K-2026-000123] เราได้รับเรื่องของท่านแล้ว",
           text="ผมได้รับเงินคืนแล้วครับ แต่ยังขาดอีก 500 บาท", language_hint="th", references=_REFS))

# --- Thunderbird, format=flowed: soft line breaks joined again; the customer answers below the quote ----------------
_FLOWED = (
    "On 03/03/2026 08:12, Song Hong Hotel Care wrote:\n> Dear guest,\n>\n> Thank you for telling us. We have "
    "opened case \n> K-2026-000123 and will reply within 24 hours.\n\nThat is fine, but please make sure the "
    "room \nis cleaned before 3 pm \ntomorrow.\n\nAnna\n"
)
MAILS["thunderbird_flowed_en"] = Mail(_reply(
    "thunderbird-flowed", "Anna Schmidt <anna.schmidt@posteo.example>", "Re: [K-2026-000123] We received your message",
    _FLOWED.encode(), content_type="text/plain; charset=UTF-8; format=flowed", encoding="7bit",
    extra=[("User-Agent", "Mozilla Thunderbird")]),
    expect(sender_name="Anna Schmidt", email="anna.schmidt@posteo.example",
           subject="Re: [K-2026-000123] We received your message",
           text="That is fine, but please make sure the room is cleaned before 3 pm tomorrow.\n\nAnna",
           references=_REFS))

# --- Gmail, HTML only (a phone's Gmail app): the quote is a gmail_quote blockquote ---------------------------------
_GMAIL_HTML = (
    '<div dir="auto">Vâng, tôi đồng ý nhận voucher thay cho hoàn tiền.</div><br><div class="gmail_quote">'
    '<div dir="ltr" class="gmail_attr">Vào Th 3, 3 thg 3, 2026 vào lúc 08:12 Khách sạn Sông Hồng &lt;'
    '<a href="mailto:care@hotel.example">care@hotel.example</a>&gt; đã viết:<br></div>'
    '<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">'
    "Kính gửi quý khách,<br><br>Chúng tôi đề nghị một voucher 1.000.000 đ.</blockquote></div>"
)
MAILS["gmail_html_reply_vi"] = Mail(_reply(
    "gmail-html-reply-vi", "Lan Nguyen <lan.nguyen@gmail.com>", "Re: [K-2026-000123]", qp(_GMAIL_HTML),
    content_type='text/html; charset="UTF-8"'),
    expect(sender_name="Lan Nguyen", email="lan.nguyen@gmail.com", subject="Re: [K-2026-000123]",
           text="Vâng, tôi đồng ý nhận voucher thay cho hoàn tiền.", references=_REFS))
