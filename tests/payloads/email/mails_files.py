"""Mails with HTML only, inline images and attachments, forwarded mails, and broken or missing headers."""

from __future__ import annotations

import hashlib

from tests.payloads.email.build import (
    MAILBOX,
    PDF,
    RECEIVED,
    Mail,
    attachment,
    b64,
    expect,
    mail,
    png,
    qp,
    word_b,
    word_q,
)

MAILS: dict[str, Mail] = {}

# --- HTML only (Outlook on Windows): styles, a script, a remote logo, a tracking pixel, an inline cid image ---------
_LOGO = png(6, 2)
_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    "<style>p.MsoNormal{margin:0cm;font-family:Calibri}</style><script>track('open')</script></head>"
    '<body lang="EN-US"><div class="WordSection1">'
    '<p class="MsoNormal"><img src="https://cdn.acme.example/logo.png" width="120" alt="Acme Travel"></p>'
    '<p class="MsoNormal">Dear Song Hong Hotel,</p>'
    '<p class="MsoNormal">Our group of 12 arrived on 1 March and <b>four rooms</b> were not ready until 6&nbsp;pm.</p>'
    '<p class="MsoNormal">Please see our booking at <a href="https://acme.example/b/4471" onclick="steal()">'
    "acme.example/b/4471</a>.</p>"
    '<p class="MsoNormal"><img src="cid:image001.png@01DC8A2B.3C4D5E60" width="60" height="20"></p>'
    '<p class="MsoNormal">Mary Jones<br>Group bookings, Acme Travel</p>'
    '<img src="https://t.acme.example/open?id=991" width="1" height="1">'
    "</div></body></html>"
)
MAILS["html_only_outlook"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Mary Jones <mary.jones@acme.example>"),
    ("To", f"\"Song Hong Hotel Care\" <{MAILBOX}>"),
    ("Subject", "Group arrival: rooms not ready"),
    ("Thread-Topic", "Group arrival: rooms not ready"),
    ("Thread-Index", "AdmrT1bXyZ8Q2w6gR0mJc4T5uV7w8A=="),
    ("Date", "Sun, 1 Mar 2026 19:05:44 +0000"),
    ("Message-ID", "<DB9PR01MB7354C1B2A3D4E5F6A7B8C9D0E1F2@DB9PR01MB7354.eurprd01.prod.outlook.com>"),
    ("Content-Language", "en-GB"),
    ("X-MS-Has-Attach", "yes"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'multipart/related;\n\tboundary="_004_DB9PR01MB7354_";\n\ttype="text/html"'),
], b"--_004_DB9PR01MB7354_\nContent-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n"
   + b64(_HTML) + b"\n--_004_DB9PR01MB7354_\nContent-Type: image/png; name=\"image001.png\"\n"
   b"Content-Description: image001.png\nContent-ID: <image001.png@01DC8A2B.3C4D5E60>\n"
   b"Content-Transfer-Encoding: base64\n\n" + b64(_LOGO) + b"\n--_004_DB9PR01MB7354_--\n"),
    expect(sender_name="Mary Jones", email="mary.jones@acme.example", subject="Group arrival: rooms not ready",
           text=("Dear Song Hong Hotel,\n\nOur group of 12 arrived on 1 March and four rooms were not ready until "
                 "6 pm.\n\nPlease see our booking at acme.example/b/4471.\n\nMary Jones\n"
                 "Group bookings, Acme Travel"),
           attachments=[attachment("image001.png", "image/png", _LOGO, inline=True)], language_hint="en",
           html=('<div><p><img alt="Acme Travel" width="120"></p><p>Dear Song Hong Hotel,</p><p>Our group of 12 '
                 "arrived on 1 March and <b>four rooms</b> were not ready until 6&nbsp;pm.</p><p>Please see our "
                 'booking at <a href="https://acme.example/b/4471" rel="noopener noreferrer">acme.example/b/4471'
                 '</a>.</p><p><img src="cid:image001.png@01DC8A2B.3C4D5E60" width="60" height="20"></p>'
                 '<p>Mary Jones<br>Group bookings, Acme Travel</p><img height="1" width="1"></div>')))

