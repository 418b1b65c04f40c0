"""The CAS sign-in page, imported only when CAS is on (django_cas_ng installed)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_cas_ng import views as cas_views


class CASSignInView(cas_views.LoginView):
    """django-cas-ng's, except that a ticket naming nobody Amelio may open (unknown, or a
    leaver) leads back to the login page with a message, instead of a bare 403."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except PermissionDenied:
            return HttpResponseRedirect(f"{reverse('login')}?sso=refused")
