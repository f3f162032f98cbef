"""A customer's page, and folding two records of one person together (merge)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kintsugi.accounts import access
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import access as case_access
from kintsugi.cases import selectors, services
from kintsugi.cases.models import Case, Customer


@require_GET
@staff_required
def customer_detail(request: StaffRequest, pk: int) -> HttpResponse:
    user = request.user
    customer = case_access.get_customer_for(user, pk)
    if customer.merged_into_id is not None:
        return redirect("customer_detail", pk=customer.merged_into_id)
    cases = list(
        case_access.visible_cases(user).filter(customer=customer).select_related("location", "category")
        .order_by("-created_at", "-id")
    )
    # Only a location-scoped viewer can miss some of the customer's cases; say how many, never which.
    hidden = Case.objects.filter(customer=customer).count() - len(cases) if access.location_scope(user) else 0
    return render(request, "cases/customer.html", {
        "customer": customer, "identities": list(customer.identities.order_by("kind", "value")), "cases": cases,
        "hidden_cases": hidden, "can_merge": user.is_supervisor_or_above,
    })


def _merge_source(request: StaffRequest, pk: int) -> Customer:
    customer = case_access.get_customer_for(request.user, pk)  # 404 first: a refusal must not reveal the customer
    if not request.user.is_supervisor_or_above:
        raise PermissionDenied(_("Only supervisors can merge customers."))
    return customer


@require_GET
@staff_required
def customer_merge(request: StaffRequest, pk: int) -> HttpResponse:
    """Merge into…: find the customer this one is the same person as."""
    source = _merge_source(request, pk)
    if source.merged_into_id is not None:
        return redirect("customer_detail", pk=source.merged_into_id)
    q = request.GET.get("q", "")
    matches = [m for m in selectors.search_customers(request.user, q, visible_only=True) if m.customer.pk != pk]
    return render(request, "cases/customer_merge.html", {
        "customer": source, "q": q, "matches": matches, "searched": bool(q.strip()),
    })


@staff_required
def customer_merge_confirm(request: StaffRequest, pk: int, target_pk: int) -> HttpResponse:
    """Both customers side by side; POST merges the first into the second and shows the survivor."""
    source = _merge_source(request, pk)
    target = case_access.get_customer_for(request.user, target_pk)
    if request.method == "POST":
        try:
            services.merge_customers(source, target, by=request.user)
        except services.ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("customer_merge_confirm", pk=source.pk, target_pk=target.pk)
        messages.success(request, _("“%(source)s” was merged into “%(target)s”.") % {
            "source": source, "target": target})
        return redirect("customer_detail", pk=target.pk)
    pair = [selectors.customer_match(request.user, c.pk) for c in (source, target)]
    if None in pair:
        return redirect("customer_detail", pk=source.pk)
    return render(request, "cases/customer_merge_confirm.html", {"source": pair[0], "target": pair[1]})
