"""Bytes into text the way real Vietnamese, Thai, Chinese and Japanese mail needs: each declared charset read as
the superset mail clients actually write (GB2312 as GB18030, TIS-620 and ISO-8859-11 as windows-874, Shift_JIS as
cp932), a mislabelled or missing charset guessed from a short deterministic list (UTF-8, then windows-1258,
windows-874 and GB18030, scored by how plausible each reading is), and the result NFC-normalised (windows-1258
writes Vietnamese tone marks as combining characters). Never raises: the last resort replaces what no reading
explains. Pure: no Django."""

from __future__ import annotations

import codecs
import re
import unicodedata
from email.header import decode_header
from functools import lru_cache

# What a declared label is read as: the superset every mail client in the region writes under that name.
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "csgb2312": "gb18030", "gb_2312-80": "gb18030", "x-euc-cn": "gb18030", "chinese": "gb18030",
    "tis-620": "cp874", "tis620": "cp874", "iso-8859-11": "cp874", "iso8859-11": "cp874", "iso_8859-11": "cp874",
    "windows-874": "cp874", "x-windows-874": "cp874", "ms874": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "big5": "big5hkscs",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252", "windows-1252": "cp1252",
    "unicode-1-1-utf-7": "utf-7", "utf8": "utf-8", "x-unknown": "", "unknown-8bit": "", "x-user-defined": "",
    "us-ascii": "", "ascii": "", "ansi_x3.4-1968": "", "default": "", "none": "",
}
# Tried, in order, when the declared codec cannot read the bytes.
_SUPERSETS = {
    "iso2022_jp": ("iso2022_jp_2", "iso2022_jp_ext", "iso2022_jp_3"),
    "euc_jp": ("euc_jis_2004", "cp932"),
    "cp932": ("shift_jis_2004",),
}
# Encodings whose text is plain 7-bit bytes: ASCII-only data still needs them.
_SEVEN_BIT = frozenset({"utf-7", "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_3", "iso2022_jp_ext",
                        "iso2022_jp_2004", "iso2022_kr", "hz"})
# The guesses, by the language a mailbox's organisation speaks first.
_GUESSES = {
    "vi": ("cp1258", "cp874", "gb18030"),
    "th": ("cp874", "cp1258", "gb18030"),
}
_DEFAULT_GUESSES = ("cp1258", "cp874", "gb18030")
_WORD = re.compile(r"\S+")
_ISO2022_JP_ESCAPE = re.compile(rb"\x1b(\$[@B]|\([BJI])")


@lru_cache(maxsize=256)
def codec_for(label: str | None) -> str:
    """The Python codec a declared charset label is read with; "" for none, unknown or plain ASCII."""
    name = (label or "").strip().strip("\"'").lower().split("*", 1)[0]
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        found = codecs.lookup(name).name
    except (LookupError, ValueError):
        return ""
    alias = _ALIASES.get(found)
    return alias if alias is not None else found


def _kind(char: str) -> str:
    """A character's script for plausibility: L(atin), T(hai), C(JK), X (a symbol no prose is made of), or ""."""
    code = ord(char)
    if code < 0x80:
        return "L" if char.isalpha() else ""
    if 0x0E00 <= code <= 0x0E7F:
        return "T"
    if 0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF:
        return "C"
    if (0xC0 <= code <= 0x24F and code not in (0xD7, 0xF7)) or 0x1E00 <= code <= 0x1EFF or 0x300 <= code <= 0x36F:
        return "L"
    if code in (0xA0, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x20AC):
        return ""  # a no-break space, dashes, curly quotes, a bullet, an ellipsis, the euro: common in any language
    return "X"


def _implausibility(text: str) -> int:
    """How unlike prose a reading is: symbols count double, and every change of script inside a word counts."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        previous = ""
        for char in word:
            kind = _kind(char)
            if kind == "X":
                score += 2
            elif kind:
                if previous and kind != previous:
                    score += 1
                previous = kind
    return score


def _iso2022_jp_as_euc(data: bytes) -> str:
    """ISO-2022-JP as Outlook and Japanese phones write it, with NEC's circled numbers and other characters of
    row 13 that no Python ISO-2022-JP codec reads: the same JIS X 0208 bytes, shifted into EUC, read as
    EUC-JIS-2004 (whose JIS X 0213 holds those characters at the same places)."""
    out = bytearray()
    mode = b"(B"
    position = 0
    for match in [*_ISO2022_JP_ESCAPE.finditer(data), None]:
        end = match.start() if match else len(data)
        chunk = data[position:end]
        if mode in (b"$@", b"$B"):
            out += bytes(byte | 0x80 for byte in chunk if byte not in (0x0A, 0x0D)) if len(chunk) % 2 == 0 else chunk
        elif mode == b"(I":
            for byte in chunk:
                out += bytes((0x8E, byte | 0x80))
        else:
            out += chunk
        if match:
            mode, position = match.group(1), match.end()
    return out.decode("euc_jis_2004", errors="replace")


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _guess(data: bytes, language: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best: tuple[int, str] | None = None
    for codec in _GUESSES.get(language, _DEFAULT_GUESSES):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _implausibility(text)
        if best is None or score < best[0]:
            best = (score, text)
    if best is not None:
        return best[1]
    return data.decode(_GUESSES.get(language, _DEFAULT_GUESSES)[0], errors="replace")


def _mostly_utf8(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for char in text if ord(char) > 0x7F) - broken
    return text if broken * 4 <= valid else None  # a stray byte in UTF-8 prose, not another charset


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp125", "iso8859", "koi8", "mac", "cp874"))


def decode(data: bytes, declared: str | None = "", language: str = "") -> str:
    """`data` as text, read as `declared` says where that works, else the best guess (never raises)."""
    codec = codec_for(declared)
    if data.isascii() and codec not in _SEVEN_BIT:
        return data.decode("ascii")
    if not codec:
        return _nfc(_guess(data, language))
    if _single_byte(codec):
        # A mislabelled UTF-8 mail (Latin-1 is the label of choice of misconfigured servers): prose in a
        # single-byte charset is almost never valid UTF-8 by accident.
        try:
            return _nfc(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    for candidate in (codec, *_SUPERSETS.get(codec, ())):
        try:
            return _nfc(data.decode(candidate))
        except UnicodeDecodeError:
            continue
    if codec.startswith("iso2022_jp"):
        return _nfc(_iso2022_jp_as_euc(data))
    if codec == "utf-8":
        text = _mostly_utf8(data)
        return _nfc(text if text is not None else _guess(data, language))
    try:
        return _nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _nfc(data.decode(codec, errors="replace"))


def raw_bytes(value: str) -> bytes:
    """A header value as the parser kept it (8-bit bytes as surrogate escapes) back into its bytes."""
    return value.encode("ascii", errors="surrogateescape")


def has_raw_bytes(value: str) -> bool:
    return not value.isascii() and any(0xDC80 <= ord(char) <= 0xDCFF for char in value)


def decode_header_value(value: str, language: str = "") -> str:
    """A raw header value as text: unfolded, raw 8-bit bytes guessed, RFC 2047 encoded words decoded (adjacent
    words in one charset joined first, so a character split across two words survives). Raises ValueError for an
    encoded word that cannot be decoded at all (the caller falls back on the email package's own reading)."""
    value = value.replace("\r", "").replace("\n", "")
    if has_raw_bytes(value):
        value = decode(raw_bytes(value), "", language)
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
    except Exception as exc:  # HeaderParseError, binascii.Error: a broken encoded word
        raise ValueError(str(exc)) from exc
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
        else:
            out.append(decode(chunk, charset, language))
    return _nfc("".join(out))
