from django.urls import path

from . import views
from .choices import DashboardKind

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
    path("list/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path("<int:pk>/targets/", views.TargetSetView.as_view(), name="target_set"),
    path("<int:pk>/values/", views.ValueRecordView.as_view(), name="value_record"),
    path("<int:pk>/recompute/", views.RecomputeView.as_view(), name="recompute"),
]
