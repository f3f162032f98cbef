"""The recovery pages: the playbooks (managers edit, everyone reads), ticking a step on the case page, the
follow-ups due, and the customer's answer to the follow-up on their status page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases.models import Category
from kintsugi.cases.services import ServiceError
from kintsugi.cases.views import _act
from kintsugi.recovery import selectors, services
from kintsugi.recovery.forms import ChoiceForm, NewPlaybookForm, StepFormSet
from kintsugi.recovery.models import CategoryRecovery, Playbook

# --------------------------------------------------------------------------------------------- playbooks


def _editor_or_403(request: StaffRequest) -> None:
    if not selectors.can_edit_playbooks(request.user):
        raise PermissionDenied(_("Only CX managers and administrators can change playbooks."))


def _choice_form(request: StaffRequest, data: Any = None) -> ChoiceForm:
    organisation = request.user.organisation
    assert organisation is not None
    settings = services.ensure_builtins(organisation)
    categories = list(Category.objects.filter(organisation=organisation, is_active=True))
    own = {c.category_id: c for c in CategoryRecovery.objects.filter(category__in=categories)}
    playbooks = list(Playbook.objects.filter(organisation=organisation))
    return ChoiceForm(data, playbooks=playbooks, categories=categories, settings=settings, own=own)


@staff_required
def playbooks(request: StaffRequest) -> HttpResponse:
    """Every playbook of the organisation with its steps, and which one each category follows."""
    organisation = request.user.organisation
    assert organisation is not None
    if request.method == "POST":
        _editor_or_403(request)
        form = _choice_form(request, request.POST)
        if form.is_valid():
            try:
                services.choose_playbooks(
                    organisation, by=request.user, default=form.playbooks[form.cleaned_data["default"]],
                    follow_up_days=form.cleaned_data["follow_up_days"], per_category=form.per_category(),
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The playbook choices were saved."))
                return redirect("playbooks")
    else:
        form = _choice_form(request)
    can_edit = selectors.can_edit_playbooks(request.user)
    listed = list(selectors.playbooks_of(organisation.pk))
    return render(request, "recovery/playbooks.html", {
        "nav": "playbooks", "form": form, "playbooks": listed, "can_edit": can_edit,
        "new_form": NewPlaybookForm(playbooks=listed),
    }, status=400 if form.is_bound and form.errors else 200)


@require_POST
@staff_required
def playbook_new(request: StaffRequest) -> HttpResponse:
    _editor_or_403(request)
    organisation = request.user.organisation
    assert organisation is not None
    listed = list(Playbook.objects.filter(organisation=organisation))
    form = NewPlaybookForm(request.POST, playbooks=listed)
    if not form.is_valid():
        messages.error(request, _("Please give the playbook a name."))
        return redirect("playbooks")
    copy_of = next((p for p in listed if p.pk == form.cleaned_data["copy_of"]), None)
    try:
        playbook = services.create_playbook(organisation, by=request.user, name=form.cleaned_data["name"],
                                            copy_of=copy_of)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("playbooks")
    messages.success(request, _("The playbook “%(name)s” was created.") % {"name": playbook.name})
    return redirect("playbook_detail", pk=playbook.pk)


@staff_required
def playbook_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """A playbook's steps: an editable list for CX managers and administrators, a read-only one for others."""
    playbook = Playbook.objects.filter(organisation_id=request.user.organisation_id or 0, pk=pk).first()
    if playbook is None:
        raise Http404("No such playbook")
    steps = playbook.steps.all()
    if request.method == "POST":
        _editor_or_403(request)
        formset = StepFormSet(request.POST, queryset=steps)
        if formset.is_valid():
            def save() -> None:
                for step in formset.save(commit=False):
                    step.playbook = playbook
                    step.save()
                for gone in formset.deleted_objects:
                    gone.delete()

            try:
                services.save_steps(playbook, by=request.user, save=save)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The steps were saved."))
                return redirect("playbook_detail", pk=playbook.pk)
    else:
        formset = StepFormSet(queryset=steps)
    return render(request, "recovery/playbook_detail.html", {
        "nav": "playbooks", "playbook": playbook, "steps": list(steps), "formset": formset,
        "can_edit": selectors.can_edit_playbooks(request.user),
    }, status=400 if formset.is_bound and not formset.is_valid() else 200)


# --------------------------------------------------------------------------------------------- on a case


@require_POST
@staff_required
def case_tick_step(request: StaffRequest, reference: str, code: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(request, reference, lambda case: services.tick_step(case, code, by=request.user, note=note),
                lambda case: _("The step is marked done."))


# --------------------------------------------------------------------------------------------- follow-ups


@require_GET
@staff_required
def follow_ups(request: StaffRequest) -> HttpResponse:
    """The follow-ups due today (and overdue) on the user's cases, and those sent that wait for an answer."""
    return render(request, "recovery/follow_ups.html", {
        "nav": "follow_ups", "due": selectors.follow_ups_due(request.user),
        "waiting": selectors.follow_ups_unanswered(request.user),
    })


@require_POST
def follow_up_answer(request: HttpRequest, token: str, lang: str) -> HttpResponse:
    """The customer's yes or no from their status page (a plain POST, no JavaScript), counted against the
    link's rate limit like the page's messages."""
    from django.conf import settings
    from django.utils import timezone

    from kintsugi.intake import limits
    from kintsugi.intake.public import not_found, too_many
    from kintsugi.intake.services import link_for_token, status_path

    link = link_for_token(token)
    answer = request.POST.get("happy", "")
    if link is None or link.revoked_at is not None:
        return not_found(request, lang)
    if answer not in {"yes", "no"}:
        return redirect(status_path(token, lang) + "#follow-up")
    try:
        limits.hit(f"link:{link.pk}", limits.Limit.parse(settings.PUBLIC_STATUS_LIMIT_PER_LINK), timezone.now())
        with translation.override(lang):
            services.answer_follow_up(link.case, happy=answer == "yes")
    except limits.RateLimited as exc:
        return too_many(request, lang, exc.retry_after, status_path(token, lang))
    except ServiceError:
        return redirect(status_path(token, lang) + "#follow-up")
    return redirect(status_path(token, lang) + f"?answered={answer}#follow-up")
