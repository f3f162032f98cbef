"""Every state change of remedies: propose (granted at once within the caller's authority, else sent for
approval), approve, reject, fulfil, cancel, and record the customer's own costs; plus the catalogue, limits and
settings kept by CX managers. Each checks permission and invariants, writes, appends to the case's timeline
(kintsugi.cases.services.record_event / send_to_customer) and tells the people concerned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kintsugi.accounts import access
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases import access as case_access
from kintsugi.cases.models import Case, EventKind, Status
from kintsugi.cases.selectors import supervisors_for
from kintsugi.cases.services import InvalidInput, InvalidTransition, NotAllowed, record_event, send_to_customer
from kintsugi.comms.models import NotificationKind
from kintsugi.comms.services import notify
from kintsugi.remedies import outliers, policy
from kintsugi.remedies.models import (
    FULFILLABLE_STATUSES,
    GIVEN_STATUSES,
    PROOF_FIELDS,
    AuthorityLimit,
    CostKind,
    CustomerCost,
    Remedy,
    RemedyKind,
    RemedyOption,
    RemedySettings,
    RemedyStatus,
)

MAX_TEXT = 2000
MAX_PROOF = 100
SETTINGS_ROLES = frozenset({Role.CX_MANAGER, Role.ADMIN})


def _now(at: datetime | None) -> datetime:
    return at if at is not None else timezone.now()


def _require_case(case: Case, by: User) -> None:
    if not case_access.can_view_case(by, case):
        raise NotAllowed(_("You do not have access to this case."))


def _require_approver(remedy: Remedy, by: User) -> None:
    _require_case(remedy.case, by)
    if not by.is_supervisor_or_above:
        raise NotAllowed(_("Only supervisors and CX managers may decide on a remedy above the limit."))
    if remedy.requested_by_id == by.pk:
        raise NotAllowed(_("Someone else must decide on a remedy you asked for."))


# --------------------------------------------------------------------------------------------- reads used here


def settings_for(organisation: Organisation | int) -> RemedySettings:
    """The organisation's remedy settings (defaults until a CX manager saves them)."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    found = RemedySettings.objects.filter(organisation_id=org_id).first()
    return found or RemedySettings(organisation_id=org_id)


def currencies_for(case: Case, settings: RemedySettings | None = None) -> list[str]:
    """The currencies a remedy on this case may be given in: the organisation's list, else the location's
    currency and the organisation's."""
    settings = settings or settings_for(case.organisation_id)
    accepted = [str(code) for code in settings.currencies if code in policy.CURRENCIES]
    if accepted:
        return accepted
    local = case_currency(case)
    org_currency = case.organisation.currency.upper()
    return [local] + ([org_currency] if org_currency != local and org_currency in policy.CURRENCIES else [])


def case_currency(case: Case) -> str:
    """The currency remedies on this case are suggested in: the location's country's, else the organisation's."""
    return policy.local_currency(case.location.country, case.organisation.currency)


def authority_for(user: User, case: Case, currency: str) -> policy.Limit | None:
    """The limit of `user`'s role at the case's location in `currency` (None: no row, so no authority)."""
    rows = AuthorityLimit.objects.filter(organisation_id=case.organisation_id, role=user.role, currency=currency)
    return policy.pick_limit([(row.location_id, row.as_limit()) for row in rows], case.location_id)


def _case_total(case: Case, currency: str) -> int:
    """What has been given on the case in `currency` (granted, approved or fulfilled)."""
    total = Remedy.objects.filter(case=case, currency=currency, status__in=GIVEN_STATUSES).aggregate(
        total=Sum("amount_minor"))["total"]
    return int(total or 0)


