"""The staff pages of remedies: the actions of the case page's remedies panel, the approvals queue, the settings
(catalogue, authority limits) and the cost of failure with its CSV export.

Each action is a POST: permission-checked fetch, one service call, a message, and a redirect back (post/
redirect/get). A refused form comes back filled in (its values ride on the redirect's query string)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kintsugi.accounts import access
from kintsugi.accounts.models import Role, User
from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import access as case_access
from kintsugi.cases.models import Case, Category
from kintsugi.cases.services import InvalidInput, NotAllowed, ServiceError
from kintsugi.cases.views.case import act
from kintsugi.remedies import costview, drafts, forms, policy, selectors, services
from kintsugi.remedies.forms import parse_amount
from kintsugi.remedies.models import AuthorityLimit, Remedy, RemedyKind, RemedyOption


def _language() -> str:
    return (get_language() or "en")[:2]


def _back_to_case(case: Case) -> HttpResponse:
    return redirect(reverse("case_detail", kwargs={"reference": case.reference}) + "#remedies")


def _at_form(response: HttpResponse, anchor: str) -> HttpResponse:
    """A redirect back to the case page lands on the panel (on the form when it was refused)."""
    if isinstance(response, HttpResponseRedirect):
        response["Location"] += anchor
    return response


def _get_remedy(user: User, pk: int) -> Remedy:
    """The remedy if `user` may see its case; 404 otherwise."""
    remedy = Remedy.objects.select_related("case", "case__location", "case__organisation", "requested_by").filter(
        pk=pk).first()
    if remedy is None or not case_access.can_view_case(user, remedy.case):
        raise Http404("No such remedy")
    return remedy


def _run(request: StaffRequest, action: Callable[[], object], success: str | None = None) -> bool:
    """Run a service call and say `success` (else what the action returned); a refusal becomes an error message,
    or a 403 when the user is not allowed at all."""
    try:
        result = action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success if success is not None else str(result))
    return True


# --------------------------------------------------------------------------------------------- case panel actions


@require_POST
@staff_required
def remedy_propose(request: StaffRequest, reference: str) -> HttpResponse:
    """Give a remedy from the panel's form: errors at their field and what was typed kept (drafts.keep), an
    amount far above the usual asked to be confirmed first; the case page's fragment for HTMX, else a redirect."""
    given: list[Remedy] = []

    def propose(case: Case) -> None:
        form = forms.RemedyForm(request.POST, case=case, options=selectors.active_options(case),
                                currencies=services.currencies_for(case))
        if not form.is_valid():
            drafts.keep(request, case, drafts.REMEDY, request.POST)
            raise InvalidInput(_("The remedy was not given yet: see the form."))
        data = form.cleaned_data
        try:
            given.append(services.propose_remedy(
                case, kind=data["kind_code"], option=data["option"], amount_minor=data["amount_minor"],
                currency=data["currency"], by=request.user, description=data["description"],
                is_goodwill=data["is_goodwill"], transaction_value_minor=data["transaction_value_minor"],
                form_token=data["form_token"],
            ))
        except ServiceError as exc:
            drafts.keep(request, case, drafts.REMEDY, request.POST, exc.message)
            raise
        if given[0].is_above_useful_share:
            messages.warning(request, _("This remedy is worth more than 150 % of the transaction. Research finds no "
                                        "added loyalty beyond about 150 %."))

    def said(case: Case) -> str:
        remedy = given[0]
        if remedy.status == "granted":
            return _("Remedy granted: %(remedy)s. Fulfil it when it is given.") % {"remedy": _describe(remedy)}
        return _("This is above your authority, so the remedy waits for approval: %(remedy)s. "
                 "Your supervisors were told.") % {"remedy": _describe(remedy)}

    return _at_form(act(request, reference, propose, said), "#remedy-form" if not given else "#remedies")


def _describe(remedy: Remedy) -> str:
    kind = remedy.option.label() if remedy.option else str(RemedyKind(remedy.kind).label)
    return f"{kind}, {remedy.amount_text()}" if remedy.amount_minor else kind


@require_POST
@staff_required
def remedy_decide(request: StaffRequest, pk: int) -> HttpResponse:
    remedy = _get_remedy(request.user, pk)
    reason = request.POST.get("reason", "")
    if request.POST.get("decision") == "approve":
        _run(request, lambda: services.approve_remedy(remedy, by=request.user, reason=reason),
             _("You approved the remedy."))
    else:
        _run(request, lambda: services.reject_remedy(remedy, reason, by=request.user), _("You rejected the remedy."))
    if request.POST.get("next") == "approvals":
        return redirect("remedy_approvals")
    return _back_to_case(remedy.case)


