from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("processes/", views.ProcessList.as_view(), name="process_list"),
    path("improvement/items/", views.ItemList.as_view(), name="item_list"),
    path(
        "improvement/items/<int:pk>/transitions/<str:transition>/",
        views.ItemTransitionView.as_view(),
        name="item_transition",
    ),
    path("improvement/actions/", views.ActionList.as_view(), name="action_list"),
    path(
        "improvement/actions/<int:pk>/transitions/<str:transition>/",
        views.ActionTransitionView.as_view(),
        name="action_transition",
    ),
    path("indicators/", views.IndicatorList.as_view(), name="indicator_list"),
    path("indicators/<int:pk>/values/", views.IndicatorValueList.as_view(), name="indicator_values"),
    path("internships/", views.InternshipList.as_view(), name="internship_list"),
    path("companies/", views.CompanyList.as_view(), name="company_list"),
]
