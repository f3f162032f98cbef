from django.urls import URLPattern, URLResolver, include, path, re_path

from kintsugi.recovery import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kintsugi.recovery.urls_messages")),
    path("playbooks/", views.playbooks, name="playbooks"),
    path("playbooks/new/", views.playbook_new, name="playbook_new"),
    path("playbooks/<int:pk>/", views.playbook_detail, name="playbook_detail"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("cases/<str:reference>/steps/<slug:code>/done/", views.case_tick_step, name="case_tick_step"),
    re_path(r"^s/(?P<token>[^/]{1,200})/(?P<lang>en|vi|th)/follow-up/$", views.follow_up_answer,
            name="follow_up_answer"),
]
