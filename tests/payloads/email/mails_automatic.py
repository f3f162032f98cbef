"""Mail no person wrote: out-of-office answers in three languages, vacation responders, a newsletter, delivery
status reports and the common non-standard bounces, and a mail from the mailbox itself."""

from __future__ import annotations

from tests.payloads.email.build import MAILBOX, OUR_ID, RECEIVED, Mail, b64, expect, mail, qp, word_b, word_q

MAILS: dict[str, Mail] = {}
_SUBJECT = "[K-2026-000123] We received your message"

# --- Exchange out of office (English): no Auto-Submitted, X-Auto-Response-Suppress, "Automatic reply:" -------------
MAILS["out_of_office_exchange_en"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Mary Jones <mary.jones@acme.example>"),
    ("To", f"Song Hong Hotel Care <{MAILBOX}>"),
    ("Subject", f"Automatic reply: {_SUBJECT}"),
    ("Thread-Topic", _SUBJECT),
    ("Thread-Index", "AQHZq2x3Bz8j0vQwLk6nA5s7Tt9Y1wAAAAAA"),
    ("Date", "Tue, 3 Mar 2026 01:12:09 +0000"),
    ("Message-ID", "<0f1e2d3c4b5a69788796a5b4c3d2e1f0@DB9PR01MB7354.eurprd01.prod.outlook.com>"),
    ("In-Reply-To", f"<{OUR_ID}>"),
    ("References", f"<{OUR_ID}>"),
    ("Content-Language", "en-GB"),
    ("X-MS-Has-Attach", ""),
    ("X-Auto-Response-Suppress", "All"),
    ("X-MS-Exchange-Inbox-Rules-Loop", "mary.jones@acme.example"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'text/plain; charset="us-ascii"'),
    ("Content-Transfer-Encoding", "quoted-printable"),
], b"I am out of the office until 10 March with limited access to email.\n"),
    expect(sender_name="Mary Jones", email="mary.jones@acme.example", subject=f"Automatic reply: {_SUBJECT}",
           text="I am out of the office until 10 March with limited access to email.", ignore="auto_reply",
           language_hint="en", references=[OUR_ID]))

# --- Vietnamese out of office: only the subject says so ---------------------------------------------------------
MAILS["out_of_office_vi"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Pham Minh Duc <duc.pham@fpt.example>"),
    ("To", MAILBOX),
    ("Subject", word_q(f"Trả lời tự động: {_SUBJECT}")),
    ("Date", "Tue, 3 Mar 2026 08:13:00 +0700"),
    ("Message-ID", "<ooo-vi-1@fpt.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "base64"),
], b64("Tôi đang nghỉ phép đến hết ngày 10/3, vui lòng liên hệ chị Hà.")),
    expect(sender_name="Pham Minh Duc", email="duc.pham@fpt.example", subject=f"Trả lời tự động: {_SUBJECT}",
           text="Tôi đang nghỉ phép đến hết ngày 10/3, vui lòng liên hệ chị Hà.", ignore="auto_reply"))

# --- Thai out of office: only the subject says so -----------------------------------------------------------------
MAILS["out_of_office_th"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Prasert W. <prasert.w@company.co.th>"),
    ("To", MAILBOX),
    ("Subject", word_b("ตอบกลับอัตโนมัติ: ไม่อยู่ที่สำนักงาน")),
    ("Date", "Tue, 3 Mar 2026 08:14:00 +0700"),
    ("Message-ID", "<ooo-th-1@company.co.th>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "base64"),
], b64("ขณะนี้ผมไม่อยู่ที่สำนักงาน จะกลับวันที่ 9 มีนาคม")),
    expect(sender_name="Prasert W.", email="prasert.w@company.co.th", subject="ตอบกลับอัตโนมัติ: ไม่อยู่ที่สำนักงาน",
           text="ขณะนี้ผมไม่อยู่ที่สำนักงาน จะกลับวันที่ 9 มีนาคม", ignore="auto_reply"))

