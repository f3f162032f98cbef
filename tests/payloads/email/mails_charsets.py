"""Mails in every charset Vietnamese, Thai, Chinese and Japanese customers' clients write, labelled right, wrong or
not at all; encoded-word headers (also split mid-character), quoted-printable and base64 bodies."""

from __future__ import annotations

from tests.payloads.email.build import MAILBOX, RECEIVED, Mail, b64, cp1258, expect, mail, qp, word_b, word_q

MAILS: dict[str, Mail] = {}

# --- UTF-8, Gmail: multipart/alternative, quoted-printable, an encoded-word subject and name -------------------
_VI = ("Chào khách sạn,\n\nTôi ở phòng 204 từ tối qua. Phòng rất bẩn, khăn tắm có vết ố và máy lạnh không chạy.\n"
       "Tôi đã gọi lễ tân hai lần nhưng chưa ai lên kiểm tra.\n\nNguyễn Thị Lan")
MAILS["utf8_gmail_vi"] = Mail(mail([
    ("Received", RECEIVED),
    ("MIME-Version", "1.0"),
    ("Date", "Mon, 2 Mar 2026 21:14:07 +0700"),
    ("Message-ID", "<CAH3x7Fq9u0bLr2V=ok8pQe+7mZ@mail.gmail.com>"),
    ("Subject", word_b("Phòng 204 bẩn và máy lạnh hỏng")),
    ("From", f"{word_b('Nguyễn Thị Lan')} <lan.nguyen@gmail.com>"),
    ("To", f"{word_q('Khách sạn Sông Hồng')} <{MAILBOX}>"),
    ("Content-Type", 'multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"'),
], b"--000000000000a1b2c3d4e5f60718\nContent-Type: text/plain; charset=\"UTF-8\"\n"
   b"Content-Transfer-Encoding: quoted-printable\n\n" + qp(_VI) + b"\n"
   b"--000000000000a1b2c3d4e5f60718\nContent-Type: text/html; charset=\"UTF-8\"\n"
   b"Content-Transfer-Encoding: quoted-printable\n\n"
   + qp("<div dir=\"ltr\">" + _VI.replace("\n", "<br>") + "</div>") + b"\n"
   b"--000000000000a1b2c3d4e5f60718--\n"),
    expect(sender_name="Nguyễn Thị Lan", email="lan.nguyen@gmail.com", subject="Phòng 204 bẩn và máy lạnh hỏng",
           text=_VI, sent_at="2026-03-02T21:14:07+07:00", external_id="CAH3x7Fq9u0bLr2V=ok8pQe+7mZ@mail.gmail.com",
           html="<div>" + _VI.replace("\n", "<br>") + "</div>"))

# --- windows-1258, Outlook Express: tone marks as combining characters (the text comes out NFC) ---------------
_VI_1258 = ("Kính gửi bộ phận chăm sóc khách hàng,\n\nBữa sáng hôm nay ở nhà hàng tầng 2 phục vụ rất chậm, "
            "chúng tôi phải đợi 40 phút mới có phở.\nMong khách sạn xem lại.\n\nTrần Quốc Tuấn")
MAILS["windows1258_outlook_express_vi"] = Mail(mail([
    ("Received", RECEIVED),
    ("Message-ID", "<001a01d9c3f2$4b6e7a10$e24b6e30$@vnn.vn>"),
    ("From", f"\"{word_q(cp1258('Trần Quốc Tuấn'), 'windows-1258')}\" <tuan.tq@vnn.vn>"),
    ("To", f"<{MAILBOX}>"),
    ("Subject", word_q(cp1258("Bữa sáng phục vụ chậm"), "windows-1258")),
    ("Date", "Tue, 3 Mar 2026 08:02:55 +0700"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'text/plain;\n\tcharset="windows-1258"'),
    ("Content-Transfer-Encoding", "quoted-printable"),
    ("X-Priority", "3"),
    ("X-Mailer", "Microsoft Outlook Express 6.00.2900.5931"),
], qp(cp1258(_VI_1258))),
    expect(sender_name="Trần Quốc Tuấn", email="tuan.tq@vnn.vn", subject="Bữa sáng phục vụ chậm", text=_VI_1258))

