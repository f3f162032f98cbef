"""What we say to the customer: the five-part apology and the organisation's lint phrases, reply templates, and
thank-and-explain. Every write checks permission and invariants.

Messages to the customer go through cases.services.send_to_customer (outbox after commit, timeline event of the
given kind); the organisation's lint phrases and reply templates are settings, not case history, so they write
no timeline event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kintsugi.accounts.models import Role, User
from kintsugi.cases import access
from kintsugi.cases.models import Case, Category, EventKind
from kintsugi.cases.services import InvalidInput, NotAllowed, send_to_customer
from kintsugi.intake import services as intake
from kintsugi.intake.wording import first_name
from kintsugi.lib.dates import format_moment
from kintsugi.recovery import apology, replies
from kintsugi.recovery.models import ApologyPhrase, PhraseKind, ReplyTemplate
from kintsugi.remedies.selectors import offered_remedy
from kintsugi.remedies.services import offer_sentence

MANAGING_ROLES = frozenset({Role.CX_MANAGER, Role.ADMIN})
MAX_PHRASE = 100
MAX_TEMPLATE_NAME = 100
MAX_TEMPLATE_BODY = 5000


def can_manage_messages(user: User) -> bool:
    """CX managers and administrators edit the lint phrases and the reply templates; everyone else reads them."""
    return user.role in MANAGING_ROLES


def _require_manager(user: User) -> None:
    if not can_manage_messages(user):
        raise NotAllowed(_("Only CX managers and administrators can change this."))


def _organisation_id(user: User) -> int:
    if user.organisation_id is None:
        raise NotAllowed(_("Your account is not linked to an organisation."))
    return user.organisation_id


# --------------------------------------------------------------------------------------------- the apology


def remedy_offer_text(case: Case, language: str) -> str:
    """The offer to put it right (part 1), from the remedy the case's customer is being given; "" when none."""
    remedy = offered_remedy(case)
    return offer_sentence(remedy, language) if remedy is not None else ""


def lint_phrases(organisation_id: int, language: str) -> list[apology.Phrase]:
    """The organisation's own phrases for `language`, for the lint (the built-in ones are added by the lint)."""
    rows = ApologyPhrase.objects.filter(organisation_id=organisation_id, language=language)
    return [apology.Phrase(phrase, kind) for phrase, kind in rows.values_list("phrase", "kind")]


@transaction.atomic
def send_apology(
    case: Case,
    parts: Mapping[str, str],
    *,
    by: User,
    at: datetime | None = None,
    include_forgiveness: bool = False,
) -> Any:
    """Compose the five-part apology and send it on the case's channel, recording the time from the complaint;
    a missing required part is refused (nothing sent). Lint warnings never block sending."""
    at = at or timezone.now()
    missing = apology.missing_parts(parts)
    if missing:
        titles = ", ".join(str(apology.PARTS_BY_KEY[key].title) for key in missing)
        raise InvalidInput(_("The apology needs every required part. Missing: %(parts)s.") % {"parts": titles})
    too_long = [key for key in apology.PARTS_BY_KEY if len(parts.get(key) or "") > apology.MAX_PART]
    if too_long:
        raise InvalidInput(_("Each part may have at most %(max)d characters.") % {"max": apology.MAX_PART})
    sent = [key for key in apology.part_keys(include_forgiveness) if (parts.get(key) or "").strip()]
    text = apology.compose(parts, include_forgiveness=include_forgiveness)
    extra = lint_phrases(case.organisation_id, case.language)
    warnings = sum(len(found) for found in apology.lint_parts(
        {key: parts.get(key) or "" for key in sent}, case.language, extra).values())
    seconds = max(0, int((at - case.created_at).total_seconds()))
    return send_to_customer(
        case, text, by=by, at=at, kind=EventKind.APOLOGY_SENT,
        data={"parts": sent, "seconds_since_complaint": seconds, "warnings": warnings},
    )


@transaction.atomic
def add_apology_phrase(*, by: User, language: str, phrase: str, kind: str) -> ApologyPhrase:
    """Add a phrase to the organisation's apology lint for one language."""
    _require_manager(by)
    organisation_id = _organisation_id(by)
    text = " ".join(apology.normalise(phrase).split())
    if language not in apology.LANGUAGES:
        raise InvalidInput(_("Choose Vietnamese, Thai or English."))
    if kind not in PhraseKind.values:
        raise InvalidInput(_("Choose what kind of phrase this is."))
    if not text:
        raise InvalidInput(_("The phrase is empty."))
    if len(text) > MAX_PHRASE:
        raise InvalidInput(_("The phrase is too long (at most %(max)d characters).") % {"max": MAX_PHRASE})
    builtin = {apology.normalise(p.text).casefold() for p in apology.BUILTIN_PHRASES[language]}
    existing = ApologyPhrase.objects.filter(organisation_id=organisation_id, language=language)
    if text.casefold() in builtin or any(p.casefold() == text.casefold()
                                         for p in existing.values_list("phrase", flat=True)):
        raise InvalidInput(_("This phrase is already on the list."))
    try:
        with transaction.atomic():
            return ApologyPhrase.objects.create(organisation_id=organisation_id, language=language, phrase=text,
                                                kind=kind, created_by=by)
    except IntegrityError:
        raise InvalidInput(_("This phrase is already on the list.")) from None


