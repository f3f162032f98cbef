"""The email benchmark's mails (bench/emails.py): a deterministic mix of what a hotel group's care mailbox receives.

    mails = generate(10_000, seed=19)     # the same bytes every run for the same (n, seed)

The mix (shares of the mails; each kind is one `Mail.kind`):
  new        a customer's first mail (a new case): Vietnamese, Thai or English in the desk's language mix; plain
             text in UTF-8 (8bit, quoted-printable or base64) or a legacy charset (windows-1258, TIS-620,
             windows-874), text + HTML alternatives as Gmail and Outlook send them, HTML only, some with a phone
             photo (JPEG) or a PDF (a receipt) attached, some with an inline logo; encoded-word subjects and names.
  reply      the same customer answering an earlier mail of their thread: `Re:` subject, In-Reply-To and
             References naming that mail's Message-ID (one stored earlier in the run), the new words on top and
             the quoted history below under a reply header in the mail's language (Gmail's "On ... wrote:",
             "Vào ... đã viết:", "เมื่อ ... เขียนว่า:", Outlook's "-----Original Message-----"), often a
             signature ("Sent from my iPhone"). A few clients drop the headers: those thread by the customer
             (`reply-bare`).
  again      a returning customer writing a new mail (no In-Reply-To) while their case is open: joins it within
             the mailbox's window.
  ooo        out-of-office answers (Auto-Submitted / X-Autoreply / Precedence headers, or only a typical subject
             in vi/th/en), from customers of the run.
  bounce     delivery status notifications (multipart/report) from mail servers about a mail of ours.

What the issue says must become of each (`Mail.expected`): "opened" (new), "appended" (reply, reply-bare, again),
"ignored" (ooo, bounce). The photos are made with Pillow (the project's own dependency), a few variants reused.
"""

from __future__ import annotations

import base64
import io
import quopri
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from PIL import Image, ImageDraw, ImageFilter

from bench.corpus import DESCRIPTIONS, LANGUAGE_MIX, NAMES

MAILBOX = "care@lotus-bench.example"
DOMAINS = ["gmail.com", "yahoo.com.vn", "hotmail.com", "outlook.com", "icloud.com", "fpt.vn", "viettel.vn",
           "hotmail.co.th", "true.th", "company.co.th", "example.org"]
# Shares of the mix (see the module's docstring); what is left after these is "new".
SHARES = {"reply": 0.24, "reply-bare": 0.03, "again": 0.04, "ooo": 0.04, "bounce": 0.015}
EXPECTED = {"new": "opened", "reply": "appended", "reply-bare": "appended", "again": "appended",
            "ooo": "ignored", "bounce": "ignored"}
PHOTO_SHARE = 0.05  # of new mails and replies
PDF_SHARE = 0.03
HTML_ONLY_SHARE = 0.10
ALTERNATIVE_SHARE = 0.30
LEGACY_SHARE = 0.08  # of plain-text mails: a legacy charset where the language has one

SUBJECTS = {
    "vi": ["Phản ánh về dịch vụ", "Phòng 1204", "Hóa đơn sai", "Khiếu nại", "Xe đưa đón sân bay", "Cần hỗ trợ gấp"],
    "th": ["ร้องเรียนเรื่องห้องพัก", "ใบเสร็จไม่ถูกต้อง", "บริการช้ามาก", "ขอความช่วยเหลือด่วน", "รถรับส่งสนามบิน"],
    "en": ["Complaint about my stay", "Room 1204", "Wrong bill", "Very disappointed", "Airport shuttle", "Urgent"],
}
FOLLOW_UPS = {
    "vi": ["Cho tôi hỏi đã có ai xử lý chưa? Tôi vẫn đang chờ.", "Cảm ơn, nhưng vấn đề vẫn chưa được giải quyết.",
           "Tôi gửi thêm ảnh chụp, mong khách sạn phản hồi sớm.", "Đã có người lên sửa, cảm ơn khách sạn."],
    "th": ["ขอสอบถามว่ามีคนดูแลเรื่องนี้หรือยังคะ ยังรออยู่", "ขอบคุณค่ะ แต่ปัญหายังไม่ได้รับการแก้ไข",
           "ส่งรูปเพิ่มเติมมาให้ค่ะ หวังว่าจะได้รับคำตอบเร็วๆ นี้", "มีพนักงานมาซ่อมแล้ว ขอบคุณครับ"],
    "en": ["Is anyone looking at this? I am still waiting.", "Thanks, but the problem has not been fixed yet.",
           "Here is a photo as well, I hope to hear from you soon.", "Someone came up and fixed it, thank you."],
}
SIGNATURES = {"vi": ["Gửi từ iPhone của tôi", "Trân trọng,\n{name}"], "th": ["ส่งจาก iPhone ของฉัน", "ขอบคุณค่ะ\n{name}"],
              "en": ["Sent from my iPhone", "Best regards,\n{name}", "Get Outlook for Android"]}