# --- TIS-620, base64, Content-Language th --------------------------------------------------------------------
_TH = ("เรียน ฝ่ายบริการลูกค้า\n\nห้อง 512 แอร์ไม่เย็นตั้งแต่เมื่อคืน และน้ำอุ่นในห้องน้ำไม่ไหล\n"
       "แจ้งพนักงานต้อนรับแล้วแต่ยังไม่มีใครมาดูเลยค่ะ\n\nสมหญิง ใจดี")
MAILS["tis620_thai_base64"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", f"{word_b('สมหญิง ใจดี', 'TIS-620')} <somying.j@hotmail.co.th>"),
    ("To", MAILBOX),
    ("Subject", word_b("แอร์ไม่เย็น ห้อง 512", "TIS-620")),
    ("Date", "Tue, 3 Mar 2026 07:45:12 +0700"),
    ("Message-ID", "<20260303074512.8F2A41C0@mail.thaimail.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=TIS-620"),
    ("Content-Transfer-Encoding", "base64"),
    ("Content-Language", "th-TH"),
], b64(_TH, "tis-620")),
    expect(sender_name="สมหญิง ใจดี", email="somying.j@hotmail.co.th", subject="แอร์ไม่เย็น ห้อง 512", text=_TH,
           language_hint="th"))

# --- windows-874, Outlook 2016: curly quotes and an ellipsis from the 0x80-0x9F range TIS-620 lacks ---------------
_TH_874 = ("สวัสดีครับ\n\nผมจองห้อง “Deluxe” แต่ได้ห้องที่มองไม่เห็นวิว… ขอเปลี่ยนห้องด้วยครับ\n\n"
           "ประเสริฐ วงศ์ใหญ่")
MAILS["windows874_outlook_th"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", f"{word_q('ประเสริฐ วงศ์ใหญ่', 'windows-874')} <prasert.w@company.co.th>"),
    ("To", f"\"Care\" <{MAILBOX}>"),
    ("Subject", word_q("ขอเปลี่ยนห้อง “Deluxe”", "windows-874")),
    ("Thread-Topic", word_q("ขอเปลี่ยนห้อง “Deluxe”", "windows-874")),
    ("Thread-Index", "AdmrR2kXq1w5yJ0sTQWc8Dn3P0Xw1A=="),
    ("Date", "Tue, 3 Mar 2026 10:20:31 +0000"),
    ("Message-ID", "<SG2PR06MB3157A0C2E1B6F1D8E5C9A1B2A4392@SG2PR06MB3157.apcprd06.prod.outlook.com>"),
    ("Accept-Language", "th-TH, en-US"),
    ("Content-Language", "th-TH"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'multipart/alternative;\n\tboundary="_000_SG2PR06MB3157A0C2_"'),
], b"--_000_SG2PR06MB3157A0C2_\nContent-Type: text/plain; charset=\"windows-874\"\n"
   b"Content-Transfer-Encoding: quoted-printable\n\n" + qp(_TH_874, "cp874") + b"\n"
   b"--_000_SG2PR06MB3157A0C2_\nContent-Type: text/html; charset=\"windows-874\"\n"
   b"Content-Transfer-Encoding: quoted-printable\n\n"
   + qp("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-874\"></head><body>"
        "<p>" + _TH_874.replace("\n\n", "</p><p>") + "</p></body></html>", "cp874") + b"\n"
   b"--_000_SG2PR06MB3157A0C2_--\n"),
    expect(sender_name="ประเสริฐ วงศ์ใหญ่", email="prasert.w@company.co.th", subject="ขอเปลี่ยนห้อง “Deluxe”",
           text=_TH_874, language_hint="th", sent_at="2026-03-03T10:20:31+00:00"))

# --- ISO-8859-11, 8bit -----------------------------------------------------------------------------------------
_TH_11 = "ที่จอดรถเต็มทุกวัน ไม่มีที่จอดสำหรับแขกที่พักเลย\nกรุณาจัดการด้วย\n\nวิชัย"
MAILS["iso885911_th"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Wichai S. <wichai.s@example.co.th>"),
    ("To", MAILBOX),
    ("Subject", word_b("ที่จอดรถเต็ม", "ISO-8859-11")),
    ("Date", "Wed, 4 Mar 2026 18:03:00 +0700"),
    ("Message-ID", "<5a1e9c2b-77d0-4b8e-9d2f-0c1a7e3b5f11@example.co.th>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=ISO-8859-11; format=fixed"),
    ("Content-Transfer-Encoding", "8bit"),
    ("User-Agent", "Roundcube Webmail/1.6.5"),
], _TH_11.encode("iso8859_11") + b"\n"),
    expect(sender_name="Wichai S.", email="wichai.s@example.co.th", subject="ที่จอดรถเต็ม", text=_TH_11))

