"""Staff pages served from a kept page shell: the whole page a fragment (kintsugi.lib.fragments).

A page rendered by Django walks base.html and the page's template node by node on every request, runs the
context processors and translates the page's fixed words again: on the inbox, the page staff reload all day,
that was about a quarter of its CPU. `render_page` renders the page's template once per language and `values`
(everything the template may read) and keeps it; each request fills in its holes: the CSRF token, the top bar
(itself a kept fragment with its own holes), the flash messages, and whatever the view passes (its rows).

The template must read nothing but `values` and the holes: no `request`, no `user`, no context processor (what
it reads of them would render empty, and the page's tests compare it with Django's own rendering). base.html
takes `topbar_html` and `messages_html` in place of the request's user and messages for this.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kintsugi.accounts.models import User
from kintsugi.cases.templatetags.kintsugi_ui import topbar_html
from kintsugi.lib import fragments

__all__ = ["render_page"]


def render_page(
    request: HttpRequest,
    template_name: str,
    values: Mapping[str, Hashable],
    holes: Mapping[str, SafeString | str],
    *,
    user: User,
    nav: str,
) -> HttpResponse:
    """`template_name` (which extends base.html) as a page for `user`, from a kept fragment."""
    csrf_token = get_token(request)
    stored = get_messages(request)
    # len() loads the messages without marking them used: rendering them (iterating) does that, as on any page.
    messages_html = render_to_string("partials/messages.html", {"messages": stored}) if len(stored) else ""
    page = fragments.render(
        template_name,
        {**values, "nav": nav},
        holes={
            **holes,
            "csrf_token": csrf_token,
            "topbar_html": topbar_html(user, nav=nav, csrf_token=csrf_token, next_path=request.get_full_path()),
            "messages_html": mark_safe(messages_html),  # rendered by the template above, escaped there
        },
    )
    return HttpResponse(page)
