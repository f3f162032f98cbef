"""Only the new part of a reply: the quoted history and the signature folded away, the customer's own words kept.

mail-parser-reply cuts a mail into its replies at the reply headers it knows ("On ... wrote:", Outlook's
"From: ... Sent: ..." block, "-----Original Message-----"); it is given our compiled patterns, once: its own
English, Chinese and Japanese headers plus the Vietnamese ("Vào ... đã viết:", "-----Thư gốc-----", "Từ: ...
Gửi: ...") and Thai ("เมื่อ ... เขียนว่า:", "จาก: ... ส่ง: ...") ones it lacks. Its signature rule is replaced by a
careful one: a closing ("Best regards,", "Trân trọng,", "ขอแสดงความนับถือ") folds only when it stands on its own
line with at most a few short lines after it, so "Thanks, please call me at 0901..." stays whole.

Never loses the customer's words: a forwarded mail (its marker, "---------- Forwarded message ---------") is
content, not history, and stays; lines quoted with ">" go; if nothing is left, the whole text is the text."""

from __future__ import annotations

import re
import warnings

from mailparser_reply import EmailMessage  # type: ignore[import-untyped]
from mailparser_reply.constants import (  # type: ignore[import-untyped]
    GENERIC_MAIL_SEPARATOR,
    MAIL_LANGUAGES,
    OUTLOOK_MAIL_SEPARATOR,
    QUOTED_MATCH_INCLUDE,
)

Q: str = QUOTED_MATCH_INCLUDE
# mail-parser-reply 1.36 passes re.sub's count positionally (Python 3.13 warns on every mail); harmless here.
warnings.filterwarnings("ignore", message="'count' is passed as positional argument", category=DeprecationWarning,
                        module="mailparser_reply")


def _header_block(names: str) -> str:
    """Two or more lines of a mail client's quoted header block (as mail-parser-reply writes its own)."""
    return (r"((?:(?:^|\n|\n" + Q + r")[* ]*(?:" + names + r")[ \t]*:[ *]*(?:\s{,2}).*){2,}(?:\n.*){,1})")


_VIETNAMESE = {
    # Gmail "Vào Th 3, 3 thg 3, 2026 vào lúc 10:15 Lan <lan@example.vn> đã viết:", Apple Mail "Vào 10:15, ngày
    # 3 thg 3, 2026, Lan <...> đã viết:", Yahoo "Vào lúc 10:15 Thứ Ba, ...".
    "wrote_header": r"^(" + Q + r"Vào\s(?:.+?\s?.+?)\s?đã viết\s?:)$",
    "from_header": _header_block("Từ|Đã gửi|Gửi|Gửi lúc|Đến|Tới|Chủ đề|Tiêu đề|Ngày|Cc|Bcc"),
}
_THAI = {
    # Gmail "เมื่อ อ. 3 มี.ค. 2026 เวลา 10:15 Somchai <...> เขียนว่า:", Outlook "จาก: ... ส่ง: ... ถึง: ... เรื่อง: ..."
    "wrote_header": r"^(" + Q + r"เมื่อ\s?(?:.+?\s?.+?)\s?เขียนว่า\s?:)$",
    "from_header": _header_block("จาก|ส่ง|ส่งเมื่อ|ถึง|เรื่อง|หัวเรื่อง|วันที่|สำเนาถึง|สำเนา"),
}
_SEPARATORS = [
    GENERIC_MAIL_SEPARATOR,
    r"^-{5,} ?Thư gốc ?-{5,}$",
    r"^-{5,} ?(?:ข้อความต้นฉบับ|ข้อความเดิม) ?-{5,}$",
    r"^" + Q + r"_{32,}$",  # Outlook's line above its header block
]
_HEADERS = [
    MAIL_LANGUAGES["en"]["wrote_header"], _VIETNAMESE["wrote_header"], _THAI["wrote_header"],
    MAIL_LANGUAGES["zh"]["wrote_header"], MAIL_LANGUAGES["ja"]["wrote_header"],
    MAIL_LANGUAGES["en"]["from_header"], _VIETNAMESE["from_header"], _THAI["from_header"],
    MAIL_LANGUAGES["zh"]["from_header"],
    *(f"({separator})" for separator in _SEPARATORS),
]
HEADER_REGEX = re.compile("|".join(_HEADERS), re.MULTILINE | re.IGNORECASE)

