"""A mail's HTML: sanitised for showing the original (nh3: no scripts or styles, no remote images loading, links
that open without telling the sender who clicked), and turned into readable text (inscriptis) for a mail that
has no text/plain part. Pure: no Django."""

from __future__ import annotations

import re
import textwrap

import nh3
from inscriptis import get_text  # type: ignore[import-untyped]

_CID = re.compile(r"""cid:([^"'\s<>)]+)""", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """An image shows only what came inside the mail (cid:): a remote one would tell the sender the mail was read."""
    if tag == "img" and attribute == "src":
        return value if value.strip().lower().startswith("cid:") else None
    return value


_CLEANER = nh3.Cleaner(
    tags=nh3.ALLOWED_TAGS - {"map", "area"},
    attributes={**nh3.ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
    attribute_filter=_keep_attribute,
    url_schemes=nh3.ALLOWED_URL_SCHEMES | {"cid"},
    link_rel="noopener noreferrer",
    clean_content_tags={"script", "style", "title", "head"},
)


def sanitise(html: str) -> str:
    """The HTML safe to show inside a page of ours."""
    return _CLEANER.clean(html).strip()


def content_ids(html: str) -> set[str]:
    """The Content-IDs the HTML shows inline (its cid: references), without angle brackets."""
    return {match.strip("<>") for match in _CID.findall(html)}


def to_text(html: str) -> str:
    """The HTML as the plain text a reader would see."""
    try:
        text = str(get_text(html))
    except Exception:  # lxml refuses some broken documents: what the sanitiser keeps is text enough
        text = nh3.clean_text(html)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\xa0", " ").split("\n")]
    return _BLANK_LINES.sub("\n\n", textwrap.dedent("\n".join(lines))).strip()
