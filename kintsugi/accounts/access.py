"""Permission-checked fetches of the organisation's own things: who a staff member is, which locations and
touchpoints they may see. What they may see of cases and customers builds on these (kintsugi.cases.access)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kintsugi.accounts.models import Location, Role, Touchpoint, User

STAFF_ROLES = frozenset(Role)


def location_scope(user: User) -> frozenset[int] | None:
    """The ids of the locations `user` is limited to, or None when they see the whole organisation."""
    cached: frozenset[int] | bool | None = getattr(user, "_location_scope", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    scope = _scope_of(user.pk) if user.pk else None
    user._location_scope = scope  # type: ignore[attr-defined]
    return scope


def _scope_of(user_id: int) -> frozenset[int] | None:
    through = User.locations.through
    return frozenset(through.objects.filter(user_id=user_id).values_list("location_id", flat=True)) or None


def is_staff_member(user: object) -> bool:
    """True for an active, authenticated user who belongs to an organisation."""
    return isinstance(user, User) and user.is_active and user.organisation_id is not None


def _org_id(user: User) -> int:
    assert user.organisation_id is not None  # checked by is_staff_member
    return user.organisation_id


def can_see_location(user: User, location_id: int) -> bool:
    scope = location_scope(user)
    return scope is None or location_id in scope


def visible_locations(user: User) -> QuerySet[Location]:
    if not is_staff_member(user):
        return Location.objects.none()
    qs = Location.objects.filter(organisation_id=_org_id(user))
    scope = location_scope(user)
    return qs.filter(id__in=scope) if scope is not None else qs


def visible_touchpoints(user: User) -> QuerySet[Touchpoint]:
    if not is_staff_member(user):
        return Touchpoint.objects.none()
    qs = Touchpoint.objects.filter(organisation_id=_org_id(user)).select_related("location")
    scope = location_scope(user)
    return qs.filter(location_id__in=scope) if scope is not None else qs


def get_touchpoint_for(user: User, pk: int) -> Touchpoint:
    """The touchpoint with this id if `user` may see it, with its location and organisation; 404 otherwise."""
    try:
        return visible_touchpoints(user).select_related("organisation").get(pk=pk)
    except Touchpoint.DoesNotExist:
        raise Http404("No such touchpoint") from None


def get_location_for(user: User, code: str) -> Location:
    """The location with this code if `user` may see it, with its organisation; 404 otherwise."""
    try:
        return visible_locations(user).select_related("organisation").get(code=code)
    except Location.DoesNotExist:
        raise Http404("No such location") from None
