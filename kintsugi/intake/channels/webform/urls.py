from django.urls import re_path

from kintsugi.intake.channels.webform import views

LANG = r"(?P<lang>en|vi|th)"
CODE = r"(?P<public_code>[^/]{1,40})"

urlpatterns = [
    re_path(rf"^t/{CODE}/$", views.complaint_form, name="public_form"),
    re_path(rf"^t/{CODE}/{LANG}/$", views.complaint_form, name="public_form_lang"),
    re_path(rf"^t/{CODE}/sent/{LANG}/$", views.complaint_sent, name="public_form_sent"),
]
