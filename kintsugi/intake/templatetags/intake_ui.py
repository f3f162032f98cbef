"""The intake panel on the staff case page: the customer's photos and their status page links."""

from __future__ import annotations

from typing import Any

from django import template

from kintsugi.cases.models import Case
from kintsugi.comms.models import Message
from kintsugi.intake.models import Attachment, CaseAccessLink

register = template.Library()


@register.inclusion_tag("intake/staff_panel.html")
def intake_panel(case: Case) -> dict[str, Any]:
    """Photos and status links of a web case (nothing is shown for a case that has neither)."""
    links = list(CaseAccessLink.objects.filter(case=case).select_related("revoked_by").order_by("created_at"))
    photos = list(Attachment.objects.filter(case=case).order_by("created_at", "id"))
    acknowledgements = list(
        Message.objects.filter(case=case, author__isnull=True, direction="out").order_by("created_at")[:3]
    ) if links else []
    return {"case": case, "links": links, "photos": photos, "acknowledgements": acknowledgements}
