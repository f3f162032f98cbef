"""Permission-checked fetches of cases and customers: the few central places that decide which a staff member may
see and act on, built on the organisation and location scope of kintsugi.accounts.access."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kintsugi.accounts.access import can_see_location, is_staff_member, location_scope
from kintsugi.accounts.models import Role, User
from kintsugi.cases.models import Case, Customer


def _org_id(user: User) -> int:
    assert user.organisation_id is not None  # checked by is_staff_member
    return user.organisation_id



def can_view_case(user: User, case: Case) -> bool:
    """Same organisation, and the case's location is within the user's scope."""
    return (
        is_staff_member(user)
        and case.organisation_id == user.organisation_id
        and can_see_location(user, case.location_id)
    )


def visible_cases(user: User) -> QuerySet[Case]:
    """Every case `user` may read; empty for a user outside any organisation."""
    if not is_staff_member(user):
        return Case.objects.none()
    qs = Case.objects.filter(organisation_id=_org_id(user))
    scope = location_scope(user)
    if scope is not None:
        qs = qs.filter(location_id__in=scope)
    return qs


def get_case_for(user: User, reference: str) -> Case:
    """The case with this reference if `user` may read it; 404 otherwise (no hint that it exists)."""
    try:
        case = visible_cases(user).select_related(
            "customer", "location", "touchpoint", "category", "assignee", "organisation"
        ).get(reference=reference.strip().upper())
    except (Case.DoesNotExist, ValueError):
        raise Http404("No such case") from None
    return case


def assignable_staff(user: User, case: Case) -> QuerySet[User]:
    """Who `user` may assign `case` to: anyone able to see it for supervisors and above, else only themselves."""
    qs = User.objects.filter(organisation_id=case.organisation_id, is_active=True)
    if not user.is_supervisor_or_above:
        return qs.filter(pk=user.pk)
    in_scope = Q(locations__isnull=True) | Q(locations=case.location_id)
    return qs.filter(in_scope).exclude(role=Role.ADMIN).distinct().order_by("first_name", "username")


def visible_customers(user: User) -> QuerySet[Customer]:
    """Customers whose page `user` may open: their organisation's, and for a location-scoped user only those with
    a case at one of their locations (merged records included, so their page can point to the surviving one)."""
    if not is_staff_member(user):
        return Customer.objects.none()
    qs = Customer.objects.filter(organisation_id=_org_id(user))
    scope = location_scope(user)
    if scope is not None:
        qs = qs.filter(Exists(Case.objects.filter(customer_id=OuterRef("pk"), location_id__in=scope)))
    return qs


def get_customer_for(user: User, pk: int) -> Customer:
    """The customer with this id if `user` may see them; 404 otherwise (no hint that they exist)."""
    try:
        return visible_customers(user).get(pk=pk)
    except Customer.DoesNotExist:
        raise Http404("No such customer") from None