# --- Apple Mail: text + HTML with an inline photo, and a PDF whose name is RFC 2231-encoded -------------------------
_PHOTO = png(8, 6)
_PLAIN = "Đây là ảnh ga giường bẩn.\n\nHóa đơn thanh toán em gửi kèm theo.\n\nLan"
MAILS["inline_image_and_pdf_apple"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", f"{word_q('Nguyễn Thị Lan')} <lan.nguyen@icloud.com>"),
    ("Content-Type", 'multipart/mixed;\n\tboundary="Apple-Mail=_3C1F2A4B-5D6E-4F70-8192-A3B4C5D6E7F8"'),
    ("Mime-Version", "1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))"),
    ("Subject", word_q("Ảnh ga giường và hóa đơn")),
    ("Date", "Mon, 2 Mar 2026 22:01:13 +0700"),
    ("Message-Id", "<7E2B1C3D-9A8F-4E6D-B5C4-A3F2E1D0C9B8@icloud.com>"),
    ("To", MAILBOX),
    ("X-Mailer", "Apple Mail (2.3774.600.62)"),
], b"--Apple-Mail=_3C1F2A4B-5D6E-4F70-8192-A3B4C5D6E7F8\n"
   b"Content-Type: multipart/alternative;\n\tboundary=\"Apple-Mail=_ALT\"\n\n"
   b"--Apple-Mail=_ALT\nContent-Transfer-Encoding: quoted-printable\nContent-Type: text/plain;\n\tcharset=utf-8\n\n"
   + qp(_PLAIN) + b"\n--Apple-Mail=_ALT\nContent-Type: multipart/related;\n\ttype=\"text/html\";\n"
   b"\tboundary=\"Apple-Mail=_REL\"\n\n--Apple-Mail=_REL\nContent-Transfer-Encoding: quoted-printable\n"
   b"Content-Type: text/html;\n\tcharset=utf-8\n\n"
   + qp('<html><body dir="auto">Đây là ảnh ga giường bẩn.<br><img src="cid:5F2A1B3C-7D8E-4F9A@apple.example"'
        ' alt="IMG_2041.png"><br>Hóa đơn thanh toán em gửi kèm theo.<br><br>Lan</body></html>')
   + b"\n--Apple-Mail=_REL\nContent-Transfer-Encoding: base64\nContent-Disposition: inline;\n"
   b"\tfilename=IMG_2041.png\nContent-Type: image/png;\n\tx-unix-mode=0644;\n\tname=\"IMG_2041.png\"\n"
   b"Content-Id: <5F2A1B3C-7D8E-4F9A@apple.example>\n\n" + b64(_PHOTO)
   + b"\n--Apple-Mail=_REL--\n\n--Apple-Mail=_ALT--\n\n--Apple-Mail=_3C1F2A4B-5D6E-4F70-8192-A3B4C5D6E7F8\n"
   b"Content-Disposition: attachment;\n\tfilename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n%20204.pdf\n"
   b"Content-Type: application/pdf;\n\tx-unix-mode=0644;\n\tname=\"=?utf-8?Q?H=C3=B3a_=C4=91=C6=A1n_204=2Epdf?=\"\n"
   b"Content-Transfer-Encoding: base64\n\n" + b64(PDF)
   + b"\n--Apple-Mail=_3C1F2A4B-5D6E-4F70-8192-A3B4C5D6E7F8--\n"),
    expect(sender_name="Nguyễn Thị Lan", email="lan.nguyen@icloud.com", subject="Ảnh ga giường và hóa đơn",
           text=_PLAIN, attachments=[attachment("IMG_2041.png", "image/png", _PHOTO, inline=True),
                                     attachment("Hóa đơn 204.pdf", "application/pdf", PDF)]))

