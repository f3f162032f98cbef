"""Public intake: a complaint from the web form, a customer's messages from their status page, and the private
links to that page. Each function validates, writes in one transaction, records on the case timeline (through
cases.services) and queues side effects after commit."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts import access
from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, CaseEvent, Channel, EventKind
from kintsugi.cases.triage import LANGUAGES, detect_language
from kintsugi.comms.services import Acknowledgement, acknowledgement_for, queue_acknowledgements
from kintsugi.intake import limits, touchpoints
from kintsugi.intake.models import Attachment, CaseAccessLink
from kintsugi.intake.photos import Photo, PhotoRejected, process_photo
from kintsugi.lib.fastinsert import insert_rows, new
from kintsugi.lib.groupcommit import GroupCommitter
from kintsugi.lib.writelock import serialised_writes

TOKEN_BYTES = 32
MAX_PUBLIC_DESCRIPTION = 3_000
MAX_PUBLIC_MESSAGE = 3_000
MAX_CONTACT = 100
# How often opening the status page records the moment (a write on every view would cost more than it says).
SEEN_EVERY = timedelta(minutes=5)
SEVERITIES = (1, 2, 3, 4, 5)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# The shape of our own raw tokens (secrets.token_urlsafe(TOKEN_BYTES)): paths for them are built from templates.
_TOKEN_LENGTH = len(secrets.token_urlsafe(TOKEN_BYTES))
_TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{_TOKEN_LENGTH}}}")
_MARKER = "kintsugi_token_marker_".ljust(_TOKEN_LENGTH, "0")
_templates_lock = threading.Lock()
_templates: dict[tuple[str, tuple[str, ...], str, object], str] = {}


def token_path(name: str, raw_token: str, *args: str) -> str:
    """reverse(name, args=[raw_token, *args]) for a URL whose first argument is a raw token. For a token shaped
    like ours (letters, digits, "-" and "_", which the path takes as they are), the path reversed once per name,
    other arguments, script prefix and URLconf, with a marker of the same shape where the token goes, is that
    path with the token in the marker's place: about 10 us sooner than reverse(), which a submission calls
    twice."""
    if not _TOKEN_SHAPE.fullmatch(raw_token):
        return reverse(name, args=[raw_token, *args])
    key = (name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    template = _templates.get(key)
    if template is None:
        template = reverse(name, args=[_MARKER, *args])
        if template.count(_MARKER) != 1:
            template = ""  # the marker also elsewhere in the path: always reverse()
        with _templates_lock:
            if len(_templates) >= 1000:
                _templates.clear()
            _templates[key] = template
    if not template:
        return reverse(name, args=[raw_token, *args])
    return template.replace(_MARKER, raw_token)


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
    with _writes():
        limits.hit_all([(limits.client_key(client_ip), per_ip), (f"touchpoint:{touchpoint.pk}", per_touchpoint)], at)


@contextmanager
def _writes() -> Iterator[None]:
    """One write transaction; on its own (not nested), queued behind this process's other writers."""
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            yield
        return
    with serialised_writes(), transaction.atomic():
        yield


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


def _attach(case: Case, event: CaseEvent, photo: Photo, key: uuid.UUID, name: str, at: datetime) -> Attachment:
    return Attachment.objects.create(
        organisation_id=case.organisation_id, case=case, event=event, uuid=key, file=name,
        content_type="image/jpeg", width=photo.width, height=photo.height, size=photo.size,
        uploaded_by_customer=True, created_at=at,
    )