OOO = {
    "vi": ("Trả lời tự động: {subject}", "Tôi đang nghỉ phép đến hết tuần và sẽ trả lời khi quay lại."),
    "th": ("ตอบกลับอัตโนมัติ: {subject}", "ขณะนี้ดิฉันไม่อยู่ที่สำนักงาน จะติดต่อกลับโดยเร็วที่สุด"),
    "en": ("Out of Office: {subject}", "I am out of the office until Monday with limited access to email."),
}
# The labels real mail carries, and Python's codec for each (it knows no "windows-874" label: cp874 is the same).
LEGACY = {"vi": ["windows-1258"], "th": ["TIS-620", "windows-874", "ISO-8859-11"], "en": []}
LEGACY_CODECS = {"windows-1258": "cp1258", "TIS-620": "tis_620", "windows-874": "cp874", "ISO-8859-11": "iso8859_11"}
VI_DAYS, TH_DAYS = ["Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN"], ["จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา."]
TH_MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


@dataclass(frozen=True, slots=True)
class Mail:
    message_id: str  # without the angle brackets: the payload's external id
    raw: bytes
    kind: str
    sender: str  # the address, lower case
    thread: int  # the customer thread it belongs to (-1: a bounce)
    language: str
    form: str  # "plain", "alternative" (text + HTML), "html" (HTML only), "report" (a bounce) or a legacy charset
    attachments: tuple[str, ...] = ()  # "photo", "pdf", "logo"
    replies_to: str = ""  # the Message-ID named in In-Reply-To

    @property
    def expected(self) -> str:
        return EXPECTED[self.kind]


@dataclass
class _Thread:
    number: int
    language: str
    name: str
    address: str
    subject: str
    history: list[tuple[str, str, datetime]] = field(default_factory=list)  # (message id, text, sent)


def _photos(count: int = 6) -> list[bytes]:
    """Phone-like JPEGs (1280x960, about 100-200 KB): gradients and shapes, so they compress as photos do."""
    out = []
    rng = random.Random(5)
    for n in range(count):
        image = Image.linear_gradient("L").resize((1280, 960)).convert("RGB")
        draw = ImageDraw.Draw(image)
        for _ in range(120):
            x, y = rng.randrange(1280), rng.randrange(960)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            draw.ellipse((x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 300)), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(1.5 + n % 3))
        noise = Image.effect_noise((1280, 960), 24).convert("RGB")
        image = Image.blend(image, noise, 0.12)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        out.append(buffer.getvalue())
    return out


