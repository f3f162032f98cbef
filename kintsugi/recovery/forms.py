"""Forms of the playbook pages: which playbook each category follows, a new playbook, and a playbook's steps."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from kintsugi.cases.models import Category
from kintsugi.recovery.models import CategoryRecovery, Playbook, PlaybookStep, RecoverySettings


class ChoiceForm(forms.Form):
    """The default playbook and follow-up delay, and each category's own (empty: the default)."""

    default = forms.TypedChoiceField(label=_("Default playbook"), coerce=int)
    follow_up_days = forms.IntegerField(label=_("Follow-up after (days)"), min_value=1, max_value=60)

    def __init__(self, *args: Any, playbooks: list[Playbook], categories: list[Category],
                 settings: RecoverySettings, own: dict[int, CategoryRecovery], **kwargs: Any) -> None:
        initial: dict[str, Any] = {"default": settings.default_playbook_id, "follow_up_days": settings.follow_up_days}
        for category in categories:
            mine = own.get(category.pk)
            initial[f"playbook_{category.pk}"] = mine.playbook_id if mine and mine.playbook_id else ""
            initial[f"days_{category.pk}"] = mine.follow_up_days if mine else None
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.playbooks = {p.pk: p for p in playbooks}
        self.categories = categories
        choices = [(p.pk, p.name) for p in playbooks]
        cast(forms.ChoiceField, self.fields["default"]).choices = choices
        for category in categories:
            self.fields[f"playbook_{category.pk}"] = forms.TypedChoiceField(
                label=category.label(), choices=[("", _("The default")), *choices], coerce=int, required=False,
                empty_value=None,
            )
            self.fields[f"days_{category.pk}"] = forms.IntegerField(
                label=_("Follow-up after (days)"), min_value=1, max_value=60, required=False,
                widget=forms.NumberInput(attrs={"placeholder": settings.follow_up_days}),
            )

    def rows(self) -> list[tuple[Category, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"playbook_{c.pk}"], self[f"days_{c.pk}"]) for c in self.categories]

    def per_category(self) -> dict[Category, tuple[Playbook | None, int | None]]:
        data = self.cleaned_data
        return {
            c: (self.playbooks.get(data[f"playbook_{c.pk}"]) if data[f"playbook_{c.pk}"] else None,
                data[f"days_{c.pk}"])
            for c in self.categories
        }


class NewPlaybookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    copy_of = forms.TypedChoiceField(label=_("Start from"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, playbooks: list[Playbook], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("No steps (empty)")), *((p.pk, p.name) for p in playbooks)]
        cast(forms.ChoiceField, self.fields["copy_of"]).choices = choices


class StepForm(forms.ModelForm[PlaybookStep]):
    class Meta:
        model = PlaybookStep
        fields = ["position", "code", "name", "name_vi", "name_th", "target_minutes", "is_required", "completes_on",
                  "guidance", "guidance_vi", "guidance_th", "phrases", "phrases_vi", "phrases_th"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("guidance", "guidance_vi", "guidance_th", "phrases", "phrases_vi", "phrases_th")
        }


class BaseStepFormSet(BaseModelFormSet[PlaybookStep, StepForm]):
    def clean(self) -> None:
        super().clean()
        codes = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE") and data.get("code"):
                codes.append(data["code"])
        if len(codes) != len(set(codes)):
            raise forms.ValidationError(_("Each step needs its own code."))


StepFormSet = modelformset_factory(PlaybookStep, form=StepForm, formset=BaseStepFormSet, extra=1, can_delete=True)
