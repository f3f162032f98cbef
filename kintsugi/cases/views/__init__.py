"""The staff pages of cases, one module per idea: the inbox (`inbox_page`), the case page and its actions (`case`),
logging a complaint (`new`), customers (`customers`) and
saved inbox filters (`saved_filters`). The views are named here for kintsugi.cases.urls."""

from kintsugi.cases.views.bulk import inbox_bulk
from kintsugi.cases.views.case import (
    case_acknowledge,
    case_assign,
    case_close,
    case_confirm_customer,
    case_detail,
    case_details,
    case_escalate,
    case_note,
    case_reopen,
    case_reply,
    case_resolve,
    case_status,
)
from kintsugi.cases.views.customers import customer_detail, customer_merge, customer_merge_confirm
from kintsugi.cases.views.inbox_page import home, inbox
from kintsugi.cases.views.new import case_new, customer_search
from kintsugi.cases.views.saved_filters import saved_filter_create, saved_filter_delete
from kintsugi.cases.views.workload import workload

__all__ = [
    "case_acknowledge", "case_assign", "case_close", "case_confirm_customer", "case_detail", "case_details",
    "case_escalate",
    "case_new", "case_note", "case_reopen", "case_reply", "case_resolve", "case_status", "customer_detail",
    "customer_merge", "customer_merge_confirm", "customer_search", "home", "inbox", "inbox_bulk",
    "saved_filter_create", "saved_filter_delete", "workload",
]
