"""The top bar's bell and the notifications' sentences (kintsugi.comms.wording), for the staff pages."""

from __future__ import annotations

from typing import Any

from django import template

from kintsugi.cases.templatetags.kintsugi_ui import BADGE_CAP
from kintsugi.comms import wording
from kintsugi.comms.models import Notification

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    """Unread notifications of `user`, counted up to BADGE_CAP + 1 so the query stays bounded."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True)[: BADGE_CAP + 1].count()


@register.filter
def notification_text(notification: Notification) -> str:
    """The notification as one sentence in the viewer's language (kintsugi.comms.wording)."""
    return wording.notification_text(notification)
