"""Playbooks (ordered recovery steps), which one each category follows, and the playbook bound to each case; the
apology lint's per-organisation phrases and the reply templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import LANGUAGE_CHOICES, Organisation
from kintsugi.cases.models import Case, Category


class CompletesOn(models.TextChoices):
    REPLY = "reply", _("A message to the customer")
    APOLOGY = "apology", _("The apology")
    REMEDY = "remedy", _("A remedy granted or approved")
    THANKS = "thanks", _("The thank-and-explain message")
    FOLLOW_UP = "follow_up", _("A happy answer to the follow-up")
    MANUAL = "manual", _("A tick by hand")


class Playbook(models.Model):
    """An organisation's recovery sequence. The built-ins (LATTE, LEARN, HEART) are copied in on first use, so
    each organisation edits its own copy."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="playbooks")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="playbook_code_unique")]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name (English)"), max_length=100)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100, blank=True)
    guidance = models.TextField(_("guidance (English)"), blank=True)
    guidance_vi = models.TextField(_("guidance (Vietnamese)"), blank=True)
    guidance_th = models.TextField(_("guidance (Thai)"), blank=True)
    phrases = models.TextField(_("what to say (English)"), blank=True, help_text=_("One phrase a line."))
    phrases_vi = models.TextField(_("what to say (Vietnamese)"), blank=True, help_text=_("One phrase a line."))
    phrases_th = models.TextField(_("what to say (Thai)"), blank=True, help_text=_("One phrase a line."))
    target_minutes = models.PositiveIntegerField(_("target (minutes from case open)"), default=60)
    is_required = models.BooleanField(_("required"), default=True)
    completes_on = models.CharField(_("completed by"), max_length=12, choices=CompletesOn.choices,
                                    default=CompletesOn.MANUAL)

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        constraints = [models.UniqueConstraint(fields=["playbook", "code"], name="playbook_step_code_unique")]
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.playbook_id}: {self.name}"

    def snapshot(self) -> dict[str, Any]:
        """The step as bound to a case: every field a checklist shows, frozen."""
        return {
            "code": self.code, "completes_on": self.completes_on, "target_minutes": self.target_minutes,
            "is_required": self.is_required,
            "name": {"en": self.name, "vi": self.name_vi, "th": self.name_th},
            "guidance": {"en": self.guidance, "vi": self.guidance_vi, "th": self.guidance_th},
            "phrases": {"en": _lines(self.phrases), "vi": _lines(self.phrases_vi), "th": _lines(self.phrases_th)},
        }

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return {"vi": self.name_vi, "th": self.name_th}.get(language) or self.name


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RecoverySettings(models.Model):
    """The organisation's default playbook and follow-up delay."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="recovery_settings")
    default_playbook = models.ForeignKey(Playbook, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("default playbook"))
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up after (days)"), default=3)

    class Meta:
        verbose_name = _("recovery settings")
        verbose_name_plural = _("recovery settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class CategoryRecovery(models.Model):
    """A category's own playbook and follow-up delay (empty: the organisation's)."""

    category = models.OneToOneField(Category, on_delete=models.CASCADE, related_name="recovery")
    playbook = models.ForeignKey(Playbook, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("playbook"))
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up after (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("category recovery settings")
        verbose_name_plural = _("category recovery settings")

    def __str__(self) -> str:
        return f"{self.category_id}"


class CasePlaybook(models.Model):
    """The playbook a case follows, bound (and its steps frozen) the first time it matters, so later edits of
    the playbook or a new default never rewrite a case's history."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="playbook_binding")
    playbook = models.ForeignKey(Playbook, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=100)
    steps: models.JSONField[list[dict[str, Any]]] = models.JSONField(default=list)
    bound_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.name}"


# --------------------------------------------------------------------------------------------- messages
# The apology lint's per-organisation phrases and the reply templates (issue 5, sections 3 and 4).


class PhraseKind(models.TextChoices):
    EXCUSE = "excuse", _("Excuse")
    BLAME = "blame", _("Blame")
    CONDITIONAL = "conditional", _("Conditional apology")
    MINIMISING = "minimising", _("Minimising")


class ApologyPhrase(models.Model):
    """A phrase the apology lint warns on for one organisation, on top of the built-in lists."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="apology_phrases")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    phrase = models.CharField(_("phrase"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=PhraseKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("apology phrase")
        verbose_name_plural = _("apology phrases")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "language", "phrase"], name="apology_phrase_unique"),
        ]
        ordering = ["language", "phrase"]

    def __str__(self) -> str:
        return f"{self.language}: {self.phrase}"


class ReplyTemplate(models.Model):
    """A reply staff insert into the composer, in one language, with {placeholders} filled from the case."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reply_templates")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("category"), help_text=_("Empty: any category."),
    )
    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"), max_length=5000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        indexes = [models.Index(fields=["organisation", "language"], name="reply_template_language")]
        ordering = ["language", "name", "id"]

    def __str__(self) -> str:
        return self.name
