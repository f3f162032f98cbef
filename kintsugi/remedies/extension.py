"""What remedies do at the case core's moments (kintsugi.cases.hooks), registered from RemediesConfig.ready():
a case is not resolved while one of its remedies still waits for a decision, so the customer is never told it is
put right before the remedy is approved or rejected."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from kintsugi.accounts.models import User
from kintsugi.cases.errors import InvalidTransition
from kintsugi.cases.hooks import CaseExtension
from kintsugi.cases.models import Case
from kintsugi.remedies.models import Remedy, RemedyStatus


class RemediesExtension(CaseExtension):
    name = "remedies"

    def check_resolve(self, case: Case, *, by: User, override_reason: str, at: datetime) -> None:
        reason = _waiting_reason(case)
        if reason:
            raise InvalidTransition(reason)

    def resolve_blockers(self, case: Case, *, by: User) -> list[str]:
        reason = _waiting_reason(case)
        return [reason] if reason else []


def _waiting_reason(case: Case) -> str:
    waiting = list(Remedy.objects.filter(case=case, status=RemedyStatus.PENDING_APPROVAL).order_by("created_at"))
    if not waiting:
        return ""
    return _("A remedy on this case is waiting for approval (%(remedies)s): approve or reject it before "
             "resolving the case.") % {"remedies": ", ".join(r.amount_text() for r in waiting)}
