"""Login, logout and the language switcher, plus the request type and guard every staff page shares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kintsugi.accounts import access
from kintsugi.accounts.forms import LanguageForm, LoginForm
from kintsugi.accounts.models import User

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


class StaffRequest(HttpRequest):
    """A request from a signed-in staff member (what `staff_required` guarantees)."""

    user: User
    htmx: HtmxDetails


def staff_required[**P](
    view: Callable[Concatenate[StaffRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Sign-in required (else the login redirect); a user outside any organisation gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not access.is_staff_member(request.user):
            raise PermissionDenied(_("Your account is not linked to an organisation."))
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    return login_required(wrapper)  # type: ignore[return-value]


def safe_next(request: HttpRequest, fallback: str = "inbox") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: the staff member's preference when signed in, and a cookie either way."""
    response = HttpResponseRedirect(safe_next(request, "inbox" if request.user.is_authenticated else "login"))
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This language is not available."))
        return response
    code = form.cleaned_data["language"]
    if isinstance(request.user, User):
        User.objects.filter(pk=request.user.pk).update(language=code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="Lax",
        secure=request.is_secure(),
    )
    return response