_CLOSINGS = [
    "best regards", "kind regards", "warm regards", "regards", "best wishes", "all the best", "sincerely",
    "yours sincerely", "yours faithfully", "cheers", "best", "thanks", "thank you", "many thanks",
    "trân trọng", "trân trọng cảm ơn", "thân ái", "thân mến", "kính thư", "kính", "thanks & best regards",
    "ขอแสดงความนับถือ", "ด้วยความเคารพ", "ด้วยความนับถือ",
    "此致", "敬礼", "谢谢", "祝好", "よろしくお願いします", "よろしくお願いいたします",
]
_SENT_FROM = [
    r"Sent from my [^\n]{1,40}", r"Get Outlook for [^\n]{1,40}", r"Sent from (?:Mail|Outlook|Yahoo Mail)[^\n]{0,40}",
    r"Được gửi từ [^\n]{1,40}", r"Gửi từ [^\n]{1,30}của tôi", r"ส่งจาก[^\n]{1,40}", r"从我的[^\n]{1,30}发送",
]
# The signature's start, to the end of the reply it is in: the "-- " line (stripped to "--" by the library),
# Outlook's line of underscores, a phone's "Sent from my iPhone", or a closing alone on its line followed by at
# most five short lines (a name, a title, a phone number).
SIGNATURE_REGEX = re.compile(
    r"(?:^" + Q + r"--[ \t]*\n(?:.|\n)*"
    + "|" + OUTLOOK_MAIL_SEPARATOR + r"(?:.|\n)*"
    + r"|^" + Q + r"(?:" + "|".join(_SENT_FROM) + r")[ \t]*(?:\n|\Z)(?:.|\n)*"
    + r"|(?<!\A)^" + Q + r"(?:" + "|".join(re.escape(closing) for closing in _CLOSINGS) + r")[ \t]*[,.!]?[ \t]*"
    + r"(?:\n[^\n]{0,60}){0,5}\n?\Z)",
    re.MULTILINE | re.IGNORECASE,
)
# Never matches: disclaimers are left alone (the customer's words are worth more than a tidy text).
_NO_DISCLAIMERS = re.compile(r"(?!x)x")

FORWARD = re.compile(
    r"^[ \t]*(?:-{3,} ?(?:Forwarded message|Forwarded Message|Original Message follows)[^\n]*"
    r"|-{3,}[^\n]{0,30}(?:chuyển tiếp|ส่งต่อ)[^\n]{0,30}-{3,}"
    r"|Begin forwarded message:|Bắt đầu thư được chuyển tiếp:|เริ่มข้อความที่ส่งต่อ:)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*(?:\n|\Z)", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


def _new_part(text: str) -> str:
    """The first reply's body, in the original's lines (the library strips every line of its indentation)."""
    message = EmailMessage(
        text=text, languages=["en"], keep_hyphen_lists=True,
        _header_regex=HEADER_REGEX, _signature_regex=SIGNATURE_REGEX, _disclaimers_regex=_NO_DISCLAIMERS,
    ).read()
    if not message.replies:
        return text
    body = str(message.replies[0].body)
    normalised = str(message.text)
    start = normalised.find(body) if body else -1
    if start < 0:
        return body
    first = normalised.count("\n", 0, start)
    last = first + body.count("\n")
    lines = text.replace("\r\n", "\n").split("\n")
    kept = lines[first:last + 1]
    if [line.strip() for line in kept] != normalised.split("\n")[first:last + 1]:
        return body
    return "\n".join(line.rstrip() for line in kept)


def fold(text: str) -> str:
    """The new part of `text` (a mail's whole text); `text` itself when folding would leave nothing."""
    if not text.strip():
        return text.strip()
    forward = FORWARD.search(text)
    head, tail = (text[:forward.start()], text[forward.start():]) if forward else (text, "")
    new = _new_part(head) if head.strip() else ""
    new = _BLANK_LINES.sub("\n\n", _QUOTED_LINE.sub("", new)).strip()
    if tail:
        new = (new + "\n\n" + tail.strip()).strip()
    return new or text.strip()