# --- A broken From (raw UTF-8, an unterminated quote, no address): the address comes from Reply-To ---------------
MAILS["broken_from_reply_to"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", '"Nguyễn Văn Minh'.encode()),
    ("Reply-To", "minh.nv@yahoo.com.vn"),
    ("To", MAILBOX),
    ("Subject", word_b("Mất đồ trong phòng")),
    ("Date", "Sun, 8 Mar 2026 14:00:00 +0700"),
    ("Message-ID", "<broken-from-1@yahoo.com.vn>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "8bit"),
], "Tôi để quên đồng hồ trong phòng 118, nhờ khách sạn tìm giúp.\n".encode()),
    expect(sender_name="Nguyễn Văn Minh", email="minh.nv@yahoo.com.vn", subject="Mất đồ trong phòng",
           text="Tôi để quên đồng hồ trong phòng 118, nhờ khách sạn tìm giúp.",
           notes=["the From header has no readable address", "the address was taken from Reply-To"]))

# --- A From with a name only (an encoded word, no address, no Reply-To) -------------------------------------------
MAILS["broken_from_name_only"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", word_q("Khách hàng phòng 305")),
    ("To", MAILBOX),
    ("Subject", "Tiếng ồn".encode()),
    ("Date", "Sun, 8 Mar 2026 23:50:00 +0700"),
    ("Message-ID", "<name-only-305@kiosk.hotel.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
], "Phòng bên cạnh hát karaoke đến nửa đêm.\n".encode()),
    expect(sender_name="Khách hàng phòng 305", email="", subject="Tiếng ồn",
           text="Phòng bên cạnh hát karaoke đến nửa đêm.", notes=["the From header has no readable address"]))

# --- No From, no Message-ID, a Date no parser can read --------------------------------------------------------------
_NO_ID = mail([
    ("Received", RECEIVED),
    ("To", MAILBOX),
    ("Subject", "Room key"),
    ("Date", "Thứ Hai, 32/13/2026 25:61".encode()),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
], b"The key card of room 220 stopped working twice today.\n")
MAILS["missing_from_no_message_id"] = Mail(_NO_ID, expect(
    subject="Room key", text="The key card of room 220 stopped working twice today.", sent_at=None,
    external_id="sha256:" + hashlib.sha256(_NO_ID).hexdigest(),
    notes=["no From header", "the Date header could not be read", "no Message-ID: the digest of the mail is its id"],
))

# --- Duplicate From, Subject and Message-ID headers; the first Subject folded with an encoded newline ----------
MAILS["duplicate_headers"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Lan Nguyen <lan@example.vn>"),
    ("From", "Someone Else <someone@example.com>"),
    ("To", MAILBOX),
    ("Subject",
     "=?utf-8?Q?Ph=C3=B2ng_204=0D=0Av=E1=BA=ABn_ch=C6=B0a_?=\n =?utf-8?Q?=C4=91=C6=B0=E1=BB=A3c_d=E1=BB=8Dn?="),
    ("Subject", "Second subject"),
    ("Message-ID", "<first-id@example.vn>"),
    ("Message-ID", "<second-id@example.vn>"),
    ("Date", "Mon, 9 Mar 2026 07:00:00 +0700"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
], "Đã 10 giờ sáng mà phòng vẫn chưa được dọn.\n".encode()),
    expect(sender_name="Lan Nguyen", email="lan@example.vn", subject="Phòng 204 vẫn chưa được dọn",
           text="Đã 10 giờ sáng mà phòng vẫn chưa được dọn.", external_id="first-id@example.vn",
           notes=["2 From headers: the first was read", "2 Subject headers: the first was read"]))

