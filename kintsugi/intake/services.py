"""Public intake: a complaint from the web form, a customer's messages from their status page, and the private
links to that page. Each function validates, writes in one transaction, records on the case timeline (through
cases.services) and queues side effects after commit."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases import access
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, CaseEvent, Channel, EventKind
from kintsugi.cases.triage import LANGUAGES, detect_language
from kintsugi.comms.services import acknowledgement_for, queue_acknowledgements
from kintsugi.intake import limits
from kintsugi.intake.models import Attachment, CaseAccessLink
from kintsugi.intake.photos import Photo, PhotoRejected, process_photo

TOKEN_BYTES = 32
MAX_PUBLIC_DESCRIPTION = 3_000
MAX_PUBLIC_MESSAGE = 3_000
MAX_CONTACT = 100
# How often opening the status page records the moment (a write on every view would cost more than it says).
SEEN_EVERY = timedelta(minutes=5)
SEVERITIES = (1, 2, 3, 4, 5)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_path(name: str, raw_token: str, *args: str) -> str:
    """The path of a page reached by a raw token (the status page, the acknowledgement)."""
    return reverse(name, args=[raw_token, *args])


def status_path(raw_token: str, language: str | None = None) -> str:
    if language:
        return token_path("public_status_lang", raw_token, language)
    return token_path("public_status", raw_token)


def status_url(raw_token: str) -> str:
    """The absolute status page link given to the customer (from SITE_URL, never from the request's Host)."""
    return settings.SITE_URL.rstrip("/") + status_path(raw_token)


def form_limits() -> tuple[limits.Limit, limits.Limit]:
    """The public form's limits per client address and per touchpoint, from settings."""
    return (
        limits.Limit.parse(settings.PUBLIC_FORM_LIMIT_PER_IP),
        limits.Limit.parse(settings.PUBLIC_FORM_LIMIT_PER_TOUCHPOINT),
    )


def form_retry_after(touchpoint: Touchpoint, client_ip: str, at: datetime | None = None) -> int:
    """Seconds before this client may submit the touchpoint's form again (0: now), without counting a hit."""
    at = at or timezone.now()
    per_ip, per_touchpoint = form_limits()
    return max(
        limits.retry_after(limits.client_key(client_ip), per_ip, at),
        limits.retry_after(f"touchpoint:{touchpoint.pk}", per_touchpoint, at),
    )


def count_form_hit(touchpoint: Touchpoint, client_ip: str, at: datetime | None = None) -> None:
    """Count one submission of the touchpoint's form (raises RateLimited past a limit); for submissions that
    create nothing, such as a bot's filled honeypot, so they use up the same allowance."""
    at = at or timezone.now()
    per_ip, per_touchpoint = form_limits()
    with transaction.atomic():
        limits.hit_all([(limits.client_key(client_ip), per_ip), (f"touchpoint:{touchpoint.pk}", per_touchpoint)], at)


def _photo(photo: Photo | IO[bytes] | bytes | None) -> Photo | None:
    if photo is None or isinstance(photo, Photo):
        return photo
    try:
        return process_photo(photo)
    except PhotoRejected as exc:
        raise cases.InvalidInput(exc) from exc


def _put_file(case_organisation_id: int, photo: Photo, at: datetime) -> tuple[uuid.UUID, str]:
    """Write the photo's file before the transaction (disk I/O never holds the database's write lock)."""
    key = uuid.uuid4()
    name = default_storage.save(
        f"attachments/{case_organisation_id}/{at:%Y}/{key}.jpg", ContentFile(photo.data)
    )
    return key, name


def _attach(case: Case, event_id: int, photo: Photo, key: uuid.UUID, name: str, at: datetime) -> Attachment:
    return Attachment.objects.create(
        organisation_id=case.organisation_id, case=case, event_id=event_id, uuid=key, file=name,
        content_type="image/jpeg", width=photo.width, height=photo.height, size=photo.size,
        uploaded_by_customer=True, created_at=at,
    )


def issue_link(case: Case, *, at: datetime | None = None) -> tuple[CaseAccessLink, str]:
    """A new private link to the case's status page; the raw token is returned once and never stored."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    link = CaseAccessLink.objects.create(case=case, token_hash=hash_token(raw), created_at=at or timezone.now())
    return link, raw


class TouchpointSwitchedOff(Exception):
    """The complaint's touchpoint was switched off (or removed) after its form was found: nothing is written."""


@dataclass(frozen=True, slots=True)
class PublicComplaint:
    """One complaint from a touchpoint's public form, as the customer sent it (the photo already checked)."""

    touchpoint: Touchpoint
    description: str
    severity: int
    form_language: str
    client_ip: str
    phone: str = ""
    email: str = ""
    line_id: str = ""
    zalo_id: str = ""
    photo: Photo | None = None
    name: str = ""
    booking_reference: str = ""
    occurred_at: datetime | None = None


def _case_request(complaint: PublicComplaint, at: datetime) -> cases.CaseRequest:
    """The case a complaint opens; raises InvalidInput for what the form should have refused."""
    touchpoint = complaint.touchpoint
    if not touchpoint.is_active:
        raise cases.InvalidInput(_("This form is no longer in use."))
    description = complaint.description.strip()
    if not description:
        raise cases.InvalidInput(_("Please tell us what happened."))
    if len(description) > MAX_PUBLIC_DESCRIPTION:
        raise cases.InvalidInput(_("Please keep it under %(max)d characters.") % {"max": MAX_PUBLIC_DESCRIPTION})
    if complaint.severity not in SEVERITIES:
        raise cases.InvalidInput(_("Please choose how bad it is."))
    contacts = (complaint.phone, complaint.email, complaint.line_id, complaint.zalo_id)
    if any(len(value) > MAX_CONTACT for value in (*contacts, complaint.name)):
        raise cases.InvalidInput(_("A contact detail is too long."))
    language = (
        complaint.form_language if complaint.form_language in LANGUAGES else touchpoint.organisation.default_language
    )
    contact = None
    if any(value.strip() for value in (*contacts, complaint.name)):
        contact = cases.CustomerContact(name=complaint.name, phone=complaint.phone, email=complaint.email,
                                        line_id=complaint.line_id, zalo_id=complaint.zalo_id, language=language,
                                        verified=False)  # anyone at the counter can type any number
    return cases.CaseRequest(
        by=None, organisation=touchpoint.organisation, location=touchpoint.location, touchpoint=touchpoint,
        channel=Channel.WEB, contact=contact, severity=complaint.severity, description=description,
        # The form's language is the prior for text too short or too plain to tell.
        language=detect_language(description, language), at=at,
        booking_reference=complaint.booking_reference, occurred_at=complaint.occurred_at,
    )


def _as_touchpoints_are_now(complaints: Sequence[PublicComplaint]) -> list[PublicComplaint | None]:
    """The complaints with their touchpoints as the database has them now (a web process keeps the touchpoints it
    found for a few seconds: accounts.selectors): one read for the batch, and the touchpoint read again, with its
    place, for a complaint whose touchpoint has moved since; None for one whose touchpoint was switched off or
    removed since."""
    now = dict(Touchpoint.objects.filter(
        pk__in={c.touchpoint.pk for c in complaints}, is_active=True
    ).values_list("pk", "location_id"))
    current: list[PublicComplaint | None] = []
    for complaint in complaints:
        touchpoint = complaint.touchpoint
        if touchpoint.pk not in now:
            current.append(None)
        elif now[touchpoint.pk] != touchpoint.location_id:
            moved = Touchpoint.objects.select_related("location", "organisation").get(pk=touchpoint.pk)
            current.append(replace(complaint, touchpoint=moved))
        else:
            current.append(complaint)
    return current


def submit_public_complaints(
    complaints: Sequence[PublicComplaint], *, at: datetime | None = None
) -> list[tuple[Case, str] | limits.RateLimited | TouchpointSwitchedOff]:
    """Open a web case for each complaint from a touchpoint's public form, in one transaction: each counted
    against the form's limits per client and per touchpoint, then opened (cases.services.open_cases) with its photo
    and a private status link, and its acknowledgement queued on the contact given. The outcome of each: the case
    and the raw status token, or the RateLimited or TouchpointSwitchedOff refusal (that complaint writes
    nothing). Raises InvalidInput, writing nothing, when any complaint is invalid."""
    at = at or timezone.now()
    email = [cases.normalise_email(complaint.email) for complaint in complaints]
    # Photo files are written before the transaction (disk I/O never holds the database's write lock).
    stored = [_put_file(c.touchpoint.organisation_id, c.photo, at) if c.photo else None for c in complaints]
    try:
        with transaction.atomic():
            current = _as_touchpoints_are_now(complaints)
            requests = {i: _case_request(c, at) for i, c in enumerate(current) if c is not None}
            per_ip, per_touchpoint = form_limits()
            refusals: list[limits.RateLimited | TouchpointSwitchedOff | None] = [
                None if c is not None else TouchpointSwitchedOff() for c in current
            ]
            for index, limited in zip(requests, limits.hit_many([
                ([(limits.client_key(c.client_ip), per_ip), (f"touchpoint:{c.touchpoint.pk}", per_touchpoint)], at)
                for c in (complaints[i] for i in requests)
            ]), strict=True):
                refusals[index] = limited
            accepted = [index for index, refused in enumerate(refusals) if refused is None]
            opened = dict(zip(accepted, cases.open_cases([requests[i] for i in accepted]), strict=True))
            tokens = {index: secrets.token_urlsafe(TOKEN_BYTES) for index in accepted}
            CaseAccessLink.objects.bulk_create([
                CaseAccessLink(case=opened[i], token_hash=hash_token(tokens[i]), created_at=at) for i in accepted
            ])
            with_photo = [i for i in accepted if stored[i] is not None]
            if with_photo:
                created = dict(CaseEvent.objects.filter(
                    case__in=[opened[i] for i in with_photo], kind=EventKind.CREATED
                ).values_list("case_id", "id"))
                for i in with_photo:
                    photo, file = complaints[i].photo, stored[i]
                    assert photo is not None
                    assert file is not None
                    _attach(opened[i], created[opened[i].pk], photo, *file, at)
            queue_acknowledgements([
                acknowledgement_for(opened[i], status_url(tokens[i]), email=email[i], line_id=complaints[i].line_id,
                                    zalo_id=complaints[i].zalo_id, at=at)
                for i in accepted
            ])
    except BaseException:
        for file in stored:
            if file is not None:
                default_storage.delete(file[1])
        raise
    outcomes: list[tuple[Case, str] | limits.RateLimited | TouchpointSwitchedOff] = []
    for index, refused in enumerate(refusals):
        if refused is not None:
            if stored[index] is not None:
                default_storage.delete(stored[index][1])  # type: ignore[index]
            outcomes.append(refused)
        else:
            outcomes.append((opened[index], tokens[index]))
    return outcomes


def submit_public_complaint(
    *,
    touchpoint: Touchpoint,
    description: str,
    severity: int,
    phone: str = "",
    email: str = "",
    line_id: str = "",
    zalo_id: str = "",
    photo: Photo | IO[bytes] | bytes | None = None,
    form_language: str,
    client_ip: str,
    at: datetime | None = None,
    name: str = "",
    booking_reference: str = "",
    occurred_at: datetime | None = None,
) -> tuple[Case, str]:
    """One complaint from the touchpoint's public form: submit_public_complaints for it alone; raises RateLimited
    past a limit, TouchpointSwitchedOff for a touchpoint no longer active."""
    complaint = PublicComplaint(
        touchpoint=touchpoint, description=description, severity=severity, form_language=form_language,
        client_ip=client_ip, phone=phone, email=email, line_id=line_id, zalo_id=zalo_id, photo=_photo(photo),
        name=name, booking_reference=booking_reference, occurred_at=occurred_at,
    )
    [outcome] = submit_public_complaints([complaint], at=at)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def link_for_token(raw_token: str) -> CaseAccessLink | None:
    """The active link with this raw token, its case and what the status page shows; None when unknown or
    revoked."""
    if not raw_token or len(raw_token) > 100:
        return None
    return (
        CaseAccessLink.objects.select_related(
            "case__organisation", "case__location", "case__touchpoint", "case__assignee"
        )
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True)
        .first()
    )


