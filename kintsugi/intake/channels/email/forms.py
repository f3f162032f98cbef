"""The mailbox form: where mail is read (IMAP), how answers are sent (SMTP) and where its cases go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Location, Touchpoint
from kintsugi.cases.models import Category, Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.services import MailboxSettings, is_local
from kintsugi.lib.secrets import CannotUnseal


def security_choices() -> list[tuple[str, Any]]:
    return [("ssl", _("SSL/TLS")), ("starttls", _("STARTTLS")), ("none", _("None (only on this machine)"))]


def secret_hint(connection: ChannelConnection | None, name: str) -> str:
    """How a kept password is shown ("••••••34"); "" when none is kept or it can no longer be read."""
    if connection is None or not connection.pk:
        return ""
    try:
        return connection.secret_hint(name)
    except CannotUnseal:
        return ""


def _port() -> forms.IntegerField:
    return forms.IntegerField(label=_("Port"), required=False, min_value=1, max_value=65535,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


def _password(label: Any) -> forms.CharField:
    # What was typed comes back on a form with errors (nothing is lost); the kept password never does.
    return forms.CharField(label=label, required=False, max_length=500, strip=False,
                           widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}))


class MailboxForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("How staff know this mailbox, e.g. “Guest care Hà Nội”."))
    address = forms.EmailField(label=_("Email address"), max_length=254,
                               help_text=_("Customers write to it; mail sent from it is never made a case."))
    imap_host = forms.CharField(label=_("Server"), max_length=253)
    imap_port = _port()
    imap_security = forms.ChoiceField(label=_("Security"), choices=security_choices, initial="ssl")
    imap_user = forms.CharField(label=_("User name"), max_length=254, required=False,
                                help_text=_("Empty: the email address."))
    imap_password = _password(_("Password or app password"))
    folder = forms.CharField(label=_("Folder"), max_length=200, initial="INBOX")
    smtp_host = forms.CharField(label=_("Server"), max_length=253, required=False,
                                help_text=_("Empty: answers go out through the system's own mail settings."))
    smtp_port = _port()
    smtp_security = forms.ChoiceField(label=_("Security"), choices=security_choices, initial="starttls")
    smtp_user = forms.CharField(label=_("User name"), max_length=254, required=False,
                                help_text=_("Empty: the same as for receiving."))
    smtp_password = _password(_("Password"))
    smtp_password.help_text = _("Empty: the same as for receiving.")
    from_name = forms.CharField(label=_("Sender name"), max_length=100, required=False,
                                help_text=_("Shown to customers as who wrote; empty: your organisation's name."))
    location = forms.TypedChoiceField(label=_("Location"), coerce=int)
    touchpoint = forms.TypedChoiceField(label=_("Touchpoint"), coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    thread_window_hours = forms.IntegerField(
        label=_("Join an open case within (hours)"), min_value=1, max_value=24 * 365, initial=72,
        help_text=_("A customer's new mail (not a reply) joins their open case if it was active this recently."),
    )

    def __init__(self, data: Any = None, *, organisation_id: int, connection: ChannelConnection | None,
                 locations: Sequence[Location], touchpoints: Sequence[Touchpoint],
                 categories: Sequence[Category]) -> None:
        super().__init__(data, initial=self._initial(connection) if connection is not None else None)
        self.organisation_id, self.connection = organisation_id, connection
        self.locations = {place.pk: place for place in locations}
        self.touchpoints = {tp.pk: tp for tp in touchpoints}
        self.categories = {c.pk: c for c in categories}
        fields: dict[str, Any] = self.fields
        fields["location"].choices = [("", _("Choose…")), *[(p.pk, p.name) for p in locations]]
        fields["touchpoint"].choices = [("", _("None")), *[(t.pk, f"{t.location.name} · {t.name}")
                                                           for t in touchpoints]]
        fields["category"].choices = [("", _("None")), *[(c.pk, c.label()) for c in categories]]
        for name in ("imap_password", "smtp_password"):
            hint = secret_hint(connection, name)
            if hint:
                fields[name].widget.attrs["placeholder"] = hint
                fields[name].help_text = _("Kept: %(hint)s. Leave empty to keep it.") % {"hint": hint}

    @staticmethod
    def _initial(connection: ChannelConnection) -> dict[str, Any]:
        config = connection.config
        return {
            "name": connection.name, "address": connection.address,
            **{key: config.get(key, "") for key in ("imap_host", "imap_port", "imap_security", "imap_user", "folder",
                                                     "smtp_host", "smtp_port", "smtp_security", "smtp_user",
                                                     "from_name")},
            "location": connection.location_id, "touchpoint": connection.touchpoint_id,
            "category": connection.category_id, "thread_window_hours": connection.thread_window_hours,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix in ("imap", "smtp"):
            host, security = data.get(f"{prefix}_host") or "", data.get(f"{prefix}_security")
            if security == "none" and host and not is_local(host):
                self.add_error(f"{prefix}_security", _("Without encryption only a server on this machine "
                                                       "(localhost) may be used."))
        location, touchpoint = data.get("location"), data.get("touchpoint")
        if touchpoint is not None and touchpoint in self.touchpoints and location is not None \
                and self.touchpoints[touchpoint].location_id != location:
            self.add_error("touchpoint", _("Choose a touchpoint at the mailbox's location, or none."))
        if not data.get("imap_password") and not secret_hint(self.connection, "imap_password"):
            self.add_error("imap_password", _("Give the mailbox's password."))
        address = data.get("address")
        if address:
            taken = ChannelConnection.objects.filter(organisation_id=self.organisation_id, channel=Channel.EMAIL,
                                                     address__iexact=address)
            if self.connection is not None and self.connection.pk:
                taken = taken.exclude(pk=self.connection.pk)
            if taken.exists():
                self.add_error("address", _("Another of your mailboxes has this address already."))
        return data

    def settings(self) -> MailboxSettings:
        """The valid form as the services take it."""
        data = self.cleaned_data
        return MailboxSettings(
            name=data["name"], address=data["address"], imap_host=data["imap_host"], imap_port=data["imap_port"],
            imap_security=data["imap_security"], imap_user=data["imap_user"] or data["address"],
            imap_password=data["imap_password"], folder=data["folder"], smtp_host=data["smtp_host"],
            smtp_port=data["smtp_port"], smtp_security=data["smtp_security"],
            smtp_user=data["smtp_user"] or (data["imap_user"] or data["address"] if data["smtp_host"] else ""),
            smtp_password=data["smtp_password"], from_name=data["from_name"],
            location=self.locations[data["location"]],
            touchpoint=self.touchpoints[data["touchpoint"]] if data["touchpoint"] else None,
            category=self.categories[data["category"]] if data["category"] else None,
            thread_window_hours=data["thread_window_hours"],
        )