@require_POST
@staff_required
def remedy_fulfil(request: StaffRequest, pk: int) -> HttpResponse:
    remedy = _get_remedy(request.user, pk)
    _run(request, lambda: services.fulfil_remedy(remedy, request.POST.get("proof", ""), by=request.user),
         _("The remedy is recorded as given, and the customer was told."))
    return _back_to_case(remedy.case)


@require_POST
@staff_required
def remedy_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    remedy = _get_remedy(request.user, pk)
    _run(request, lambda: services.cancel_remedy(remedy, request.POST.get("reason", ""), by=request.user),
         _("The remedy was cancelled."))
    return _back_to_case(remedy.case)


def _whole(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 7:
        raise InvalidInput(_("Enter %(what)s as a whole number.") % {"what": what})
    return int(text)


@require_POST
@staff_required
def cost_record(request: StaffRequest, reference: str) -> HttpResponse:
    """Record the customer's cost from the panel's form, kept with its errors at the field when refused."""
    recorded: list[bool] = []

    def record(case: Case) -> None:
        form = forms.CostForm(request.POST, currencies=services.currencies_for(case))
        if not form.is_valid():
            drafts.keep(request, case, drafts.COST, request.POST)
            raise InvalidInput(_("The cost was not recorded yet: see the form."))
        data = form.cleaned_data
        amount = data["amount_minor"]
        try:
            services.record_customer_cost(
                case, kind=data["kind"], amount_minor=amount, currency=data["currency"] if amount is not None else "",
                minutes=data["minutes_value"], note=data["note"], by=request.user,
            )
            recorded.append(True)
        except ServiceError as exc:
            drafts.keep(request, case, drafts.COST, request.POST, exc.message)
            raise

    response = act(request, reference, record,
                   lambda case: _("The customer's cost was recorded; the suggestions count it."))
    return _at_form(response, "#remedies" if recorded else "#cost-form")


# --------------------------------------------------------------------------------------------- approvals


def _require_supervisor(user: User) -> None:
    if not user.is_supervisor_or_above:
        raise PermissionDenied(_("Only supervisors and CX managers may see this page."))


@require_GET
@staff_required
def approvals(request: StaffRequest) -> HttpResponse:
    _require_supervisor(request.user)
    return render(request, "remedies/approvals.html", {"cards": selectors.approval_cards(request.user),
                                                       "nav": "approvals"})


# --------------------------------------------------------------------------------------------- settings


def _require_settings(user: User) -> None:
    if user.role not in services.SETTINGS_ROLES:
        raise PermissionDenied(_("Only CX managers and administrators may change remedy settings."))


@require_GET
@staff_required
def remedy_settings(request: StaffRequest) -> HttpResponse:
    _require_settings(request.user)
    org_id = request.user.organisation_id
    return render(request, "remedies/settings.html", {
        "options": list(RemedyOption.objects.filter(organisation_id=org_id or 0)),
        "limits": list(AuthorityLimit.objects.filter(organisation_id=org_id or 0).select_related("location")),
        "settings": services.settings_for(org_id or 0),
        "locations": list(access.visible_locations(request.user)),
        "kinds": RemedyKind.choices, "roles": Role.choices, "currencies": policy.CURRENCY_CODES,
        "nav": "remedy_settings",
    })


def _org_id(user: User) -> int:
    return user.organisation_id or 0


def _organisation(user: User) -> Any:
    assert user.organisation is not None
    return user.organisation


@require_POST
@staff_required
def option_save(request: StaffRequest) -> HttpResponse:
    _require_settings(request.user)
    post = request.POST
    raw_pk = post.get("pk", "")
    option = None
    if raw_pk:
        option = RemedyOption.objects.filter(organisation_id=_org_id(request.user),
                                             pk=int(raw_pk) if raw_pk.isdigit() else 0).first()
        if option is None:
            raise Http404("No such catalogue entry")
    currency = post.get("currency", "").upper()
    _run(request, lambda: services.save_remedy_option(
        option, organisation=_organisation(request.user), by=request.user, kind=post.get("kind", ""),
        name=post.get("name", "")[:120], name_vi=post.get("name_vi", "")[:120], name_th=post.get("name_th", "")[:120],
        default_amount_minor=parse_amount(post.get("default_amount", "") or "0", currency) or 0, currency=currency,
        is_active=bool(post.get("is_active")),
    ), _("The catalogue entry was saved."))
    return redirect("remedy_settings")


@require_POST
@staff_required
def limit_save(request: StaffRequest) -> HttpResponse:
    _require_settings(request.user)
    post = request.POST
    currency = post.get("currency", "").upper()
    code = post.get("location", "")
    location = access.get_location_for(request.user, code) if code else None

    def save() -> str:
        services.set_authority_limit(
            organisation=_organisation(request.user), by=request.user, role=post.get("role", ""), currency=currency,
            location=location, per_remedy=parse_amount(post.get("per_remedy", ""), currency, required=False),
            per_case=parse_amount(post.get("per_case", ""), currency, required=False),
            per_day=parse_amount(post.get("per_day", ""), currency, required=False),
        )
        return _("The authority limit was saved.")

    _run(request, save)
    return redirect("remedy_settings")


@require_POST
@staff_required
def limit_delete(request: StaffRequest, pk: int) -> HttpResponse:
    _require_settings(request.user)
    row = AuthorityLimit.objects.filter(organisation_id=_org_id(request.user), pk=pk).first()
    if row is None:
        raise Http404("No such limit")
    _run(request, lambda: services.delete_authority_limit(row, by=request.user), _("The authority limit was removed."))
    return redirect("remedy_settings")


@require_POST
@staff_required
def general_save(request: StaffRequest) -> HttpResponse:
    _require_settings(request.user)
    post = request.POST
    currency = post.get("average_value_currency", "").upper()

    def save() -> str:
        services.update_remedy_settings(
            _organisation(request.user), by=request.user,
            currencies=[code.upper() for code in post.getlist("currencies")],
            average_customer_value_minor=parse_amount(post.get("average_customer_value", "") or "0", currency) or 0,
            average_value_currency=currency,
            at_risk_days=_whole(post.get("at_risk_days", ""), _("the days")) or 0,
        )
        return _("The remedy settings were saved.")

    _run(request, save)
    return redirect("remedy_settings")


# --------------------------------------------------------------------------------------------- cost of failure


def _month_param(value: str) -> date | None:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


@require_GET
@staff_required
def cost(request: StaffRequest) -> HttpResponse:
    """The cost of failure: a summary, then per currency its figures and its months, paged; or the CSV."""
    _require_supervisor(request.user)
    get = request.GET
    filters = {"location": get.get("location", "")[:50], "category": get.get("category", "")[:60],
               "since": get.get("since", "")[:7], "until": get.get("until", "")[:7]}
    report = selectors.cost_of_failure(request.user, location=filters["location"], category=filters["category"],
                                       since=_month_param(filters["since"]), until=_month_param(filters["until"]))
    if get.get("format") == "csv":
        return _cost_csv(report)
    categories = Category.objects.filter(organisation_id=_org_id(request.user), parent__isnull=True)
    return render(request, "remedies/cost.html", {
        "report": report, "view": costview.build(report, language=_language(), page=get.get("page", "1")[:6]),
        "filters": filters, "locations": list(access.visible_locations(request.user)),
        "categories": list(categories), "query": urlencode({k: v for k, v in filters.items() if v}),
        "nav": "remedy_cost",
    })


CSV_COLUMNS = ("month", "location", "category", "measure", "kind", "currency", "count", "amount", "minutes")


def _cost_csv(report: selectors.CostReport) -> HttpResponse:
    """One line per month, location, category and measure: remedies per kind and currency, customer costs per
    currency (and their minutes), customers at risk with the revenue at risk. Amounts as decimal strings."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cost-of-failure.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        where = (row.month, row.location, row.category)
        for kind, cells in sorted(row.remedies.items()):
            for code, (count, total) in sorted(cells.items()):
                writer.writerow((*where, "remedy", kind, code, count, policy.decimal_string(total, code), ""))
        if row.cost_count:
            for code, (count, total) in sorted(row.costs.items()):
                writer.writerow((*where, "customer_cost", "money", code, count, policy.decimal_string(total, code),
                                 ""))
            writer.writerow((*where, "customer_cost", "all", "", row.cost_count, "", row.cost_minutes))
        if row.at_risk:
            writer.writerow((*where, "revenue_at_risk", "customers", report.average_currency, row.at_risk,
                             policy.decimal_string(report.revenue_at_risk(row), report.average_currency), ""))
    return response
