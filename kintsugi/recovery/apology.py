"""The five-part apology (S9) and its lint: the parts with guidance and examples in Vietnamese, Thai and English,
composing the message the customer reads, and warnings on excuses, blame, conditional and minimising phrases.

Pure: no database. The organisation's own phrases come in as `extra` (see recovery.models.ApologyPhrase).

The parts follow the seed article on apologising (004) and Lewicki, Polin & Lount (2016): offer of repair,
responsibility, explanation, repentance (the fix), regret for the impact; request for forgiveness is optional and
off by default (it matters least).

Matching: text and phrases are compared in Unicode NFC, case-insensitively, so a Vietnamese phrase typed with
combining accents still matches, and "những" never matches "nhưng" (the tone mark is part of the word). Vietnamese
and English match on word boundaries; Thai writes no spaces between words, so Thai phrases match anywhere, and
the built-in Thai list avoids short words that occur inside longer ones (แต่ in ตั้งแต่, แต่ละ).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("vi", "th", "en")


@dataclass(frozen=True)
class Part:
    key: str
    title: Promise  # in the staff member's language
    is_required: bool
    guidance: Mapping[str, str]  # per case language
    examples: Mapping[str, tuple[str, ...]]  # per case language


PARTS: tuple[Part, ...] = (
    Part(
        "restore", _("Put it right"), True,
        {
            "vi": "Mở đầu bằng lời đề nghị khắc phục: khách hàng muốn biết bạn sẽ làm gì để bù đắp giá trị "
                  "họ đã mất. Nói cụ thể và làm ngay nếu có thể.",
            "th": "เริ่มด้วยข้อเสนอในการแก้ไข ลูกค้าอยากรู้ว่าเราจะทำอะไรเพื่อชดเชยสิ่งที่เขาเสียไป "
                  "บอกให้ชัดเจนและทำทันทีถ้าทำได้",
            "en": "Open with the offer to put it right: the customer wants to know what you will do to restore "
                  "what they lost. Be specific, and act now where you can.",
        },
        {
            "vi": ("Chúng tôi đã chuyển quý khách sang phòng 512 đã được dọn sạch và hoàn lại tiền đêm đầu tiên.",
                   "Chúng tôi sẽ giao lại đơn hàng mới cho quý khách trước 18 giờ hôm nay, miễn phí."),
            "th": ("เราได้ย้ายคุณไปห้อง 512 ที่ทำความสะอาดเรียบร้อยแล้ว และคืนเงินค่าห้องคืนแรกให้คุณ",
                   "เราจะจัดส่งสินค้าชิ้นใหม่ให้คุณภายใน 18.00 น. วันนี้ โดยไม่มีค่าใช้จ่าย"),
            "en": ("We have moved you to room 512, freshly cleaned, and refunded your first night.",
                   "We will deliver a replacement to you before 6 pm today, free of charge."),
        },
    ),
    Part(
        "responsibility", _("Take responsibility"), True,
        {
            "vi": "Nhận trách nhiệm rõ ràng. Không bào chữa, không đổ lỗi cho khách hàng hay bên thứ ba "
                  "(nhà cung cấp, đối tác, hệ thống).",
            "th": "ยอมรับความรับผิดชอบอย่างชัดเจน ไม่แก้ตัว ไม่โทษลูกค้าหรือบุคคลภายนอก "
                  "(ซัพพลายเออร์ คู่ค้า หรือระบบ)",
            "en": "Own it plainly. No excuses, no blame on the customer or a third party (supplier, partner, "
                  "\u201cthe system\u201d).",
        },
        {
            "vi": ("Đây là lỗi của chúng tôi và chúng tôi hoàn toàn chịu trách nhiệm.",
                   "Chúng tôi đã không giữ đúng lời hứa với quý khách."),
            "th": ("นี่เป็นความผิดพลาดของเราเอง และเราขอรับผิดชอบทั้งหมด",
                   "เราไม่ได้ทำตามที่สัญญาไว้กับคุณ"),
            "en": ("This was our mistake, and we take full responsibility for it.",
                   "We did not keep our promise to you."),
        },
    ),
    Part(
        "explanation", _("Explain what went wrong"), True,
        {
            "vi": "Giải thích ngắn gọn điều gì đã xảy ra và nguyên nhân gốc rễ, bằng lời dễ hiểu.",
            "th": "อธิบายสั้น ๆ ว่าเกิดอะไรขึ้นและต้นเหตุที่แท้จริงคืออะไร ด้วยภาษาที่เข้าใจง่าย",
            "en": "Say briefly what happened and its root cause, in plain words.",
        },
        {
            "vi": ("Nhân viên buồng phòng ca sáng đã đánh dấu nhầm phòng của quý khách là đã dọn.",
                   "Chúng tôi nhận đơn của quý khách khi kho đã hết hàng mà không kiểm tra lại."),
            "th": ("พนักงานแม่บ้านกะเช้าบันทึกผิดว่าห้องของคุณทำความสะอาดแล้ว",
                   "เรารับคำสั่งซื้อของคุณโดยไม่ได้ตรวจสอบว่าสินค้าในคลังหมดแล้ว"),
            "en": ("Our morning housekeeping shift marked your room as cleaned by mistake.",
                   "We accepted your order without checking that the item was out of stock."),
        },
    ),
    Part(
        "prevention", _("The fix, and how it will not happen again"), True,
        {
            "vi": "Mô tả cách đã khắc phục và biện pháp để sự cố không lặp lại.",
            "th": "บอกว่าเราแก้ไขอย่างไร และมีมาตรการอะไรเพื่อไม่ให้เกิดขึ้นอีก",
            "en": "Describe the fix and what you changed so that it does not happen again.",
        },
        {
            "vi": ("Từ hôm nay, trưởng ca sẽ kiểm tra từng phòng trước khi giao cho khách.",
                   "Chúng tôi đã thêm bước kiểm tra tồn kho tự động trước khi xác nhận đơn hàng."),
            "th": ("ตั้งแต่วันนี้ หัวหน้ากะจะตรวจทุกห้องก่อนส่งมอบให้แขก",
                   "เราได้เพิ่มการตรวจสอบสต็อกก่อนยืนยันคำสั่งซื้อทุกครั้ง"),
            "en": ("From today the shift leader checks every room before it is handed to a guest.",
                   "We have added a stock check before any order is confirmed."),
        },
    ),
    Part(
        "regret", _("Regret for the impact"), True,
        {
            "vi": "Bày tỏ sự tiếc nuối cho tác động đến công việc hoặc cuộc sống của khách hàng, "
                  "không chỉ cho sự việc.",
            "th": "แสดงความเสียใจต่อผลกระทบที่เกิดกับชีวิตหรือธุรกิจของลูกค้า ไม่ใช่แค่ต่อเหตุการณ์",
            "en": "Express regret for what it did to the customer's day, life or business, not only for the "
                  "event.",
        },
        {
            "vi": ("Chúng tôi rất tiếc vì quý khách đã mất buổi tối nghỉ ngơi sau chuyến bay dài.",
                   "Chúng tôi xin lỗi vì đã làm gián đoạn công việc kinh doanh của quý khách."),
            "th": ("เราเสียใจอย่างยิ่งที่ทำให้คุณไม่ได้พักผ่อนหลังการเดินทางอันยาวนาน",
                   "เราขออภัยที่ทำให้ธุรกิจของคุณต้องหยุดชะงัก"),
            "en": ("We are truly sorry that you lost your evening's rest after a long flight.",
                   "We are sorry for the disruption this caused to your business."),
        },
    ),
    Part(
        "forgiveness", _("Ask for forgiveness (optional)"), False,
        {
            "vi": "Không bắt buộc. Chỉ dùng khi phù hợp; các phần trên quan trọng hơn.",
            "th": "ไม่บังคับ ใช้เมื่อเหมาะสมเท่านั้น ส่วนอื่นข้างบนสำคัญกว่า",
            "en": "Optional. Use it only when it fits; the parts above matter more.",
        },
        {
            "vi": ("Chúng tôi mong quý khách thông cảm và cho chúng tôi cơ hội phục vụ quý khách tốt hơn.",),
            "th": ("เราหวังว่าคุณจะให้อภัยและให้โอกาสเราได้ดูแลคุณให้ดีขึ้น",),
            "en": ("We hope you will forgive us and let us look after you better next time.",),
        },
    ),
)
PARTS_BY_KEY = {part.key: part for part in PARTS}
REQUIRED_KEYS = tuple(part.key for part in PARTS if part.is_required)
MAX_PART = 2000


def part_keys(include_forgiveness: bool) -> tuple[str, ...]:
    return tuple(p.key for p in PARTS if p.is_required or include_forgiveness)


def missing_parts(parts: Mapping[str, str]) -> list[str]:
    """The keys of the required parts that are empty (whitespace counts as empty)."""
    return [key for key in REQUIRED_KEYS if not (parts.get(key) or "").strip()]


def _same_text(text: str) -> str:
    return " ".join(normalise(text).split()).casefold()


@lru_cache(maxsize=1)
def _template_texts() -> dict[str, frozenset[str]]:
    return {part.key: frozenset(_same_text(example) for examples in part.examples.values() for example in examples)
            for part in PARTS}


def unedited_parts(parts: Mapping[str, str]) -> list[str]:
    """The keys of the required parts whose text is only a template left as it was: one of the examples shown
    beside the part (in any language), compared in NFC, case and runs of spaces aside. Such a part is not
    written yet: the example's room 512 is not the customer's room."""
    return [key for key in REQUIRED_KEYS
            if (text := _same_text(parts.get(key) or "")) and text in _template_texts()[key]]


def compose(parts: Mapping[str, str], *, include_forgiveness: bool = False) -> str:
    """The message as the customer reads it: the parts in order, one paragraph each, empty parts left out."""
    paragraphs = [" ".join((parts.get(key) or "").split()) for key in part_keys(include_forgiveness)]
    return "\n\n".join(p for p in paragraphs if p)


# --------------------------------------------------------------------------------------------- the lint


class Kind:
    EXCUSE = "excuse"
    BLAME = "blame"
    CONDITIONAL = "conditional"
    MINIMISING = "minimising"


KINDS = (Kind.EXCUSE, Kind.BLAME, Kind.CONDITIONAL, Kind.MINIMISING)
KIND_LABELS: dict[str, Promise] = {
    Kind.EXCUSE: _("Excuse"),
    Kind.BLAME: _("Blame"),
    Kind.CONDITIONAL: _("Conditional apology"),
    Kind.MINIMISING: _("Minimising"),
}
SUGGESTIONS: dict[str, Promise] = {
    Kind.EXCUSE: _("Drop the excuse: say what went wrong as our own failure and what we changed."),
    Kind.BLAME: _("Do not blame the customer or a third party; take responsibility for it yourself."),
    Kind.CONDITIONAL: _("Apologise without “if”: say what happened and that you are sorry for it."),
    Kind.MINIMISING: _("Do not make it smaller than the customer felt it; name the impact plainly."),
}


@dataclass(frozen=True)
class Phrase:
    text: str
    kind: str
    # Built-ins only: a regular expression used instead of the literal text (for words with look-alikes).
    pattern: str = ""


def _p(kind: str, *texts: str) -> list[Phrase]:
    return [Phrase(text, kind) for text in texts]


BUILTIN_PHRASES: dict[str, tuple[Phrase, ...]] = {
    "en": (
        *_p(Kind.EXCUSE, "technical issue", "technical issues",
            "technical difficulties", "policy does not allow", "policy doesn't allow",
            "company policy", "against policy", "beyond our control", "out of our control",
            "we were very busy", "we were busy", "short-staffed", "understaffed", "peak season",
            "unforeseen circumstances"),
        Phrase("but", Kind.EXCUSE, r"but(?!\s+also\b)"),
        Phrase("however", Kind.EXCUSE),
        *_p(Kind.BLAME, "you should have", "you failed to", "you forgot", "you did not tell", "you didn't tell",
            "your fault", "not our fault", "as you were told", "as we told you", "the courier",
            "the delivery company", "a third party", "another department", "the other department",
            # Blaming another customer, a supplier, the weather or "the system" is blame too (issue 18).
            "the previous guest", "the guest before you", "the previous customer", "the customer before you",
            "another guest", "another customer", "other guests", "other customers", "due to our supplier",
            "due to the supplier", "our supplier", "the supplier", "the system", "system error", "system issue",
            "computer error", "the weather", "bad weather"),
        *_p(Kind.CONDITIONAL, "if you were inconvenienced", "if you were upset", "if you feel", "if you felt",
            "if this caused", "if we caused", "if any inconvenience", "for any inconvenience",
            "if there was any inconvenience", "if we offended", "sorry if", "sorry you feel",
            "sorry that you feel", "sorry you felt", "regret if", "apologise if", "apologize if"),
        *_p(Kind.MINIMISING, "just a", "only a small", "only a few minutes", "minor issue", "small issue",
            "small mistake", "slight inconvenience", "a little delay", "these things happen", "it happens",
            "no big deal"),
    ),
    "vi": (
        *_p(Kind.EXCUSE, "sự cố kỹ thuật", "chính sách không cho phép",
            "theo chính sách của công ty", "quy định không cho phép", "theo quy định của công ty",
            "ngoài tầm kiểm soát",
            "lý do khách quan", "nguyên nhân khách quan", "quá đông khách", "thiếu nhân viên",
            "thiếu người", "mùa cao điểm", "nhưng", "tuy nhiên"),
        # "do quý khách cung cấp" (that you gave us) is not blame: "số điện thoại do quý khách cung cấp".
        Phrase("do quý khách", Kind.BLAME, r"do\s+quý\s+khách(?!\s+cung\s+cấp)"),
        Phrase("do bạn", Kind.BLAME, r"do\s+bạn(?!\s+cung\s+cấp)"),
        *_p(Kind.BLAME, "lỗi của quý khách", "quý khách đã không", "lẽ ra quý khách",
            "quý khách nên", "quý khách quên", "lỗi của bạn", "bạn đã không", "lẽ ra bạn",
            "bạn quên", "không phải lỗi của chúng tôi", "bộ phận khác", "bên giao hàng", "đơn vị vận chuyển",
            "bên thứ ba",
            # Not "khách trước" alone: "giao cho quý khách trước 18 giờ" (before 6 pm) is no blame.
            "do khách trước", "khách trước đó", "vị khách trước", "người khách trước", "đoàn khách trước",
            "do khách khác", "khách hàng khác", "do khách hàng trước", "khách hàng trước đó",
            "do nhà cung cấp", "lỗi của nhà cung cấp", "phía nhà cung cấp", "do đối tác", "do hệ thống",
            "lỗi hệ thống", "hệ thống bị lỗi", "do thời tiết", "thời tiết xấu"),
        *_p(Kind.CONDITIONAL, "nếu quý khách cảm thấy", "nếu bạn cảm thấy", "nếu quý khách thấy",
            "nếu bạn thấy", "nếu có gì bất tiện", "nếu có bất tiện", "nếu có sự bất tiện", "nếu đã gây",
            "nếu chúng tôi đã gây", "xin lỗi nếu", "vì bất kỳ sự bất tiện nào"),
        *_p(Kind.MINIMISING, "chỉ là", "một chút", "chút xíu", "không đáng kể", "chuyện nhỏ", "sự cố nhỏ",
            "chỉ vài phút", "chuyện bình thường", "chuyện thường"),
    ),
    "th": (
        *_p(Kind.EXCUSE, "ปัญหาทางเทคนิค", "นโยบายไม่อนุญาต", "นโยบายไม่อนุญาติ",
            "ตามนโยบายของบริษัท", "ระเบียบไม่อนุญาต", "ตามระเบียบของบริษัท", "นอกเหนือการควบคุม", "เหตุสุดวิสัย",
            "ลูกค้าเยอะ", "คนไม่พอ", "พนักงานไม่พอ", "ช่วงเทศกาล",
            "แต่ทาง", "แต่เนื่องจาก", "แต่ว่า", "อย่างไรก็ตาม"),
        *_p(Kind.BLAME, "ความผิดของลูกค้า", "ความผิดของคุณ", "ลูกค้าไม่ได้แจ้ง", "คุณไม่ได้แจ้ง", "ลูกค้าลืม",
            "คุณลืม", "ลูกค้าควรจะ", "คุณควรจะ", "ไม่ใช่ความผิดของเรา", "ไม่ใช่ความผิดของทางเรา", "บริษัทขนส่ง",
            "แผนกอื่น", "บุคคลภายนอก",
            "แขกก่อนหน้า", "ลูกค้าก่อนหน้า", "แขกคนก่อน", "ลูกค้าคนก่อน", "แขกท่านก่อน", "ลูกค้าท่านก่อน",
            "แขกคนอื่น", "ลูกค้าคนอื่น", "แขกท่านอื่น", "ลูกค้าท่านอื่น", "เนื่องจากซัพพลายเออร์", "ซัพพลายเออร์",
            "ทางผู้จัดจำหน่าย", "ระบบขัดข้อง", "ระบบล่ม", "ระบบมีปัญหา", "สภาพอากาศ", "อากาศไม่ดี"),
        *_p(Kind.CONDITIONAL, "หากคุณรู้สึก", "ถ้าคุณรู้สึก", "หากลูกค้ารู้สึก", "ถ้าลูกค้ารู้สึก", "หากทำให้",
            "ถ้าทำให้", "หากมีความไม่สะดวก", "หากเกิดความไม่สะดวก", "ขออภัยหาก", "ขอโทษหาก", "ขออภัยถ้า",
            "ขอโทษถ้า", "หากไม่พอใจ"),
        Phrase("แค่", Kind.MINIMISING, "แค่(?!ไหน)"),  # not แค่ไหน ("how much": เสียใจแค่ไหน)
        *_p(Kind.MINIMISING, "เพียงเล็กน้อย", "นิดหน่อย", "เรื่องเล็ก", "ไม่กี่นาที", "เป็นเรื่องปกติ"),
    ),
}


@dataclass(frozen=True)
class LintWarning:
    start: int  # in the text as given (characters), end exclusive
    end: int
    phrase: str
    kind: str
    suggestion: str

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "phrase": self.phrase, "kind": self.kind,
                "suggestion": self.suggestion}


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """The NFC form of `text` and, for each of its characters, the offset in `text` where it comes from (plus
    one entry for the end), so spans found in the normalised text point into the text as typed."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        chunk = unicodedata.normalize("NFC", text[start:end])
        out.append(chunk)
        offsets.extend([start] * len(chunk))
        start = end
    offsets.append(len(text))
    return "".join(out), offsets


