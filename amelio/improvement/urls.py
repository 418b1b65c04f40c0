from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import ACTION_WORKFLOW, ITEM_WORKFLOW

app_name = "improvement"

urlpatterns = [
    path("", views.ItemListView.as_view(), name="item_list"),
    path("board/", views.ItemBoardView.as_view(), name="item_board"),
    path("new/", views.ItemCreateView.as_view(), name="item_create"),
    path("figures/", views.DashboardView.as_view(), name="dashboard"),
    path("figures.pdf", views.DashboardPdfView.as_view(), name="dashboard_pdf"),
    path("my-work/", views.MyWorkView.as_view(), name="my_work"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item_update"),
    path("items/<int:pk>/actions/new/", views.ItemActionCreateView.as_view(), name="item_action_create"),
    path("items/<int:pk>/<str:transition>/", TransitionView.as_view(workflow=ITEM_WORKFLOW), name="item_step"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/notes/", views.ActionNoteView.as_view(), name="action_note"),
    path("actions/<int:pk>/<str:transition>/", TransitionView.as_view(workflow=ACTION_WORKFLOW), name="action_step"),
    path("files/<str:kind>/<int:pk>/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path("complaint/", views.PublicComplaintView.as_view(), name="public_complaint"),
]
