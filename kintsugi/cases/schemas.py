"""The API's request and response shapes for cases and events (touchpoints and places: kintsugi.accounts.schemas).

Input models reject unknown fields and wrong types (strict mode: no "3" for 3, no true for 1) and any text that
the databases cannot store (NUL characters, lone surrogates). Output models document what the endpoints return;
the endpoints build plain dicts and a test checks them against these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from kintsugi.accounts.schemas import PlaceOut
from kintsugi.cases.facts import MAX_BOOKING_REFERENCE
from kintsugi.cases.models import Status
from kintsugi.cases.services import MAX_DESCRIPTION, MAX_MESSAGE

ChannelIn = Literal["api", "web", "email", "line", "messenger", "zalo", "phone", "in_person"]
LanguageIn = Literal["en", "vi", "th"]
FailureTypeIn = Literal["monetary", "product", "service_process", "lack_of_attention"]
StatusIn = Literal[
    "new", "acknowledged", "in_progress", "awaiting_customer", "resolved", "closed", "reopened"
]
assert set(StatusIn.__args__) == set(Status.values)  # type: ignore[attr-defined]

CODE_PATTERN = r"^[-a-zA-Z0-9_]{1,50}$"


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


Storable = AfterValidator(_storable)
Text40 = Annotated[str, Field(max_length=40), Storable]
Text150 = Annotated[str, Field(max_length=150), Storable]
Text200 = Annotated[str, Field(max_length=200), Storable]
BookingReference = Annotated[str, Field(max_length=MAX_BOOKING_REFERENCE), Storable]
Text254 = Annotated[str, Field(max_length=254), Storable]
Message = Annotated[str, Field(max_length=MAX_MESSAGE), Storable]
Description = Annotated[str, Field(max_length=MAX_DESCRIPTION), Storable]


Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=50)]


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# --------------------------------------------------------------------------------------------- input


class CustomerIn(InputModel):
    """Who complains: any of these; a known email, phone or messaging id finds the existing customer."""

    name: Text200 = ""
    email: Text254 = ""
    phone: Text40 = ""
    line_id: Text200 = ""
    messenger_id: Text200 = ""
    zalo_id: Text200 = ""
    language: Literal["", "en", "vi", "th"] = ""

    @model_validator(mode="after")
    def _someone(self) -> CustomerIn:
        if not any(
            value.strip()
            for value in (self.name, self.email, self.phone, self.line_id, self.messenger_id, self.zalo_id)
        ):
            raise ValueError("give at least one of name, email, phone, line_id, messenger_id, zalo_id")
        return self


class CaseIn(InputModel):
    """A new case. Only `description` and `customer` are required."""

    description: Description
    customer: CustomerIn
    location: Code | None = Field(None, description="Location code; defaults as documented on the endpoint.")
    touchpoint: Code | None = Field(None, description="Touchpoint code; also sets the location.")
    category: Code | None = Field(None, description="Category code.")
    severity: int = Field(3, ge=1, le=5)
    failure_type: FailureTypeIn | None = None
    language: LanguageIn | None = Field(None, description="Detected from the description when left out.")
    channel: ChannelIn = "api"
    subject: Text200 = ""
    booking_reference: BookingReference = Field("", description="The customer's booking or room number.")
    occurred_at: AwareDatetime | None = Field(
        None, strict=False,
        description="When it happened, ISO 8601 with its offset; not in the future, at most 365 days ago.",
    )


class EventIn(InputModel):
    """`note` (internal), `reply` (to the customer, through the outbox) or `status` (with `status`)."""

    type: Literal["note", "reply", "status"]
    body: Message = ""
    status: StatusIn | None = None

    @model_validator(mode="after")
    def _status_only_for_status(self) -> EventIn:
        if self.type == "status" and self.status is None:
            raise ValueError("`status` is required when type is status")
        if self.type != "status" and self.status is not None:
            raise ValueError("`status` is only allowed when type is status")
        return self


class CaseFilters(BaseModel):
    """Query parameters of the case list (query strings are text, so this model is not strict)."""

    status: StatusIn | None = None
    location: Code | None = None
    category: Code | None = None
    severity: int | None = Field(None, ge=1, le=5)
    channel: ChannelIn | None = None
    assignee: Text150 | None = Field(
        None, description="`me`, `none` or a username."
    )
    q: Text200 | None = Field(
        None, description=(
            "Search, newest first: a case reference (`K-2026-000123`), the customer's phone number (local or "
            "international) or email address, or words, each found anywhere in the reference, subject, "
            "description or customer name (Vietnamese with or without diacritics, Thai without spaces). Under "
            "3 characters only an exact reference matches."
        )
    )
    limit: int = Field(25, ge=1, le=100)
    cursor: Annotated[str, Field(max_length=200)] | None = Field(None, description="`next_cursor` of the last page.")


CASE_FILTER_NAMES = frozenset(CaseFilters.model_fields)


# --------------------------------------------------------------------------------------------- output


class CategoryOut(PlaceOut):
    pass


class IdentityOut(BaseModel):
    kind: Literal["email", "phone", "line", "messenger", "zalo"]
    value: str


class CustomerOut(BaseModel):
    id: int
    name: str
    identities: list[IdentityOut]


class StaffOut(BaseModel):
    username: str
    name: str


class SlaOut(BaseModel):
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    first_response_breached: bool
    resolution_breached: bool
    paused: bool = Field(description="The resolution clock is stopped while the case awaits the customer.")


class CaseOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str
    status: StatusIn
    priority: Literal["normal", "high", "urgent"]
    severity: int
    channel: ChannelIn
    language: LanguageIn
    subject: str
    description: str
    location: PlaceOut
    touchpoint: PlaceOut | None
    category: CategoryOut | None
    customer: CustomerOut | None
    assignee: StaffOut | None
    is_repeat_failure: bool
    booking_reference: str
    occurred_at: datetime | None
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    sla: SlaOut
    url: str = Field(description="The case's page for staff.")


class CasePage(BaseModel):
    items: list[CaseOut]
    next_cursor: str | None


class EventOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    kind: str
    actor: StaffOut | None
    body: str
    is_customer_visible: bool
    data: dict[str, Any]
    created_at: datetime


class EventList(BaseModel):
    items: list[EventOut]


# --------------------------------------------------------------------------------------------- bulk

BulkStatusIn = Literal["acknowledged", "in_progress", "awaiting_customer"]
Reference = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,20}$", max_length=20)]


class BulkIn(InputModel):
    """One action over up to 100 cases: `assign` (to `assignee`, a username), `status` (to `status`), `resolve`
    or `close`. Each case goes through the one-case action and is changed, skipped (with the reason) or not
    found."""

    action: Literal["assign", "status", "resolve", "close"]
    references: list[Reference] = Field(min_length=1, max_length=100)
    assignee: Annotated[str, Field(max_length=150)] | None = None
    status: BulkStatusIn | None = None

    @model_validator(mode="after")
    def _what_the_action_needs(self) -> BulkIn:
        if (self.action == "assign") != (self.assignee is not None):
            raise ValueError("`assignee` is required for assign, and only allowed there")
        if (self.action == "status") != (self.status is not None):
            raise ValueError("`status` is required for status, and only allowed there")
        return self


class BulkSkipped(BaseModel):
    reference: str
    reason: str


class BulkOut(BaseModel):
    done: list[str]
    skipped: list[BulkSkipped]
    not_found: list[str] = Field(description="References of no case the token's user may see: left alone.")
