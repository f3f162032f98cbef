"""Organisations (the tenants), their locations and touchpoints, staff users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.workhours import WorkingCalendar

LANGUAGE_CHOICES = [("en", "English"), ("vi", "Tiếng Việt"), ("th", "ภาษาไทย")]

# Monday..Sunday keys used in Location.working_hours.
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def default_working_hours() -> dict[str, list[list[str]]]:
    return {day: [["08:00", "22:00"]] for day in WEEKDAY_KEYS}


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    default_language = models.CharField(_("default language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    repeat_failure_window_days = models.PositiveIntegerField(
        _("repeat failure window (days)"),
        default=365,
        help_text=_("A customer with another failure within this many days is flagged as a repeat failure."),
    )
    sla_warning_percent = models.PositiveSmallIntegerField(
        _("SLA warning at (percent of the target)"), default=75
    )
    thai_buddhist_year = models.BooleanField(
        _("Buddhist year in Thai"), default=False,
        help_text=_("Show years in Thai as the Buddhist era (2569 for 2026), on staff pages and to customers."),
    )
    # What the public form's privacy notice tells customers (kintsugi/intake/privacy.py).
    privacy_policy_url = models.URLField(
        _("privacy policy URL"), blank=True, help_text=_("Linked from the privacy notice of the public form.")
    )
    privacy_contact = models.CharField(
        _("privacy contact"), max_length=200, blank=True,
        help_text=_("Whom customers ask about their data: an email address, a phone number or a team's name."),
    )
    data_retention_months = models.PositiveSmallIntegerField(
        _("customer data kept for (months)"), null=True, blank=True,
        help_text=_("What the privacy notice says; empty: 24 months."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def repeat_failure_window(self) -> timedelta:
        """How far back another failure of the same customer makes a case a repeat failure."""
        return timedelta(days=self.repeat_failure_window_days)


class LocationKind(models.TextChoices):
    HOTEL = "hotel", _("Hotel")
    RESTAURANT = "restaurant", _("Restaurant")
    BRANCH = "branch", _("Branch")
    STORE = "store", _("Store")
    CLINIC = "clinic", _("Clinic")
    OTHER = "other", _("Other")


class Location(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices, default=LocationKind.HOTEL)
    country = models.CharField(_("country"), max_length=2, default="VN")
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    always_open = models.BooleanField(_("open 24/7"), default=False)
    working_hours = models.JSONField(
        _("working hours"),
        default=default_working_hours,
        help_text=_('Local opening hours per weekday, e.g. {"mon": [["08:00", "17:00"]]}. A missing day is closed.'),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(
        _("phone"), max_length=32, blank=True,
        help_text=_("Given to customers when their complaint could not be saved, so they can call instead."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="location_code_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            WorkingCalendar.from_config(self.timezone, self.working_hours, always_open=self.always_open)
        except ValueError as exc:
            raise ValidationError({"working_hours": str(exc)}) from exc


class Holiday(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [models.UniqueConstraint(fields=["location", "date"], name="holiday_unique")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._touch_location()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        self._touch_location()
        return result

    def _touch_location(self) -> None:
        # Touching the location invalidates the cached working calendar of every process.
        Location.objects.filter(pk=self.location_id).update(updated_at=timezone.now())


class TouchpointKind(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    ROOM = "room", _("Room")
    ROOM_SERVICE = "room_service", _("Room service")
    RESTAURANT = "restaurant", _("Restaurant")
    SPA = "spa", _("Spa")
    DELIVERY = "delivery", _("Delivery")
    HOTLINE = "hotline", _("Hotline")
    APP = "app", _("App")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


# Public codes are printed under QR codes and may be typed by hand: no 0/O, 1/I look-alikes.
PUBLIC_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PUBLIC_CODE_LENGTH = 8  # 32**8 = 2**40 codes: unguessable by enumeration, short enough to type


def generate_public_code() -> str:
    """A fresh random touchpoint code; the unique constraint catches the (one in 10**12) collision."""
    return "".join(secrets.choice(PUBLIC_CODE_ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


class Touchpoint(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="touchpoints")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="touchpoints")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TouchpointKind.choices, default=TouchpointKind.OTHER)
    code = models.SlugField(_("code"), max_length=50, help_text=_("Short code used in the touchpoint's public URL."))
    is_active = models.BooleanField(_("active"), default=True)
    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, default=generate_public_code, editable=False,
        help_text=_("Random code in the public URL and QR code of the touchpoint."),
    )

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="touchpoint_code_unique")]
        ordering = ["location__name", "name"]

    def __str__(self) -> str:
        return f"{self.location.name} · {self.name}"

    @property
    def public_url(self) -> str:
        """Where the touchpoint's QR code leads: the public complaint form."""
        return f"{settings.SITE_URL.rstrip('/')}/t/{self.public_code}/"

    @property
    def public_url_short(self) -> str:
        """The public URL without its scheme, as printed under the QR code for people who type it."""
        return self.public_url.split("://", 1)[-1].rstrip("/")

    @property
    def qr_png_url(self) -> str:
        return f"{self.public_url}qr.png"

    @property
    def qr_svg_url(self) -> str:
        return f"{self.public_url}qr.svg"


class Role(models.TextChoices):
    FRONTLINE = "frontline", _("Frontline")
    SUPERVISOR = "supervisor", _("Supervisor")
    CX_MANAGER = "cx_manager", _("CX manager")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.FRONTLINE)
    locations = models.ManyToManyField(
        Location,
        blank=True,
        related_name="staff",
        help_text=_("Leave empty for access to every location of the organisation."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=LANGUAGE_CHOICES, blank=True,
        help_text=_("Empty: follow the browser's language."),
    )

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_supervisor_or_above(self) -> bool:
        return self.role in {Role.SUPERVISOR, Role.CX_MANAGER, Role.ADMIN}


TOKEN_PREFIX = "kt_"


def hash_token(raw: str) -> str:
    # Tokens are 256-bit random values, so a fast hash is enough; a slow KDF would only slow every API call.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token for `user`; the raw value is returned once and never stored."""
        secret = secrets.token_urlsafe(32)
        raw = f"{TOKEN_PREFIX}{secret}"
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], token_hash=hash_token(raw))
        return token, raw
