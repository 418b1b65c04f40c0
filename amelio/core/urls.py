from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("files/<int:pk>/", views.StoredFileDownloadView.as_view(), name="file_download"),
    path("health/", views.health, name="health"),
]
