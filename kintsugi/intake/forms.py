"""Forms the public pages share: the photo check, and the status page's message form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kintsugi.intake.photos import MAX_UPLOAD_BYTES, Photo, PhotoRejected, process_photo
from kintsugi.intake.services import MAX_PUBLIC_MESSAGE


def checked_photo(upload: UploadedFile[bytes] | None) -> Photo | None:
    """The upload checked and re-encoded (see photos.py), or None; a ValidationError says what is wrong."""
    if not upload:
        return None
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The photo is too large (at most 8 MB)."))
    try:
        return process_photo(upload)
    except PhotoRejected as exc:
        raise forms.ValidationError(str(exc)) from exc


class StatusMessageForm(forms.Form):
    """A message or a photo from the customer's status page."""

    body = forms.CharField(label=_("Your message"), required=False, max_length=MAX_PUBLIC_MESSAGE,
                           widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label=_("A photo (optional)"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def clean_photo(self) -> Photo | None:
        return checked_photo(self.cleaned_data.get("photo"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("body") or "").strip() and data.get("photo") is None:
            raise forms.ValidationError(_("Please write a message or add a photo."))
        return data

    @property
    def photo_was_sent(self) -> bool:
        return bool(self.files.get("photo"))
