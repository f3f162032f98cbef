"""The intake parts of the staff case page: the customer's photos (beside their words) and the status page links."""

from __future__ import annotations

from typing import Any

from django import template

from kintsugi.cases.models import Case
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
