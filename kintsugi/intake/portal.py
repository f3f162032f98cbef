"""The customer's status page at /s/<token>/: what is happening with their case, in their language, and a form
to add a message or a photo. Reached only through its unguessable link; an unknown or revoked link gets the
same friendly “not found” page, so a link never tells whether a case exists."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kintsugi.cases import selectors
from kintsugi.cases.models import Case, Status
from kintsugi.cases.services import InvalidInput, NotAllowed
from kintsugi.intake import services
from kintsugi.intake.channels.webform.views import see_other
from kintsugi.intake.forms import StatusMessageForm
from kintsugi.intake.limits import RateLimited
from kintsugi.intake.models import Attachment, CaseAccessLink
from kintsugi.intake.public import browser_language, language_links, not_found, render_public, too_many
from kintsugi.intake.wording import customer_entry, customer_status, handler_name
from kintsugi.lib.timeutil import due_phrase


def _expectation(case: Case) -> tuple[str, str]:
    """(what to expect next, when) in the active language: the first answer, the resolution, or why it waits."""
    now = timezone.now()
    tz = ZoneInfo(case.location.timezone)
    if case.status == Status.AWAITING_CUSTOMER:
        return _("Expected resolution"), _("Paused while we wait for your answer.")
    if not case.is_open:
        return "", ""
    if case.first_response_at is None and case.first_response_due_at is not None:
        due = case.first_response_due_at
        label = _("We will answer you")
    else:
        due = case.resolution_due_at  # type: ignore[assignment]
        label = _("Expected resolution")
    if due is None:
        return label, _("as soon as we can")
    if due <= now:
        return label, _("We are later than we promised, and we are on it.")
    return label, due_phrase(due, tz=tz, now=now)


def _status_context(link: CaseAccessLink, raw: str, language: str, form: StatusMessageForm) -> dict[str, Any]:
    case = link.case
    with translation.override(language):
        entries = [entry for event in selectors.timeline(case, customer_visible_only=True)
                   if (entry := customer_entry(event)) is not None]
        shown = {entry.event.pk for entry in entries}
        photos: dict[int, list[Attachment]] = {}
        for attachment in Attachment.objects.filter(case=case, event_id__in=shown).order_by("created_at", "id"):
            assert attachment.event_id is not None
            photos.setdefault(attachment.event_id, []).append(attachment)
        expect_label, expect_when = _expectation(case)
        return {
            "case": case, "brand": case.organisation.name, "token": raw,
            "status_words": customer_status(case), "handler": handler_name(case),
            "expect_label": expect_label, "expect_when": expect_when,
            "entries": [(entry, photos.get(entry.event.pk, [])) for entry in entries],
            "tz": case.location.timezone, "form": form,
            "action": services.status_path(raw, language),
            "languages": language_links(lambda code: services.status_path(raw, code), language),
            "photo_dropped": form.is_bound and form.photo_was_sent and bool(form.errors),
        }


def _post_message(
    request: HttpRequest, link: CaseAccessLink, raw: str, language: str
) -> HttpResponse | StatusMessageForm:
    form = StatusMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return form
    try:
        services.add_customer_message(link, form.cleaned_data["body"], form.cleaned_data["photo"])
    except RateLimited as exc:
        return too_many(request, language, exc.retry_after, services.status_path(raw, language))
    except (InvalidInput, NotAllowed) as exc:
        form.add_error(None, exc.message)
        return form
    return see_other(services.status_path(raw, language) + "?sent=1#sent")


@require_http_methods(["GET", "HEAD", "POST"])
def status_page(request: HttpRequest, token: str, lang: str | None = None) -> HttpResponse:
    link = services.link_for_token(token)
    if link is None:
        return not_found(request, lang or browser_language(request))
    language = lang or link.case.language
    form = StatusMessageForm()
    if request.method == "POST":
        with translation.override(language):
            result = _post_message(request, link, token, language)
        if isinstance(result, HttpResponse):
            return result
        form = result
    else:
        services.note_seen(link)
    context = _status_context(link, token, language, form)
    context["sent"] = request.GET.get("sent") == "1" and not form.is_bound
    return render_public(request, "intake/status.html", context, language=language,
                         status=400 if form.errors else 200)


@require_safe
def acknowledgement(request: HttpRequest, token: str, lang: str) -> HttpResponse:
    """Right after the form: the reference, when we will answer, and the private link to keep."""
    link = services.link_for_token(token)
    if link is None:
        return not_found(request, lang)
    case = link.case
    with translation.override(lang):
        expect_label, expect_when = _expectation(case)
    context = {
        "case": case, "brand": case.organisation.name, "expect_when": expect_when, "expect_label": expect_label,
        "status_link": request.build_absolute_uri(services.status_path(token)),
        "status_path": services.status_path(token, lang),
        "languages": language_links(lambda code: reverse("public_ack", args=[token, code]), lang),
    }
    return render_public(request, "intake/ack.html", context, language=lang)


@require_safe
def status_photo(request: HttpRequest, token: str, key: UUID) -> HttpResponse:
    """A photo of the case, to the holder of its link; only photos the status page shows."""
    link = services.link_for_token(token)
    attachment = (
        Attachment.objects.filter(case_id=link.case_id, uuid=key, event__is_customer_visible=True).first()
        if link is not None else None
    )
    if attachment is None:
        return not_found(request, browser_language(request))
    return photo_response(attachment)


def photo_response(attachment: Attachment) -> HttpResponse:
    assert attachment.file.name is not None
    # Photos are re-encoded to at most 2048 px (a few hundred KB): read whole, no streaming needed.
    with default_storage.open(attachment.file.name, "rb") as file:
        response = HttpResponse(file.read(), content_type=attachment.content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Disposition"] = f'inline; filename="{attachment.uuid}.jpg"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
