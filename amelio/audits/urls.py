from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import AUDIT_WORKFLOW

app_name = "audits"

urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit_list"),
    path("new/", views.AuditCreateView.as_view(), name="audit_create"),
    path("external/new/", views.ExternalAuditCreateView.as_view(), name="external_audit_create"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("<int:pk>/", views.AuditDetailView.as_view(), name="audit_detail"),
    path("<int:pk>/edit/", views.AuditUpdateView.as_view(), name="audit_update"),
    path("<int:pk>/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("<int:pk>/checklist/<int:line_pk>/", views.LineAnswerView.as_view(), name="line_answer"),
    path("<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path("findings/<int:pk>/item/", views.FindingRaiseItemView.as_view(), name="finding_raise_item"),
    path("<int:pk>/report.pdf", views.AuditReportPdfView.as_view(), name="audit_report_pdf"),
    path("<int:pk>/<str:transition>/", TransitionView.as_view(workflow=AUDIT_WORKFLOW), name="audit_step"),
]
