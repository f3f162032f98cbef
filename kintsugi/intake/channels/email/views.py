"""The mailbox settings pages (administrators only): the list, the form to add or change one, switching one off or
on, and "Test connection". Another organisation's mailbox is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kintsugi.accounts import access
from kintsugi.accounts.models import Role, Touchpoint, User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases.errors import ServiceError
from kintsugi.cases.models import Category, Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import services
from kintsugi.intake.channels.email.checks import CheckResult, run_checks
from kintsugi.intake.channels.email.forms import MailboxForm


def require_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators may connect mailboxes."))


def _mailbox_for(user: User, pk: int) -> ChannelConnection:
    mailbox = (ChannelConnection.objects.select_related("location", "touchpoint", "category")
               .filter(organisation_id=user.organisation_id or 0, channel=Channel.EMAIL, pk=pk).first())
    if mailbox is None:
        raise Http404("No such mailbox")
    return mailbox


def _form(user: User, mailbox: ChannelConnection | None, data: Any = None) -> MailboxForm:
    org_id = user.organisation_id or 0
    keep_tp = Q(pk=mailbox.touchpoint_id) if mailbox is not None and mailbox.touchpoint_id else Q(pk__in=[])
    keep_cat = Q(pk=mailbox.category_id) if mailbox is not None and mailbox.category_id else Q(pk__in=[])
    return MailboxForm(
        data, organisation_id=org_id, connection=mailbox, locations=list(access.visible_locations(user)),
        touchpoints=list(Touchpoint.objects.filter(Q(is_active=True) | keep_tp, organisation_id=org_id)
                         .select_related("location").order_by("location__name", "name")),
        categories=list(Category.objects.filter(Q(is_active=True) | keep_cat, organisation_id=org_id)),
    )


def _form_page(request: StaffRequest, form: MailboxForm, mailbox: ChannelConnection | None, *,
               checks: list[CheckResult] | None = None, tested: bool = False, status: int = 200) -> HttpResponse:
    return render(request, "intake/mailbox_form.html", {
        "form": form, "mailbox": mailbox, "checks": checks, "tested": tested,
        "nav": "mailboxes",
    }, status=status)


@require_safe
@staff_required
def mailboxes(request: StaffRequest) -> HttpResponse:
    require_admin(request.user)
    rows = list(ChannelConnection.objects.filter(organisation_id=request.user.organisation_id or 0,
                                                 channel=Channel.EMAIL)
                .select_related("location", "touchpoint").order_by("-is_active", "name", "pk"))
    return render(request, "intake/mailboxes.html", {"mailboxes": rows, "nav": "mailboxes"})


def _save(request: StaffRequest, mailbox: ChannelConnection | None) -> HttpResponse:
    form = _form(request.user, mailbox, request.POST)
    if not form.is_valid():
        return _form_page(request, form, mailbox, status=400)
    organisation = request.user.organisation
    assert organisation is not None
    try:
        saved = services.save_mailbox(mailbox, form.settings(), organisation=organisation, by=request.user)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _form_page(request, form, mailbox, status=400)
    messages.success(request, _("The mailbox “%(name)s” was saved.") % {"name": saved.name})
    return redirect("mailboxes")


@staff_required
def mailbox_add(request: StaffRequest) -> HttpResponse:
    require_admin(request.user)
    if request.method == "POST":
        return _save(request, None)
    return _form_page(request, _form(request.user, None), None)


@staff_required
def mailbox_edit(request: StaffRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    mailbox = _mailbox_for(request.user, pk)
    if request.method == "POST":
        return _save(request, mailbox)
    return _form_page(request, _form(request.user, mailbox), mailbox)


@require_POST
@staff_required
def mailbox_test(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    """Try the settings in the form (saved or not) with every registered check; nothing is saved."""
    require_admin(request.user)
    mailbox = _mailbox_for(request.user, pk) if pk is not None else None
    form = _form(request.user, mailbox, request.POST)
    checks: list[CheckResult] | None = None
    if form.is_valid():
        organisation = request.user.organisation
        assert organisation is not None
        try:
            trial = services.trial_mailbox(mailbox, form.settings(), organisation=organisation, by=request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            checks = run_checks(trial)
    if request.htmx:
        return render(request, "intake/mailbox_checks.html", {"form": form, "checks": checks, "tested": True})
    return _form_page(request, form, mailbox, checks=checks, tested=True, status=200 if checks is not None else 400)


@require_POST
@staff_required
def mailbox_active(request: StaffRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    mailbox = _mailbox_for(request.user, pk)
    is_active = request.POST.get("is_active") == "1"
    try:
        services.set_mailbox_active(mailbox, is_active=is_active, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, (_("“%(name)s” is read again.") if is_active else
                                   _("“%(name)s” is switched off: nothing more is read from it.")) % {
            "name": mailbox.name})
    return redirect("mailboxes")
