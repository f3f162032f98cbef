from django.urls import path

from kintsugi.intake.inbound import views

urlpatterns = [
    path("inbound/", views.inbound_list, name="inbound"),
    path("inbound/again/", views.inbound_again, name="inbound_again"),
    path("inbound/<int:pk>/", views.inbound_original, name="inbound_original"),
    path("inbound/<int:pk>/download/", views.inbound_download, name="inbound_download"),
    path("inbound/<int:pk>/files/<int:number>/", views.inbound_file, name="inbound_file"),
]
