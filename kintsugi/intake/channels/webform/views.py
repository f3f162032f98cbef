"""The public complaint form at /t/<public_code>/: no sign-in, the touchpoint filled in, the language from the
URL (/t/<code>/th/) or the browser. A valid complaint opens a case and redirects (303) to its acknowledgement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from kintsugi.accounts.models import Touchpoint
from kintsugi.accounts.selectors import touchpoint_by_public_code
from kintsugi.cases.services import InvalidInput
from kintsugi.db.grouped import grouped
from kintsugi.intake import services
from kintsugi.intake.channels.webform.forms import ComplaintForm
from kintsugi.intake.limits import RateLimited
from kintsugi.intake.privacy import notice_for
from kintsugi.intake.public import browser_language, language_links, not_found, render_public, too_many

# Concurrent submissions in one web worker share a transaction (one commit for the burst): the seam's group commit.
_submit_grouped = grouped(services.submit_public_complaints)


def client_ip(request: HttpRequest) -> str:
    # The address the connection came from; a proxy in front must set it (e.g. granian behind a trusted proxy).
    return str(request.META.get("REMOTE_ADDR") or "")


def see_other(url: str) -> HttpResponseRedirect:
    """Post/redirect/get: 303, so the browser's reload and back never send the complaint twice."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _form_url(touchpoint: Touchpoint, language: str) -> str:
    return reverse("public_form_lang", args=[touchpoint.public_code, language])


def _submit(request: HttpRequest, touchpoint: Touchpoint, language: str) -> ComplaintForm | HttpResponse:
    """Validate and submit."""
    form = ComplaintForm(request.POST, request.FILES, country=touchpoint.location.country,
                         tz=touchpoint.location.timezone)
    ip = client_ip(request)
    try:
        if form.is_bot:
            # Pretend it worked, create nothing; the bot's tries still count against its allowance.
            services.count_form_hit(touchpoint, ip)
            return see_other(reverse("public_form_sent", args=[touchpoint.public_code, language]))
        # Before reading a photo (the costly part), refuse early a client or touchpoint over its limit; without
        # one, the hits counted in the complaint's own transaction are check enough.
        if form.photo_was_sent:
            wait = services.form_retry_after(touchpoint, ip)
            if wait:
                return too_many(request, language, wait, _form_url(touchpoint, language))
        if not form.is_valid():
            return form
        data = form.cleaned_data
        _case, raw = _submit_grouped(services.PublicComplaint(
            touchpoint=touchpoint, description=data["description"], severity=data["severity"],
            phone=data["phone"], email=data["email"], line_id=data["line_id"], zalo_id=data["zalo_id"],
            photo=data["photo"], form_language=language, client_ip=ip, name=data["name"],
            booking_reference=data["booking_reference"], occurred_at=data["occurred_at"],
        ))
    except RateLimited as exc:
        return too_many(request, language, exc.retry_after, _form_url(touchpoint, language))
    except services.TouchpointSwitchedOff:
        return not_found(request, language)
    except InvalidInput as exc:
        form.add_error(None, exc.message)
        return form
    return see_other(services.token_path("public_ack", raw, language))


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_form(request: HttpRequest, public_code: str, lang: str | None = None) -> HttpResponse:
    touchpoint = touchpoint_by_public_code(public_code)
    language = lang or browser_language(request, touchpoint.location.languages if touchpoint else ())
    if touchpoint is None:
        return not_found(request, language)
    with translation.override(language):  # the form's errors are in the customer's language too
        if request.method == "POST":
            result = _submit(request, touchpoint, language)
            if isinstance(result, HttpResponse):
                return result
            form = result
        else:
            form = ComplaintForm(country=touchpoint.location.country, tz=touchpoint.location.timezone)
    context = {
        "touchpoint": touchpoint, "location": touchpoint.location, "brand": touchpoint.organisation.name,
        "form": form, "action": _form_url(touchpoint, language),
        "languages": language_links(lambda code: _form_url(touchpoint, code), language),
        "photo_dropped": form.is_bound and form.photo_was_sent and bool(form.errors),
        "privacy": notice_for(touchpoint.organisation),
    }
    return render_public(request, "intake/form.html", context, language=language, status=400 if form.errors else 200)


@require_safe
def complaint_sent(request: HttpRequest, public_code: str, lang: str) -> HttpResponse:
    """What a filled honeypot gets: thanks, and nothing else."""
    touchpoint = touchpoint_by_public_code(public_code)
    if touchpoint is None:
        return not_found(request, lang)
    return render_public(request, "intake/sent.html", {"brand": touchpoint.organisation.name}, language=lang)
