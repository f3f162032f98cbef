"""Read-mostly views of the outbox and of staff notifications, for looking into delivery problems."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kintsugi.comms.models import Message, Notification


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("case", "direction", "channel", "recipient", "status", "attempts", "created_at", "sent_at")
    list_filter = ("direction", "channel", "status")
    list_select_related = ("case",)
    search_fields = ("case__reference", "recipient", "external_id")
    raw_id_fields = ("case", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("user", "kind", "case", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("user", "case")
    raw_id_fields = ("user", "case")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
