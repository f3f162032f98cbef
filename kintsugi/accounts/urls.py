from django.urls import path

from kintsugi.accounts import views
from kintsugi.comms import views as comms_views

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("notifications/", comms_views.notifications, name="notifications"),
    path("notifications/read/", comms_views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", comms_views.notification_open, name="notification_open"),
]
