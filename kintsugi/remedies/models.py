"""Remedies: the organisation's catalogue and settings, authority limits per role, the remedies given on a case
(with their approvals and fulfilment) and the customer's own costs of the failure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Location, Organisation, Role
from kintsugi.cases.models import Case
from kintsugi.remedies import policy

CURRENCY_CHOICES = [(code, code) for code in policy.CURRENCY_CODES]


class RemedyKind(models.TextChoices):
    REFUND = policy.REFUND, _("Full refund")
    PARTIAL_REFUND = policy.PARTIAL_REFUND, _("Partial refund")
    REPLACEMENT = policy.REPLACEMENT, _("Replacement or exchange")
    REPERFORM = policy.REPERFORM, _("Re-perform the service")
    VOUCHER = policy.VOUCHER, _("Voucher")
    UPGRADE = policy.UPGRADE, _("Upgrade")
    GESTURE = policy.GESTURE, _("Small gesture")
    APOLOGY = policy.APOLOGY, _("Apology only")
    OTHER = policy.OTHER, _("Other")


class RemedyOption(models.Model):
    """One entry of the organisation's catalogue: a kind of remedy with its names and default value."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="remedy_options")
    kind = models.CharField(_("kind"), max_length=20, choices=RemedyKind.choices)
    name = models.CharField(_("name (English)"), max_length=120)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=120, blank=True)
    default_amount_minor = models.BigIntegerField(_("default amount (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="VND")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("remedy catalogue entry")
        verbose_name_plural = _("remedy catalogue")
        ordering = ["currency", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(default_amount_minor__gte=0), name="remedy_option_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return {"vi": self.name_vi, "th": self.name_th}.get(language) or self.name

    @property
    def pk_text(self) -> str:
        return str(self.pk)


class RemedySettings(models.Model):
    """Per organisation: the currencies remedies may be given in, and the figures behind revenue at risk."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="remedy_settings")
    currencies = models.JSONField(_("currencies accepted"), default=list, blank=True)
    average_customer_value_minor = models.BigIntegerField(
        _("average customer value (minor units)"), default=0,
        help_text=_("What a customer who keeps buying brings in; revenue at risk counts this per customer lost."),
    )
    average_value_currency = models.CharField(_("currency of the average value"), max_length=3,
                                              choices=CURRENCY_CHOICES, default="VND")
    at_risk_days = models.PositiveIntegerField(
        _("days without return before a customer counts as at risk"), default=90,
    )

    class Meta:
        verbose_name = _("remedy settings")
        verbose_name_plural = _("remedy settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class AuthorityLimit(models.Model):
    """What a role may grant without approval, in one currency, organisation-wide or at one location (which then
    overrides the organisation-wide row). A blank measure means no authority on it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="authority_limits")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 help_text=_("Empty: every location."))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    per_remedy_minor = models.BigIntegerField(_("per remedy"), null=True, blank=True)
    per_case_minor = models.BigIntegerField(_("per case in total"), null=True, blank=True)
    per_day_minor = models.BigIntegerField(_("per staff member per day"), null=True, blank=True)

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["role", "currency", "location__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "role", "location", "currency"],
                                    name="authority_limit_unique"),
            # NULL locations are distinct in SQL: one organisation-wide row per role and currency needs its own.
            models.UniqueConstraint(fields=["organisation", "role", "currency"], condition=models.Q(location=None),
                                    name="authority_limit_wide_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.currency} {self.location_id or '*'}"

    def as_limit(self) -> policy.Limit:
        return policy.Limit(self.per_remedy_minor, self.per_case_minor, self.per_day_minor)


class RemedyStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")


# Remedies that count as given: towards the case's total, the cost of failure, and (self-granted) the daily cap.
GIVEN_STATUSES = (RemedyStatus.GRANTED, RemedyStatus.APPROVED, RemedyStatus.FULFILLED)
FULFILLABLE_STATUSES = (RemedyStatus.GRANTED, RemedyStatus.APPROVED)


class Remedy(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(_("kind"), max_length=20, choices=RemedyKind.choices)
    option = models.ForeignKey(RemedyOption, on_delete=models.SET_NULL, null=True, blank=True)
    amount_minor = models.BigIntegerField(_("amount (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    description = models.TextField(_("description"), blank=True)
    transaction_value_minor = models.BigIntegerField(_("value of the affected transaction"), null=True, blank=True)
    is_goodwill = models.BooleanField(_("goodwill (the customer was at fault)"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=RemedyStatus.choices)
    exceeded = models.JSONField(default=list, blank=True)  # which limits sent it to approval
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)  # when it became granted or approved
    voucher_code = models.CharField(_("voucher code"), max_length=100, blank=True)
    refund_reference = models.CharField(_("refund reference"), max_length=100, blank=True)
    replacement_order = models.CharField(_("replacement order"), max_length=100, blank=True)
    proof_note = models.CharField(_("how it was given"), max_length=200, blank=True)
    fulfilled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Far above the usual amount for it (policy.is_outlier): confirmed by whoever gave it, marked in the cost view.
    is_outlier = models.BooleanField(_("far above the usual amount"), default=False)
    # The form's one-time token: the same form sent twice (a double tap, a retry) gives one remedy.
    form_token = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "status", "created_at"], name="remedy_queue"),
            models.Index(fields=["requested_by", "granted_at"], name="remedy_daily"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gte=0), name="remedy_amount_gte_0"),
            models.UniqueConstraint(fields=["case", "form_token"], condition=~models.Q(form_token=""),
                                    name="remedy_form_token_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor} {self.currency}"

    def amount_text(self, language: str | None = None) -> str:
        return policy.format_amount(self.amount_minor, self.currency, (language or get_language() or "en")[:2])

    @property
    def is_above_useful_share(self) -> bool:
        return policy.above_useful_share(self.amount_minor, self.transaction_value_minor)

    @property
    def proof_field(self) -> str:
        """Which proof fulfilling it needs: refund_reference, voucher_code, replacement_order, or "" for none."""
        return PROOF_FIELDS.get(RemedyKind(self.kind), "")

    @property
    def proof(self) -> str:
        return self.voucher_code or self.refund_reference or self.replacement_order or self.proof_note


# Where a fulfilled remedy's proof is kept, by kind; kinds not listed may carry a note of how it was given.
PROOF_FIELDS = {
    RemedyKind.REFUND: "refund_reference",
    RemedyKind.PARTIAL_REFUND: "refund_reference",
    RemedyKind.VOUCHER: "voucher_code",
    RemedyKind.UPGRADE: "voucher_code",
    RemedyKind.REPLACEMENT: "replacement_order",
}


class CostKind(models.TextChoices):
    TIME_LOST = "time_lost", _("Time lost")
    MONEY_SPENT = "money_spent", _("Money spent")
    MISSED_DEADLINE = "missed_deadline", _("Missed deadline")
    OTHER = "other", _("Other")


class CustomerCost(models.Model):
    """What the failure cost the customer (Hart, Heskett & Sasser: the hidden costs): taxi, towing, another
    hotel, time, a missed deadline; with the amount and minutes where known."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="customer_costs")
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    amount_minor = models.BigIntegerField(_("amount (minor units)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("customer's cost")
        verbose_name_plural = _("customer's costs")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor or ''} {self.currency}"

    def amount_text(self, language: str | None = None) -> str:
        if self.amount_minor is None or not self.currency:
            return ""
        return policy.format_amount(self.amount_minor, self.currency, (language or get_language() or "en")[:2])
