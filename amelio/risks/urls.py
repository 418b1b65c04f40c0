from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import RISK_WORKFLOW

app_name = "risks"

urlpatterns = [
    path("", views.RiskListView.as_view(), name="risk_list"),
    path("new/", views.RiskCreateView.as_view(), name="risk_create"),
    path("matrix/", views.RiskMatrixView.as_view(), name="risk_matrix"),
    path("scale/", views.ScaleUpdateView.as_view(), name="scale_update"),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("<int:pk>/edit/", views.RiskUpdateView.as_view(), name="risk_update"),
    path("<int:pk>/review/", views.RiskReviewView.as_view(), name="risk_review"),
    path("<int:pk>/items/new/", views.RiskItemCreateView.as_view(), name="risk_item_create"),
    path("<int:pk>/actions/new/", views.RiskActionCreateView.as_view(), name="risk_action_create"),
    path("<int:pk>/<str:transition>/", TransitionView.as_view(workflow=RISK_WORKFLOW), name="risk_step"),
]
