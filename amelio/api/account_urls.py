"""The person's own API token page: HTML, under their account rather than under /api/, where
every answer is JSON."""

from django.urls import path

from . import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.ApiTokenListView.as_view(), name="list"),
    path("<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="revoke"),
]
