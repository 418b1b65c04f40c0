from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import VERSION_WORKFLOW

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("new/", views.DocumentCreateView.as_view(), name="document_create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="document_update"),
    path("<int:pk>/readers/", views.DocumentReadersView.as_view(), name="document_readers"),
    path("<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="document_acknowledge"),
    path("<int:pk>/versions/new/", views.VersionCreateView.as_view(), name="version_create"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version_detail"),
    path("versions/<int:pk>/edit/", views.VersionUpdateView.as_view(), name="version_update"),
    path(
        "versions/<int:pk>/<str:transition>/",
        TransitionView.as_view(workflow=VERSION_WORKFLOW),
        name="version_step",
    ),
]
