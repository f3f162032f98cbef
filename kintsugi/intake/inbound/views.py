"""The inbound pages: the list of what arrived on every channel (administrators), "Process again", and the original
of one payload (whoever may see its case; a payload on no case, administrators only). Another organisation's
payload is a 404, and so is one on a case the user may not see."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from kintsugi.accounts.models import Role, User
from kintsugi.accounts.views import StaffRequest, safe_next, staff_required
from kintsugi.cases import access
from kintsugi.cases.errors import ServiceError
from kintsugi.intake.inbound import selectors, services
from kintsugi.intake.inbound.originals import read_original
from kintsugi.intake.models import InboundPayload
from kintsugi.lib.cursor import decode_cursor


def _require_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators may see the inbound messages."))


def payload_for(user: User, pk: int) -> InboundPayload:
    """The payload if `user` may read it: on a case they may see, or any of their organisation's for an admin."""
    payload = (InboundPayload.objects.select_related("connection", "connection__location", "case")
               .filter(organisation_id=user.organisation_id or 0, pk=pk).first())
    if payload is None:
        raise Http404("No such payload")
    if user.role == Role.ADMIN or (payload.case is not None and access.can_view_case(user, payload.case)):
        return payload
    raise Http404("No such payload")


def _tab_labels() -> list[tuple[str, str]]:
    return [("problems", _("Problems")), ("ignored", _("Kept, no case")), ("all", _("All"))]


@require_safe
@staff_required
def inbound_list(request: StaffRequest) -> HttpResponse:
    _require_admin(request.user)
    tab = request.GET.get("tab", "problems")
    if tab not in selectors.TAB_STATUSES:
        tab = "problems"
    token = request.GET.get("cursor", "")
    try:
        after = decode_cursor(token) if token else None
    except ValueError:
        return HttpResponseBadRequest(_("This page link is broken; start again from the first page."))
    org_id = request.user.organisation_id or 0
    counts = selectors.tab_counts(org_id)
    return render(request, "intake/inbound.html", {
        "tab": tab, "tabs": [(key, label, counts[key]) for key, label in _tab_labels()],
        "page": selectors.inbound_page(org_id, tab, after), "cursor": token, "nav": "inbound",
    })


@require_POST
@staff_required
def inbound_again(request: StaffRequest) -> HttpResponse:
    back = safe_next(request, "inbound")
    post = request.POST
    # One row's own button, else the ticked rows (every row of the page with "select all", without JavaScript).
    if post.get("one"):
        raw = [post["one"]]
    else:
        raw = post.getlist("payload") + (post.getlist("page_payload") if post.get("all_on_page") else [])
    if not raw:
        messages.error(request, _("Tick the messages to process again."))
        return redirect(back)
    if not all(value.isdigit() and len(value) <= 18 for value in raw):
        return HttpResponseBadRequest(_("These are not messages of the list."))
    try:
        count = services.process_again(sorted({int(value) for value in raw}), by=request.user)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect(back)
    if count:
        messages.success(request, ngettext("%(count)d message will be read again.",
                                           "%(count)d messages will be read again.", count) % {"count": count})
    else:
        messages.info(request, _("Nothing was queued: these are on a case already or waiting to be read."))
    return redirect(back)


@require_safe
@staff_required
def inbound_original(request: StaffRequest, pk: int) -> HttpResponse:
    payload = payload_for(request.user, pk)
    return render(request, "intake/inbound_original.html", {
        "payload": payload, "original": read_original(payload),
        "nav": "inbound" if request.user.role == Role.ADMIN else "",
    })


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # The sender's name for the file, without paths or control characters (non-ASCII kept, as RFC 5987 allows).
    safe_name = re.sub(r'[\x00-\x1f\x7f/\\"]+', "_", name).strip(" .") or "file"
    response["Content-Disposition"] = content_disposition_header(True, safe_name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@staff_required
def inbound_download(request: StaffRequest, pk: int) -> HttpResponse:
    """The payload's bytes exactly as received (a mail: its .eml)."""
    payload = payload_for(request.user, pk)
    original = read_original(payload)
    return _download(bytes(payload.raw), original.download_name, original.download_type)


@require_safe
@staff_required
def inbound_file(request: StaffRequest, pk: int, number: int) -> HttpResponse:
    """One file of the payload as it came (a download, never shown in the page)."""
    payload = payload_for(request.user, pk)
    files = read_original(payload).files
    if not 1 <= number <= len(files):
        raise Http404("No such file")
    item = files[number - 1]
    return _download(item.data, item.filename or f"file-{number}", "application/octet-stream")
