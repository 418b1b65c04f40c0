from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .choices import DashboardKind
from .workflows import OBJECTIVE_WORKFLOW

app_name = "indicators"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path(
        "departments/<int:pk>/",
        views.DashboardView.as_view(kind=DashboardKind.DEPARTMENT),
        name="department_dashboard",
    ),
    path("processes/<int:pk>/", views.DashboardView.as_view(kind=DashboardKind.PROCESS), name="process_dashboard"),
    path("mine/", views.DashboardView.as_view(kind=DashboardKind.MINE), name="my_dashboard"),
    path("freeze/", views.FreezeYearView.as_view(), name="freeze_year"),
    path("results/", views.PublishedResultsView.as_view(), name="published_results"),
    path("list/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path("<int:pk>/targets/", views.TargetSetView.as_view(), name="target_set"),
    path("<int:pk>/values/", views.ValueRecordView.as_view(), name="value_record"),
    path("<int:pk>/recompute/", views.RecomputeView.as_view(), name="recompute"),
    # Quality objectives (ISO 9001 clause 6.2)
    path("objectives/", views.ObjectiveListView.as_view(), name="objective_list"),
    path("objectives/new/", views.ObjectiveCreateView.as_view(), name="objective_create"),
    path("objectives/<int:pk>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.ObjectiveUpdateView.as_view(), name="objective_update"),
    path("objectives/<int:pk>/measures/new/", views.MeasureAddView.as_view(), name="measure_add"),
    path("objectives/measures/<int:pk>/edit/", views.MeasureUpdateView.as_view(), name="measure_update"),
    path("objectives/measures/<int:pk>/remove/", views.MeasureRemoveView.as_view(), name="measure_remove"),
    path("objectives/<int:pk>/actions/link/", views.ActionLinkView.as_view(), name="action_link"),
    path("objectives/<int:pk>/actions/<int:action_pk>/unlink/", views.ActionUnlinkView.as_view(), name="action_unlink"),
    path(
        "objectives/<int:pk>/step/<str:transition>/",
        TransitionView.as_view(workflow=OBJECTIVE_WORKFLOW),
        name="objective_step",
    ),
]
