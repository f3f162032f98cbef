"""Forms whose instances share their class's field objects instead of deep-copying them.

`BaseForm.__init__` deep-copies every field of the class, and each field its widget, choices and messages, so
that an instance may change its own fields. For the public complaint form (eight fields) that copy was about
130 us of a 2 ms budget per submission, more than validating the form. A form that never changes a field
after the class is built can share them: `SharedFieldsForm` gives each instance its own field *dict* (so
adding or removing a field on an instance stays local) holding the class's field objects. Validation and
rendering read fields, never write them, so instances on any thread see the same fields.

Only for forms that never assign to `self.fields[name].<anything>` (choices, initial, widget attributes): those
must stay plain `forms.Form`. tests/test_forms.py checks that instances render and clean exactly as a plain
form does, and that using them leaves the class's fields unchanged.
"""

from __future__ import annotations

from typing import Any

from django import forms

__all__ = ["SharedFieldsForm"]


class _CopiedShallow(dict[str, forms.Field]):
    """The class's fields as BaseForm.__init__ deep-copies them: a new dict of the same field objects."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class SharedFieldsForm(forms.Form):
    """A Form whose instances share the class's field objects (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # BaseForm.__init__ reads self.base_fields: for the length of that call, the instance's own (shallow
        # copying) view of the class's fields.
        vars(self)["base_fields"] = _CopiedShallow(type(self).base_fields)
        try:
            super().__init__(*args, **kwargs)
        finally:
            del vars(self)["base_fields"]