@transaction.atomic
def remove_apology_phrase(phrase: ApologyPhrase, *, by: User) -> None:
    """Take one of the organisation's own phrases off its apology lint (built-in phrases stay)."""
    _require_manager(by)
    if phrase.organisation_id != _organisation_id(by):
        raise NotAllowed(_("You cannot change another organisation's phrases."))
    phrase.delete()


# --------------------------------------------------------------------------------------------- reply templates


def _clean_template(organisation_id: int, *, language: str, category: Category | None, name: str,
                    body: str) -> tuple[str, str]:
    name, body = name.strip(), body.strip()
    if language not in apology.LANGUAGES:
        raise InvalidInput(_("Choose Vietnamese, Thai or English."))
    if category is not None and category.organisation_id != organisation_id:
        raise InvalidInput(_("Unknown category."))
    if not name:
        raise InvalidInput(_("Give the template a name."))
    if not body:
        raise InvalidInput(_("The template's text is empty."))
    if len(name) > MAX_TEMPLATE_NAME or len(body) > MAX_TEMPLATE_BODY:
        raise InvalidInput(_("The name or the text is too long."))
    return name, body


@transaction.atomic
def save_reply_template(
    template: ReplyTemplate | None,
    *,
    by: User,
    language: str,
    category: Category | None,
    name: str,
    body: str,
    at: datetime | None = None,
) -> tuple[ReplyTemplate, replies.Filled]:
    """Create (template None) or change a reply template; returns it with what its placeholders check found
    (unknown or malformed placeholders are kept as typed, and reported)."""
    _require_manager(by)
    organisation_id = _organisation_id(by)
    if template is not None and template.organisation_id != organisation_id:
        raise NotAllowed(_("You cannot change another organisation's templates."))
    name, body = _clean_template(organisation_id, language=language, category=category, name=name, body=body)
    if template is None:
        template = ReplyTemplate(organisation_id=organisation_id)
    template.language, template.category, template.name, template.body = language, category, name, body
    template.updated_by, template.updated_at = by, at or timezone.now()
    template.save()
    return template, replies.check(body)


@transaction.atomic
def delete_reply_template(template: ReplyTemplate, *, by: User) -> None:
    """Delete one of the organisation's reply templates."""
    _require_manager(by)
    if template.organisation_id != _organisation_id(by):
        raise NotAllowed(_("You cannot change another organisation's templates."))
    template.delete()


def template_values(case: Case, *, by: User, status_url: str = "") -> dict[str, str]:
    """The placeholders' values for `case`, as the customer reads them (in the case's language)."""
    language = case.language
    expected = ""
    due = case.resolution_due_at
    if due is not None:
        expected = format_moment(due.astimezone(ZoneInfo(case.location.timezone)), "SHORT_DATETIME_FORMAT",
                                 language=language, buddhist=case.organisation.thai_buddhist_year)
    return {
        "customer_name": case.addressed_as,
        "reference": case.reference,
        "expected_time": expected,
        "location": case.location.name,
        "agent_name": first_name(by),
        "status_url": status_url,
        "organisation": case.organisation.name,
        "category": case.category.label(language) if case.category is not None else "",
    }


@transaction.atomic
def fill_reply_template(case: Case, template: ReplyTemplate, *, by: User,
                        at: datetime | None = None) -> replies.Filled:
    """The template filled for `case`; a template that shows the status page link gets a fresh link issued."""
    if not access.can_view_case(by, case) or template.organisation_id != case.organisation_id:
        raise NotAllowed(_("You do not have access to this case."))
    status_url = ""
    if "status_url" in replies.used(template.body):
        _link, raw = intake.issue_link(case, at=at)
        status_url = intake.status_url(raw)
    return replies.fill(template.body, template_values(case, by=by, status_url=status_url))


# --------------------------------------------------------------------------------------------- thank-and-explain


@transaction.atomic
def send_thanks(case: Case, body: str, *, by: User, at: datetime | None = None) -> Any:
    """Send the closing message that thanks the customer and explains what was done (THANKS_SENT)."""
    return send_to_customer(case, body, by=by, at=at, kind=EventKind.THANKS_SENT)