# --- Gmail's vacation responder: Auto-Submitted: auto-replied under an ordinary "Re:" subject ----------------------
MAILS["vacation_auto_submitted"] = Mail(mail([
    ("Received", RECEIVED),
    ("Auto-Submitted", "auto-replied"),
    ("From", "John Smith <john.smith@gmail.com>"),
    ("To", MAILBOX),
    ("Subject", f"Re: {_SUBJECT}"),
    ("Date", "Tue, 3 Mar 2026 01:12:30 +0000"),
    ("Message-ID", "<CAvacation-1@mail.gmail.com>"),
    ("In-Reply-To", f"<{OUR_ID}>"),
    ("References", f"<{OUR_ID}>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'text/plain; charset="UTF-8"'),
], b"Thanks for your email. I'm travelling until Monday.\n"),
    expect(sender_name="John Smith", email="john.smith@gmail.com", subject=f"Re: {_SUBJECT}",
           text="Thanks for your email. I'm travelling until Monday.", ignore="auto_reply", references=[OUR_ID]))

# --- A newsletter: List-Unsubscribe, HTML only ---------------------------------------------------------------------
MAILS["newsletter_list_unsubscribe"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Booking Partner Hub <news@partners.example>"),
    ("To", MAILBOX),
    ("Subject", "Tips to raise your review score this season"),
    ("Date", "Wed, 4 Mar 2026 03:00:00 +0000"),
    ("Message-ID", "<news.20260304.991@partners.example>"),
    ("List-Unsubscribe", "<mailto:unsub@partners.example?subject=unsub>, <https://partners.example/u/991>"),
    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/html; charset=utf-8"),
], b"<html><body><h1>Raise your score</h1><p>Answer every review within a day.</p></body></html>\n"),
    expect(sender_name="Booking Partner Hub", email="news@partners.example",
           subject="Tips to raise your review score this season",
           text="Raise your score\n\nAnswer every review within a day.", ignore="auto_reply"))

# --- A delivery status report (Postfix): message/delivery-status and text/rfc822-headers ---------------------------
_DSN_TEXT = (
    "This is the mail system at host mail.hotel.example.\n\nI'm sorry to have to inform you that your message could"
    " not\nbe delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n"
    "<lan@example.vn>: host mx.example.vn[198.51.100.7] said: 550 5.1.1\n    <lan@example.vn>: Recipient address "
    "rejected: User unknown in virtual mailbox\n    table (in reply to RCPT TO command)"
)
MAILS["dsn_postfix"] = Mail(mail([
    ("Received", RECEIVED),
    ("Date", "Tue, 3 Mar 2026 08:12:40 +0700 (ICT)"),
    ("From", "MAILER-DAEMON@mail.hotel.example (Mail Delivery System)"),
    ("Subject", "Undelivered Mail Returned to Sender"),
    ("To", MAILBOX),
    ("Auto-Submitted", "auto-replied"),
    ("MIME-Version", "1.0"),
    ("Content-Type",
     'multipart/report; report-type=delivery-status;\n\tboundary="7B1C82A0B3.1772500360/mail.hotel.example"'),
    ("Content-Transfer-Encoding", "8bit"),
    ("Message-Id", "<20260303011240.8C2D51C0@mail.hotel.example>"),
], b"This is a MIME-encapsulated message.\n\n--7B1C82A0B3.1772500360/mail.hotel.example\n"
   b"Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n" + _DSN_TEXT.encode()
   + b"\n\n--7B1C82A0B3.1772500360/mail.hotel.example\nContent-Description: Delivery report\n"
   b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mail.hotel.example\n"
   b"X-Postfix-Queue-ID: 7B1C82A0B3\nX-Postfix-Sender: rfc822; care@hotel.example\n"
   b"Arrival-Date: Tue,  3 Mar 2026 08:12:38 +0700 (ICT)\n\nFinal-Recipient: rfc822; lan@example.vn\n"
   b"Original-Recipient: rfc822;lan@example.vn\nAction: failed\nStatus: 5.1.1\n"
   b"Remote-MTA: dns; mx.example.vn\nDiagnostic-Code: smtp; 550 5.1.1 <lan@example.vn>: Recipient address\n"
   b"    rejected: User unknown in virtual mailbox table\n\n"
   b"--7B1C82A0B3.1772500360/mail.hotel.example\nContent-Description: Undelivered Message Headers\n"
   b"Content-Type: text/rfc822-headers\n\nReturn-Path: <care@hotel.example>\n"
   b"From: Song Hong Hotel Care <care@hotel.example>\nTo: lan@example.vn\n"
   b"Subject: [K-2026-000123] We received your message\nMessage-ID: <" + OUR_ID.encode() + b">\n"
   b"Date: Tue, 03 Mar 2026 01:12:38 -0000\n\n--7B1C82A0B3.1772500360/mail.hotel.example--\n"),
    expect(sender_name="Mail Delivery System", email="mailer-daemon@mail.hotel.example",
           subject="Undelivered Mail Returned to Sender", text=_DSN_TEXT, ignore="bounce", bounced=[OUR_ID],
           bounce_reason=("550 5.1.1 <lan@example.vn>: Recipient address rejected: User unknown in virtual mailbox"
                          " table")))

