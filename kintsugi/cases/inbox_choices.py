"""The inbox filter bar's choices: the locations a user may see and the organisation's active categories.

They change only when an administrator edits a location or a category, and the bar is on every inbox page, so
each organisation's are kept per process for CHOICES_CACHE_SECONDS (as the bulk bar's people are): two queries
and about 0.6 ms of CPU less a page (in-process, 20,000 cases). An edit shows in the bar within that time.
"""

from __future__ import annotations

from kintsugi.accounts import access
from kintsugi.accounts.models import Location, User
from kintsugi.cases.models import Category
from kintsugi.lib.kept import Kept

CHOICES_CACHE_SECONDS = 30.0

# organisation id -> (every location as (id, name), the active categories)
_cache: Kept[int, tuple[list[tuple[int, str]], list[Category]]] = Kept()


def _organisation_choices(organisation_id: int) -> tuple[list[tuple[int, str]], list[Category]]:
    def read() -> tuple[list[tuple[int, str]], list[Category]]:
        locations = list(Location.objects.filter(organisation_id=organisation_id).values_list("id", "name"))
        active = Category.objects.filter(organisation_id=organisation_id, is_active=True)
        return locations, list(active.only("id", "name", "name_vi", "name_th"))

    return _cache.get(organisation_id, CHOICES_CACHE_SECONDS, read) or ([], [])


def inbox_filter_choices(user: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The filter bar's choices as (id, label): the locations `user` may see (by name) and the organisation's
    active categories (in their order, labelled in the active language)."""
    organisation_id = user.organisation_id
    if not access.is_staff_member(user) or organisation_id is None:
        return [], []
    locations, categories = _organisation_choices(organisation_id)
    scope = access.location_scope(user)
    if scope is not None:
        locations = [(pk, name) for pk, name in locations if pk in scope]
    return locations, [(category.pk, category.label()) for category in categories]


def clear_cache() -> None:
    _cache.clear()
