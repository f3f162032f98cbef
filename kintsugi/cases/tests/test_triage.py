"""Language detection and subjects: pure rules, no database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

from kintsugi.cases import triage
from kintsugi.cases.triage import detect_language, subject_from


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        # Thai script decides, whatever the hint.
        ("ห้องแอร์ไม่เย็นเลยค่ะ แจ้งไปสองรอบแล้วยังไม่มีใครมาดู", "en", "th"),
        ("ห้อง 305 แอร์เสีย", "vi", "th"),
        # Vietnamese letters and tone marks decide.
        ("Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát.", "en", "vi"),
        ("Cảm ơn", "th", "vi"),
        # Unaccented Vietnamese, as typed on a phone without a Vietnamese keyboard.
        ("phong chua duoc don, khan tam ban qua", "en", "vi"),
        ("nhan vien khong lich su, cho doi lau qua", "th", "vi"),
        ("ko dc", "en", "vi"),
        # Plain English, long enough for the model.
        ("The room was not cleaned and the towels were dirty when we arrived.", "vi", "en"),
        ("I had an issue with an order at an hour when nobody was at the desk.", "vi", "en"),
        ("I had an issue with an order at an hour", "th", "en"),
        # English words borrowed from French are not Vietnamese.
        ("The café served a cold entrée and nobody came to our table for an hour.", "vi", "en"),
        # Too short or too plain to tell: the hint (the customer's language) decides.
        ("OK", "th", "th"),
        ("Room 305", "vi", "vi"),
        ("Mat is dirty", "th", "th"),
        ("an app", "th", "th"),
        ("!!! ???", "vi", "vi"),
        ("", "th", "th"),
        # An unknown hint falls back to English.
        ("OK", "fr", "en"),
        ("OK", None, "en"),
    ],
)
def test_detect_language(text: str, hint: str | None, expected: str) -> None:
    assert detect_language(text, hint) == expected


def test_plain_english_is_told_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model() -> None:
        raise AssertionError("the model was consulted")

    monkeypatch.setattr(triage, "_model", no_model)

    assert detect_language("The towels in our room were stained and smelled damp, very disappointing.", "vi") == "en"
    assert detect_language(
        "Key card stopped working three times in two days, each time I had to queue at reception again.", "th"
    ) == "en"


class _Model:
    def __init__(self, answer: tuple[str, float]) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def classify(self, text: str) -> tuple[str, float]:
        self.asked.append(text)
        return self.answer


@pytest.mark.parametrize(
    "text",
    [
        # Unaccented Vietnamese sharing a word with English ("the" is "thẻ"), or few words of English.
        "the ngan hang bi khoa sau giao dich",
        "Room 305 aircon broken since yesterday evening, please",
        # Another language written in Latin letters.
        "Le repas était froid et le serveur n'est jamais venu à notre table.",
    ],
)
def test_text_that_is_not_plainly_english_still_goes_to_the_model(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    model = _Model(("vi", 0.9))
    monkeypatch.setattr(triage, "_model", lambda: model)

    assert detect_language(text, "en") == "vi"
    assert model.asked == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cold shower", "Cold shower"),
        ("\n\n  Cold shower  \nand no towels", "Cold shower"),
        ("word " * 30, "word word word word word word word word word word word word word word word word…"),
        ("x" * 100, "x" * 80 + "…"),
        ("Room dirty, staff rude, " + "a" * 70, "Room dirty, staff rude…"),
        ("", ""),
    ],
)
def test_subject_from_first_line(text: str, expected: str) -> None:
    assert subject_from(text) == expected


def test_detection_adds_no_numpy_threads_to_the_process() -> None:
    # py3langid computes with numpy, whose OpenBLAS would start a spinning thread per core in every web worker;
    # the settings pin it to the calling thread. A fresh interpreter, as a worker starts, with the environment
    # the settings would see (nothing about OpenBLAS in it).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS", "OMP_"))}
    env["DJANGO_SETTINGS_MODULE"] = "kintsugi.settings"
    code = (
        "import os, django; django.setup()\n"
        "from kintsugi.cases import triage\n"
        "triage.warm_up()\n"
        "assert triage.detect_language('The room was dirty and nobody came to fix the air conditioner') == 'en'\n"
        "print(len(os.listdir('/proc/self/task')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, check=True, timeout=120)
    assert done.stdout.split()[-1] == "1"
