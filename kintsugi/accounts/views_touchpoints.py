"""Staff pages for touchpoints: the list with public links and QR codes, and printable cards and posters."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kintsugi.accounts import access, qr
from kintsugi.accounts.models import Location, Touchpoint
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.lib.i18n import SUPPORTED

PRINT_FORMATS = ("card", "poster")


def phrases(text: str, language: str) -> list[str]:
    """Thai separates phrases, not words, with spaces; the sheet keeps each phrase on one line when it fits."""
    return text.split() if language == "th" else [text]


@dataclass(frozen=True)
class InvitationLine:
    language: str
    invitation: str
    scan_hint: str

    @property
    def invitation_phrases(self) -> list[str]:
        return phrases(self.invitation, self.language)

    @property
    def scan_hint_phrases(self) -> list[str]:
        return phrases(self.scan_hint, self.language)


@dataclass(frozen=True)
class Sheet:
    touchpoint: Touchpoint
    qr_svg: SafeString


def print_languages(location: Location) -> list[str]:
    """The location's languages that Kintsugi speaks, in its order; else the organisation's language."""
    wanted = [str(code).strip().lower() for code in location.languages or []]
    languages = list(dict.fromkeys(code for code in wanted if code in SUPPORTED))
    return languages or [location.organisation.default_language]


def invitation_lines(languages: list[str]) -> list[InvitationLine]:
    """The invitation to complain and how to scan, once in each language (the first is printed largest)."""
    lines = []
    for language in languages:
        with translation.override(language):
            lines.append(InvitationLine(
                language=language,
                invitation=_("Something not right? Tell us, and we will put it right."),
                scan_hint=_("Scan with your phone camera. No app needed."),
            ))
    return lines


def _sheet(touchpoint: Touchpoint) -> Sheet:
    # The SVG is segno's output for our own URL: it holds no user input, so it is safe to inline.
    return Sheet(touchpoint, mark_safe(qr.make_qr_svg(touchpoint.public_url, 1, css_class="sheet-qr")))


def _print_format(request: StaffRequest) -> str | None:
    value = request.GET.get("format", "card")
    return value if value in PRINT_FORMATS else None


def _bad_format() -> HttpResponse:
    return HttpResponseBadRequest(_("Choose the format: card or poster."), content_type="text/plain; charset=utf-8")


@require_GET
@staff_required
def touchpoints(request: StaffRequest) -> HttpResponse:
    rows = list(access.visible_touchpoints(request.user).order_by("location__name", "location_id", "name"))
    return render(request, "accounts/touchpoints.html", {"touchpoints": rows, "nav": "touchpoints"})


@require_GET
@staff_required
def touchpoint_print(request: StaffRequest, pk: int) -> HttpResponse:
    touchpoint = access.get_touchpoint_for(request.user, pk)
    print_format = _print_format(request)
    if print_format is None:
        return _bad_format()
    location = touchpoint.location
    location.organisation = touchpoint.organisation  # already fetched; spares a query
    return render(request, "accounts/touchpoint_print.html", {
        "format": print_format, "location": location, "organisation": touchpoint.organisation,
        "lines": invitation_lines(print_languages(location)), "sheets": [_sheet(touchpoint)],
        "single": touchpoint,
    })


@require_GET
@staff_required
def location_print(request: StaffRequest, code: str) -> HttpResponse:
    location = access.get_location_for(request.user, code)
    print_format = _print_format(request)
    if print_format is None:
        return _bad_format()
    rows = access.visible_touchpoints(request.user).filter(location=location, is_active=True).order_by("name")
    return render(request, "accounts/touchpoint_print.html", {
        "format": print_format, "location": location, "organisation": location.organisation,
        "lines": invitation_lines(print_languages(location)), "sheets": [_sheet(tp) for tp in rows],
        "single": None,
    })
