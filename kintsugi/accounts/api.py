"""The accounts API: who the token acts as, and the touchpoints they can see."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import BaseModel

from kintsugi.accounts import access
from kintsugi.accounts.apiauth import ApiPrincipal
from kintsugi.accounts.schemas import PlaceOut, TouchpointList
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import json_response

router = Router(tags=["accounts"])


class OrganisationOut(BaseModel):
    name: str
    slug: str
    default_language: str


class TokenOut(BaseModel):
    prefix: str
    name: str
    created_at: datetime
    last_used_at: datetime | None


class MeOut(BaseModel):
    username: str
    name: str
    email: str
    role: str
    language: str
    organisation: OrganisationOut
    all_locations: bool
    locations: list[PlaceOut]
    token: TokenOut


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who the token acts as")
def me(request: HttpRequest) -> HttpResponse:
    """The token's user, their role and the locations they can see (`all_locations`: no location limit)."""
    principal: ApiPrincipal = request.auth  # type: ignore[attr-defined]
    user, organisation = principal.user, principal.organisation
    locations = access.visible_locations(user).order_by("name").values_list("code", "name")
    return json_response({
        "username": user.username,
        "name": user.display_name,
        "email": user.email,
        "role": user.role,
        "language": user.language,
        "organisation": {
            "name": organisation.name, "slug": organisation.slug, "default_language": organisation.default_language,
        },
        "all_locations": access.location_scope(user) is None,
        "locations": [{"code": code, "name": name} for code, name in locations],
        "token": {
            "prefix": principal.token_prefix,
            "name": principal.token_name,
            "created_at": principal.token_created_at,
            "last_used_at": principal.token_last_used_at,
        },
    })


@router.get("/touchpoints", response={200: TouchpointList, **ERRORS}, summary="Touchpoints you can see")
def touchpoints(request: HttpRequest) -> HttpResponse:
    """Touchpoints at the locations the token's user can see, with their location, public URL and QR codes."""
    principal: ApiPrincipal = request.auth  # type: ignore[attr-defined]
    rows = access.visible_touchpoints(principal.user)
    return json_response({
        "items": [
            {
                "code": tp.code,
                "name": tp.name,
                "kind": tp.kind,
                "is_active": tp.is_active,
                "location": {"code": tp.location.code, "name": tp.location.name},
                "public_url": tp.public_url,
                "qr_png_url": tp.qr_png_url,
                "qr_svg_url": tp.qr_svg_url,
            }
            for tp in rows
        ]
    })
