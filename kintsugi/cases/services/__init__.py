"""Every state change of a case: one function each, which checks permission and invariants, writes, appends a
CaseEvent to the timeline and queues side effects after commit. Views, the API, commands and tasks call these;
none re-implements them. The actor is always passed as `by=` (None means the system or the customer).

    customers     who complains: identities, find or create, confirm a claimed one, merge
    opening       the one door into a case: open_cases / open_case
    lifecycle     acknowledge, assign, status, resolve, reopen, close, escalate, details
    conversation  notes, messages to and from the customer
    timers        SLA clocks, the timer rows and the timer loop
    events        the timeline append every service goes through
    bulk          one action over many cases, each through its one-case service
"""

from kintsugi.cases.contacts import normalise_email, normalise_phone
from kintsugi.cases.errors import InvalidInput, InvalidTransition, NotAllowed, ServiceError
from kintsugi.cases.services.bulk import BULK_ACTIONS, BULK_STATUSES, MAX_BULK, BulkOutcome, bulk_act
from kintsugi.cases.services.conversation import add_note, receive_message, reply, send_to_customer
from kintsugi.cases.services.customers import (
    CustomerContact,
    confirm_customer,
    find_or_create_customer,
    merge_customers,
)
from kintsugi.cases.services.events import MAX_MESSAGE, record_event
from kintsugi.cases.services.lifecycle import (
    TRANSITIONS,
    acknowledge,
    assign,
    change_status,
    close_case,
    escalate,
    reopen,
    resolve,
    update_details,
)
from kintsugi.cases.services.opening import MAX_DESCRIPTION, CaseRequest, open_case, open_cases
from kintsugi.cases.services.timers import claim_due_timers, claim_timer, fire_timer, run_due_timers

__all__ = [
    "BULK_ACTIONS", "BULK_STATUSES", "MAX_BULK", "MAX_DESCRIPTION", "MAX_MESSAGE", "TRANSITIONS", "BulkOutcome",
    "CaseRequest", "CustomerContact", "InvalidInput", "InvalidTransition", "NotAllowed", "ServiceError",
    "acknowledge", "add_note", "assign", "bulk_act", "change_status",
    "claim_due_timers", "claim_timer", "close_case", "confirm_customer", "escalate", "find_or_create_customer",
    "fire_timer",
    "merge_customers", "normalise_email", "normalise_phone", "open_case", "open_cases", "receive_message",
    "record_event", "reopen", "reply", "resolve", "run_due_timers", "send_to_customer", "update_details",
]
