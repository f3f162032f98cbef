"""Models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import LANGUAGE_CHOICES, Organisation
from kintsugi.cases.models import Category

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
