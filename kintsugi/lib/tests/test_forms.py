from __future__ import annotations

import copy

import pytest
from django import forms
from django.utils import translation

from kintsugi.lib.forms import SharedFieldsForm


class _Fields(forms.Form):
    name = forms.CharField(max_length=5, label="Name")
    how = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int, widget=forms.RadioSelect)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class Plain(_Fields):
    pass


class Shared(SharedFieldsForm, _Fields):
    pass


CASES = [
    None,
    {"name": "Mai", "how": "2", "email": "mai@example.com"},
    {"name": "toolong", "how": "9", "email": "not an email"},
    {},
]


@pytest.mark.parametrize("data", CASES)
def test_a_shared_fields_form_cleans_and_renders_as_a_plain_form(data: dict[str, str] | None) -> None:
    plain, shared = Plain(data), Shared(data)
    assert list(shared.fields) == ["name", "how", "email"]
    assert plain.is_bound == shared.is_bound
    if data is not None:
        assert plain.is_valid() == shared.is_valid()
        assert plain.cleaned_data == shared.cleaned_data
        assert plain.errors == shared.errors
    with translation.override("vi"):
        assert str(plain) == str(shared)


def test_instances_share_the_class_fields_but_not_the_field_dict() -> None:
    one, two = Shared(), Shared()
    assert one.fields["name"] is two.fields["name"] is Shared.base_fields["name"]
    del one.fields["email"]
    assert "email" in two.fields
    assert "email" in Shared.base_fields
    assert "base_fields" not in vars(one)  # the class's own again


def test_using_shared_forms_leaves_the_class_fields_unchanged() -> None:
    before = copy.deepcopy(Shared.base_fields)
    for data in CASES:
        form = Shared(data)
        if data is not None:
            form.is_valid()
            form.add_error(None, "Something else")
        str(form)
    after = Shared.base_fields
    for name, field in before.items():
        assert vars(after[name].widget) | {"choices": None} == vars(field.widget) | {"choices": None}
        assert after[name].error_messages == field.error_messages
        assert after[name].required == field.required
        assert list(getattr(after[name], "choices", [])) == list(getattr(field, "choices", []))