# --- Gmail's report: the whole original attached as message/rfc822 --------------------------------------------------
_GMAIL_DSN = ("** Address not found **\n\nYour message wasn't delivered to tuan@nonexistent.example because the "
              "domain nonexistent.example couldn't be found.")
MAILS["dsn_gmail_rfc822"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"),
    ("To", MAILBOX),
    ("Auto-Submitted", "auto-replied"),
    ("Subject", "Delivery Status Notification (Failure)"),
    ("References", "<kintsugi.42.00aa11bb22cc33dd@hotel.example>"),
    ("In-Reply-To", "<kintsugi.42.00aa11bb22cc33dd@hotel.example>"),
    ("Message-ID", "<6601a2b3.050a0220.8f1e.0c4dGMR@mx.google.com>"),
    ("Date", "Tue, 03 Mar 2026 01:20:11 -0800 (PST)"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'multipart/report; boundary="00000000000029dd8f0615a1b2c3"; report-type=delivery-status'),
], b"--00000000000029dd8f0615a1b2c3\nContent-Type: text/plain; charset=\"UTF-8\"\n\n" + _GMAIL_DSN.encode()
   + b"\n\n--00000000000029dd8f0615a1b2c3\nContent-Type: message/delivery-status\n\n"
   b"Reporting-MTA: dns; googlemail.com\nArrival-Date: Tue, 03 Mar 2026 01:20:10 -0800 (PST)\n\n"
   b"Final-Recipient: rfc822; tuan@nonexistent.example\nAction: failed\nStatus: 5.1.2\n"
   b"Diagnostic-Code: smtp; DNS Error: DNS type 'mx' lookup of nonexistent.example responded with code NXDOMAIN\n"
   b"Last-Attempt-Date: Tue, 03 Mar 2026 01:20:11 -0800 (PST)\n\n--00000000000029dd8f0615a1b2c3\n"
   b"Content-Type: message/rfc822\n\nFrom: Song Hong Hotel Care <care@hotel.example>\nTo: tuan@nonexistent.example\n"
   b"Subject: Your stay\nMessage-ID: <kintsugi.42.00aa11bb22cc33dd@hotel.example>\nMIME-Version: 1.0\n"
   b"Content-Type: text/plain; charset=utf-8\n\nDear guest, thank you for staying with us.\n\n"
   b"--00000000000029dd8f0615a1b2c3--\n"),
    expect(sender_name="Mail Delivery Subsystem", email="mailer-daemon@googlemail.com",
           subject="Delivery Status Notification (Failure)", text=_GMAIL_DSN, ignore="bounce",
           bounced=["kintsugi.42.00aa11bb22cc33dd@hotel.example"],
           bounce_reason="DNS Error: DNS type 'mx' lookup of nonexistent.example responded with code NXDOMAIN",
           references=["kintsugi.42.00aa11bb22cc33dd@hotel.example"]))

# --- A report that delivery is only delayed: automatic, not a failure ------------------------------------------------
_DELAY_TEXT = ("This is the mail system at host mail.hotel.example.\n\n####################################\n"
               "# THIS IS A WARNING ONLY. #")
MAILS["dsn_delayed"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "MAILER-DAEMON@mail.hotel.example (Mail Delivery System)"),
    ("To", MAILBOX),
    ("Subject", "Delayed Mail (still being retried)"),
    ("Auto-Submitted", "auto-replied"),
    ("Date", "Tue, 3 Mar 2026 12:12:40 +0700"),
    ("Message-Id", "<20260303051240.11AA1C0@mail.hotel.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'multipart/report; report-type=delivery-status; boundary="DLY"'),
], b"--DLY\nContent-Type: text/plain; charset=us-ascii\n\n" + _DELAY_TEXT.encode()
   + b"\n\n--DLY\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.hotel.example\n\n"
   b"Final-Recipient: rfc822; guest@slow.example\nAction: delayed\nStatus: 4.4.1\n"
   b"Diagnostic-Code: X-Postfix; connect to mx.slow.example[192.0.2.9]:25: Connection timed out\n\n"
   b"--DLY\nContent-Type: text/rfc822-headers\n\nMessage-ID: <" + OUR_ID.encode() + b">\n\n--DLY--\n"),
    expect(sender_name="Mail Delivery System", email="mailer-daemon@mail.hotel.example",
           subject="Delayed Mail (still being retried)", text=_DELAY_TEXT, ignore="auto_reply"))

