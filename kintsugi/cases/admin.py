"""Configuration (categories, SLA policies) and read-mostly views of customers, cases and their timers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kintsugi.cases.models import Case, CaseEvent, Category, Customer, CustomerIdentity, SlaPolicy, Timer


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = (
        "name", "name_vi", "name_th", "code", "organisation", "default_failure_type", "is_active", "position",
    )
    list_filter = ("organisation", "is_active", "default_failure_type")
    list_editable = ("position", "is_active")
    search_fields = ("name", "name_vi", "name_th", "code")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = ("name", "organisation", "severity", "channel", "first_response_minutes", "resolution_minutes")
    list_filter = ("organisation", "channel")


class IdentityInline(admin.TabularInline[CustomerIdentity, Customer]):
    model = CustomerIdentity
    extra = 0
    fields = ("kind", "value", "organisation")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ("__str__", "organisation", "language", "created_at")
    list_filter = ("organisation", "language")
    search_fields = ("name", "identities__value")
    raw_id_fields = ("merged_into",)
    inlines = [IdentityInline]


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("created_at", "kind", "actor", "is_customer_visible", "body", "data")
    ordering = ("created_at", "id")


class TimerInline(ReadOnlyInline):
    model = Timer
    fields = ("kind", "due_at", "then_due_at", "state", "fired_at")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Cases change only through their services (the staff pages and the API); the admin shows them."""

    list_display = ("reference", "subject", "organisation", "location", "status", "priority", "severity", "assignee",
                    "created_at")
    list_filter = ("organisation", "status", "priority", "channel", "is_repeat_failure")
    list_select_related = ("organisation", "location", "assignee")
    search_fields = ("reference", "subject", "customer__name")
    date_hierarchy = "created_at"
    inlines = [EventInline, TimerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin[Timer]):
    list_display = ("case", "kind", "due_at", "state", "fired_at")
    list_filter = ("state", "kind")
    list_select_related = ("case",)
    raw_id_fields = ("case",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
