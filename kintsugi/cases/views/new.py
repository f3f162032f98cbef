"""Logging a complaint on a customer's behalf (phone, walk-in): the form and its customer picker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kintsugi.accounts import access
from kintsugi.accounts.models import User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import selectors, services
from kintsugi.cases.forms import CaseNewForm
from kintsugi.cases.models import Case, Customer
from kintsugi.cases.views.case import categories_for

# Buttons of the customer picker that, without JavaScript, re-render the form instead of opening the case.
PICKER_STEPS = ("find", "pick", "change")


def _case_new_form(user: User, data: Any = None, initial: dict[str, Any] | None = None) -> CaseNewForm:
    return CaseNewForm(
        data, initial=initial,
        locations=list(access.visible_locations(user)),
        touchpoints=list(access.visible_touchpoints(user).filter(is_active=True)),
        categories=categories_for(user.organisation_id),
        organisation_id=user.organisation_id,
    )


def _open_logged_case(user: User, form: CaseNewForm) -> Case:
    data = form.cleaned_data
    organisation = user.organisation
    assert organisation is not None
    language = data["language"] or None
    with transaction.atomic():
        customer = data["customer"]
        if customer is None and (data["customer_name"].strip() or data["customer_phone"] or data["customer_email"]):
            customer = services.find_or_create_customer(
                organisation=organisation, name=data["customer_name"], phone=data["customer_phone"],
                email=data["customer_email"], language=language or "",
            )
        return services.open_case(
            by=user, organisation=organisation, description=data["description"], channel=data["channel"],
            location=form.locations[data["location"]],
            touchpoint=form.touchpoints[data["touchpoint"]] if data["touchpoint"] else None,
            customer=customer, category=form.categories[data["category"]] if data["category"] else None,
            severity=data["severity"], language=language,
        )


def _picker_context(user: User, form: CaseNewForm, q: str, *, search: bool) -> dict[str, Any]:
    """The customer picker's state: the chosen customer, or the search box with its matches."""
    errors = list(form.errors.get("customer", [])) if form.is_bound else []
    if form.is_bound:
        found = form.cleaned_data.get("customer") if not errors else None
        chosen_id = found.pk if isinstance(found, Customer) else None
    else:
        raw = str(form.initial.get("customer") or "")
        chosen_id = int(raw) if raw.isdigit() else None
    chosen = selectors.customer_match(user, chosen_id)
    if chosen_id is not None and chosen is None and not errors:
        errors = [_("This customer does not exist, or you do not have access to them.")]
    matches = selectors.search_customers(user, q) if search and chosen is None else []
    return {"chosen": chosen, "q": q, "matches": matches, "searched": search and bool(q.strip()),
            "customer_errors": errors}


@staff_required
def case_new(request: StaffRequest) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    step = next((name for name in PICKER_STEPS if post is not None and name in post), None)
    if post is not None and step is not None:
        # The picker without JavaScript: show again what was typed (not validated yet) with the matches or choice.
        initial = {**post.dict(), "customer": post.get("pick", "") if step == "pick" else ""}
        form = _case_new_form(user, initial=initial)
    else:
        form = _case_new_form(user, post)
    if post is not None and step is None and form.is_valid():
        try:
            case = _open_logged_case(user, form)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Case %(reference)s is open.") % {"reference": case.reference})
            return redirect("case_detail", reference=case.reference)
    picker = _picker_context(user, form, (post or request.GET).get("q", ""), search=step == "find")
    failed = bool(form.is_bound and form.errors) or bool(picker["customer_errors"])
    return render(request, "cases/new.html", {"form": form, "nav": "new", **picker}, status=400 if failed else 200)


@require_GET
@staff_required
def customer_search(request: StaffRequest) -> HttpResponse:
    """The log form's customer picker as a fragment: the matches for `q`, or the chosen customer (`pick`)."""
    pick = request.GET.get("pick", "")
    if pick:
        chosen = selectors.customer_match(request.user, int(pick) if pick.isdigit() else None)
        if chosen is None:
            raise Http404("No such customer")
        return render(request, "cases/customer_picker.html#picker", {"chosen": chosen})
    q = request.GET.get("q", "")
    context = {"q": q, "matches": selectors.search_customers(request.user, q), "searched": bool(q.strip())}
    partial = "matches" if request.htmx and request.htmx.target == "customer-matches" else "picker"
    return render(request, f"cases/customer_picker.html#{partial}", context)
