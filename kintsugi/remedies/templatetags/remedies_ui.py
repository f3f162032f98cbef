"""The remedies panel on the staff case page: suggestions, the form with the caller's authority, the case's
remedies with their approvals and fulfilment, and the customer's own costs."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kintsugi.cases.models import Case
from kintsugi.remedies import policy, selectors, services
from kintsugi.remedies.models import (
    FULFILLABLE_STATUSES,
    GIVEN_STATUSES,
    CostKind,
    CustomerCost,
    Remedy,
    RemedyKind,
    RemedyStatus,
)

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """Minor units in the viewer's language: {{ remedy.amount_minor|money:remedy.currency }}."""
    if minor is None or currency not in policy.CURRENCIES:
        return ""
    return policy.format_amount(int(minor), currency, (get_language() or "en")[:2])


@register.filter
def amount_input(minor: int | None, currency: str) -> str:
    """Minor units as the number to put in a form field, grouped for the viewer's language."""
    if minor is None or currency not in policy.CURRENCIES:
        return ""
    return policy.format_number(int(minor), currency, (get_language() or "en")[:2])


@register.inclusion_tag("remedies/case_panel.html", takes_context=True)
def remedies_panel(context: Any, case: Case) -> dict[str, Any]:
    """Five queries: the case's remedies, its customer costs, the catalogue, the settings, the caller's limits and
    day (the case's total and the customer's costs are summed from the lists already read)."""
    request = context["request"]
    user = request.user
    remedies = list(Remedy.objects.filter(case=case).select_related("requested_by", "decided_by", "option"))
    costs = list(CustomerCost.objects.filter(case=case))
    settings = services.settings_for(case.organisation_id)
    currency = services.case_currency(case)
    spent = sum(c.amount_minor or 0 for c in costs if c.currency == currency)
    options = selectors.catalogue_for(case, currency)
    given = sum(r.amount_minor for r in remedies if r.currency == currency and r.status in GIVEN_STATUSES)
    authority = services.authority_left(user, case, currency, case_total=given)
    suggestions = selectors.suggestions_for(case, options, customer_costs=spent, authority=authority.room)
    get = request.GET
    return {
        "case": case, "user": user, "request": request, "csrf_token": context.get("csrf_token"),
        "currency": currency, "currencies": services.currencies_for(case, settings),
        "authority": authority,
        "suggestions": suggestions, "options": options,
        "remedies": remedies, "kinds": RemedyKind.choices, "pending": RemedyStatus.PENDING_APPROVAL,
        "fulfillable": FULFILLABLE_STATUSES,
        "costs": costs, "cost_kinds": CostKind.choices,
        "draft": {key: get.get(f"remedy_{key}", "") for key in
                  ("kind", "amount", "currency", "description", "transaction_value", "is_goodwill")},
        "cost_draft": {key: get.get(f"cost_{key}", "") for key in ("kind", "amount", "currency", "minutes", "note")},
        "useful_share": policy.USEFUL_SHARE_PERCENT,
    }
