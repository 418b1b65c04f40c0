from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from amelio.core.forms import EmailAuthenticationForm

handler500 = "amelio.core.views.server_error"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("organisation/", include("amelio.organisation.urls")),
    path("processes/", include("amelio.processes.urls")),
    path("history/", include("amelio.history.urls")),
    path("improvement/", include("amelio.improvement.urls")),
    path("notifications/", include("amelio.notifications.urls")),
    path("internships/", include("amelio.internships.urls")),
    path("partners/", include("amelio.partners.urls")),
    path("indicators/", include("amelio.indicators.urls")),
    path("documents/", include("amelio.documents.urls")),
    path("risks/", include("amelio.risks.urls")),
    path("imports/", include("amelio.imports.urls")),
    path("surveys/", include("amelio.surveys.urls")),
    path("api/", include("amelio.api.urls")),
    path("", include("amelio.core.urls")),
]
