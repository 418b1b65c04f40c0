from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import INTERNSHIP_WORKFLOW

app_name = "internships"

urlpatterns = [
    path("", views.InternshipListView.as_view(), name="internship_list"),
    path("new/", views.InternshipCreateView.as_view(), name="internship_create"),
    path("new/options/<str:field>/", views.PartyOptionsView.as_view(), name="party_options"),
    path("follow-up/", views.FollowUpBoardView.as_view(), name="follow_up"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures.pdf", views.FiguresPdfView.as_view(), name="figures_pdf"),
    path("<int:pk>/", views.InternshipDetailView.as_view(), name="internship_detail"),
    path("<int:pk>/edit/", views.InternshipUpdateView.as_view(), name="internship_update"),
    path("<int:pk>/agreement.pdf", views.InternshipPdfView.as_view(), name="internship_pdf"),
    path("<int:pk>/amend/", views.InternshipAmendView.as_view(), name="internship_amend"),
    path("<int:pk>/reports/", views.ReportUploadView.as_view(), name="report_upload"),
    path("<int:pk>/evaluation-link/", views.EvaluationLinkSendView.as_view(), name="evaluation_link_send"),
    path("<int:pk>/<str:transition>/", TransitionView.as_view(workflow=INTERNSHIP_WORKFLOW), name="internship_step"),
    path("milestones/<int:pk>/done/", views.MilestoneDoneView.as_view(), name="milestone_done"),
    path("evaluation/<str:token>/", views.EvaluationFormView.as_view(), name="evaluation_form"),
]
