from django.urls import URLPattern, URLResolver, path, re_path

from kintsugi.recovery import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<str:reference>/apology/", views.apology_compose, name="apology_compose"),
    path("cases/<str:reference>/thanks/", views.thanks_compose, name="thanks_compose"),
    path("cases/<str:reference>/reply-template/", views.reply_template_insert, name="reply_template_insert"),
    path("replies/templates/", views.reply_templates, name="reply_templates"),
    path("replies/templates/check/", views.reply_template_check, name="reply_template_check"),
    path("replies/templates/<int:pk>/", views.reply_template_edit, name="reply_template_edit"),
    path("replies/templates/<int:pk>/delete/", views.reply_template_delete, name="reply_template_delete"),
    path("apology/phrases/", views.apology_phrases, name="apology_phrases"),
    path("apology/phrases/<int:pk>/delete/", views.apology_phrase_delete, name="apology_phrase_delete"),
    path("playbooks/", views.playbooks, name="playbooks"),
    path("playbooks/new/", views.playbook_new, name="playbook_new"),
    path("playbooks/<int:pk>/", views.playbook_detail, name="playbook_detail"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("cases/<str:reference>/steps/<slug:code>/done/", views.case_tick_step, name="case_tick_step"),
    re_path(r"^s/(?P<token>[^/]{1,200})/(?P<lang>en|vi|th)/follow-up/$", views.follow_up_answer,
            name="follow_up_answer"),
]
