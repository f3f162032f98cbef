"""The staff pages of cases: the inbox, the case page and its actions, and logging a complaint.

Each action is a POST to its own small view: permission-checked fetch, one service call, then either the
case page's HTMX fragment or a redirect back to the page (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts import access
from kintsugi.accounts.models import User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import access as case_access
from kintsugi.cases import selectors, services
from kintsugi.cases.forms import CaseNewForm, DetailsForm, InboxFilterForm
from kintsugi.cases.hooks import outbox
from kintsugi.cases.models import Case, Category, Customer, EventKind, Status
from kintsugi.cases.templatetags.kintsugi_ui import describe_event, label_of

INBOX_TABS = (
    ("open", gettext_lazy("All open")),
    ("mine", gettext_lazy("Mine")),
    ("team", gettext_lazy("My team")),
    ("unassigned", gettext_lazy("Unassigned")),
    ("breaching", gettext_lazy("Breaching soon")),
    ("closed", gettext_lazy("Resolved & closed")),
)
DEFAULT_VIEW = "open"
# The first paint of the inbox: 25 rows keep the page small and fast; "Next page" follows the cursor.
PAGE_SIZE = 25
# Statuses staff set directly from the case page; the rest have their own actions.
SIMPLE_STATUSES = (Status.IN_PROGRESS, Status.AWAITING_CUSTOMER)


def home(request: HttpRequest) -> HttpResponse:
    return redirect("inbox")


def _categories(organisation_id: int | None, keep: int | None = None) -> list[Category]:
    if organisation_id is None:
        return []
    wanted = Q(is_active=True) | Q(pk=keep) if keep else Q(is_active=True)
    return list(Category.objects.filter(wanted, organisation_id=organisation_id))


# --------------------------------------------------------------------------------------------- inbox


@require_GET
@staff_required
def inbox(request: StaffRequest) -> HttpResponse:
    user = request.user
    view = request.GET.get("view") or DEFAULT_VIEW
    if view not in selectors.INBOX_VIEWS:
        view = DEFAULT_VIEW
    locations, categories = selectors.inbox_filter_choices(user)
    bound = {name: request.GET[name] for name in InboxFilterForm.base_fields if name in request.GET}
    form = InboxFilterForm(bound, locations=locations, categories=categories)
    filters = form.filters()
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.inbox_page(user, view=view, filters=filters, cursor=cursor, limit=PAGE_SIZE)
    except ValueError:
        messages.warning(request, _("That page link is no longer valid, so here is the first page."))
        cursor = None
        page = selectors.inbox_page(user, view=view, filters=filters, cursor=None, limit=PAGE_SIZE)
    counts = selectors.inbox_counts(user)
    # A filter change swaps the results (and, out of band, the tabs, whose links carry the filters).
    partial = bool(request.htmx and request.htmx.target == "inbox-results")
    context = {
        "nav": "inbox",
        "view": view,
        "tabs": [(key, label, counts.get(key)) for key, label in INBOX_TABS],
        "form": form,
        "filters": filters,
        "page": page,
        "cursor": cursor,
        "now": timezone.now(),
        "show_location": len(locations) > 1,
        "oob": partial,
    }
    return render(request, "cases/inbox.html#results" if partial else "cases/inbox.html", context)


# --------------------------------------------------------------------------------------------- case page


def _case_context(user: User, case: Case, drafts: dict[str, str] | None = None) -> dict[str, Any]:
    categories = _categories(case.organisation_id, keep=case.category_id)
    events = list(selectors.timeline(case))
    message_ids = [
        int(e.data["message_id"]) for e in events if e.kind == EventKind.MESSAGE_OUT and e.data.get("message_id")
    ]
    deliveries = outbox().delivery_states(message_ids) if message_ids else {}
    labels = {c.pk: c.label() for c in categories}
    details_form = DetailsForm(
        initial={"category": case.category_id, "severity": case.severity, "failure_type": case.failure_type},
        categories=categories,
    )
    status = Status(case.status)
    history = selectors.customer_history(case)
    visible_history = [other for other in history if case_access.can_view_case(user, other)]
    return {
        "case": case,
        "now": timezone.now(),
        "sla": selectors.sla_snapshot(case),
        "timeline": [describe_event(e, categories=labels, deliveries=deliveries) for e in events],
        "identities": list(case.customer.identities.all()) if case.customer else [],
        "history": visible_history,
        "hidden_history": len(history) - len(visible_history),
        "assignees": list(case_access.assignable_staff(user, case)) if user.is_supervisor_or_above else [],
        "details_form": details_form,
        "next_statuses": [s for s in SIMPLE_STATUSES if s in services.TRANSITIONS[status]],
        "can_acknowledge": status in {Status.NEW, Status.REOPENED},
        "can_close": status == Status.RESOLVED,
        "drafts": drafts or {},
    }


def _render_case(request: StaffRequest, case: Case, *, partial: bool = False,
                 drafts: dict[str, str] | None = None) -> HttpResponse:
    template = "cases/detail.html#case_body" if partial else "cases/detail.html"
    return render(request, template, _case_context(request.user, case, drafts))


@require_GET
@staff_required
def case_detail(request: StaffRequest, reference: str) -> HttpResponse:
    case = case_access.get_case_for(request.user, reference)
    return _render_case(request, case, partial=bool(request.htmx and request.htmx.target == "case-body"))


def _act(
    request: StaffRequest,
    reference: str,
    action: Callable[[Case], object],
    success: Callable[[Case], str],
    *,
    draft: dict[str, str] | None = None,
) -> HttpResponse:
    """Run one action on a case the user may see; report the outcome; answer with the fragment or a redirect."""
    case = case_access.get_case_for(request.user, reference)
    drafts = None
    try:
        action(case)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        drafts = draft
    else:
        messages.success(request, success(case))
    if request.htmx:
        # Re-read: a refused action may have touched the in-memory case before its transaction rolled back.
        fresh = case_access.get_case_for(request.user, case.reference)
        return _render_case(request, fresh, partial=True, drafts=drafts)
    return redirect("case_detail", reference=case.reference)


@require_POST
@staff_required
def case_acknowledge(request: StaffRequest, reference: str) -> HttpResponse:
    return _act(request, reference, lambda case: services.acknowledge(case, by=request.user),
                lambda case: _("You acknowledged the case."))


def _assignee(request: StaffRequest, case: Case) -> User | None:
    raw = request.POST.get("assignee", "").strip()
    if raw == "me":
        return request.user
    if not raw:
        return None
    chosen = case_access.assignable_staff(request.user, case).filter(pk=int(raw) if raw.isdigit() else 0).first()
    if chosen is None:
        raise services.InvalidInput(_("You cannot assign the case to this person."))
    return chosen


def _assigned_message(case: Case) -> str:
    if case.assignee is None:
        return _("The case is now unassigned.")
    return _("The case is now assigned to %(name)s.") % {"name": case.assignee.display_name}


@require_POST
@staff_required
def case_assign(request: StaffRequest, reference: str) -> HttpResponse:
    return _act(request, reference, lambda case: services.assign(case, _assignee(request, case), by=request.user),
                _assigned_message)


@require_POST
@staff_required
def case_status(request: StaffRequest, reference: str) -> HttpResponse:
    status, reason = request.POST.get("status", ""), request.POST.get("reason", "")
    return _act(request, reference,
                lambda case: services.change_status(case, status, by=request.user, reason=reason),
                lambda case: _("The case is now “%(status)s”.") % {"status": label_of(case.status, "status")},
                draft={"reason": reason})


@require_POST
@staff_required
def case_resolve(request: StaffRequest, reference: str) -> HttpResponse:
    summary, override = request.POST.get("summary", ""), request.POST.get("override_reason", "")
    return _act(request, reference,
                lambda case: services.resolve(case, by=request.user, summary=summary, override_reason=override),
                lambda case: _("The case is resolved."), draft={"summary": summary, "override_reason": override})


@require_POST
@staff_required
def case_reopen(request: StaffRequest, reference: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(request, reference, lambda case: services.reopen(case, by=request.user, reason=reason),
                lambda case: _("The case is open again."), draft={"reopen": reason})


@require_POST
@staff_required
def case_close(request: StaffRequest, reference: str) -> HttpResponse:
    return _act(request, reference, lambda case: services.close_case(case, by=request.user),
                lambda case: _("The case is closed."))


@require_POST
@staff_required
def case_escalate(request: StaffRequest, reference: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(request, reference, lambda case: services.escalate(case, by=request.user, reason=reason),
                lambda case: _("The case was escalated and the supervisors were told."), draft={"escalate": reason})


@require_POST
@staff_required
def case_reply(request: StaffRequest, reference: str) -> HttpResponse:
    body = request.POST.get("body", "")
    return _act(request, reference, lambda case: services.reply(case, body, by=request.user),
                lambda case: _("Your reply was added to the case."), draft={"reply": body})


@require_POST
@staff_required
def case_note(request: StaffRequest, reference: str) -> HttpResponse:
    body = request.POST.get("body", "")
    return _act(request, reference, lambda case: services.add_note(case, body, by=request.user),
                lambda case: _("Your note was added."), draft={"note": body})


def _update_details(request: StaffRequest, case: Case) -> None:
    form = DetailsForm(request.POST, categories=_categories(case.organisation_id, keep=case.category_id))
    if not form.is_valid():
        raise services.InvalidInput(_("Please choose a category, a severity and a failure type from the lists."))
    services.update_details(
        case, by=request.user, category=form.category_object(), severity=form.cleaned_data["severity"],
        failure_type=form.cleaned_data["failure_type"],
    )


@require_POST
@staff_required
def case_details(request: StaffRequest, reference: str) -> HttpResponse:
    return _act(request, reference, lambda case: _update_details(request, case),
                lambda case: _("The details were saved."))


# --------------------------------------------------------------------------------------------- log a complaint

# Buttons of the customer picker that, without JavaScript, re-render the form instead of opening the case.
PICKER_STEPS = ("find", "pick", "change")


def _case_new_form(user: User, data: Any = None, initial: dict[str, Any] | None = None) -> CaseNewForm:
    return CaseNewForm(
        data, initial=initial,
        locations=list(access.visible_locations(user)),
        touchpoints=list(access.visible_touchpoints(user).filter(is_active=True)),
        categories=_categories(user.organisation_id),
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


# --------------------------------------------------------------------------------------------- customers


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
