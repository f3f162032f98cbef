"""The files a customer sent with a message, kept like the form's photos: a photo re-encoded without its metadata
(kintsugi.intake.photos), any other file we accept kept as sent, its type sniffed from its content (never its
name or the type the sender declared), each under a size limit. A file we do not keep stays in the original
payload, one click away, and is named on the timeline."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import filetype  # type: ignore[import-untyped]
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kintsugi.cases.models import Case
from kintsugi.intake.inbound.normalised import InboundFile
from kintsugi.intake.models import Attachment
from kintsugi.intake.photos import PhotoRejected, process_photo

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Kept as sent: documents and recordings customers send with a complaint (a receipt, a voice message).
KEPT_TYPES = {
    "application/pdf": "pdf",
    "image/gif": "gif",
    "image/heic": "heic",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/ogg": "ogg",
    "audio/aac": "aac",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
}
MAX_FILES = 10


@dataclass(frozen=True, slots=True)
class KeptFile:
    data: bytes
    content_type: str
    extension: str
    filename: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Files:
    kept: tuple[KeptFile, ...]
    skipped: tuple[str, ...]  # the names of the files not kept, each with why


def _name(file: InboundFile) -> str:
    return (file.filename or "").replace("/", "_").replace("\\", "_").strip()[:200]


def prepare(files: Sequence[InboundFile]) -> Files:
    """Check and convert the files (CPU work, before any transaction)."""
    kept: list[KeptFile] = []
    skipped: list[str] = []
    limit = settings.INBOUND_MAX_ATTACHMENT_BYTES
    for file in files:
        name = _name(file) or "?"
        if len(kept) >= MAX_FILES:
            skipped.append(f"{name}: more than {MAX_FILES} files")
            continue
        if len(file.data) > limit:
            skipped.append(f"{name}: larger than {limit // (1024 * 1024)} MB")
            continue
        kind = filetype.guess(file.data)
        mime = kind.mime if kind is not None else ""
        if mime in PHOTO_TYPES:
            try:
                photo = process_photo(file.data)
            except PhotoRejected as exc:
                skipped.append(f"{name}: {exc}")
                continue
            kept.append(KeptFile(photo.data, "image/jpeg", "jpg", _name(file), photo.width, photo.height))
        elif mime in KEPT_TYPES:
            kept.append(KeptFile(file.data, mime, KEPT_TYPES[mime], _name(file)))
        elif file.inline:
            continue  # a logo or a spacer in a mail's HTML: nothing the customer meant to send
        else:
            skipped.append(f"{name}: {mime or file.content_type or 'unknown type'} not kept")
    return Files(tuple(kept), tuple(skipped))


def save(case: Case, event_id: int | None, files: Files, at: datetime) -> list[Attachment]:
    """Write the kept files and their rows, on the event they came with (inside the caller's transaction)."""
    attachments = []
    for file in files.kept:
        key = uuid.uuid4()
        name = default_storage.save(
            f"attachments/{case.organisation_id}/{at:%Y}/{key}.{file.extension}", ContentFile(file.data)
        )
        attachment = Attachment(
            organisation_id=case.organisation_id, case=case, event_id=event_id, uuid=key,
            content_type=file.content_type, extension=file.extension, filename=file.filename,
            width=file.width, height=file.height,
            size=len(file.data), uploaded_by_customer=True, created_at=at,
        )
        attachment.file.name = name
        attachments.append(attachment)
    return Attachment.objects.bulk_create(attachments)
