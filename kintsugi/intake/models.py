"""What the public side of intake keeps: the customer's private status links, photos, and rate-limit windows."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Organisation
from kintsugi.cases.models import Case, CaseEvent


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
    return f"attachments/{instance.organisation_id}/{instance.created_at:%Y}/{instance.uuid}.jpg"


class Attachment(models.Model):
    """A photo on a case, re-encoded as a metadata-free JPEG; served only through permission-checked views."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=50, default="image/jpeg")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
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
