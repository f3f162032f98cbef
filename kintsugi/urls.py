from django.contrib import admin
from django.urls import include, path

from kintsugi.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("kintsugi.accounts.urls")),
    path("", include("kintsugi.cases.urls")),
    path("", include("kintsugi.intake.urls")),
    path("", include("kintsugi.recovery.urls")),
    path("", include("kintsugi.remedies.urls")),
]
