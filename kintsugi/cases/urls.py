from django.urls import path

from kintsugi.cases import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.inbox, name="inbox"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/bulk/", views.inbox_bulk, name="inbox_bulk"),
    path("cases/workload/", views.workload, name="workload"),
    path("cases/saved-filters/", views.saved_filter_create, name="saved_filter_create"),
    path("cases/saved-filters/<int:pk>/delete/", views.saved_filter_delete, name="saved_filter_delete"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/acknowledge/", views.case_acknowledge, name="case_acknowledge"),
    path("cases/<str:reference>/confirm-customer/", views.case_confirm_customer, name="case_confirm_customer"),
    path("cases/<str:reference>/assign/", views.case_assign, name="case_assign"),
    path("cases/<str:reference>/status/", views.case_status, name="case_status"),
    path("cases/<str:reference>/resolve/", views.case_resolve, name="case_resolve"),
    path("cases/<str:reference>/reopen/", views.case_reopen, name="case_reopen"),
    path("cases/<str:reference>/close/", views.case_close, name="case_close"),
    path("cases/<str:reference>/escalate/", views.case_escalate, name="case_escalate"),
    path("cases/<str:reference>/reply/", views.case_reply, name="case_reply"),
    path("cases/<str:reference>/note/", views.case_note, name="case_note"),
    path("cases/<str:reference>/details/", views.case_details, name="case_details"),
    path("customers/search", views.customer_search, name="customer_search"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/merge/", views.customer_merge, name="customer_merge"),
    path("customers/<int:pk>/merge/<int:target_pk>/", views.customer_merge_confirm, name="customer_merge_confirm"),
]
