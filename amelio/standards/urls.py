from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import ACCESS_WORKFLOW

app_name = "standards"

urlpatterns = [
    path("", views.FrameworkListView.as_view(), name="framework_list"),
    path("new/", views.FrameworkCreateView.as_view(), name="framework_create"),
    path("<int:pk>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("<int:pk>/requirements/new/", views.RequirementCreateView.as_view(), name="requirement_create"),
    path("<int:pk>/requirements/import/", views.RequirementImportView.as_view(), name="requirement_import"),
    path("requirements/<int:pk>/", views.RequirementDetailView.as_view(), name="requirement_detail"),
    path("requirements/<int:pk>/edit/", views.RequirementUpdateView.as_view(), name="requirement_update"),
    path("requirements/<int:pk>/delete/", views.RequirementDeleteView.as_view(), name="requirement_delete"),
    path("mappings/<int:pk>/delete/", views.MappingDeleteView.as_view(), name="mapping_delete"),
    path("evidence/<int:type_id>/<int:record_id>/new/", views.EvidenceLinkCreateView.as_view(), name="evidence_create"),
    path("evidence/<int:pk>/delete/", views.EvidenceUnlinkView.as_view(), name="evidence_delete"),
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("auditor-accesses/", views.AccessListView.as_view(), name="access_list"),
    path("auditor-accesses/new/", views.AccessCreateView.as_view(), name="access_create"),
    path("auditor-accesses/<int:pk>/", views.AccessDetailView.as_view(), name="access_detail"),
    path(
        "auditor-accesses/<int:pk>/<str:transition>/",
        TransitionView.as_view(workflow=ACCESS_WORKFLOW),
        name="access_step",
    ),
    path("audit/<str:token>/", views.AccessLinkView.as_view(), name="access_link"),
    path("audit/<str:token>/frameworks/<int:framework>/", views.AccessLinkView.as_view(), name="access_link_framework"),
    path(
        "audit/<str:token>/requirements/<int:requirement>/",
        views.AccessLinkView.as_view(),
        name="access_link_requirement",
    ),
]
