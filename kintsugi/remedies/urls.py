from django.urls import path

from kintsugi.remedies import views

urlpatterns = [
    path("cases/<str:reference>/remedies/", views.remedy_propose, name="remedy_propose"),
    path("cases/<str:reference>/customer-costs/", views.cost_record, name="customer_cost_record"),
    path("remedies/<int:pk>/decide/", views.remedy_decide, name="remedy_decide"),
    path("remedies/<int:pk>/fulfil/", views.remedy_fulfil, name="remedy_fulfil"),
    path("remedies/<int:pk>/cancel/", views.remedy_cancel, name="remedy_cancel"),
    path("remedies/approvals/", views.approvals, name="remedy_approvals"),
    path("remedies/settings/", views.remedy_settings, name="remedy_settings"),
    path("remedies/settings/catalogue/", views.option_save, name="remedy_option_save"),
    path("remedies/settings/limits/", views.limit_save, name="remedy_limit_save"),
    path("remedies/settings/limits/<int:pk>/delete/", views.limit_delete, name="remedy_limit_delete"),
    path("remedies/settings/general/", views.general_save, name="remedy_general_save"),
    path("remedies/cost/", views.cost, name="remedy_cost"),
]