# --- A forwarded mail as a message/rfc822 part, with its own PDF: its text appended, its file extracted -----------
_BOOKING = ("Cảm ơn quý khách đã đặt phòng.\n\nMã đặt phòng: 884213\nLoại phòng: Deluxe hướng biển\n"
            "Nhận phòng: 1/3/2026")
_VOUCHER = PDF.replace(b"200 200", b"300 300")
MAILS["forwarded_as_attachment"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Lan Nguyen <lan.nguyen@gmail.com>"),
    ("To", MAILBOX),
    ("Subject", word_b("Fwd: Xác nhận đặt phòng #884213")),
    ("Date", "Tue, 3 Mar 2026 09:00:00 +0700"),
    ("Message-ID", "<CAH3x7Fq-fwd-884213@mail.gmail.com>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'multipart/mixed; boundary="fwd-outer"'),
], b"--fwd-outer\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
   + "Tôi đặt phòng hướng biển như thư bên dưới nhưng lại được xếp phòng hướng phố.\n".encode()
   + b"\n--fwd-outer\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"booking.eml\"\n\n"
   + b"From: Agoda <booking@agoda.example>\nTo: lan.nguyen@gmail.com\n"
   + b"Subject: " + word_b("Xác nhận đặt phòng #884213").encode() + b"\n"
   + b"Date: Sun, 1 Feb 2026 10:00:00 +0000\nMessage-ID: <booking-884213@agoda.example>\nMIME-Version: 1.0\n"
   + b"Content-Type: multipart/mixed; boundary=\"fwd-inner\"\n\n--fwd-inner\n"
   + b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp(_BOOKING)
   + b"\n--fwd-inner\nContent-Type: application/pdf; name=\"Voucher-884213.pdf\"\n"
   + b"Content-Disposition: attachment; filename=\"Voucher-884213.pdf\"\nContent-Transfer-Encoding: base64\n\n"
   + b64(_VOUCHER) + b"\n--fwd-inner--\n\n--fwd-outer--\n"),
    expect(sender_name="Lan Nguyen", email="lan.nguyen@gmail.com", subject="Fwd: Xác nhận đặt phòng #884213",
           text=("Tôi đặt phòng hướng biển như thư bên dưới nhưng lại được xếp phòng hướng phố.\n\n"
                 "---------- Forwarded message ----------\nFrom: Agoda <booking@agoda.example>\n"
                 "Date: Sun, 1 Feb 2026 10:00:00 +0000\nSubject: Xác nhận đặt phòng #884213\n"
                 "To: lan.nguyen@gmail.com\n\n" + _BOOKING),
           attachments=[attachment("Voucher-884213.pdf", "application/pdf", _VOUCHER)]))

# --- Gmail's inline forward: the forwarded mail is content, not history -----------------------------------------
_INLINE_FORWARD = (
    "Khách sạn xem giúp, tôi đã thanh toán rồi mà vẫn bị trừ tiền lần nữa.\n\n"
    "---------- Forwarded message ---------\nFrom: Vietcombank <alert@vcb.example>\n"
    "Date: Thu, 5 Mar 2026 at 12:01\nSubject: Thong bao giao dich\nTo: <binh.tran@gmail.com>\n\n"
    "So tien: -2.450.000 VND\nNoi dung: SONG HONG HOTEL"
)
MAILS["gmail_inline_forward_vi"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Tran Binh <binh.tran@gmail.com>"),
    ("To", MAILBOX),
    ("Subject", "Fwd: Thong bao giao dich"),
    ("Date", "Thu, 5 Mar 2026 13:00:00 +0700"),
    ("Message-ID", "<CAJ9fwd-inline@mail.gmail.com>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'text/plain; charset="UTF-8"'),
    ("Content-Transfer-Encoding", "quoted-printable"),
], qp(_INLINE_FORWARD)),
    expect(sender_name="Tran Binh", email="binh.tran@gmail.com", subject="Fwd: Thong bao giao dich",
           text=_INLINE_FORWARD))
