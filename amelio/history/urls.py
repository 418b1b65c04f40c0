from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("", views.TrailSearchView.as_view(), name="search"),
]
