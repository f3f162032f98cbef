from django.urls import path

from kintsugi.accounts import views, views_public, views_touchpoints

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("touchpoints/", views_touchpoints.touchpoints, name="touchpoints"),
    path("touchpoints/<int:pk>/print/", views_touchpoints.touchpoint_print, name="touchpoint_print"),
    path("locations/<slug:code>/print/", views_touchpoints.location_print, name="location_print"),
    # Public: the touchpoint's QR code as an image. The form itself at t/<public_code>/ belongs to intake.
    path("t/<str:public_code>/qr.png", views_public.touchpoint_qr_png, name="touchpoint_qr_png"),
    path("t/<str:public_code>/qr.svg", views_public.touchpoint_qr_svg, name="touchpoint_qr_svg"),
]
