from django.urls import include, path, re_path

from kintsugi.intake import portal, views
from kintsugi.intake.inbound import webhooks

LANG = r"(?P<lang>en|vi|th)"
TOKEN = r"(?P<token>[^/]{1,200})"

urlpatterns = [
    path("", include("kintsugi.intake.channels.webform.urls")),
    path("", include("kintsugi.intake.channels.email.urls")),  # the mailbox settings pages
    path("", include("kintsugi.intake.inbound.urls")),  # what arrived, its problems, the originals
    # The chat providers' deliveries (LINE, Messenger, Zalo): signed, stored raw, answered at once.
    path("hooks/<str:channel>/<str:key>/", webhooks.webhook, name="webhook"),
    re_path(rf"^s/{TOKEN}/$", portal.status_page, name="public_status"),
    re_path(rf"^s/{TOKEN}/{LANG}/$", portal.status_page, name="public_status_lang"),
    re_path(rf"^s/{TOKEN}/thanks/{LANG}/$", portal.acknowledgement, name="public_ack"),
    path("s/<str:token>/photos/<uuid:key>.jpg", portal.status_photo, name="public_photo"),
    path("cases/<str:reference>/status-links/<int:pk>/revoke/", views.revoke_status_link,
         name="case_revoke_status_link"),
    path("photos/<uuid:key>.jpg", views.case_photo, name="case_photo"),
]
