from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("", views.StudentListView.as_view(), name="student_list"),
    path("new/", views.StudentCreateView.as_view(), name="student_create"),
    path("me/", views.OwnRecordView.as_view(), name="own_record"),
    path("at-risk/", views.AtRiskView.as_view(), name="at_risk"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures.pdf", views.FiguresPdfView.as_view(), name="figures_pdf"),
    path("cohorts/", views.CohortView.as_view(), name="cohort"),
    path("requirements/", views.StudentRulesUpdateView.as_view(), name="rules_update"),
    path("<int:pk>/", views.StudentDetailView.as_view(), name="student_detail"),
    path("<int:pk>/edit/", views.StudentUpdateView.as_view(), name="student_update"),
    path("<int:pk>/enrolments/new/", views.EnrolmentCreateView.as_view(), name="enrolment_create"),
    path("<int:pk>/enrolments/<int:enrolment>/", views.EnrolmentUpdateView.as_view(), name="enrolment_update"),
    path("<int:pk>/mobility/new/", views.MobilityCreateView.as_view(), name="mobility_create"),
    path("<int:pk>/english/new/", views.EnglishCertificationCreateView.as_view(), name="english_create"),
    path("<int:pk>/situations/new/", views.InsertionRecordCreateView.as_view(), name="insertion_create"),
    path("<int:pk>/situations/<int:record>/", views.InsertionRecordUpdateView.as_view(), name="insertion_update"),
]
