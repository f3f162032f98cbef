from django.urls import path

from kintsugi.recovery import views_messages as views

urlpatterns = [
    path("cases/<str:reference>/apology/", views.apology_compose, name="apology_compose"),
    path("cases/<str:reference>/thanks/", views.thanks_compose, name="thanks_compose"),
    path("cases/<str:reference>/reply-template/", views.reply_template_insert, name="reply_template_insert"),
    path("replies/templates/", views.reply_templates, name="reply_templates"),
    path("replies/templates/check/", views.reply_template_check, name="reply_template_check"),
    path("replies/templates/<int:pk>/", views.reply_template_edit, name="reply_template_edit"),
    path("replies/templates/<int:pk>/delete/", views.reply_template_delete, name="reply_template_delete"),
    path("apology/phrases/", views.apology_phrases, name="apology_phrases"),
    path("apology/phrases/<int:pk>/delete/", views.apology_phrase_delete, name="apology_phrase_delete"),
]
