"""Configuration for administrators: organisations, locations and their holidays, touchpoints, staff, API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import ApiToken, Holiday, Location, Organisation, Touchpoint, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "slug", "default_language", "currency", "sla_warning_percent", "thai_buddhist_year")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class HolidayInline(admin.TabularInline[Holiday, Location]):
    model = Holiday
    extra = 1


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin[Location]):
    list_display = ("name", "code", "organisation", "kind", "country", "timezone", "always_open")
    list_filter = ("organisation", "kind", "country")
    search_fields = ("name", "code")
    inlines = [HolidayInline]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin[Touchpoint]):
    list_display = ("name", "code", "location", "kind", "is_active", "public_code")
    list_filter = ("organisation", "kind", "is_active")
    list_select_related = ("location",)
    search_fields = ("name", "code", "location__name", "public_code")
    readonly_fields = ("public_code",)


@admin.register(User)
class StaffAdmin(UserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "language", "is_active", "is_staff")
    list_filter = ("organisation", "role", "is_active", "is_staff")
    list_select_related = ("organisation",)
    filter_horizontal = ("locations", "groups", "user_permissions")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Kintsugi"), {"fields": ("organisation", "role", "locations", "language")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Kintsugi"), {"fields": ("organisation", "role", "locations", "language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued with `manage.py create_api_key`; here they can only be inspected and revoked."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__username")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return tuple(self.readonly_fields)
