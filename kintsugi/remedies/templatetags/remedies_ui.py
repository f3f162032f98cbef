"""The remedies panel on the staff case page: suggestions, the form with the caller's authority, the case's
remedies with their approvals and fulfilment, and the customer's own costs."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kintsugi.cases.models import Case
from kintsugi.remedies import drafts, forms, policy, selectors, services
from kintsugi.remedies.models import (
    FULFILLABLE_STATUSES,
    GIVEN_STATUSES,
    CostKind,
    CustomerCost,
    Remedy,
    RemedyKind,
    RemedyOption,
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


def _remedy_form(request: Any, case: Case, options: list[RemedyOption], currencies: list[str], currency: str,
                 suggestions: list[tuple[policy.Suggestion, RemedyOption]]) -> forms.RemedyForm:
    """The panel's form: a refused one as it was sent (its errors at their fields), else empty or filled from the
    suggestion the link names (?suggestion=option-<id>: the amount is worked out here, never read from the URL)."""
    draft = drafts.take(request, case, drafts.REMEDY)
    if draft is not None:
        form = forms.RemedyForm(draft["data"], case=case, options=options, currencies=currencies)
        form.is_valid()
        if draft["error"]:
            form.add_error(None, draft["error"])
        return form
    initial: dict[str, Any] = {"currency": currency}
    chosen = request.GET.get("suggestion", "")[:30]
    for suggestion, option in suggestions:
        if chosen == f"option-{option.pk}":
            initial.update(kind=chosen, amount=amount_input(suggestion.amount, currency))
    return forms.RemedyForm(initial=initial, case=case, options=options, currencies=currencies)


def _cost_form(request: Any, case: Case, currencies: list[str], currency: str) -> forms.CostForm:
    draft = drafts.take(request, case, drafts.COST)
    if draft is None:
        return forms.CostForm(initial={"currency": currency}, currencies=currencies)
    form = forms.CostForm(draft["data"], currencies=currencies)
    form.is_valid()
    if draft["error"]:
        form.add_error(None, draft["error"])
    return form


@register.inclusion_tag("remedies/case_panel.html", takes_context=True)
def remedies_panel(context: Any, case: Case) -> dict[str, Any]:
    """Six queries: the case's remedies, its customer costs, the catalogue, the settings, the caller's limits and
    day (the case's total and the customer's costs are summed from the lists already read)."""
    request = context["request"]
    user = request.user
    remedies = list(Remedy.objects.filter(case=case).select_related("requested_by", "decided_by", "option"))
    costs = list(CustomerCost.objects.filter(case=case))
    settings = services.settings_for(case.organisation_id)
    currency = services.case_currency(case)
    currencies = services.currencies_for(case, settings)
    spent = sum(c.amount_minor or 0 for c in costs if c.currency == currency)
    every_option = selectors.active_options(case)
    options = sorted((o for o in every_option if o.currency == currency), key=lambda o: (o.kind, o.pk))
    given = sum(r.amount_minor for r in remedies if r.currency == currency and r.status in GIVEN_STATUSES)
    authority = services.authority_left(user, case, currency, case_total=given)
    suggestions = selectors.suggestions_for(case, options, customer_costs=spent, authority=authority.room)
    form = _remedy_form(request, case, every_option, currencies, currency, suggestions)
    return {
        "case": case, "user": user, "request": request, "csrf_token": context.get("csrf_token"),
        "currency": currency, "currencies": currencies,
        "authority": authority,
        "suggestions": suggestions, "options": options,
        "remedies": remedies, "kinds": RemedyKind.choices, "pending": RemedyStatus.PENDING_APPROVAL,
        "fulfillable": FULFILLABLE_STATUSES,
        "costs": costs, "cost_kinds": CostKind.choices,
        "form": form, "cost_form": _cost_form(request, case, currencies, currency),
        "useful_share": policy.USEFUL_SHARE_PERCENT,
    }
