from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportHomeView.as_view(), name="home"),
    path("<int:pk>/", views.ImportBatchView.as_view(), name="batch_detail"),
    path("template/<str:kind>.csv", views.ImportTemplateView.as_view(), name="template"),
]
