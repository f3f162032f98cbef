"""Triage rules that need no database: language detection now; category and urgency later.

Detection is offline: script rules first (Thai letters; Vietnamese-only letters and tone marks), then word rules
(common unaccented Vietnamese words; common English function words), then the py3langid model that ships inside
its wheel, restricted to our three languages, with the caller's hint as the prior for text too short or too
plain to tell. The model is the dear part (in a busy process, whose caches its tables miss, several times what
the rules cost), so plain English no longer goes to it.
"""

from __future__ import annotations

import re
import threading
from typing import Any

LANGUAGES = ("en", "vi", "th")

_THAI = re.compile(r"[\u0E00-\u0E7F]")
# Letters that occur in Vietnamese but not in English: đ, ơ, ư, ă and the tone-marked vowels.
_VIETNAMESE = re.compile(
    r"[đĐơƠưƯăĂ]|[àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)
# Of those, the accented vowels French and Spanish share (café, entrée): alone they do not make a text Vietnamese.
_SHARED_ACCENTS = frozenset("àáãèéìíòóõùúý")
_WORD = re.compile(r"\w+", re.UNICODE)
# Common unaccented Vietnamese words, as typed on phones without a Vietnamese keyboard.
_VI_PLAIN = frozenset(
    """khong ko k dc duoc roi nhe nha minh toi em anh chi cua cho voi lam qua phong khach san nhan vien
    tien thanh toan xin loi sao gi nay bi mat cham doi ban an uong nuoc dieu hoa""".split()  # noqa: SIM905
)

# Common English function words that are not also unaccented Vietnamese words (so not "the"/"thể", "an"/"ăn",
# "to"/"tô", "in", "on"/"ổn", "do", "no", "me", "my", "it"/"ít", "can"/"cần").
_EN_PLAIN = frozenset(
    """i and was were is are been have has had not but with for from this that there they their our your you we
    its of very would could should what when which who will did does cannot please after again""".split()  # noqa: SIM905
)

_lock = threading.Lock()
_identifier: Any = None


def _model() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                # Imported here, not at the top: it brings numpy (~125 ms), paid only by a process that detects a
                # language (wsgi.py warms it up), not by every command that imports the case services.
                from py3langid.langid import MODEL_FILE, LanguageIdentifier  # noqa: PLC0415

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(LANGUAGES))
                _identifier = identifier
    return _identifier


def detect_language(text: str, hint: str | None = None) -> str:
    """The language of `text`, one of en/vi/th; `hint` decides when the text cannot."""
    prior = hint if hint in LANGUAGES else "en"
    sample = text[:2000]
    thai = len(_THAI.findall(sample))
    letters = sum(map(str.isalpha, sample))  # the loop in C: 2.6 us for a hundred letters, against 3.7
    if letters == 0:
        return prior
    if thai / letters > 0.3:
        return "th"
    marks = [ch.lower() for ch in _VIETNAMESE.findall(sample)]
    if len(marks) >= 2 and any(ch not in _SHARED_ACCENTS for ch in marks):
        return "vi"
    words = [w.lower() for w in _WORD.findall(sample)]
    plain_vi = [w for w in words if w in _VI_PLAIN]
    # Two different plain words at least: one alone ("an", "mat", "ban") is as likely English.
    if len(set(plain_vi)) >= 2 and len(plain_vi) / len(words) >= 0.3:
        return "vi"
    if len(words) < 4:
        return prior
    plain_en = [w for w in words if w in _EN_PLAIN]
    # Two different function words at least, and a sixth of the words or more: English prose, not a name or a
    # borrowed word in another language's text.
    if len(set(plain_en)) >= 2 and len(plain_en) / len(words) >= 0.15:
        return "en"
    language, probability = _model().classify(sample)
    if probability < 0.8:
        return prior
    return str(language)


def subject_from(text: str, limit: int = 80) -> str:
    """A one-line subject: the first line of the text, cut at a word boundary."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0] if " " in first[:limit] else first[:limit]
    return cut.rstrip(",.;:") + "…"


def warm_up() -> None:
    """Load the detection model ahead of the first request."""
    _model()
