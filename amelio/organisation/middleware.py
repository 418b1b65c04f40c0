"""Leads a superuser to the first-run set-up while the school is not set up yet."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class FirstRunSetupMiddleware:
    """On the home page only, and only for a superuser (no query for anyone else): a school
    that installed Amelio without the demo starts on the set-up page, not on empty lists."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if request.path == "/" and request.method == "GET" and getattr(user, "is_superuser", False):
            from .setup import setup_is_complete

            if not setup_is_complete():
                return HttpResponseRedirect(reverse("organisation:setup"))
        return self.get_response(request)
