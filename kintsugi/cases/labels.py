"""The words for stored values, in the active language: severity words and the labels of stored choices.

Used by the staff pages' template tags (kintsugi_ui), the forms and the timeline's sentences (cases.timeline). An app
whose stored choices the pages name (kintsugi.comms: a message's delivery) adds them to CHOICES from its
AppConfig.ready().
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Choices
from django.utils.translation import get_language, pgettext

from kintsugi.cases.models import Channel, FailureType, Priority, Status
from kintsugi.lib.registry import Registry

# kind (label_of's argument) -> the stored choices it names.
CHOICES: Registry[str, type[Choices]] = Registry("CHOICES")
CHOICES.register("status", Status)
CHOICES.register("priority", Priority)
CHOICES.register("channel", Channel)
CHOICES.register("failure_type", FailureType)


def severity_words() -> dict[int, str]:
    """The five severity words in the active language (a fresh dict: callers may change it)."""
    return dict(_severity_words(get_language() or ""))


@lru_cache(maxsize=16)
def _severity_words(language: str) -> dict[int, str]:
    # Per language: the catalogues do not change while the process runs. `language` is only the cache key;
    # pgettext reads the active language, which is `language` whenever this is called.
    return {
        1: pgettext("severity", "Minor"),
        2: pgettext("severity", "Low"),
        3: pgettext("severity", "Medium"),
        4: pgettext("severity", "Serious"),
        5: pgettext("severity", "Critical"),
    }


def severity_label(value: int | None) -> str:
    return _severity_words(get_language() or "").get(int(value or 0), "")


def label_of(value: str | None, kind: str) -> str:
    """The translated label of a stored choice value: {{ case.status|label_of:"status" }}."""
    enum = CHOICES.get(kind)
    if enum is None:
        raise KeyError(kind)
    try:
        return str(enum(value).label)
    except ValueError:
        return value or ""
