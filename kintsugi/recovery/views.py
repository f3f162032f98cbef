"""The recovery pages: the playbooks (managers edit, everyone reads), ticking a step on the case page, the
follow-ups due, and the customer's answer to the follow-up on their status page; then what we say to the
customer: the apology composer, thank-and-explain, reply templates (and the composer's template picker), and the
organisation's apology lint phrases.

The apology page is one URL: GET shows it, POST with action=preview shows it again with the preview and the lint
(the HTMX fragment while typing, the whole page without JavaScript), POST with action=send sends it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import access
from kintsugi.cases.models import Case, CaseEvent, Category, EventKind
from kintsugi.cases.services import ServiceError
from kintsugi.cases.views.case import act
from kintsugi.intake import limits
from kintsugi.intake.public import not_found, too_many
from kintsugi.intake.services import link_for_token, status_path
from kintsugi.lib.i18n import LANGUAGE_NAMES
from kintsugi.recovery import apology, replies, selectors, services
from kintsugi.recovery.forms import ChoiceForm, NewPlaybookForm, StepFormSet
from kintsugi.recovery.models import ApologyPhrase, CategoryRecovery, PhraseKind, Playbook, ReplyTemplate
from kintsugi.recovery.thanks import draft_thanks

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
    return act(request, reference, lambda case: services.tick_step(case, code, by=request.user, note=note),
                lambda case: _("The step is marked done."))


# --------------------------------------------------------------------------------------------- follow-ups


@require_GET
@staff_required
def follow_ups(request: StaffRequest) -> HttpResponse:
    """The follow-ups due today (and overdue) on the user's cases, and those sent that wait for an answer."""
    return render(request, "recovery/follow_ups.html", {
        "nav": "follow_ups", "due": selectors.follow_ups_due(request.user),
        "waiting": selectors.follow_ups_unanswered(request.user),
        "expired": selectors.follow_ups_expired(request.user), "expiry_days": settings.FOLLOW_UP_EXPIRY_DAYS,
    })


@require_POST
def follow_up_answer(request: HttpRequest, token: str, lang: str) -> HttpResponse:
    """The customer's yes or no from their status page (a plain POST, no JavaScript), counted against the
    link's rate limit like the page's messages."""
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


# --------------------------------------------------------------------------------------------- messages


def _org(request: StaffRequest) -> int:
    organisation_id = request.user.organisation_id
    assert organisation_id is not None  # staff_required
    return organisation_id


# --------------------------------------------------------------------------------------------- the apology


def _apology_parts(case: Case, data: Any) -> dict[str, str]:
    if data is None:
        return {"restore": services.remedy_offer_text(case, case.language)}
    return {key: str(data.get(key, ""))[: apology.MAX_PART * 2] for key in apology.PARTS_BY_KEY}


def _apology_context(case: Case, parts: dict[str, str], include_forgiveness: bool,
                     *, checked: bool) -> dict[str, Any]:
    language = case.language
    found = apology.lint_parts(parts, language, services.lint_phrases(case.organisation_id, language))
    missing = set(apology.missing_parts(parts)) if checked else set()
    unedited = set(apology.unedited_parts(parts))
    shown = [
        {
            "key": part.key, "title": part.title, "is_required": part.is_required,
            "guidance": part.guidance.get(language, part.guidance["en"]),
            "examples": part.examples.get(language, part.examples["en"]),
            "value": parts.get(part.key, ""),
            "warnings": [{**w.as_dict(), "label": apology.KIND_LABELS[w.kind]} for w in found[part.key]],
            "is_missing": part.key in missing,
            "is_unedited": part.key in unedited,
        }
        for part in apology.PARTS
    ]
    return {
        "case": case, "parts": shown, "include_forgiveness": include_forgiveness,
        "last_apology": CaseEvent.objects.filter(case=case, kind=EventKind.APOLOGY_SENT).order_by("-created_at")
        .values_list("created_at", flat=True).first(),
        "preview": apology.compose(parts, include_forgiveness=include_forgiveness),
        "still_missing": [apology.PARTS_BY_KEY[key].title for key in apology.missing_parts(parts)],
        "warning_count": sum(len(found[key]) for key in apology.part_keys(include_forgiveness)) + len(unedited),
    }