# --- qmail's "failure notice": no report, the original quoted below a line -----------------------------------------
_QMAIL = (
    "Hi. This is the qmail-send program at mx.example.co.th.\nI'm afraid I wasn't able to deliver your message to "
    "the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n"
    "<somchai@example.co.th>:\n203.0.113.40 does not like recipient.\nRemote host said: 550 5.7.1 Mailbox disabled"
    " for this recipient\nGiving up on 203.0.113.40.\n\n--- Below this line is a copy of the message.\n\n"
    "Return-Path: <care@hotel.example>\nFrom: Song Hong Hotel Care <care@hotel.example>\nTo: somchai@example.co.th\n"
    "Subject: [K-2026-000456] We received your message\nMessage-ID: <kintsugi.99.0f0e0d0c0b0a0908@hotel.example>\n\n"
    "Dear guest, ..."
)
MAILS["bounce_qmail_failure_notice"] = Mail(mail([
    ("Received", RECEIVED),
    ("Date", "3 Mar 2026 02:00:01 -0000"),
    ("From", "MAILER-DAEMON@mx.example.co.th"),
    ("To", MAILBOX),
    ("Subject", "failure notice"),
    ("Message-ID", "<qmail.1772503201.5511@mx.example.co.th>"),
], _QMAIL.encode()),
    expect(sender_name="", email="mailer-daemon@mx.example.co.th", subject="failure notice", text=_QMAIL,
           ignore="bounce", bounced=["kintsugi.99.0f0e0d0c0b0a0908@hotel.example"],
           bounce_reason="550 5.7.1 Mailbox disabled for this recipient"))

# --- An old Exchange non-delivery report from postmaster: text plus the original attached, no report type -----------
_NDR = ("Delivery has failed to these recipients or groups:\n\nminh@corp.example\nThe e-mail address you entered "
        "couldn't be found.\n\nDiagnostic information for administrators:\n\nGenerating server: EX01.corp.example\n"
        "#550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup ##")
MAILS["bounce_exchange_postmaster"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "postmaster@corp.example"),
    ("To", MAILBOX),
    ("Date", "Tue, 3 Mar 2026 02:10:00 +0000"),
    ("Subject", "Undeliverable: [K-2026-000789] We received your message"),
    ("Message-ID", "<ndr-5511@EX01.corp.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'multipart/mixed; boundary="NDR-BOUNDARY"'),
], b"--NDR-BOUNDARY\nContent-Type: text/plain; charset=us-ascii\n\n" + _NDR.encode()
   + b"\n\n--NDR-BOUNDARY\nContent-Type: message/rfc822\n\nFrom: Song Hong Hotel Care <care@hotel.example>\n"
   b"To: minh@corp.example\nSubject: [K-2026-000789] We received your message\n"
   b"Message-ID: <kintsugi.7.1122334455667788@hotel.example>\n\nDear guest, ...\n\n--NDR-BOUNDARY--\n"),
    expect(sender_name="", email="postmaster@corp.example",
           subject="Undeliverable: [K-2026-000789] We received your message",
           text=_NDR + "\n\n---------- Forwarded message ----------\nFrom: Song Hong Hotel Care <care@hotel.example>\n"
                "Subject: [K-2026-000789] We received your message\nTo: minh@corp.example\n\nDear guest, ...",
           ignore="bounce", bounced=["kintsugi.7.1122334455667788@hotel.example"],
           bounce_reason="550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup ##"))

# --- A mail from the mailbox itself (a copy of our own answer, or a rule forwarding back) ---------------------------
MAILS["from_own_mailbox"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", f"Song Hong Hotel Care <{MAILBOX.upper()}>"),
    ("To", "lan@example.vn"),
    ("Subject", f"Re: {_SUBJECT}"),
    ("Date", "Tue, 3 Mar 2026 08:12:38 +0700"),
    ("Message-ID", "<own-copy-1@hotel.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
], b"Dear guest, we are looking into it.\n"),
    expect(sender_name="Song Hong Hotel Care", email=MAILBOX, subject=f"Re: {_SUBJECT}",
           text="Dear guest, we are looking into it.", ignore="loop"))

# --- An old autoresponder: X-Autoreply and Precedence: auto_reply, an ordinary subject -----------------------------
MAILS["autoresponder_x_autoreply"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Sales <sales@shop.example>"),
    ("To", MAILBOX),
    ("Subject", "Re: Booking"),
    ("X-Autoreply", "yes"),
    ("Precedence", "auto_reply"),
    ("Date", "Tue, 3 Mar 2026 08:20:00 +0700"),
    ("Message-ID", "<autoreply-77@shop.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "quoted-printable"),
], qp("Cảm ơn bạn đã liên hệ, chúng tôi sẽ trả lời sớm.")),
    expect(sender_name="Sales", email="sales@shop.example", subject="Re: Booking",
           text="Cảm ơn bạn đã liên hệ, chúng tôi sẽ trả lời sớm.", ignore="auto_reply"))
