"""What intake keeps: every inbound payload as it arrived (the inbound pipeline's table), the customer's private
status links, photos and files, and rate-limit windows."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Organisation
from kintsugi.cases.models import Case, CaseEvent, Channel
from kintsugi.comms.models import ChannelConnection, Message


class InboundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("On a case")
    IGNORED = "ignored", _("Kept, no case")
    FAILED = "failed", _("Problem")


class InboundReason(models.TextChoices):
    """Why a payload made no case (ignored) or what went wrong with it (failed)."""

    AUTO_REPLY = "auto_reply", _("Automatic reply or out of office")
    BOUNCE = "bounce", _("Delivery failure report")
    LOOP = "loop", _("Sent by this mailbox itself")
    EMPTY = "empty", _("Nothing to read in it")
    UNREADABLE = "unreadable", _("Could not be read")
    NOT_TAKEN = "not_taken", _("Could not be put on a case")


class InboundPayload(models.Model):
    """One payload exactly as a channel delivered it (a raw RFC 822 mail, a webhook's body and headers), written
    before anything parses it, in the request or poll that received it. (connection, external_id) is unique: a
    redelivery is a no-op. The pipeline (kintsugi/intake/inbound) turns it into a case or a message on one and
    records the outcome here; a payload that made no case, or could not be read, stays listed with why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)  # inbound_problems
    connection = models.ForeignKey(ChannelConnection, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)  # inbound_unique
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    external_id = models.CharField(max_length=255)
    raw = models.BinaryField()
    headers: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)  # last handed to the worker
    status = models.CharField(_("status"), max_length=10, choices=InboundStatus.choices,
                              default=InboundStatus.PENDING)
    reason = models.CharField(_("reason"), max_length=12, choices=InboundReason.choices, blank=True, default="")
    error = models.TextField(_("error"), blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    # What the parse found, for the lists (who sent it, about what), and where it went.
    sender = models.CharField(_("from"), max_length=254, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("inbound payload")
        verbose_name_plural = _("inbound payloads")
        constraints = [
            models.UniqueConstraint(fields=["connection", "external_id"], name="inbound_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="inbound_queue"),
            models.Index(fields=["organisation", "status", "-received_at"], name="inbound_problems"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.external_id[:40]} {self.status}"


class CaseAccessLink(models.Model):
    """A private, revocable link to a case's status page. Only the token's sha256 is stored; the raw token
    exists in the URL given to the customer and nowhere else."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("status page link")
        verbose_name_plural = _("status page links")

    def __str__(self) -> str:
        return f"{self.case_id} link {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def attachment_path(instance: Attachment, filename: str) -> str:
    # The customer's file name is never used: organisation, year and a random uuid make the name.
    return f"attachments/{instance.organisation_id}/{instance.created_at:%Y}/{instance.uuid}.{instance.extension}"


class Attachment(models.Model):
    """A photo on a case, re-encoded as a metadata-free JPEG, or a file a customer sent (a PDF from an email),
    kept as sent with the type its content shows; served only through permission-checked views."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=100, default="image/jpeg")
    extension = models.CharField(max_length=10, default="jpg")
    filename = models.CharField(_("file name"), max_length=200, blank=True, default="")  # as sent, shown only
    width = models.PositiveIntegerField(null=True, blank=True)  # photos only
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(help_text=_("Bytes."))
    uploaded_by_customer = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["case", "created_at"], name="attachment_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.uuid}"


class PublicRateLimit(models.Model):
    """Hits per key (an IP network, a touchpoint, a status link) in one fixed time window, shared by every web
    process through the database: one conditional upsert per hit (see intake/limits.py)."""

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="public_rate_limit_window")]
        indexes = [models.Index(fields=["window_start"], name="public_rate_limit_age")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%H:%M}: {self.hits}"
