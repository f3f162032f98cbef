"""FastSelect writes the same HTML as Django's template-rendered Select."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from kintsugi.lib.widgets import FastSelect

CHOICES: list[Any] = [
    ("", "Any status"),
    ("new", "New"),
    (3, 'Tricky <b>"label"</b> & more'),
    ("Hotels", [("hn", "Hà Nội"), ("bk", "Bangkok")]),
    ("x\"<y", "Odd value"),
]


@pytest.mark.parametrize("value", [None, "", "new", "3", "bk", "missing", 'x"<y'])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_status"}, {"id": "id_s", "required": True, "disabled": False, "data-x": '"<&>'}]
)
def test_fast_select_renders_exactly_like_django(value: Any, attrs: dict[str, Any] | None) -> None:
    django_select = forms.Select(choices=CHOICES)
    fast = FastSelect(choices=CHOICES)
    assert fast.render("status", value, attrs) == django_select.render("status", value, attrs)


def test_a_form_field_renders_the_same_with_either_widget() -> None:
    class Plain(forms.Form):
        status = forms.ChoiceField(required=False, choices=CHOICES, label="Status")

    class Fast(forms.Form):
        status = forms.ChoiceField(required=False, choices=CHOICES, label="Status", widget=FastSelect)

    for data in ({}, {"status": "bk"}, {"status": "nonsense"}):
        plain, fast = Plain(data), Fast(data)
        plain.is_valid()
        fast.is_valid()
        assert str(fast["status"]) == str(plain["status"])
