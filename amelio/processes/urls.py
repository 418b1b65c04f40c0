from django.urls import path

from . import views

app_name = "processes"

urlpatterns = [
    path("", views.ProcessListView.as_view(), name="process_list"),
    path("map/", views.ProcessMapView.as_view(), name="process_map"),
    path("map.svg", views.ProcessMapSvgView.as_view(), name="process_map_svg"),
    path("new/", views.ProcessCreateView.as_view(), name="process_create"),
    path("<int:pk>/", views.ProcessDetailView.as_view(), name="process_detail"),
    path("<int:pk>/edit/", views.ProcessUpdateView.as_view(), name="process_update"),
    path("<int:pk>/activities/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/activities/<int:activity_pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:pk>/raci/", views.RaciCreateView.as_view(), name="raci_create"),
    path("<int:pk>/interactions/", views.InteractionSetView.as_view(), name="interaction_set"),
    path(
        "<int:pk>/interactions/<int:interaction_pk>/delete/",
        views.InteractionDeleteView.as_view(),
        name="interaction_delete",
    ),
    path("<int:pk>/raci/<int:raci_pk>/delete/", views.RaciDeleteView.as_view(), name="raci_delete"),
    path("context/", views.ContextIssueListView.as_view(), name="context_issue_list"),
    path("context/new/", views.ContextIssueCreateView.as_view(), name="context_issue_create"),
    path("context/<int:pk>/edit/", views.ContextIssueUpdateView.as_view(), name="context_issue_update"),
    path("interested-parties/", views.InterestedPartyListView.as_view(), name="interested_party_list"),
    path("interested-parties/new/", views.InterestedPartyCreateView.as_view(), name="interested_party_create"),
    path(
        "interested-parties/<int:pk>/edit/",
        views.InterestedPartyUpdateView.as_view(),
        name="interested_party_update",
    ),
    path("statements/<str:kind>/", views.StatementListView.as_view(), name="statement_list"),
    path("statements/<str:kind>/draft/", views.StatementWriteView.as_view(), name="statement_write"),
    path("statements/version/<int:pk>/approve/", views.StatementApproveView.as_view(), name="statement_approve"),
]
