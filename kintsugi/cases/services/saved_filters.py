"""Saved inbox filters: a staff member keeps the inbox query they use often (search and filters) under a name.
Not a change to any case, so no timeline event; private to their owner."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.utils.translation import gettext as _

from kintsugi.accounts.access import is_staff_member
from kintsugi.accounts.models import User
from kintsugi.cases.errors import InvalidInput, NotAllowed
from kintsugi.cases.models import SavedFilter

# What a saved filter may carry: the view, the search and the filter bar; never a page cursor.
SAVED_KEYS = ("view", "q", "status", "location", "category", "severity", "channel")
MAX_NAME = 60
MAX_QUERY = 500
MAX_PER_USER = 30


def saved_query(params: Mapping[str, str]) -> str:
    """The part of an inbox query string worth saving, in a fixed order, blank values left out."""
    pairs = [(key, " ".join(str(params[key]).split())) for key in SAVED_KEYS if params.get(key)]
    return urlencode([(key, value) for key, value in pairs if value])


def save_filter(*, by: User, name: str, query: str) -> SavedFilter:
    """Save the inbox query `query` under `name` for `by`, replacing their filter of that name."""
    if not is_staff_member(by) or by.organisation_id is None:
        raise NotAllowed(_("Only staff can save filters."))
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Give the filter a name."))
    if len(name) > MAX_NAME:
        raise InvalidInput(_("A filter name has at most %(max)d characters.") % {"max": MAX_NAME})
    cleaned = saved_query(dict(parse_qsl(query[: MAX_QUERY * 2])))
    if not cleaned:
        raise InvalidInput(_("Search or choose a filter first, then save it."))
    if len(cleaned) > MAX_QUERY:
        raise InvalidInput(_("This search is too long to save."))
    with transaction.atomic():
        mine = SavedFilter.objects.filter(user_id=by.pk)
        existing = mine.filter(name=name).first()
        if existing is not None:
            existing.query = cleaned
            existing.save(update_fields=["query"])
            return existing
        if mine.count() >= MAX_PER_USER:
            raise InvalidInput(_("You have %(max)d saved filters; delete one first.") % {"max": MAX_PER_USER})
        return SavedFilter.objects.create(organisation_id=by.organisation_id, user=by, name=name, query=cleaned)


def delete_saved_filter(saved: SavedFilter, *, by: User) -> None:
    """Delete one of `by`'s saved filters; anyone else's is refused."""
    if saved.user_id != by.pk:
        raise NotAllowed(_("That saved filter is not yours."))
    saved.delete()
