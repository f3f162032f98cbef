"""Pieces of page chrome rendered once and reused: the top bar, the inbox's tabs and filter bar.

These pieces are the same markup from one request to the next for the same user, language and choices, yet
Django renders them node by node every time: on the inbox (the page staff reload all day) they were about a
third of the page's CPU. `render` renders a template from `values` ONLY, with no request and no context
processors, and keeps the result per process: since the key is the template, the active language and every
value the template can read, a fragment can never show something its key does not name (a template that
reaches for `request` or `user` simply renders nothing there, which its tests would catch).

Per-request values (the CSRF token, the path to come back to, a live count) are holes: the template is
rendered with a marker in their place and each request fills them in from `holes`: escaped, unless the value
is already safe HTML (another fragment). A marker sits where text goes (an attribute value or between tags),
never in a tag's logic.

The cache is bounded (least recently used out first) and off when DEBUG is on, so an edited template shows at
once in development.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from html import escape
from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

__all__ = ["MAX_ENTRIES", "clear", "render"]

MAX_ENTRIES = 512
_MARKER = "\x1ekintsugi-hole-{}\x1e"
_SPLIT = re.compile("\x1ekintsugi-hole-([a-z_]+)\x1e")

# key -> the fragment as (literal, hole name, literal, hole name, ..., literal)
_cache: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    with _lock:
        _cache.clear()


def render(
    template_name: str,
    values: Mapping[str, Hashable],
    holes: Mapping[str, str] | None = None,
    derived: Callable[[], Mapping[str, Any]] | None = None,
) -> SafeString:
    """`template_name` rendered with `values` (hashable: tuples, not lists) in the active language, each of
    `holes` (name -> this request's text, or safe HTML) filled in where the template printed `{{ name }}`.

    `derived`, called only when the fragment is rendered, adds context worked out from `values` alone (a form
    bound to the data in `values`, links built from the query in `values`): nothing it returns may depend on
    anything else, since it is not part of the key."""
    holes = holes or {}
    key = (template_name, get_language(), tuple(sorted(values.items())), tuple(sorted(holes)))
    parts = _cache.get(key)
    if parts is None:
        markers = {name: mark_safe(_MARKER.format(name)) for name in holes}
        context = {**values, **(derived() if derived else {}), **markers}
        parts = tuple(_SPLIT.split(get_template(template_name).render(context)))
        if not settings.DEBUG:
            with _lock:
                _cache[key] = parts
                if len(_cache) > MAX_ENTRIES:
                    _cache.popitem(last=False)
    elif len(_cache) > 1:
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
    if len(parts) == 1:
        return mark_safe(parts[0])
    out = [
        part if index % 2 == 0 else _filled(holes[part])
        for index, part in enumerate(parts)
    ]
    return mark_safe("".join(out))


def _filled(value: str) -> str:
    return value if isinstance(value, SafeData) else escape(value)
