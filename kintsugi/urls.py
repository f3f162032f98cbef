from django.contrib import admin
from django.urls import include, path

from kintsugi.api import api

# The public pages (QR form, status page) come first: a customer's submission is matched before the staff
# pages' patterns are tried, and none of their patterns overlap.
urlpatterns = [
    path("", include("kintsugi.ops.urls")),  # /healthz, /readyz
    path("", include("kintsugi.intake.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("kintsugi.accounts.urls")),
    path("", include("kintsugi.comms.urls")),
    path("", include("kintsugi.cases.urls")),
    path("", include("kintsugi.recovery.urls")),
    path("", include("kintsugi.remedies.urls")),
]

# Every uncaught exception: a database that cannot take the request answers 503, in the caller's terms
# (kintsugi/ops/unavailable.py); anything else the ordinary 500 page.
handler500 = "kintsugi.ops.unavailable.server_error"
