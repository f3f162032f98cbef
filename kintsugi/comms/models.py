"""The outbox (messages to and from customers) and in-app notifications for staff."""

from __future__ import annotations

from secrets import token_urlsafe
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Location, Organisation, Touchpoint
from kintsugi.cases.models import Case, Category, Channel
from kintsugi.lib import secrets


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


class ChannelConnection(models.Model):
    """A channel an organisation is connected on, both ways: a mailbox (IMAP in, SMTP out), and in the next
    issues a LINE channel, a Facebook page or a Zalo Official Account. What the inbound pipeline needs to turn
    what arrives into cases (the location, touchpoint and category they default to, the window within which a
    customer's new message joins their open case) and what transports need to answer on it. Credentials are kept
    sealed (kintsugi.lib.secrets) and never shown again in full."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="connections",
                                     db_index=False)  # connection_unique
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    name = models.CharField(_("name"), max_length=100)
    # The connection's own address: the mailbox's email address (mail from it is a loop), a page or account id.
    address = models.CharField(_("address"), max_length=254)
    # Non-secret settings by channel (email: imap_host, imap_port, imap_user, folder, smtp_host, smtp_port,
    # smtp_user, smtp_security); secrets sealed as one JSON object.
    config: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    sealed_secrets = models.TextField(blank=True, default="")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("location"))
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("touchpoint"))
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("category"))
    thread_window_hours = models.PositiveIntegerField(
        _("join an open case within (hours)"), default=72,
        help_text=_("A customer's new message joins their open case on this channel if it was active this "
                    "recently; otherwise it opens a new case."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The unguessable part of a chat channel's webhook URL (/hooks/<channel>/<key>/), pasted in the provider's
    # console; none for a mailbox. Every delivery is still checked against the provider's signature.
    webhook_key = models.CharField(max_length=43, unique=True, null=True, blank=True, editable=False)
    # What the receiver keeps between runs (email: the folder's UIDVALIDITY and the last UID stored).
    state: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("channel connection")
        verbose_name_plural = _("channel connections")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "channel", "address"], name="connection_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.address}"

    def ensure_webhook_key(self) -> str:
        """The connection's webhook key, drawn now if it has none (saved by the caller)."""
        if not self.webhook_key:
            self.webhook_key = token_urlsafe(32)
        return self.webhook_key

    def secrets(self) -> dict[str, str]:
        """The connection's credentials, unsealed (empty when none are set)."""
        if not self.sealed_secrets:
            return {}
        return dict(secrets.unseal_json(self.sealed_secrets))

    def secret(self, name: str) -> str:
        return self.secrets().get(name, "")

    def set_secrets(self, values: dict[str, str]) -> None:
        """Seal these credentials (merged over the ones kept; an empty value keeps the old one)."""
        merged = self.secrets()
        merged.update({k: v for k, v in values.items() if v})
        self.sealed_secrets = secrets.seal_json(merged)

    def secret_hint(self, name: str) -> str:
        """How the credential is shown again: never in full, only that it is set and its last two characters."""
        value = self.secret(name)
        return f"••••••{value[-2:]}" if len(value) >= 8 else ("••••••" if value else "")


class Message(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)  # message_external
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
    # The provider's id of the message (email: its Message-ID, ours or the customer's), the conversation it
    # belongs to on the provider (a chat's thread; empty for email) and the connection it came or went through.
    external_id = models.CharField(max_length=200, blank=True)
    thread = models.CharField(max_length=200, blank=True, default="")
    connection = models.ForeignKey(ChannelConnection, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # Buttons the customer can tap instead of answering in words (a follow-up's yes and no), each {"label", "data"}:
    # the chat transports show them (LINE and Messenger quick replies, Zalo buttons) and a tap comes back as a
    # postback carrying `data`; email shows the links its text has instead.
    actions: models.JSONField[list[dict[str, str]]] = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_outbox"),
            # Threading: a reply's In-Reply-To and References, a chat's conversation, found in one probe each.
            models.Index(fields=["organisation", "external_id"], name="message_external"),
            models.Index(fields=["organisation", "channel", "thread"], name="message_thread",
                         condition=~models.Q(thread="")),
        ]

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
