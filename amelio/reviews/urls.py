from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import REVIEW_WORKFLOW

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("new/", views.ReviewCreateView.as_view(), name="review_create"),
    path("<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("<int:pk>/edit/", views.ReviewUpdateView.as_view(), name="review_update"),
    path("<int:pk>/pdf/", views.ReviewPdfView.as_view(), name="review_pdf"),
    path("<int:pk>/decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("<int:pk>/sections/<str:key>/note/", views.SectionNoteView.as_view(), name="section_note"),
    path("<int:pk>/<str:transition>/", TransitionView.as_view(workflow=REVIEW_WORKFLOW), name="review_step"),
]
