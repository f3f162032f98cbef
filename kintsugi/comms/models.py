"""The outbox (messages to and from customers) and in-app notifications for staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Organisation
from kintsugi.cases.models import Case, Channel


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    RECORDED = "recorded", _("Told in person")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    recipient = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    language = models.CharField(max_length=5, default="en")
    status = models.CharField(_("delivery"), max_length=10, choices=DeliveryStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_outbox")]

    def __str__(self) -> str:
        return f"{self.direction} {self.channel} {self.status}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Case assigned to you")
    SLA_WARNING = "sla_warning", _("SLA target approaching")
    SLA_BREACH = "sla_breach", _("SLA target missed")
    ESCALATED = "escalated", _("Case escalated")
    CUSTOMER_REPLIED = "customer_replied", _("Customer replied")
    REOPENED = "reopened", _("Case reopened")
    DELIVERY_FAILED = "delivery_failed", _("Message could not be delivered")
    FOLLOW_UP_UNHAPPY = "follow_up_unhappy", _("Customer not happy at follow-up")
    FOLLOW_UPS_DUE = "follow_ups_due", _("Follow-ups due")
    APPROVAL_NEEDED = "approval_needed", _("Remedy needs approval")
    REMEDY_APPROVED = "remedy_approved", _("Remedy approved")
    REMEDY_REJECTED = "remedy_rejected", _("Remedy rejected")


class Notification(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    user = models.ForeignKey(  # notification_unread
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_unread")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