def _pdf(lines: list[str]) -> bytes:
    """A small valid PDF (a one-page receipt), offsets computed."""
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >>"
        b" >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream".encode("latin-1"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


LOGO = base64.b64decode(  # a 1x1 PNG: the kind of spacer or logo an HTML mail carries inline
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _ascii(name: str, number: int) -> str:
    base = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
    return f"{base or 'guest'}.{number}"


def _message_id(rng: random.Random, number: int, address: str) -> str:
    domain = address.rpartition("@")[2]
    token = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(20))
    if domain == "gmail.com":
        return f"CA{token}+{number}@mail.gmail.com"
    if domain in {"hotmail.com", "outlook.com", "hotmail.co.th"}:
        return f"SEZPR06MB{number:05d}{token[:8].upper()}@SEZPR06MB{number % 97:04d}.apcprd06.prod.outlook.com"
    return f"{number}.{token}@{domain}"


def _reply_header(language: str, name: str, address: str, sent: datetime, outlook: bool) -> str:
    if outlook:
        return (f"-----Original Message-----\nFrom: {name} <{address}>\nSent: {sent:%A, %B %d, %Y %I:%M %p}\n"
                f"To: {MAILBOX}\n")
    if language == "vi":
        return f"Vào {VI_DAYS[sent.weekday()]}, {sent.day} thg {sent.month}, {sent.year} lúc {sent:%H:%M} " \
               f"{name} <{address}> đã viết:"
    if language == "th":
        return f"เมื่อ {TH_DAYS[sent.weekday()]} {sent.day} {TH_MONTHS[sent.month - 1]} {sent.year + 543} " \
               f"{sent:%H:%M} {name} <{address}> เขียนว่า:"
    return f"On {sent:%a, %-d %b %Y} at {sent:%H:%M}, {name} <{address}> wrote:"


CP1258_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the tone marks windows-1258 writes as combining characters


def _cp1258(text: str) -> str:
    """Vietnamese as windows-1258 spells it: a letter the code page lacks (ệ) written as one it has (ê) followed
    by a combining tone mark (U+0323), as Vietnamese mail in that charset really comes."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tones = "".join(m for m in marks if m in CP1258_MARKS)
        rest = "".join(m for m in marks if m not in CP1258_MARKS)
        out.append(unicodedata.normalize("NFC", base + rest) + tones)
    return "".join(out)


def _encoded_words(text: str, label: str, codec: str) -> str:
    """RFC 2047 encoded words in a legacy charset, each short enough for one header line."""
    data = text.encode(codec)
    words = [base64.b64encode(data[i:i + 30]).decode() for i in range(0, len(data), 30)]
    return "\r\n ".join(f"=?{label}?B?{word}?=" for word in words)


def _html(text: str, logo: bool) -> str:
    paragraphs = "".join(f'<p style="margin:0 0 8px 0">{line}</p>' for line in text.split("\n") if line.strip())
    image = '<img src="cid:logo@lotus" width="1" height="1" alt="">' if logo else ""
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>p{font-family:'
            f'Arial}}</style></head><body><div dir="ltr">{paragraphs}</div>{image}</body></html>')


class _Writer:
    def __init__(self, n: int, seed: int, start: datetime) -> None:
        self.rng = random.Random(seed)
        self.n = n
        self.start = start
        self.threads: list[_Thread] = []
        self.photos = _photos()
        self.pdfs = [_pdf([f"Lotus Hotels - folio {1000 + i}", "Minibar 2 x 120,000 VND", "Minibar 2 x 120,000 VND",
                           "Total 480,000 VND"] + [f"Line {j}: room service" for j in range(30)]) for i in range(3)]
        languages, weights = zip(*LANGUAGE_MIX.items(), strict=True)
        self.languages, self.weights = list(languages), list(weights)

    def sent_at(self, index: int) -> datetime:
        return self.start + timedelta(seconds=index * 3)

    def new_thread(self) -> _Thread:
        number = len(self.threads) + 1
        language = self.rng.choices(self.languages, self.weights)[0]
        name = self.rng.choice(NAMES[language])
        ascii_name = name if language != "th" else self.rng.choice(["somchai", "suda", "niran", "kanya", "arthit"])
        address = f"{_ascii(ascii_name, number)}@{self.rng.choice(DOMAINS)}"
        thread = _Thread(number, language, name, address, self.rng.choice(SUBJECTS[language]))
        self.threads.append(thread)
        return thread

    def build(self, index: int, thread: _Thread, *, text: str, subject: str,
              headers: dict[str, str], attach: tuple[str, ...]) -> EmailMessage:
        rng = self.rng
        mail = EmailMessage(policy=SMTP)
        mail["From"] = formataddr((thread.name, thread.address))
        mail["Subject"] = subject
        mail["To"] = MAILBOX
        mail["Date"] = format_datetime(self.sent_at(index))
        for name, value in headers.items():
            mail[name] = value
        if rng.random() < 0.5:
            mail["Content-Language"] = {"vi": "vi-VN", "th": "th-TH", "en": "en-US"}[thread.language]
        if "html" in attach:
            mail.set_content(_html(text, False), subtype="html", cte=rng.choice(["quoted-printable", "base64"]))
        else:
            mail.set_content(text, cte=rng.choice(["8bit", "quoted-printable", "base64"]))
            if "alternative" in attach:
                mail.add_alternative(_html(text, "logo" in attach), subtype="html")
                if "logo" in attach:
                    mail.get_payload()[1].add_related(LOGO, "image", "png", cid="<logo@lotus>", filename="logo.png")
        if "photo" in attach:
            mail.add_attachment(rng.choice(self.photos), maintype="image", subtype="jpeg",
                                filename=f"IMG_{rng.randrange(1000, 9999)}.JPG")
        if "pdf" in attach:
            mail.add_attachment(rng.choice(self.pdfs), maintype="application", subtype="pdf",
                                filename=rng.choice(["hoa-don.pdf", "receipt.pdf", "ใบเสร็จ.pdf"]))
        return mail

    def legacy(self, index: int, thread: _Thread, *, text: str, subject: str, label: str,
               headers: dict[str, str], message_id: str) -> bytes:
        """A plain-text mail in a legacy charset, written out by hand as the clients that still use one send it
        (the email package would re-encode its headers as UTF-8): encoded words and a quoted-printable body in
        that charset."""
        codec = LEGACY_CODECS[label]
        name, body = thread.name, text
        if codec == "cp1258":
            name, subject, body = _cp1258(name), _cp1258(subject), _cp1258(body)
        lines = [f"From: {_encoded_words(name, label, codec)} <{thread.address}>", f"To: {MAILBOX}",
                 f"Subject: {_encoded_words(subject, label, codec)}", f"Date: {format_datetime(self.sent_at(index))}",
                 f"Message-ID: <{message_id}>", *(f"{k}: {v}" for k, v in headers.items()), "MIME-Version: 1.0",
                 f'Content-Type: text/plain; charset="{label}"', "Content-Transfer-Encoding: quoted-printable"]
        encoded = quopri.encodestring(body.encode(codec))
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + encoded.replace(b"\n", b"\r\n") + b"\r\n"

    def attachments(self) -> tuple[str, ...]:
        rng, picked = self.rng, []
        roll = rng.random()
        if roll < HTML_ONLY_SHARE:
            picked.append("html")
        elif roll < HTML_ONLY_SHARE + ALTERNATIVE_SHARE:
            picked.append("alternative")
            if rng.random() < 0.2:
                picked.append("logo")
        if rng.random() < PHOTO_SHARE:
            picked.append("photo")
        if rng.random() < PDF_SHARE:
            picked.append("pdf")
        return tuple(picked)

    def mail(self, index: int, kind: str) -> Mail:
        rng = self.rng
        thread: _Thread | None = None
        headers: dict[str, str] = {}
        attach: tuple[str, ...] = ()
        replies_to = ""
        if kind == "bounce":
            return self.bounce(index)
        if kind in {"reply", "reply-bare", "again", "ooo"}:
            recent = [t for t in self.threads[-1500:] if t.history]
            thread = rng.choice(recent)
        else:
            thread = self.new_thread()
        language = thread.language
        message_id = _message_id(rng, index, thread.address)
        if kind == "new":
            text = rng.choice(DESCRIPTIONS[language])
            if rng.random() < 0.4:
                text += "\n\n" + rng.choice(SIGNATURES[language]).format(name=thread.name)
            subject = thread.subject
            attach = self.attachments()
        elif kind in {"reply", "reply-bare"}:
            earlier_id, earlier_text, earlier_sent = rng.choice(thread.history[-3:])
            quoted = "\n".join(f"> {line}" for line in earlier_text.split("\n"))
            header = _reply_header(language, thread.name, thread.address, earlier_sent, rng.random() < 0.2)
            text = rng.choice(FOLLOW_UPS[language])
            if rng.random() < 0.5:
                text += "\n\n" + rng.choice(SIGNATURES[language]).format(name=thread.name)
            text += f"\n\n{header}\n{quoted}"
            subject = f"Re: {thread.subject}"
            if kind == "reply":
                replies_to = earlier_id
                references = " ".join(f"<{mid}>" for mid, _text, _sent in thread.history[-5:])
                headers = {"In-Reply-To": f"<{earlier_id}>", "References": references}
            attach = tuple(a for a in self.attachments() if a in {"photo", "alternative"})
        elif kind == "again":
            text = rng.choice(DESCRIPTIONS[language])
            subject = rng.choice(SUBJECTS[language])
        else:  # ooo
            subject_template, text = OOO[language]
            subject = subject_template.format(subject=thread.subject)
            replies_to = f"kintsugi.{900_000 + index}.{'0' * 16}@lotus-bench.example"  # one of ours, long gone
            style = rng.random()
            headers = {"In-Reply-To": f"<{replies_to}>"}
            if style < 0.5:
                headers["Auto-Submitted"] = "auto-replied"
            elif style < 0.7:
                headers["X-Autoreply"] = "yes"
            elif style < 0.85:
                headers["Precedence"] = "auto_reply"
            # else: only the subject says so
        labels = LEGACY[language] if not attach else []
        form = "html" if "html" in attach else "alternative" if "alternative" in attach else "plain"
        if labels and rng.random() < LEGACY_SHARE:
            form = rng.choice(labels)
            raw = self.legacy(index, thread, text=text, subject=subject, label=form, headers=headers,
                              message_id=message_id)
        else:
            mail = self.build(index, thread, text=text, subject=subject, headers=headers, attach=attach)
            mail["Message-ID"] = f"<{message_id}>"
            raw = mail.as_bytes()
        if kind != "ooo":
            thread.history.append((message_id, text.split("\n\n")[0], self.sent_at(index)))
        return Mail(message_id, raw, kind, thread.address.lower(), thread.number, language, form,
                    tuple(a for a in attach if a in {"photo", "pdf", "logo"}), replies_to)

    def bounce(self, index: int) -> Mail:
        rng = self.rng
        thread = rng.choice(self.threads)
        server = rng.choice(["mx.google.com", "mta7.am0.yahoodns.net", "mail.fpt.vn"])
        daemon = f"MAILER-DAEMON@{server}"
        message_id = f"{index}.bounce.{rng.randrange(10**9)}@{server}"
        ours = f"kintsugi.{800_000 + index}.{'0' * 16}@lotus-bench.example"
        boundary = f"{index:08d}.{rng.randrange(10**9)}/{server}"
        # Written out as Postfix writes one: a human part, the machine-readable status, the original's headers.
        raw = "\r\n".join([
            f"From: Mail Delivery System <{daemon}>", f"To: {MAILBOX}", "Subject: Undelivered Mail Returned to Sender",
            f"Date: {format_datetime(self.sent_at(index))}", f"Message-ID: <{message_id}>",
            "Auto-Submitted: auto-replied", "MIME-Version: 1.0",
            f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"', "",
            "This is a MIME-encapsulated message.", "", f"--{boundary}",
            "Content-Description: Notification", "Content-Type: text/plain; charset=us-ascii", "",
            f"This is the mail system at host {server}.", "",
            "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
            "", f"<{thread.address}>: host said: 550 5.1.1 The email account that you tried to reach does not exist",
            "", f"--{boundary}", "Content-Description: Delivery report", "Content-Type: message/delivery-status", "",
            f"Reporting-MTA: dns; {server}", f"Arrival-Date: {format_datetime(self.sent_at(index))}", "",
            f"Final-Recipient: rfc822; {thread.address}", "Action: failed", "Status: 5.1.1",
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown", "", f"--{boundary}",
            "Content-Description: Undelivered Message Headers", "Content-Type: text/rfc822-headers", "",
            f"From: {MAILBOX}", f"To: {thread.address}", f"Message-ID: <{ours}>",
            "Subject: [K-2026-000001] Lotus Hotels", "", f"--{boundary}--", "",
        ]).encode()
        return Mail(message_id, raw, "bounce", daemon.lower(), -1, "en", "report", (), ours)


def kinds(n: int, rng: random.Random) -> list[str]:
    """The kind of each mail in turn; the first mails are new (there is nothing yet to reply to)."""
    out = []
    for index in range(n):
        roll, kind = rng.random(), "new"
        if index >= 20:
            for name, share in SHARES.items():
                if roll < share:
                    kind = name
                    break
                roll -= share
        out.append(kind)
    return out


def generate(n: int, seed: int = 19, start: datetime | None = None) -> list[Mail]:
    """`n` mails in the order they arrive; Date headers 3 s apart from `start` (default: a fixed day)."""
    writer = _Writer(n, seed, start or datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    return [writer.mail(index, kind) for index, kind in enumerate(kinds(n, random.Random(seed + 1)))]


def summary(mails: list[Mail]) -> dict[str, object]:
    """What the corpus holds: counts per kind, language, form (or legacy charset), attachment, and what the issue
    expects of them."""
    by_kind: dict[str, int] = {}
    by_language: dict[str, int] = {}
    forms: dict[str, int] = {}
    files: dict[str, int] = {}
    expected: dict[str, int] = {}
    for mail in mails:
        by_kind[mail.kind] = by_kind.get(mail.kind, 0) + 1
        by_language[mail.language] = by_language.get(mail.language, 0) + 1
        expected[mail.expected] = expected.get(mail.expected, 0) + 1
        forms[mail.form] = forms.get(mail.form, 0) + 1
        for name in mail.attachments:
            files[name] = files.get(name, 0) + 1
    return {"mails": len(mails), "kinds": by_kind, "languages": by_language, "forms": forms, "attachments": files,
            "bytes": sum(len(m.raw) for m in mails), "expected_by_issue_rules": expected,
            "customers": len({m.sender for m in mails if m.thread >= 0})}
