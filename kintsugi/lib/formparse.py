"""URL-encoded form bodies parsed as Django parses them, without urllib's per-escape Python loop.

Django reads `application/x-www-form-urlencoded` bodies with `QueryDict(body, encoding="utf-8")`, that is
urllib's `parse_qsl`, whose `unquote` walks every %XX escape in Python. A complaint in Thai or Vietnamese is
almost all escapes (three per Thai letter): about 20 us per field, 0.1 ms per public form submission, the
biggest part of what the CSRF check costs. `parse_urlencoded` gives the same QueryDict, decoding a field's
escapes in one C call: in a field of plain ASCII with no backslash, `%` becomes `\\x` and Python's
`unicode_escape` codec turns each `\\xHH` into the byte HH (as Latin-1) and leaves everything else as it is.
Anything else (a stray or short escape, a backslash, raw non-ASCII text) goes to urllib itself, so the result
is Django's in every case, malformed input included.

`FormRequest` is WSGIRequest with that parser for the one case Django hands to `QueryDict(self.body, ...)`;
kintsugi.lib.middleware switches page requests to it.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

__all__ = ["URLENCODED", "FormRequest", "parse_urlencoded", "unquote_plus"]

URLENCODED = "application/x-www-form-urlencoded"


def unquote_plus(text: str) -> str:
    """urllib.parse.unquote_plus(text) (UTF-8, invalid sequences replaced), the same string, sooner."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    if "\\" in text or not text.isascii():
        return unquote(text)
    try:
        # In plain ASCII without backslashes the only escapes are ours: \xHH is the byte HH, the rest is itself.
        raw = text.replace("%", "\\x").encode("ascii").decode("unicode_escape").encode("latin-1")
    except UnicodeDecodeError:  # a % not followed by two hex digits: urllib keeps it as it is
        return unquote(text)
    return raw.decode("utf-8", "replace")


def parse_urlencoded(body: bytes) -> QueryDict:
    """QueryDict(body, encoding="utf-8"), as Django builds request.POST from a URL-encoded body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")  # as QueryDict does for misbehaving user agents
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if text and limit is not None and 1 + text.count("&") > limit:
        return QueryDict(body, encoding="utf-8")  # raises TooManyFieldsSent, exactly as Django words it
    lists: dict[str, list[str]] = {}
    for field in text.split("&"):
        if field:
            name, _eq, value = field.partition("=")
            lists.setdefault(unquote_plus(name), []).append(unquote_plus(value))
    result = QueryDict(encoding="utf-8")
    # A QueryDict is a dict of lists: fill it as appendlist() would (str keys and values need no conversion),
    # without appendlist's four calls a field.
    dict.update(result, lists)
    return result


class FormRequest(WSGIRequest):
    """A WSGIRequest whose URL-encoded POST body is parsed by parse_urlencoded; anything else is Django's."""

    def _load_post_and_files(self) -> None:
        if (
            self.method == "POST"
            and self.content_type == URLENCODED
            and (self.encoding is None or self.encoding.lower() == "utf-8")
            and not (self._read_started and not hasattr(self, "_body"))  # type: ignore[attr-defined]
        ):
            # Django's own branch for this case: QueryDict(self.body, encoding="utf-8"), no files.
            self._post = parse_urlencoded(self.body)
            self._files: MultiValueDict[str, UploadedFile[bytes]] = MultiValueDict()
            return
        super()._load_post_and_files()