def issue_link(case: Case, *, at: datetime | None = None) -> tuple[CaseAccessLink, str]:
    """A new private link to the case's status page; the raw token is returned once and never stored."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    link = CaseAccessLink(case=case, token_hash=hash_token(raw), created_at=at or timezone.now())
    insert_rows([link], returning_pk=True)
    return link, raw


def issue_links(cases: Sequence[Case], raw_tokens: Sequence[str], *, at: Sequence[datetime]) -> None:
    """Private links to these cases' status pages with these fresh raw tokens (at their moments), in one
    insert."""
    insert_rows([
        new(CaseAccessLink, case=case, token_hash=hash_token(raw), created_at=moment)
        for case, raw, moment in zip(cases, raw_tokens, at, strict=True)
    ])


class TouchpointChanged(Exception):
    """The touchpoint a submission was made against has changed since (kintsugi.intake.touchpoints): nothing
    was written; make the submission again from a fresh read of the touchpoint."""


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
    touchpoint_stamp: str | None = None,
) -> tuple[Case, str]:
    """Open a web case from the touchpoint's public form (rate-limited per client and per touchpoint), with its
    photo and a private status link, and queue the acknowledgement on the contact given; returns the case and
    the raw status token. Raises InvalidInput for bad input, limits.RateLimited past a limit, and
    TouchpointChanged when `touchpoint` came with a stamp (touchpoints.kept_touchpoint) that is no longer
    current when the case would be written."""
    at = at or timezone.now()
    if not touchpoint.is_active:
        raise cases.InvalidInput(_("This form is no longer in use."))
    description = description.strip()
    if not description:
        raise cases.InvalidInput(_("Please tell us what happened."))
    if len(description) > MAX_PUBLIC_DESCRIPTION:
        raise cases.InvalidInput(
            _("Please keep it under %(max)d characters.") % {"max": MAX_PUBLIC_DESCRIPTION}
        )
    if severity not in SEVERITIES:
        raise cases.InvalidInput(_("Please choose how bad it is."))
    if any(len(value) > MAX_CONTACT for value in (phone, email, line_id, zalo_id)):
        raise cases.InvalidInput(_("A contact detail is too long."))
    language = form_language if form_language in LANGUAGES else touchpoint.organisation.default_language
    contact = None
    if any(value.strip() for value in (phone, email, line_id, zalo_id)):
        contact = cases.CustomerContact(phone=phone, email=email, line_id=line_id, zalo_id=zalo_id, language=language)
    request = cases.CaseRequest(
        by=None, organisation=touchpoint.organisation, location=touchpoint.location, touchpoint=touchpoint,
        channel=Channel.WEB, contact=contact, severity=severity, description=description,
        # The form's language is the prior for text too short or too plain to tell.
        language=detect_language(description, language), at=at,
    )
    checked = _photo(photo)
    submission = _with_acknowledgement(_Submission(
        prepared=cases.prepare_case(request), touchpoint=touchpoint, client_ip=client_ip, photo=checked,
        stored=_put_file(touchpoint.organisation_id, checked, at) if checked is not None else None,
        email=cases.normalise_email(email), line_id=line_id, zalo_id=zalo_id, at=at,
        raw_token=secrets.token_urlsafe(TOKEN_BYTES), touchpoint_stamp=touchpoint_stamp,
    ))
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                outcome = _write_submissions_here([submission])[0]
        else:
            outcome = _submissions.submit(submission)
        if isinstance(outcome, BaseException):
            raise outcome
    except BaseException:
        if submission.stored is not None:
            default_storage.delete(submission.stored[1])
        raise
    return outcome


@dataclass(slots=True)
class _Submission:
    """A validated public form submission, its case prepared and its photo already on disk."""

    prepared: cases.PreparedCase
    touchpoint: Touchpoint
    client_ip: str
    photo: Photo | None
    stored: tuple[uuid.UUID, str] | None
    email: str
    line_id: str
    zalo_id: str
    at: datetime
    raw_token: str  # of its status link
    # The stamp its touchpoint stands for, confirmed in the writing transaction (None: read afresh).
    touchpoint_stamp: str | None = None
    # Its acknowledgement, worked out before the write lock is taken (all but the case's reference).
    acknowledgement: Acknowledgement | None = None


def _with_acknowledgement(submission: _Submission) -> _Submission:
    """The submission (fresh, not yet shared with the writer) with its acknowledgement worked out."""
    submission.acknowledgement = acknowledgement_for(
        submission.prepared.case, status_url(submission.raw_token), email=submission.email,
        line_id=submission.line_id, zalo_id=submission.zalo_id, at=submission.at,
    )
    return submission


def _write_submissions_here(batch: Sequence[_Submission]) -> list[tuple[Case, str] | Exception]:
    """Write submissions in the current transaction: their rate-limit hits (one statement for the burst while no
    window fills; a refused one is left out, none of its hits kept), then all accepted cases at once, then each
    one's link, photo and acknowledgement. The outcome of each: (case, raw status token), or the refusal to raise
    to its sender. A submission made against a touchpoint that has changed since is refused first, its hits not
    counted (one read of the stamp for the burst)."""
    stamps = {s.touchpoint_stamp for s in batch} - {None}
    current = {None} | {stamp for stamp in stamps if touchpoints.stamp_is(stamp)}
    refusals: dict[int, Exception] = {
        index: TouchpointChanged() for index, s in enumerate(batch) if s.touchpoint_stamp not in current
    }
    counted = [s for index, s in enumerate(batch) if index not in refusals]
    per_ip, per_touchpoint = form_limits()
    outcomes = iter(limits.hit_many([
        ([(limits.client_key(s.client_ip), per_ip), (f"touchpoint:{s.touchpoint.pk}", per_touchpoint)], s.at)
        for s in counted
    ]))
    for index in range(len(batch)):
        if index not in refusals and (refused := next(outcomes)) is not None:
            refusals[index] = refused
    accepted = [s for i, s in enumerate(batch) if i not in refusals]
    cases.open_prepared_cases([s.prepared for s in accepted])
    # The links, then the photos, then the acknowledgements of the whole burst (one insert each, but photos).
    issue_links([s.prepared.case for s in accepted], [s.raw_token for s in accepted], at=[s.at for s in accepted])
    for submission in accepted:
        if submission.photo is not None and submission.stored is not None:
            case = submission.prepared.case
            created = case.events.filter(kind=EventKind.CREATED).order_by("id").first()
            assert created is not None
            _attach(case, created, submission.photo, *submission.stored, submission.at)
    queue_acknowledgements([s.acknowledgement for s in accepted])
    written = iter([(s.prepared.case, s.raw_token) for s in accepted])
    return [refusals[index] if index in refusals else next(written) for index in range(len(batch))]


def _write_submissions(batch: Sequence[_Submission]) -> list[tuple[Case, str] | Exception]:
    with serialised_writes(), transaction.atomic(durable=True):
        return _write_submissions_here(batch)


def _write_submission_again(submission: _Submission) -> tuple[Case, str] | Exception:
    # After a failed batch the prepared case may hold ids of rolled-back rows: prepare it afresh.
    again = _with_acknowledgement(replace(submission, prepared=cases.prepare_again(submission.prepared)))
    return _write_submissions([again])[0]


# Concurrent submissions in one web worker share a transaction (one commit for the burst), as API creates do.
_submissions = GroupCommitter(_write_submissions, write_one=_write_submission_again, max_batch=64,
                              hold=serialised_writes)


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
        with _writes():
            limits.hit(f"link:{link.pk}", limits.Limit.parse(settings.PUBLIC_STATUS_LIMIT_PER_LINK), at)
            cases.receive_message(case, body, at=at, channel=Channel.WEB)
            from kintsugi.recovery.services import reopen_after_customer_message

            reopen_after_customer_message(case, at=at)  # writing on a resolved or closed case: not over
            event = case.events.filter(kind=EventKind.MESSAGE_IN).order_by("-id").first()
            assert event is not None
            if checked is not None and stored is not None:
                _attach(case, event, checked, *stored, at)
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
