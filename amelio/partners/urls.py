from django.urls import path

from amelio.core.views import TransitionView

from . import views
from .workflows import AGREEMENT_WORKFLOW

app_name = "partners"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/new/", views.CompanyCreateView.as_view(), name="company_create"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("companies/<int:pk>/edit/", views.CompanyUpdateView.as_view(), name="company_update"),
    path("companies/<int:pk>/merge/", views.CompanyMergeView.as_view(), name="company_merge"),
    path("companies/<int:pk>/sites/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("companies/<int:pk>/contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("sites/<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact_update"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_update"),
    path(
        "agreements/<int:pk>/<str:transition>/",
        TransitionView.as_view(workflow=AGREEMENT_WORKFLOW),
        name="agreement_step",
    ),
    path("teaching/", views.InterventionListView.as_view(), name="intervention_list"),
    path("teaching/new/", views.InterventionCreateView.as_view(), name="intervention_create"),
    path("teaching/<int:pk>/edit/", views.InterventionUpdateView.as_view(), name="intervention_update"),
    path("teaching/hours/", views.TeachingVolumeView.as_view(), name="teaching_volumes"),
    path("teaching/figures/", views.TeachingFiguresView.as_view(), name="teaching_figures"),
]
