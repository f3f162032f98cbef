"""The staff member's in-app notifications: the bell's dropdown, the full list, and marking them read."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts.views import StaffRequest, safe_next, staff_required
from kintsugi.comms.models import Notification
from kintsugi.comms.services import mark_notifications_read

PAGE_SIZE = 50
MENU_SIZE = 8


@require_GET
@staff_required
def notifications(request: StaffRequest) -> HttpResponse:
    in_menu = bool(request.htmx)
    items = list(
        Notification.objects.filter(user=request.user)
        .select_related("case")
        .order_by("-created_at", "-id")[: MENU_SIZE if in_menu else PAGE_SIZE]
    )
    template = "comms/notifications.html#menu" if in_menu else "comms/notifications.html"
    return render(request, template, {"notifications": items})


@require_POST
@staff_required
def notifications_read(request: StaffRequest) -> HttpResponse:
    mark_notifications_read(request.user)
    return redirect(safe_next(request, "notifications"))


@require_POST
@staff_required
def notification_open(request: StaffRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.select_related("case"), pk=pk, user=request.user)
    mark_notifications_read(request.user, ids=[notification.pk])
    # A notification may name the exact place to act (a remedy to approve): a local path only.
    target = (notification.data or {}).get("url")
    if isinstance(target, str) and target.startswith("/") and url_has_allowed_host_and_scheme(target, None):
        return redirect(target)
    if notification.case is not None:
        return redirect("case_detail", reference=notification.case.reference)
    return redirect("notifications")
