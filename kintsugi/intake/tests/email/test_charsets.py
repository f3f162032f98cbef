"""Bytes into text as real Vietnamese, Thai, Chinese and Japanese mail needs, and headers decoded however broken."""

from __future__ import annotations

import base64
import random

import pytest

from kintsugi.intake.channels.email.charsets import codec_for, decode, decode_header_value
from tests.payloads.email.build import cp1258

VI = "Phòng 204 rất bẩn, khăn tắm có vết ố và nhân viên lễ tân không hỗ trợ."
TH = "ห้องสกปรกมาก ผ้าเช็ดตัวมีคราบ พนักงานต้อนรับไม่ช่วยเหลือเลย"
ZH = "房间很脏，毛巾有污渍，朱镕基"  # noqa: RUF001 (Chinese punctuation)
JA = "予約が見つからないと言われ、一時間待ちました。"


@pytest.mark.parametrize(("label", "data", "text"), [
    ("utf-8", VI.encode(), VI),
    ("windows-1258", cp1258(VI), VI),  # combining tone marks, read back NFC
    ("TIS-620", TH.encode("tis-620"), TH),
    ("tis-620", "“ห้อง 204”…".encode("cp874"), "“ห้อง 204”…"),  # windows-874's quotes under the TIS-620 label
    ("windows-874", TH.encode("cp874"), TH),
    ("ISO-8859-11", TH.encode("iso8859_11"), TH),
    ("gb2312", ZH.encode("gbk"), ZH),  # 镕 is GBK, not GB2312: read as GB18030
    ("GBK", ZH.encode("gbk"), ZH),
    ("gb18030", ZH.encode("gb18030"), ZH),
    ("ISO-2022-JP", JA.encode("iso2022_jp"), JA),
    ("iso-2022-jp", b"\x1b$B-!HV$NIt20\x1b(B \x1b(I6\x1b(B", "①番の部屋 ｶ"),  # NEC's ①, half-width kana
    ("shift_jis", JA.encode("cp932"), JA),
    ("utf-7", VI.encode("utf-7"), VI),
    ("\"UTF-8\"", VI.encode(), VI),
])
def test_each_declared_charset_is_read_as_clients_write_it(label: str, data: bytes, text: str) -> None:
    assert decode(data, label) == text


@pytest.mark.parametrize(("label", "data", "text"), [
    ("", VI.encode(), VI),
    ("us-ascii", VI.encode(), VI),
    ("iso-8859-1", VI.encode(), VI),  # a server's default label on UTF-8
    ("windows-1252", VI.encode(), VI),
    ("", cp1258(VI), VI),
    ("us-ascii", cp1258(VI), VI),
    ("", TH.encode("tis-620"), TH),
    ("us-ascii", TH.encode("cp874"), TH),
    ("x-unknown", TH.encode("tis-620"), TH),
    ("unknown-8bit", ZH.encode("gb18030"), ZH),
    ("no-such-charset", cp1258(VI), VI),
    ("utf-8", cp1258(VI), VI),  # labelled UTF-8, written in windows-1258
    ("utf-8", TH.encode("tis-620"), TH),
])
def test_a_missing_or_wrong_label_is_guessed(label: str, data: bytes, text: str) -> None:
    assert decode(data, label) == text


def test_the_organisations_language_breaks_a_tie() -> None:
    data = b"\xe0 \xe1"  # as plausible in Thai (เ แ) as in Vietnamese (à á)
    assert (decode(data, "", "th"), decode(data, "", "vi"), decode(data, "")) == ("เ แ", "à á", "à á")


def test_latin_1_that_is_not_utf_8_stays_latin_1() -> None:
    assert decode("Café crème".encode("latin-1"), "iso-8859-1") == "Café crème"


def test_utf_8_with_a_stray_byte_keeps_its_text() -> None:
    assert decode(VI.encode() + b"\xff", "utf-8") == VI + "\ufffd"


def test_decoding_never_raises() -> None:
    chaos = random.Random(19)
    for label in ("", "utf-8", "windows-1258", "tis-620", "gb2312", "iso-2022-jp", "utf-7", "ascii", "bogus"):
        for _ in range(50):
            data = bytes(chaos.randrange(256) for _ in range(chaos.randrange(1, 40)))
            assert isinstance(decode(data, label), str)


def test_labels_name_the_supersets() -> None:
    assert [codec_for(label) for label in ("GB2312", "tis-620", "ISO-8859-11", "Shift_JIS", "us-ascii", "bogus",
                                           "utf-8*vi")] == ["gb18030", "cp874", "cp874", "cp932", "", "", "utf-8"]


def _b(data: bytes, charset: str = "utf-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


@pytest.mark.parametrize(("raw", "text"), [
    ("=?utf-8?Q?Ph=C3=B2ng_b=E1=BA=A9n?=", "Phòng bẩn"),
    (_b("Phòng bẩn".encode()[:4]) + " " + _b("Phòng bẩn".encode()[4:]), "Phòng bẩn"),  # split mid-character
    (_b("Phòng bẩn".encode()[:4]) + _b("Phòng bẩn".encode()[4:]), "Phòng bẩn"),  # glued together
    ("Re: " + _b(TH.encode("tis-620"), "TIS-620"), "Re: " + TH),
    (_b(cp1258("Bữa sáng"), "windows-1258"), "Bữa sáng"),
    (_b(ZH.encode("gbk"), "gb2312"), ZH),
    (_b(JA.encode("iso2022_jp"), "ISO-2022-JP"), JA),
    ("=?utf-8*vi?Q?Ph=C3=B2ng?=", "Phòng"),  # RFC 2231 language in the word
    ("Về " + "=?utf-8?Q?ph=C3=B2ng?= 204", "Về phòng 204"),
    ("Phòng 204\r\n bẩn".encode().decode("ascii", errors="surrogateescape"), "Phòng 204 bẩn"),  # raw 8-bit
    (TH.encode("tis-620").decode("ascii", errors="surrogateescape"), TH),
    ("plain subject", "plain subject"),
])
def test_headers_are_decoded_however_they_were_written(raw: str, text: str) -> None:
    assert decode_header_value(raw) == text


def test_a_word_that_cannot_be_decoded_is_refused_for_the_fallback() -> None:
    with pytest.raises(ValueError, match="decoding"):
        decode_header_value("=?utf-8?B?broken!!?=")