def local_day(at: datetime, tz_name: str) -> tuple[datetime, datetime]:
    """The local calendar day around `at` in `tz_name`, as an aware [start, end)."""
    tz = ZoneInfo(tz_name)
    day = at.astimezone(tz).date()
    start = datetime.combine(day, time(0), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def day_total(user: User, currency: str, *, at: datetime, tz_name: str) -> int:
    """What `user` granted on their own authority in `currency` on the local day of `at` (approved remedies
    count against the approver's decision, not the daily cap)."""
    start, end = local_day(at, tz_name)
    total = Remedy.objects.filter(
        organisation_id=user.organisation_id or 0, requested_by=user, currency=currency, decided_by__isnull=True,
        status__in=(RemedyStatus.GRANTED, RemedyStatus.FULFILLED), granted_at__gte=start, granted_at__lt=end,
    ).aggregate(total=Sum("amount_minor"))["total"]
    return int(total or 0)


@dataclass(frozen=True)
class Authority:
    """What the caller may grant right now on this case, in one currency (for the form's hint)."""

    currency: str
    limit: policy.Limit | None
    room: int  # the largest amount granted at once now, in minor units


def authority_left(user: User, case: Case, currency: str, *, at: datetime | None = None,
                   case_total: int | None = None) -> Authority:
    at = _now(at)
    limit = authority_for(user, case, currency) or policy.NO_AUTHORITY
    given = case_total if case_total is not None else _case_total(case, currency)
    today = day_total(user, currency, at=at, tz_name=case.location.timezone)
    room = min((limit.per_remedy or 0), (limit.per_case or 0) - given, (limit.per_day or 0) - today)
    return Authority(currency, limit, max(0, room))


# --------------------------------------------------------------------------------------------- proposing


def _event_data(remedy: Remedy, **extra: Any) -> dict[str, Any]:
    return {"remedy_id": remedy.pk, "kind": remedy.kind, "amount": remedy.amount_minor, "currency": remedy.currency,
            "is_goodwill": remedy.is_goodwill, **({"is_outlier": True} if remedy.is_outlier else {}), **extra}


def approval_url(remedy: Remedy) -> str:
    return reverse("case_detail", kwargs={"reference": remedy.case.reference}) + f"#remedy-{remedy.pk}"


@transaction.atomic
def propose_remedy(
    case: Case,
    *,
    kind: str,
    amount_minor: int,
    currency: str,
    by: User,
    description: str = "",
    transaction_value_minor: int | None = None,
    is_goodwill: bool = False,
    option: RemedyOption | None = None,
    form_token: str = "",
    at: datetime | None = None,
) -> Remedy:
    """Give a remedy on the case: granted at once when within `by`'s authority (per remedy, per case in total,
    per day), else pending approval with the case's supervisors and CX managers told; an amount far above the
    usual is flagged (`is_outlier`). A `form_token` already used on the case returns its remedy (a form sent
    twice gives one remedy)."""
    at = _now(at)
    _require_case(case, by)
    if kind not in RemedyKind.values:
        raise InvalidInput(_("Choose a kind of remedy."))
    currency = currency.upper()
    if currency not in currencies_for(case):
        raise InvalidInput(_("Remedies here are given in %(currencies)s.") % {
            "currencies": ", ".join(currencies_for(case))})
    if amount_minor < 0:
        raise InvalidInput(_("The amount must be zero or more."))
    if amount_minor > policy.MAX_MINOR:
        raise InvalidInput(_("The amount is too large."))
    if transaction_value_minor is not None and not 0 <= transaction_value_minor <= policy.MAX_MINOR:
        raise InvalidInput(_("The transaction's value must be zero or more."))
    description = description.strip()
    if len(description) > MAX_TEXT:
        raise InvalidInput(_("The description is too long (at most %(max)d characters).") % {"max": MAX_TEXT})
    if option is not None and option.organisation_id != case.organisation_id:
        raise InvalidInput(_("Choose a remedy from your organisation's catalogue."))
    if case.status == Status.CLOSED:
        raise InvalidTransition(_("This case is closed; reopen it to give a remedy."))
    # Concurrent proposals queue here, so the totals they are checked against hold: on one case behind the case
    # row, by one staff member (the daily cap) behind their user row; always in this order, so they cannot
    # deadlock. (SQLite takes its one write lock at BEGIN and needs neither.)
    Case.objects.filter(pk=case.pk).update(updated_at=at)
    list(User.objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
    form_token = form_token.strip()[:64]
    if form_token and (sent := Remedy.objects.filter(case=case, form_token=form_token).first()) is not None:
        return sent  # the same form again, behind the case row: the first one's remedy
    decision = policy.decide(
        amount_minor, authority_for(by, case, currency), case_total=_case_total(case, currency),
        day_total=day_total(by, currency, at=at, tz_name=case.location.timezone),
    )
    remedy = Remedy.objects.create(
        organisation_id=case.organisation_id, case=case, kind=kind, option=option, amount_minor=amount_minor,
        currency=currency, description=description, transaction_value_minor=transaction_value_minor,
        is_goodwill=is_goodwill, requested_by=by, created_at=at,
        status=RemedyStatus.GRANTED if decision.is_granted else RemedyStatus.PENDING_APPROVAL,
        granted_at=at if decision.is_granted else None, exceeded=list(decision.exceeded), form_token=form_token,
        is_outlier=outliers.is_outlier(case, kind=kind, amount_minor=amount_minor, currency=currency, option=option),
    )
    if decision.is_granted:
        record_event(case, EventKind.REMEDY_GRANTED, by=by, at=at, body=description, data=_event_data(remedy))
    else:
        record_event(case, EventKind.REMEDY_REQUESTED, by=by, at=at, body=description,
                     data=_event_data(remedy, exceeded=list(decision.exceeded)))
        approvers = [user for user in supervisors_for(case) if user.pk != by.pk]
        notify(approvers, NotificationKind.APPROVAL_NEEDED, case, at=at,
               data={**_event_data(remedy), "by": by.display_name, "url": approval_url(remedy)})
    return remedy


# --------------------------------------------------------------------------------------------- deciding


def _decide(remedy: Remedy, status: str, *, by: User, reason: str, at: datetime) -> Remedy:
    """Exactly one decision wins: the update only applies while the remedy is still pending (works the same on
    SQLite and PostgreSQL); whoever comes second is told who decided."""
    fields: dict[str, Any] = {"status": status, "decided_by": by, "decided_at": at, "decision_reason": reason}
    if status == RemedyStatus.APPROVED:
        fields["granted_at"] = at
    won = Remedy.objects.filter(pk=remedy.pk, status=RemedyStatus.PENDING_APPROVAL).update(**fields)
    if not won:
        current = Remedy.objects.select_related("decided_by").get(pk=remedy.pk)
        if current.decided_by is not None:
            raise InvalidTransition(_("%(name)s already decided on this remedy (%(status)s).") % {
                "name": current.decided_by.display_name, "status": current.get_status_display()})
        raise InvalidTransition(_("This remedy is not awaiting approval."))
    remedy.refresh_from_db()
    return remedy


@transaction.atomic
def approve_remedy(remedy: Remedy, *, by: User, reason: str = "", at: datetime | None = None) -> Remedy:
    """Approve a remedy above the requester's limit; the requester and the timeline are told."""
    at = _now(at)
    _require_approver(remedy, by)
    reason = reason.strip()[:MAX_TEXT]
    remedy = _decide(remedy, RemedyStatus.APPROVED, by=by, reason=reason, at=at)
    record_event(remedy.case, EventKind.REMEDY_APPROVED, by=by, at=at, body=reason, data=_event_data(remedy))
    if remedy.requested_by_id is not None:
        notify([remedy.requested_by_id], NotificationKind.REMEDY_APPROVED, remedy.case, at=at,
               data={**_event_data(remedy), "by": by.display_name})
    return remedy


@transaction.atomic
def reject_remedy(remedy: Remedy, reason: str, *, by: User, at: datetime | None = None) -> Remedy:
    """Turn down a remedy above the requester's limit, saying why; the requester and the timeline are told."""
    at = _now(at)
    _require_approver(remedy, by)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Please say why the remedy is rejected."))
    if len(reason) > MAX_TEXT:
        raise InvalidInput(_("The reason is too long (at most %(max)d characters).") % {"max": MAX_TEXT})
    remedy = _decide(remedy, RemedyStatus.REJECTED, by=by, reason=reason, at=at)
    record_event(remedy.case, EventKind.REMEDY_REJECTED, by=by, at=at, body=reason, data=_event_data(remedy))
    if remedy.requested_by_id is not None:
        notify([remedy.requested_by_id], NotificationKind.REMEDY_REJECTED, remedy.case, at=at,
               data={**_event_data(remedy), "by": by.display_name})
    return remedy


@transaction.atomic
def cancel_remedy(remedy: Remedy, reason: str, *, by: User, at: datetime | None = None) -> Remedy:
    """Withdraw a remedy not yet fulfilled (the requester, or a supervisor and above)."""
    at = _now(at)
    _require_case(remedy.case, by)
    if remedy.requested_by_id != by.pk and not by.is_supervisor_or_above:
        raise NotAllowed(_("Only who gave the remedy, or a supervisor, may cancel it."))
    reason = reason.strip()[:MAX_TEXT]
    open_statuses = (RemedyStatus.PENDING_APPROVAL, *FULFILLABLE_STATUSES)
    if not Remedy.objects.filter(pk=remedy.pk, status__in=open_statuses).update(
        status=RemedyStatus.CANCELLED, decision_reason=reason or remedy.decision_reason,
    ):
        raise InvalidTransition(_("Only a remedy not yet fulfilled can be cancelled."))
    remedy.refresh_from_db()
    record_event(remedy.case, EventKind.REMEDY_CANCELLED, by=by, at=at, body=reason, data=_event_data(remedy))
    return remedy


# --------------------------------------------------------------------------------------------- fulfilment


def customer_sentence(remedy: Remedy, language: str) -> str:
    """What we tell the customer when the remedy is given, in their language."""
    with translation.override(language):
        amount = remedy.amount_text(language)
        proof = remedy.proof
        kind = remedy.kind
        if kind in (RemedyKind.REFUND, RemedyKind.PARTIAL_REFUND):
            text = _("We have refunded %(amount)s to you.") % {"amount": amount}
        elif kind == RemedyKind.VOUCHER:
            text = _("We have sent you a voucher worth %(amount)s.") % {"amount": amount}
        elif kind == RemedyKind.REPLACEMENT:
            text = _("We have arranged a replacement for you.")
        elif kind == RemedyKind.REPERFORM:
            text = _("We have done the service again for you.")
        elif kind == RemedyKind.UPGRADE:
            text = _("We have arranged an upgrade for you.")
        elif kind == RemedyKind.GESTURE:
            text = _("We have prepared a small gesture for you, with our apologies.")
        elif kind == RemedyKind.APOLOGY:
            text = _("Please accept our sincere apologies.")
        else:
            text = _("We have done what we promised to put things right.")
        if proof and kind in PROOF_FIELDS:
            text += " " + _("Reference: %(proof)s.") % {"proof": proof}
        return text


def offer_sentence(remedy: Remedy, language: str) -> str:
    """The remedy as an offer, for the first part of an apology (“restore the lost value”), in `language`;
    "" for an apology-only remedy, whose offer the apology itself is."""
    with translation.override(language):
        amount = remedy.amount_text(language)
        kind = remedy.kind
        if kind in (RemedyKind.REFUND, RemedyKind.PARTIAL_REFUND):
            return _("We will refund %(amount)s to you.") % {"amount": amount}
        if kind == RemedyKind.VOUCHER:
            return _("We would like to give you a voucher worth %(amount)s.") % {"amount": amount}
        if kind == RemedyKind.REPLACEMENT:
            return _("We will replace it for you.")
        if kind == RemedyKind.REPERFORM:
            return _("We will do the service again for you, at no cost.")
        if kind == RemedyKind.UPGRADE:
            return _("We will upgrade you at no cost.")
        if kind == RemedyKind.GESTURE:
            return _("We would like to offer you a small gesture with our apologies.")
        if kind == RemedyKind.APOLOGY:
            return ""
        return _("We will put this right for you.")


@transaction.atomic
def fulfil_remedy(remedy: Remedy, proof: str = "", *, by: User, at: datetime | None = None) -> Remedy:
    """Record that a granted or approved remedy was given, with what proves it (voucher code, refund reference,
    replacement order), and tell the customer in their language through the outbox."""
    at = _now(at)
    _require_case(remedy.case, by)
    proof = proof.strip()
    field = remedy.proof_field or "proof_note"
    if field != "proof_note" and not proof:
        labels = {"refund_reference": _("the refund reference"), "voucher_code": _("the voucher code"),
                  "replacement_order": _("the replacement order")}
        raise InvalidInput(_("Please enter %(what)s.") % {"what": labels[field]})
    if len(proof) > (200 if field == "proof_note" else MAX_PROOF):
        raise InvalidInput(_("The proof is too long."))
    if not Remedy.objects.filter(pk=remedy.pk, status__in=FULFILLABLE_STATUSES).update(
        status=RemedyStatus.FULFILLED, fulfilled_by=by, fulfilled_at=at, **{field: proof},
    ):
        raise InvalidTransition(_("Only a granted or approved remedy can be fulfilled."))
    remedy.refresh_from_db()
    case = remedy.case
    send_to_customer(case, customer_sentence(remedy, case.language), by=by, at=at, kind=EventKind.REMEDY_FULFILLED,
                     data=_event_data(remedy, proof=proof))
    return remedy


# --------------------------------------------------------------------------------------------- customer's costs


@transaction.atomic
def record_customer_cost(
    case: Case,
    *,
    kind: str,
    by: User,
    amount_minor: int | None = None,
    currency: str = "",
    minutes: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> CustomerCost:
    """Record what the failure cost the customer (time, money, a missed deadline); suggestions count it."""
    at = _now(at)
    _require_case(case, by)
    if kind not in CostKind.values:
        raise InvalidInput(_("Choose what kind of cost it was."))
    currency = currency.upper()
    if amount_minor is not None:
        if not 0 <= amount_minor <= policy.MAX_MINOR:
            raise InvalidInput(_("The amount must be zero or more."))
        if currency not in policy.CURRENCIES:
            raise InvalidInput(_("Choose the currency of the amount."))
    else:
        currency = ""
    if minutes is not None and not 0 <= minutes <= 60 * 24 * 365:
        raise InvalidInput(_("The time lost must be between 0 and a year, in minutes."))
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": 500})
    if amount_minor is None and minutes is None and not note:
        raise InvalidInput(_("Give an amount, the time lost or a note."))
    cost = CustomerCost.objects.create(
        organisation_id=case.organisation_id, case=case, kind=kind, amount_minor=amount_minor, currency=currency,
        minutes=minutes, note=note, recorded_by=by, created_at=at,
    )
    record_event(case, EventKind.CUSTOMER_COST, by=by, at=at, body=note, data={
        "cost_id": cost.pk, "kind": kind, "amount": amount_minor, "currency": currency, "minutes": minutes,
    })
    return cost


def customer_money_costs(case: Case, currency: str) -> int:
    total = CustomerCost.objects.filter(case=case, currency=currency).aggregate(total=Sum("amount_minor"))["total"]
    return int(total or 0)


# --------------------------------------------------------------------------------------------- settings


def _require_settings(by: User, organisation_id: int | None) -> None:
    if not access.is_staff_member(by) or by.role not in SETTINGS_ROLES or by.organisation_id != organisation_id:
        raise NotAllowed(_("Only CX managers and administrators may change remedy settings."))


@transaction.atomic
def save_remedy_option(
    option: RemedyOption | None, *, organisation: Organisation, by: User, kind: str, name: str, name_vi: str = "",
    name_th: str = "", default_amount_minor: int = 0, currency: str, is_active: bool = True,
) -> RemedyOption:
    """Add or change an entry of the organisation's remedy catalogue."""
    _require_settings(by, organisation.pk)
    if option is not None and option.organisation_id != organisation.pk:
        raise NotAllowed(_("Only CX managers and administrators may change remedy settings."))
    if kind not in RemedyKind.values or currency not in policy.CURRENCIES or not name.strip():
        raise InvalidInput(_("Give the kind, an English name and the currency."))
    if not 0 <= default_amount_minor <= policy.MAX_MINOR:
        raise InvalidInput(_("The amount must be zero or more."))
    option = option or RemedyOption(organisation=organisation)
    option.kind, option.name, option.name_vi, option.name_th = kind, name.strip(), name_vi.strip(), name_th.strip()
    option.default_amount_minor, option.currency, option.is_active = default_amount_minor, currency, is_active
    option.save()
    return option


@transaction.atomic
def set_authority_limit(
    *, organisation: Organisation, by: User, role: str, currency: str, location: Location | None = None,
    per_remedy: int | None, per_case: int | None, per_day: int | None,
) -> AuthorityLimit:
    """Set a role's limits in one currency, organisation-wide or at one location (blank: no authority)."""
    _require_settings(by, organisation.pk)
    if role not in Role.values or currency not in policy.CURRENCIES:
        raise InvalidInput(_("Choose a role and a currency."))
    if location is not None and location.organisation_id != organisation.pk:
        raise InvalidInput(_("Choose one of your locations."))
    if any(value is not None and not 0 <= value <= policy.MAX_MINOR for value in (per_remedy, per_case, per_day)):
        raise InvalidInput(_("Limits must be zero or more."))
    row, _created = AuthorityLimit.objects.update_or_create(
        organisation=organisation, role=role, currency=currency, location=location,
        defaults={"per_remedy_minor": per_remedy, "per_case_minor": per_case, "per_day_minor": per_day},
    )
    return row


@transaction.atomic
def delete_authority_limit(row: AuthorityLimit, *, by: User) -> None:
    _require_settings(by, row.organisation_id)
    row.delete()


@transaction.atomic
def update_remedy_settings(
    organisation: Organisation, *, by: User, currencies: list[str], average_customer_value_minor: int,
    average_value_currency: str, at_risk_days: int,
) -> RemedySettings:
    """The currencies accepted and the figures behind revenue at risk."""
    _require_settings(by, organisation.pk)
    if not currencies or any(code not in policy.CURRENCIES for code in currencies):
        raise InvalidInput(_("Choose at least one currency."))
    if average_value_currency not in policy.CURRENCIES or not 0 <= average_customer_value_minor <= policy.MAX_MINOR:
        raise InvalidInput(_("The average customer value must be zero or more."))
    if not 1 <= at_risk_days <= 3650:
        raise InvalidInput(_("The days before a customer counts as at risk must be between 1 and 3650."))
    found, _created = RemedySettings.objects.update_or_create(organisation=organisation, defaults={
        "currencies": currencies, "average_customer_value_minor": average_customer_value_minor,
        "average_value_currency": average_value_currency, "at_risk_days": at_risk_days,
    })
    return found