@lru_cache(maxsize=4096)
def _compiled(pattern: str, language: str) -> re.Pattern[str]:
    # Words of a phrase may be separated by any run of spaces; Thai has no word boundaries to anchor on.
    if language == "th":
        return re.compile(pattern, re.IGNORECASE)
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)


def _regex_of(phrase: Phrase) -> str:
    if phrase.pattern:
        return phrase.pattern
    words = normalise(phrase.text).split()
    return r"\s+".join(re.escape(word) for word in words)


def phrases_for(language: str, extra: Iterable[Phrase] = ()) -> list[Phrase]:
    return [*BUILTIN_PHRASES.get(language, ()), *extra]


def lint(text: str, language: str, extra: Sequence[Phrase] = ()) -> list[LintWarning]:
    """Warnings on excuses, blame, conditional and minimising phrases in `text` (written in `language`), with the
    organisation's `extra` phrases; sorted by position. Where matches overlap the longest one wins."""
    normalised, offsets = _nfc_with_offsets(text)
    found: list[tuple[int, int, Phrase]] = []
    for phrase in phrases_for(language, extra):
        if not phrase.text.strip():
            continue
        for match in _compiled(_regex_of(phrase), language).finditer(normalised):
            if match.end() > match.start():
                found.append((match.start(), match.end(), phrase))
    # Where matches overlap the longest one is reported ("due to our supplier" over "our supplier", "if you were
    # inconvenienced" over "apologise if"); ties go to the earlier one.
    found.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    kept: list[tuple[int, int, Phrase]] = []
    for start, end, phrase in found:
        if all(end <= other_start or start >= other_end for other_start, other_end, _other in kept):
            kept.append((start, end, phrase))
    kept.sort(key=lambda item: item[0])
    warnings: list[LintWarning] = []
    for start, end, phrase in kept:
        warnings.append(LintWarning(
            start=offsets[start], end=offsets[end], phrase=text[offsets[start]:offsets[end]], kind=phrase.kind,
            suggestion=str(SUGGESTIONS[phrase.kind]),
        ))
    return warnings


def lint_parts(parts: Mapping[str, str], language: str, extra: Sequence[Phrase] = ()) -> dict[str, list[LintWarning]]:
    """The lint of each part on its own, so each warning shows beside the part it is in."""
    return {key: lint(parts.get(key) or "", language, extra) for key in PARTS_BY_KEY}
