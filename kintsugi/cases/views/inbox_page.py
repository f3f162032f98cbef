"""The inbox: the open cases most urgent first, by view (tab) and filters, a page at a time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from kintsugi.accounts.models import User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import search, selectors
from kintsugi.cases.forms import InboxFilterForm
from kintsugi.cases.inbox_choices import inbox_filter_choices
from kintsugi.cases.services.saved_filters import saved_query
from kintsugi.cases.views.bulk import bulk_context
from kintsugi.cases.views.inbox_rows import ROWS_CACHE_SECONDS, rows_key
from kintsugi.cases.views.workload import inbox_scope

INBOX_TABS = (
    ("open", gettext_lazy("All open")),
    ("mine", gettext_lazy("Mine")),
    ("team", gettext_lazy("My team")),
    ("unassigned", gettext_lazy("Unassigned")),
    ("at_risk", pgettext_lazy("sla", "At risk")),
    ("breached", gettext_lazy("Breached")),
    ("closed", gettext_lazy("Resolved & closed")),
)
DEFAULT_VIEW = "open"
# The first paint of the inbox: 25 rows keep the page small and fast; "Next page" follows the cursor.
PAGE_SIZE = 25


def _page(
    user: User, query: search.SearchQuery, view: str, filters: dict[str, object], cursor: str | None
) -> selectors.InboxPage:
    """With a query: its matches, newest first; without: the view most urgent first."""
    if query.text:
        return search.search_page(user, query, view=view, filters=filters, cursor=cursor, limit=PAGE_SIZE)
    return selectors.inbox_page(user, view=view, filters=filters, cursor=cursor, limit=PAGE_SIZE)


def home(request: HttpRequest) -> HttpResponse:
    return redirect("inbox")


@require_GET
@staff_required
def inbox(request: StaffRequest) -> HttpResponse:
    user = request.user
    view = request.GET.get("view") or DEFAULT_VIEW
    if view not in selectors.INBOX_VIEWS:
        view = DEFAULT_VIEW
    locations, categories = inbox_filter_choices(user)
    bound = {name: request.GET[name] for name in InboxFilterForm.base_fields if name in request.GET}
    form = InboxFilterForm(bound, locations=locations, categories=categories)
    scope = inbox_scope(request)
    filters = {**form.filters(), **scope.filters}
    cursor = request.GET.get("cursor") or None
    query = search.parse(request.GET.get("q", ""))
    try:
        page = _page(user, query, view, filters, cursor)
    except ValueError:
        messages.warning(request, _("That page link is no longer valid, so here is the first page."))
        cursor = None
        page = _page(user, query, view, filters, None)
    counts = selectors.inbox_counts(user)
    # A filter change swaps the results (and, out of band, the tabs, whose links carry the filters).
    partial = bool(request.htmx and request.htmx.target == "inbox-results")
    now = timezone.now()
    show_location = len(locations) > 1
    bulk = bulk_context(request)
    context = {
        "nav": "inbox",
        "view": view,
        "tabs": [(key, label, counts.get(key)) for key, label in INBOX_TABS],
        "form": form,
        "filters": filters,
        "page": page,
        "cursor": cursor,
        "now": now,
        "show_location": show_location,
        "oob": partial,
        "scope": scope,
        **bulk,
        "rows_key": rows_key(page.cases, now=now, selected=bulk["selected"], show_location=show_location),
        "rows_cache_seconds": ROWS_CACHE_SECONDS,
        "query": query,
        "saved_filters": selectors.saved_filters_of(user),
        "saved_query": saved_query(request.GET),
    }
    return render(request, "cases/inbox.html#results" if partial else "cases/inbox.html", context)