@staff_required
def apology_compose(request: StaffRequest, reference: str) -> HttpResponse:
    case = access.get_case_for(request.user, reference)
    post = request.POST if request.method == "POST" else None
    parts = _apology_parts(case, post)
    include_forgiveness = post is not None and post.get("forgiveness") == "on"
    status = 200
    if post is not None and post.get("action") == "send":
        try:
            services.send_apology(case, parts, by=request.user, include_forgiveness=include_forgiveness)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            messages.success(request, _("Your apology was sent to the customer."))
            return redirect("case_detail", reference=case.reference)
    context = _apology_context(case, parts, include_forgiveness, checked=status == 400)
    if request.htmx and post is not None:
        return render(request, "recovery/messages/apology.html#live", context)
    return render(request, "recovery/messages/apology.html", context, status=status)


# --------------------------------------------------------------------------------------------- thank-and-explain


@staff_required
def thanks_compose(request: StaffRequest, reference: str) -> HttpResponse:
    case = access.get_case_for(request.user, reference)
    if request.method != "POST":
        body = draft_thanks(case, case.language)
        return render(request, "recovery/messages/thanks.html", {"case": case, "body": body})
    body = request.POST.get("body", "")
    try:
        services.send_thanks(case, body, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return render(request, "recovery/messages/thanks.html", {"case": case, "body": body}, status=400)
    messages.success(request, _("Your thanks and explanation were sent to the customer."))
    return redirect("case_detail", reference=case.reference)


# --------------------------------------------------------------------------------------------- reply templates


def _template_for(request: StaffRequest, pk: int) -> ReplyTemplate:
    try:
        return ReplyTemplate.objects.select_related("category").get(
            pk=pk, organisation_id=_org(request))
    except ReplyTemplate.DoesNotExist:
        raise Http404("No such template") from None


def _categories(request: StaffRequest) -> list[Category]:
    return list(Category.objects.filter(organisation_id=_org(request), is_active=True))


def _require_manager(request: StaffRequest) -> None:
    if not services.can_manage_messages(request.user):
        raise PermissionDenied(_("Only CX managers and administrators can change this."))


def _template_form(request: StaffRequest) -> dict[str, Any]:
    raw = request.POST.get("category", "")
    category = None
    if raw:
        category = next((c for c in _categories(request) if str(c.pk) == raw), None)
        if category is None:
            raise ServiceError(_("Unknown category."))
    return {"language": request.POST.get("language", ""), "category": category,
            "name": request.POST.get("name", ""), "body": request.POST.get("body", "")}


def _report_placeholders(request: StaffRequest, check: replies.Filled) -> None:
    if check.unknown:
        messages.warning(request, _("Unknown placeholders stay as typed: %(list)s") % {
            "list": " ".join(check.unknown)})
    if check.malformed:
        messages.warning(request, _("These braces are not placeholders and stay as typed: %(list)s") % {
            "list": " ".join(check.malformed)})


def _templates_page(request: StaffRequest, *, draft: dict[str, str] | None = None,
                    editing: ReplyTemplate | None = None, status: int = 200) -> HttpResponse:
    templates = list(ReplyTemplate.objects.filter(organisation_id=_org(request)).select_related("category")
                     .order_by("language", "category__position", "category__name", "name", "id"))
    rows = [{"template": t, "check": replies.check(t.body)} for t in templates]
    return render(request, "recovery/messages/templates.html", {
        "rows": rows, "categories": _categories(request), "can_edit": services.can_manage_messages(request.user),
        "languages": list(LANGUAGE_NAMES.items()), "placeholders": list(replies.PLACEHOLDERS.items()),
        "draft": draft or {}, "editing": editing, "nav": "replies",
        "draft_check": replies.check((draft or {}).get("body", "")) if draft else None,
    }, status=status)


@staff_required
def reply_templates(request: StaffRequest) -> HttpResponse:
    if request.method != "POST":
        return _templates_page(request)
    _require_manager(request)
    return _save_template(request, None)


def _save_template(request: StaffRequest, template: ReplyTemplate | None) -> HttpResponse:
    try:
        saved, check = services.save_reply_template(template, by=request.user, **_template_form(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
        draft = {key: request.POST.get(key, "") for key in ("language", "category", "name", "body")}
        return _templates_page(request, draft=draft, editing=template, status=400)
    messages.success(request, _("The template “%(name)s” was saved.") % {"name": saved.name})
    _report_placeholders(request, check)
    return redirect("reply_templates")


@require_POST
@staff_required
def reply_template_check(request: StaffRequest) -> HttpResponse:
    """The editor's placeholder report for the text being typed (HTMX): unknown and malformed placeholders."""
    check = replies.check(request.POST.get("body", "")[: services.MAX_TEMPLATE_BODY * 2])
    return render(request, "recovery/messages/templates.html#placeholder_report", {"draft_check": check})


@staff_required
def reply_template_edit(request: StaffRequest, pk: int) -> HttpResponse:
    template = _template_for(request, pk)
    if request.method != "POST":
        draft = {"language": template.language, "category": str(template.category_id or ""),
                 "name": template.name, "body": template.body}
        return _templates_page(request, draft=draft, editing=template)
    _require_manager(request)
    return _save_template(request, template)


@require_POST
@staff_required
def reply_template_delete(request: StaffRequest, pk: int) -> HttpResponse:
    template = _template_for(request, pk)
    _require_manager(request)
    services.delete_reply_template(template, by=request.user)
    messages.success(request, _("The template “%(name)s” was deleted.") % {"name": template.name})
    return redirect("reply_templates")


@require_POST
@staff_required
def reply_template_insert(request: StaffRequest, reference: str) -> HttpResponse:
    """The case's reply box with the chosen template filled in (after what was typed): the textarea for HTMX, a
    small page with the reply form without JavaScript."""
    case = access.get_case_for(request.user, reference)
    raw = request.POST.get("template", "")
    template = _template_for(request, int(raw)) if raw.isdigit() else None
    typed = request.POST.get("body", "")
    body = typed
    if template is not None:
        filled = services.fill_reply_template(case, template, by=request.user)
        body = f"{typed.rstrip()}\n\n{filled.text}" if typed.strip() else filled.text
    context = {"case": case, "body": body}
    if request.htmx:
        return render(request, "recovery/messages/reply_from_template.html#reply_box", context)
    return render(request, "recovery/messages/reply_from_template.html", context)


# --------------------------------------------------------------------------------------------- lint phrases


def _phrases_page(request: StaffRequest, *, draft: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    own = list(ApologyPhrase.objects.filter(organisation_id=_org(request))
               .select_related("created_by"))
    builtin = [
        {"language": code, "name": name,
         "kinds": [{"label": apology.KIND_LABELS[kind],
                    "phrases": [p.text for p in apology.BUILTIN_PHRASES[code] if p.kind == kind]}
                   for kind in apology.KINDS],
         "own": [p for p in own if p.language == code]}
        for code, name in LANGUAGE_NAMES.items()
    ]
    return render(request, "recovery/messages/phrases.html", {
        "languages": builtin, "kinds": PhraseKind.choices, "language_choices": list(LANGUAGE_NAMES.items()),
        "can_edit": services.can_manage_messages(request.user), "draft": draft or {}, "nav": "phrases",
    }, status=status)


@staff_required
def apology_phrases(request: StaffRequest) -> HttpResponse:
    if request.method != "POST":
        return _phrases_page(request)
    _require_manager(request)
    draft = {key: request.POST.get(key, "") for key in ("language", "kind", "phrase")}
    try:
        phrase = services.add_apology_phrase(by=request.user, **draft)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _phrases_page(request, draft=draft, status=400)
    messages.success(request, _("“%(phrase)s” was added to the list.") % {"phrase": phrase.phrase})
    return redirect("apology_phrases")


@require_POST
@staff_required
def apology_phrase_delete(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        phrase = ApologyPhrase.objects.get(pk=pk, organisation_id=_org(request))
    except ApologyPhrase.DoesNotExist:
        raise Http404("No such phrase") from None
    _require_manager(request)
    services.remove_apology_phrase(phrase, by=request.user)
    messages.success(request, _("“%(phrase)s” was removed from the list.") % {"phrase": phrase.phrase})
    return redirect("apology_phrases")
