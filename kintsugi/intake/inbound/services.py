"""The inbound list's one action: an administrator hands payloads of their organisation to the pipeline again."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from kintsugi.accounts.models import Role, User
from kintsugi.cases.errors import InvalidInput, NotAllowed
from kintsugi.intake.inbound import store
from kintsugi.intake.models import InboundPayload

MAX_AT_ONCE = 500


def process_again(ids: Sequence[int], *, by: User) -> int:
    """Read these payloads (a problem, or kept without a case) once more; another organisation's ids and those
    waiting or on a case already are left as they are. How many were queued."""
    if by.role != Role.ADMIN or by.organisation_id is None:
        raise NotAllowed(_("Only administrators may process inbound messages again."))
    if len(ids) > MAX_AT_ONCE:
        raise InvalidInput(_("Tick at most %(count)d at once.") % {"count": MAX_AT_ONCE})
    own = list(InboundPayload.objects.filter(organisation_id=by.organisation_id, pk__in=list(ids))
               .values_list("pk", flat=True))
    return store.process_again(own)
