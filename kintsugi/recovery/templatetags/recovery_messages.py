"""The reply box's template picker on the case page: the organisation's templates in the case's language, those
of the case's category first."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Case as When_
from django.db.models import IntegerField, Value, When

from kintsugi.cases.models import Case
from kintsugi.recovery.models import ReplyTemplate

register = template.Library()


@register.inclusion_tag("recovery/messages/template_picker.html")
def reply_template_picker(case: Case) -> dict[str, Any]:
    rank = When_(When(category_id=case.category_id, then=Value(0)), When(category__isnull=True, then=Value(1)),
                 default=Value(2), output_field=IntegerField()) if case.category_id else Value(0)
    templates = list(
        ReplyTemplate.objects.filter(organisation_id=case.organisation_id, language=case.language)
        .select_related("category").annotate(rank=rank).order_by("rank", "name", "id")
    )
    return {"case": case, "templates": templates}
