"""Login throttling with django-axes: two limits, and the lockout shown on the login page in the user's language.

Axes counts failed sign-ins in the database (AccessAttempt rows), so the limits hold across every web process.
Its own settings lock out one (username, IP address) pair after AXES_FAILURE_LIMIT failures; this handler adds a
higher limit for one IP address over every username (LOGIN_IP_FAILURE_LIMIT), which stops one machine from
guessing many accounts' passwords. Both cool off after AXES_COOLOFF_TIME. Unlock: the admin's "Access attempts"
list, or `manage.py axes_reset_username USERNAME` / `axes_reset_ip IP` / `axes_reset`.
"""

from __future__ import annotations

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext

from kintsugi.accounts.forms import LoginForm


class PairAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler, locked when either the (username, IP) pair or the IP alone is over its limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, object] | None = None) -> int:
        pair_failures = int(super().get_failures(request, credentials))
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return pair_failures
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        address_failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        # Axes compares one count with AXES_FAILURE_LIMIT: express the address's count in that unit. With integer
        # division, address_failures * pair_limit // address_limit >= pair_limit exactly when
        # address_failures >= address_limit.
        pair_limit: int = settings.AXES_FAILURE_LIMIT
        address_limit: int = settings.LOGIN_IP_FAILURE_LIMIT
        return max(pair_failures, address_failures * pair_limit // address_limit)


def lockout_message(cool_off: timedelta | None) -> str:
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0
    if not minutes:
        return gettext("Too many failed sign-ins. This account is locked: ask an administrator to unlock it.")
    return ngettext(
        "Too many failed sign-ins. For your safety, signing in is paused for %(minutes)d minute; "
        "try again then, or ask an administrator to unlock your account.",
        "Too many failed sign-ins. For your safety, signing in is paused for %(minutes)d minutes; "
        "try again then, or ask an administrator to unlock your account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, object] | None = None
) -> HttpResponse:
    """The login page again (429) with the lockout message; the username stays filled in."""
    username = get_client_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    context = {
        "form": form, "next": request.POST.get("next", ""), "lockout_message": lockout_message(get_cool_off(request))
    }
    return render(request, "accounts/login.html", context, status=429)
