"""Customer message texts: plain `{placeholders}` filled from a dict of strings, never through the template
engine (a text an organisation edits must not be able to reach code or data). Defaults are translatable
strings, read in the case's language."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

ACKNOWLEDGEMENT_SUBJECT = _("[{reference}] We have received your complaint")
ACKNOWLEDGEMENT = _(
    "Thank you for telling us what happened at {place}. We are sorry about it.\n"
    "\n"
    "Your reference: {reference}\n"
    "We will answer you {first_response}.\n"
    "\n"
    "See what we are doing and write to us here:\n"
    "{status_url}\n"
    "\n"
    "{organisation}"
)


def fill(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by values[name]; unknown names are left as they are."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def render(template: object, values: Mapping[str, str], language: str) -> str:
    """A translatable default `template`, read in `language`, filled with `values`."""
    with override(language):
        return fill(str(template), values)