# --- GB2312 label, GBK bytes (镕 is not in GB2312): Foxmail, base64 ----------------------------------------------
_ZH = "您好：\n\n我们在贵酒店的宴会厅举办了婚宴，但空调一直不够凉，客人都很热。\n请尽快回复。\n\n朱镕"  # noqa: RUF001
MAILS["gb2312_foxmail_zh"] = Mail(mail([
    ("Received", RECEIVED),
    ("Date", "Wed, 4 Mar 2026 15:30:12 +0800"),
    ("From", f"\"{word_b('朱镕'.encode('gbk'), 'gb2312')}\" <zhurong@163.example>"),
    ("To", f"\"care\" <{MAILBOX}>"),
    ("Subject", word_b("宴会厅空调不凉", "gb2312")),
    ("X-Priority", "3"),
    ("X-GUID", "6F1B2C3D-4E5F-6A7B-8C9D-0E1F2A3B4C5D"),
    ("X-Has-Attach", "no"),
    ("X-Mailer", "Foxmail 7.2.25.228[cn]"),
    ("Mime-Version", "1.0"),
    ("Message-ID", "<202603041530118765432@163.example>"),
    ("Content-Type", 'text/plain;\n\tcharset="gb2312"'),
    ("Content-Transfer-Encoding", "base64"),
], b64(_ZH, "gbk")),
    expect(sender_name="朱镕", email="zhurong@163.example", subject="宴会厅空调不凉", text=_ZH))

# --- GBK, quoted-printable -------------------------------------------------------------------------------------
_ZH_GBK = "房间里有蟑螂，晚上睡不着。希望换一间房。"  # noqa: RUF001
MAILS["gbk_zh"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", f"{word_q('王芳', 'GBK')} <wangfang@qq.example>"),
    ("To", MAILBOX),
    ("Subject", word_q("房间有蟑螂", "GBK")),
    ("Date", "Thu, 5 Mar 2026 01:12:40 +0800"),
    ("Message-ID", "<tencent_8D2E1F0A3B4C5D6E7F@qq.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'text/plain; charset="GBK"'),
    ("Content-Transfer-Encoding", "quoted-printable"),
], qp(_ZH_GBK, "gbk")),
    expect(sender_name="王芳", email="wangfang@qq.example", subject="房间有蟑螂", text=_ZH_GBK))

# --- ISO-2022-JP, 7bit, Thunderbird in Japanese ------------------------------------------------------------------
_JA = "ホテル御中\n\nチェックインの際、予約が見つからないと言われ、一時間待ちました。\n説明をお願いします。\n\n山田太郎"
MAILS["iso2022jp_thunderbird_ja"] = Mail(mail([
    ("Received", RECEIVED),
    ("Message-ID", "<3b7c1d2e-8f90-4a1b-b2c3-d4e5f6a7b8c9@example.jp>"),
    ("Date", "Thu, 5 Mar 2026 09:00:00 +0900"),
    ("MIME-Version", "1.0"),
    ("User-Agent", "Mozilla Thunderbird"),
    ("Content-Language", "ja"),
    ("To", MAILBOX),
    ("From", f"{word_b('山田太郎', 'ISO-2022-JP')} <taro.yamada@example.jp>"),
    ("Subject", word_b("予約が見つからない", "ISO-2022-JP")),
    ("Content-Type", "text/plain; charset=ISO-2022-JP"),
    ("Content-Transfer-Encoding", "7bit"),
], _JA.encode("iso2022_jp") + b"\n"),
    expect(sender_name="山田太郎", email="taro.yamada@example.jp", subject="予約が見つからない", text=_JA))