def note_seen(link: CaseAccessLink, *, at: datetime | None = None) -> None:
    """Record that the customer opened their status page, at most once per SEEN_EVERY."""
    at = at or timezone.now()
    if link.last_seen_at is not None and at - link.last_seen_at < SEEN_EVERY:
        return
    CaseAccessLink.objects.filter(pk=link.pk).update(last_seen_at=at)
    link.last_seen_at = at


def add_customer_message(
    link: CaseAccessLink,
    body: str,
    photo: Photo | IO[bytes] | bytes | None = None,
    *,
    at: datetime | None = None,
) -> CaseEvent:
    """A message (and/or a photo) from the customer's status page joins the case's timeline, as if they had
    written on the case's channel: a case awaiting them moves on. Returns the message's timeline event."""
    at = at or timezone.now()
    if link.revoked_at is not None:
        raise cases.NotAllowed(_("This link is no longer valid."))
    body = body.strip()
    checked = _photo(photo)
    if not body and checked is None:
        raise cases.InvalidInput(_("Please write a message or add a photo."))
    if len(body) > MAX_PUBLIC_MESSAGE:
        raise cases.InvalidInput(_("Please keep it under %(max)d characters.") % {"max": MAX_PUBLIC_MESSAGE})
    case = link.case
    if not body:
        with translation.override(case.language):
            body = translation.gettext("(photo)")
    stored = _put_file(case.organisation_id, checked, at) if checked is not None else None
    try:
        with transaction.atomic():
            limits.hit(f"link:{link.pk}", limits.Limit.parse(settings.PUBLIC_STATUS_LIMIT_PER_LINK), at)
            cases.receive_message(case, body, at=at, channel=Channel.WEB)
            if not case.is_open:  # writing on a resolved or closed case from its status page: it is not over
                cases.reopen(case, by=None, reason="customer_wrote", at=at)
            event = case.events.filter(kind=EventKind.MESSAGE_IN).order_by("-id").first()
            assert event is not None
            if checked is not None and stored is not None:
                _attach(case, event.pk, checked, *stored, at)
    except BaseException:
        if stored is not None:
            default_storage.delete(stored[1])
        raise
    return event


@transaction.atomic
def revoke_link(link: CaseAccessLink, *, by: User, at: datetime | None = None) -> CaseAccessLink:
    """Staff switch off a status page link (it answers “not found” from now on); recorded on the timeline."""
    at = at or timezone.now()
    if not access.can_view_case(by, link.case):
        raise cases.NotAllowed(_("You do not have access to this case."))
    won = CaseAccessLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=at, revoked_by=by)
    if not won:
        link.refresh_from_db()
        return link
    link.revoked_at, link.revoked_by = at, by
    CaseEvent.objects.create(
        case=link.case, organisation_id=link.case.organisation_id, kind=EventKind.UPDATED, actor=by,
        is_customer_visible=False, data={"status_link": "revoked", "link_id": link.pk}, created_at=at,
    )
    return link
