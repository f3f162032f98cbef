"""`manage.py init_organisation`: a business's own organisation, its first location and its first administrator,
for a desk started without the demo (`make serve`). Asks for what the flags do not give, or, with --no-input,
refuses with what is missing."""

from __future__ import annotations

import getpass
import re
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from kintsugi.accounts.models import LANGUAGE_CHOICES, WEEKDAY_KEYS, Location, Organisation, Role, User
from kintsugi.cases.models import SlaPolicy

HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
LANGUAGES = [code for code, _name in LANGUAGE_CHOICES]

# (option, question, default): asked in this order when not given.
QUESTIONS = [
    ("name", "Organisation name", None),
    ("language", f"Language of its customers and staff ({', '.join(LANGUAGES)})", "vi"),
    ("currency", "Currency (ISO 4217, e.g. VND, THB, USD)", "VND"),
    ("location_name", "First location's name", None),
    ("country", "Its country (ISO 3166, two letters)", "VN"),
    ("timezone", "Its time zone", "Asia/Ho_Chi_Minh"),
    ("hours", "Its opening hours, every day (HH:MM-HH:MM, or 24/7)", "08:00-22:00"),
    ("admin_username", "The administrator's username", "admin"),
    ("admin_email", "The administrator's email", ""),
]


class Command(BaseCommand):
    help = "Create your organisation, its first location and its first administrator (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", help="The organisation's name, e.g. 'Lotus Hotels'.")
        parser.add_argument("--slug", help="Its short name in URLs and files (default: from the name).")
        parser.add_argument("--language", choices=LANGUAGES, help="Its default language.")
        parser.add_argument("--currency", help="ISO 4217 currency of its remedies, e.g. VND.")
        parser.add_argument("--location-name", help="The first location's name, e.g. 'Lotus Hà Nội'.")
        parser.add_argument("--location-code", help="Its code (default: from its name).")
        parser.add_argument("--country", help="Its ISO 3166 country code, e.g. VN or TH.")
        parser.add_argument("--timezone", help="Its IANA time zone, e.g. Asia/Ho_Chi_Minh or Asia/Bangkok.")
        parser.add_argument("--hours", help="Opening hours every day, HH:MM-HH:MM, or 24/7.")
        parser.add_argument("--admin-username", help="The first administrator's username.")
        parser.add_argument("--admin-email", help="Their email address.")
        parser.add_argument("--admin-password-file", type=Path,
                            help="A file whose first line is their password (else it is asked for).")
        parser.add_argument("--no-input", action="store_false", dest="interactive",
                            help="Ask nothing: every value from the flags or their defaults.")

    def handle(self, *args: Any, **options: Any) -> None:
        values = {key: options.get(key) for key, _question, _default in QUESTIONS}
        for key, question, default in QUESTIONS:
            if values[key] is None:
                values[key] = self._ask(question, default) if options["interactive"] else default
        missing = [f"--{key.replace('_', '-')}" for key, value in values.items()
                   if (value is None or value == "") and key != "admin_email"]
        if missing:
            raise CommandError(f"Missing: {', '.join(missing)}.")
        values["slug"] = options["slug"] or slugify(str(values["name"]))
        values["location_code"] = options["location_code"] or slugify(str(values["location_name"]))
        self._check(values)
        password = self._password(options)
        try:
            validate_password(password, User(username=str(values["admin_username"]), email=str(values["admin_email"])))
        except ValidationError as exc:
            raise CommandError("The password is refused: " + " ".join(exc.messages)) from None
        organisation = self._create(values, password)
        url = settings.SITE_URL.rstrip("/") + reverse("login")
        self.stdout.write(f"Created {organisation.name} ({organisation.slug}), its location "
                          f"{values['location_name']} and its administrator {values['admin_username']}.")
        self.stdout.write(f"Sign in at {url}")

    def _ask(self, question: str, default: str | None) -> str | None:
        prompt = f"{question}" + (f" [{default}]" if default else "") + ": "
        try:
            answer = input(prompt).strip()
        except EOFError:
            raise CommandError("No answer (end of input); give the values as flags with --no-input.") from None
        return answer or default

    def _check(self, values: dict[str, Any]) -> None:
        errors = []
        if not values["slug"]:
            errors.append("The organisation's name gives no slug: give --slug.")
        elif Organisation.objects.filter(slug=values["slug"]).exists():
            raise CommandError(f"The organisation {values['slug']!r} exists already: this runs once an organisation.")
        if values["language"] not in LANGUAGES:
            errors.append(f"Unknown language {values['language']!r}: use one of {', '.join(LANGUAGES)}.")
        if not re.fullmatch(r"[A-Z]{3}", str(values["currency"]).upper()):
            errors.append(f"{values['currency']!r} is not a currency code (three letters, e.g. VND).")
        if not re.fullmatch(r"[A-Za-z]{2}", str(values["country"])):
            errors.append(f"{values['country']!r} is not a country code (two letters, e.g. VN).")
        try:
            ZoneInfo(str(values["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(f"Unknown time zone {values['timezone']!r} (e.g. Asia/Ho_Chi_Minh).")
        if values["hours"] != "24/7" and not HOURS.fullmatch(str(values["hours"])):
            errors.append(f"Opening hours {values['hours']!r}: write them HH:MM-HH:MM (e.g. 08:00-22:00) or 24/7.")
        if not values["location_code"]:
            errors.append("The location's name gives no code: give --location-code.")
        if User.objects.filter(username=values["admin_username"]).exists():
            errors.append(f"The username {values['admin_username']!r} is taken.")
        if errors:
            raise CommandError("\n".join(errors))

    def _password(self, options: dict[str, Any]) -> str:
        if path := options["admin_password_file"]:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
            if not lines or not lines[0]:
                raise CommandError(f"{path} is empty: its first line must be the password.")
            return str(lines[0])
        if not options["interactive"] or not sys.stdin.isatty():
            raise CommandError("Give the administrator's password with --admin-password-file.")
        first = getpass.getpass("The administrator's password: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first

    @transaction.atomic
    def _create(self, values: dict[str, Any], password: str) -> Organisation:
        organisation = Organisation.objects.create(
            name=values["name"], slug=values["slug"], default_language=values["language"],
            currency=str(values["currency"]).upper(),
        )
        always_open = values["hours"] == "24/7"
        opening, _dash, closing = str(values["hours"]).partition("-")
        Location.objects.create(
            organisation=organisation, name=values["location_name"], code=values["location_code"],
            country=str(values["country"]).upper(), timezone=values["timezone"], always_open=always_open,
            working_hours={} if always_open else {day: [[opening, closing]] for day in WEEKDAY_KEYS},
            languages=[values["language"]],
        )
        # One standard policy, so every case has its SLA from the first one: answered within a working hour,
        # resolved within three working days (eight hours each). Changed in the admin.
        SlaPolicy.objects.create(organisation=organisation, name="Standard", first_response_minutes=60,
                                 resolution_minutes=3 * 8 * 60)
        User.objects.create_user(
            username=values["admin_username"], email=values["admin_email"] or "", password=password,
            organisation=organisation, role=Role.ADMIN, language=values["language"], is_staff=True,
            is_superuser=True,  # as the demo's administrator: the Django admin too; no locations: all of them
        )
        return organisation
