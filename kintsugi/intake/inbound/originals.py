"""A stored payload shown as it was received ("Show the original"): its headers, its full text, its HTML made safe
to show, its files. Each channel registers its reader in ORIGINALS (email's: channels/email/original.py, from
intake/registrations.py); a channel without one, or a payload its reader cannot read, is shown as raw text."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from django.utils.translation import gettext as _

from kintsugi.intake.inbound.normalised import InboundFile
from kintsugi.intake.models import InboundPayload
from kintsugi.lib.registry import Registry

log = logging.getLogger("kintsugi.inbound")

MAX_RAW_SHOWN = 200_000  # characters of an unreadable payload shown on the page (the download has it all)


@dataclass(frozen=True, slots=True)
class Original:
    """What the original page shows. `html` is safe to put in the page as it is (see safe_html)."""

    headers: list[tuple[str, str]]
    text: str
    html: str = ""
    files: tuple[InboundFile, ...] = ()
    problem: str = ""  # why it could not be read whole (then `text` is its raw text)
    download_name: str = "payload.txt"
    download_type: str = "application/octet-stream"
    notes: tuple[str, ...] = field(default=())
    is_raw: bool = False  # `text` is the payload's bytes as they came, not what a reader made of them


ORIGINALS: Registry[str, Callable[[InboundPayload], Original]] = Registry("ORIGINALS")

# What of a customer's HTML the staff page shows: structure and links only. No images (a remote one tells the
# sender the mail was opened; the files are listed below), no style, class or id (they would restyle or reach into
# our page), no forms; scripts and styles dropped with their content. The page's CSP blocks the rest anyway.
_CLEANER = nh3.Cleaner(
    tags={"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
          "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
          "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"},
    clean_content_tags={"script", "style", "title", "head", "template", "noscript", "iframe", "object", "svg",
                        "math"},
    attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
                "th": {"colspan", "rowspan", "scope"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer nofollow",
    set_tag_attribute_values={"a": {"target": "_blank"}},
    url_relative="deny",
)


def safe_html(html: str) -> str:
    """A customer's HTML as the original page may show it (nh3, the allow-list above)."""
    return _CLEANER.clean(html).strip() if html.strip() else ""


def raw_text(raw: bytes) -> str:
    """The payload's bytes as text for reading: JSON pretty-printed, anything else decoded (UTF-8, else Latin-1)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    return text[:MAX_RAW_SHOWN]


def _as_received(payload: InboundPayload, problem: str = "") -> Original:
    headers = [(str(name), str(value)) for name, value in (payload.headers or {}).items()]
    return Original(headers=headers, text=raw_text(bytes(payload.raw)), problem=problem,
                    download_name=f"payload-{payload.pk}.txt", is_raw=True)


def read_original(payload: InboundPayload) -> Original:
    """The payload as its channel's reader shows it; as raw text when there is none or it cannot read it."""
    reader = ORIGINALS.get(payload.channel)
    if reader is None:
        return _as_received(payload)
    try:
        return reader(payload)
    except Exception as exc:
        log.info("inbound payload %s could not be shown as read: %s", payload.pk, exc)
        return _as_received(payload, _("It could not be read (%(error)s); here it is as received.") % {
            "error": str(exc) or type(exc).__name__})
