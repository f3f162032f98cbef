from django.urls import path

from kintsugi.intake.channels.email import views

urlpatterns = [
    path("settings/mailboxes/", views.mailboxes, name="mailboxes"),
    path("settings/mailboxes/new/", views.mailbox_add, name="mailbox_add"),
    path("settings/mailboxes/test/", views.mailbox_test, name="mailbox_test_new"),
    path("settings/mailboxes/<int:pk>/", views.mailbox_edit, name="mailbox_edit"),
    path("settings/mailboxes/<int:pk>/test/", views.mailbox_test, name="mailbox_test"),
    path("settings/mailboxes/<int:pk>/active/", views.mailbox_active, name="mailbox_active"),
]
