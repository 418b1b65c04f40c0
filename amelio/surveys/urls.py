from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import CAMPAIGN_WORKFLOW

app_name = "surveys"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("questionnaires/", views.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("questionnaires/new/", views.QuestionnaireCreateView.as_view(), name="questionnaire_create"),
    path("questionnaires/<int:pk>/", views.QuestionnaireDetailView.as_view(), name="questionnaire_detail"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version_detail"),
    path("versions/<int:pk>/sections/", views.SectionAddView.as_view(), name="section_add"),
    path("versions/<int:pk>/questions/", views.QuestionAddView.as_view(), name="question_add"),
    path(
        "versions/<int:pk>/questions/<int:question_pk>/delete/",
        views.QuestionDeleteView.as_view(),
        name="question_delete",
    ),
    path("versions/<int:pk>/publish/", views.VersionPublishView.as_view(), name="version_publish"),
    path("versions/<int:pk>/new-version/", views.VersionRedraftView.as_view(), name="version_redraft"),
    path("answer/<str:token>/", views.AnswerView.as_view(), name="answer"),
    path("to-answer/", views.MyInvitationsView.as_view(), name="my_invitations"),
    path("to-answer/<int:pk>/", views.MyInvitationsView.as_view(), name="my_invitation_answer"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("<int:pk>/results/", views.CampaignResultsView.as_view(), name="campaign_results"),
    path("<int:pk>/import/", views.CampaignImportView.as_view(), name="campaign_import"),
    path("<int:pk>/comments/<int:answer_pk>/raise/", views.CommentRaiseView.as_view(), name="comment_raise"),
    path("<int:pk>/<str:transition>/", TransitionView.as_view(workflow=CAMPAIGN_WORKFLOW), name="campaign_step"),
]
