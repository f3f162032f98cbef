"""The staff side of intake: the photos customers sent, and switching off a customer's status page link."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kintsugi.accounts.views import StaffRequest, staff_required
from kintsugi.cases import access
from kintsugi.cases.services import ServiceError
from kintsugi.intake import services
from kintsugi.intake.models import Attachment, CaseAccessLink
from kintsugi.intake.portal import photo_response


@require_safe
@staff_required
def case_photo(request: StaffRequest, key: UUID) -> HttpResponse:
    attachment = Attachment.objects.select_related("case").filter(uuid=key).first()
    if attachment is None or not access.can_view_case(request.user, attachment.case):
        raise Http404("No such photo")
    return photo_response(attachment)


@require_POST
@staff_required
def revoke_status_link(request: StaffRequest, reference: str, pk: int) -> HttpResponse:
    case = access.get_case_for(request.user, reference)
    link = CaseAccessLink.objects.filter(case=case, pk=pk).first()
    if link is None:
        raise Http404("No such link")
    try:
        services.revoke_link(link, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The customer's status page link no longer works."))
    return redirect("case_detail", reference=case.reference)