# --- UTF-7 ---------------------------------------------------------------------------------------------------
_UTF7 = "Hồ bơi đóng cửa cả ngày mà không báo trước."
MAILS["utf7_vi"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Pham Hoa <hoa.pham@example.vn>"),
    ("To", MAILBOX),
    ("Subject", word_b("Hồ bơi đóng cửa", "UTF-7")),
    ("Date", "Thu, 5 Mar 2026 16:40:00 +0700"),
    ("Message-ID", "<utf7.1741167600.4411@example.vn>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-7"),
    ("Content-Transfer-Encoding", "7bit"),
], _UTF7.encode("utf-7") + b"\n"),
    expect(sender_name="Pham Hoa", email="hoa.pham@example.vn", subject="Hồ bơi đóng cửa", text=_UTF7))

# --- Declared us-ascii, 8-bit UTF-8 body; a raw 8-bit UTF-8 subject ----------------------------------------------
_VI_RAW = "Wifi ở tầng 7 không vào được, tôi cần làm việc gấp."
MAILS["ascii_label_utf8_body"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Do Minh Khoa <khoa.do@example.vn>"),
    ("To", MAILBOX),
    ("Subject", "Wifi tầng 7 không vào được".encode()),
    ("Date", "Fri, 6 Mar 2026 11:00:00 +0700"),
    ("Message-ID", "<8bit-utf8-001@example.vn>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=us-ascii"),
    ("Content-Transfer-Encoding", "8bit"),
], _VI_RAW.encode() + b"\n"),
    expect(sender_name="Do Minh Khoa", email="khoa.do@example.vn", subject="Wifi tầng 7 không vào được",
           text=_VI_RAW))

# --- No charset at all, windows-1258 bytes (body and raw subject) -------------------------------------------------
_VI_NONE = "Nhân viên bãi xe làm trầy xe của tôi và không nhận lỗi."
MAILS["no_charset_cp1258"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "Le Van Hung <hung.le@example.vn>"),
    ("To", MAILBOX),
    ("Subject", cp1258("Xe bị trầy ở bãi xe")),
    ("Date", "Fri, 6 Mar 2026 12:10:00 +0700"),
    ("Message-ID", "<nocharset-1258@example.vn>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain"),
    ("Content-Transfer-Encoding", "8bit"),
], cp1258(_VI_NONE) + b"\n"),
    expect(sender_name="Le Van Hung", email="hung.le@example.vn", subject="Xe bị trầy ở bãi xe", text=_VI_NONE))

# --- Declared us-ascii, TIS-620 bytes, raw TIS-620 subject and name ----------------------------------------------
_TH_RAW = "อาหารในมินิบาร์หมดอายุ ขอให้ตรวจสอบด้วย"
MAILS["ascii_label_tis620"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", "มานพ".encode("tis-620") + b" <manop@example.co.th>"),
    ("To", MAILBOX),
    ("Subject", "มินิบาร์หมดอายุ".encode("tis-620")),
    ("Date", "Fri, 6 Mar 2026 20:00:00 +0700"),
    ("Message-ID", "<ascii-tis620@example.co.th>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", 'text/plain; charset="us-ascii"'),
], _TH_RAW.encode("tis-620") + b"\n"),
    expect(sender_name="มานพ", email="manop@example.co.th", subject="มินิบาร์หมดอายุ", text=_TH_RAW))

# --- Encoded words split mid-character (B and Q), a word glued to text, a folded subject -------------------------
_SPLIT = "Phòng bẩn quá, tôi muốn đổi phòng".encode()
MAILS["split_encoded_words"] = Mail(mail([
    ("Received", RECEIVED),
    ("From", f"{word_q('Nguyễn'.encode()[:5])}{word_q('Nguyễn'.encode()[5:])} Thu <ha.nguyen@example.vn>"),
    ("To", MAILBOX),
    ("Subject", f"Re:{word_b(_SPLIT[:7])}\n {word_b(_SPLIT[7:20])}\n\t{word_q(_SPLIT[20:])}"),
    ("Date", "Sat, 7 Mar 2026 09:30:00 +0700"),
    ("Message-ID", "<split-words@example.vn>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "base64"),
], b64("Tôi muốn đổi sang phòng khác.")),
    expect(sender_name="Nguyễn Thu", email="ha.nguyen@example.vn", subject="Re:Phòng bẩn quá, tôi muốn đổi phòng",
           text="Tôi muốn đổi sang phòng khác."))
