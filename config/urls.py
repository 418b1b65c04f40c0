from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from amelio.core.forms import EmailAuthenticationForm
from amelio.organisation.sso import SignOutView

handler500 = "amelio.core.views.server_error"
# The 404 and 400 pages, except under /api/ where they are answered in JSON like the rest.
handler404 = "amelio.api.views.not_found"
handler400 = "amelio.api.views.bad_request"

# The sign-on protocols config/sso.py turned on (settings built at run time: read by name).
SSO_PROVIDERS: list[str] = getattr(settings, "SSO_PROVIDERS", [])

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, extra_context={"sso_providers": SSO_PROVIDERS}
        ),
        name="login",
    ),
    # Signing out also signs out of the school's sign-on when it opened the session.
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
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
    path("standards/", include("amelio.standards.urls")),
    path("audits/", include("amelio.audits.urls")),
    path("reviews/", include("amelio.reviews.urls")),
    path("students/", include("amelio.students.urls")),
    path("api/", include("amelio.api.urls")),
    path("accounts/api-tokens/", include("amelio.api.account_urls")),
    path("", include("amelio.core.urls")),
]

# Single sign-on, when its settings turn it on (config/sso.py).
if "cas" in SSO_PROVIDERS:
    from django_cas_ng import views as cas_views

    from amelio.organisation.sso_views import CASSignInView

    urlpatterns.insert(0, path("accounts/cas/login/", CASSignInView.as_view(), name="cas_ng_login"))
    urlpatterns.insert(0, path("accounts/cas/logout/", cas_views.LogoutView.as_view(), name="cas_ng_logout"))
    urlpatterns.insert(
        0, path("accounts/cas/callback/", cas_views.CallbackView.as_view(), name="cas_ng_proxy_callback")
    )
if "oidc" in SSO_PROVIDERS:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
