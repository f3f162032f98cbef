"""The intake parts of the staff case page: the customer's photos (beside their words), the status page links, and
the link from a timeline entry to the message as it was received."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kintsugi.cases.models import Case, CaseEvent
from kintsugi.comms.models import Message
from kintsugi.intake.models import Attachment, CaseAccessLink

register = template.Library()


@register.inclusion_tag("intake/case_photos.html")
def case_photos(case: Case) -> dict[str, Any]:
    """The photos the customer sent with the case, oldest first (nothing is shown for a case without any)."""
    return {"photos": list(Attachment.objects.filter(case=case).order_by("created_at", "id"))}


@register.inclusion_tag("intake/staff_panel.html")
def intake_panel(case: Case) -> dict[str, Any]:
    """The status page links of a web case and its acknowledgements (nothing is shown for a case without links)."""
    links = list(CaseAccessLink.objects.filter(case=case).select_related("revoked_by").order_by("created_at"))
    acknowledgements = list(
        Message.objects.filter(case=case, author__isnull=True, direction="out").order_by("created_at")[:3]
    ) if links else []
    return {"case": case, "links": links, "acknowledgements": acknowledgements}


@register.simple_tag
def original_link(event: CaseEvent) -> str:
    """On a timeline entry that came through the inbound pipeline: the link to the message as received (whether
    the user may open it is checked there), and a word when quoted history was folded out of the entry."""
    data = event.data or {}
    pk = data.get("inbound")
    if not isinstance(pk, int) or isinstance(pk, bool):
        return ""
    folded = format_html(' <span class="muted">{}</span>', _("Earlier quoted mail is folded away.")) \
        if data.get("folded") else ""
    return format_html('<p class="entry-original"><a href="{}">{}</a>{}</p>',
                       reverse("inbound_original", args=[pk]), _("Show the original"), folded)
