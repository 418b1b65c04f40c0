from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("files/<int:pk>/", views.StoredFileDownloadView.as_view(), name="file_download"),
    path("exports/", views.MyExportsView.as_view(), name="exports"),
    path("exports/<int:pk>/", views.ExportDownloadView.as_view(), name="export_download"),
    path("health/", views.health, name="health"),
]
