"""Saved inbox filters: save the inbox query shown under a name, delete one. Both answer with the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases.errors import ServiceError
from kintsugi.cases.models import SavedFilter
from kintsugi.cases.services.saved_filters import delete_saved_filter, save_filter


def _inbox(query: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("inbox") + (f"?{query}" if query else ""))


@require_POST
@staff_required
def saved_filter_create(request: StaffRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    try:
        saved = save_filter(by=request.user, name=request.POST.get("name", ""), query=query)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _inbox(query[:1000])  # back to the same inbox query: nothing typed is lost
    messages.success(request, _("Saved filter “%(name)s”.") % {"name": saved.name})
    return _inbox(saved.query)


@require_POST
@staff_required
def saved_filter_delete(request: StaffRequest, pk: int) -> HttpResponse:
    # Only the owner's own filters are looked up: anyone else's answers 404, as if it did not exist.
    saved = SavedFilter.objects.filter(pk=pk, user_id=request.user.pk).first()
    if saved is None:
        raise Http404("No such saved filter")
    delete_saved_filter(saved, by=request.user)
    messages.success(request, _("Deleted saved filter “%(name)s”.") % {"name": saved.name})
    return _inbox("")
