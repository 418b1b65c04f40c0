from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("", views.StudentListView.as_view(), name="student_list"),
    path("me/", views.OwnRecordView.as_view(), name="own_record"),
    path("at-risk/", views.AtRiskView.as_view(), name="at_risk"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("cohorts/", views.CohortView.as_view(), name="cohort"),
    path("<int:pk>/", views.StudentDetailView.as_view(), name="student_detail"),
]
