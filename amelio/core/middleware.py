from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

# Every asset is served by the application itself: nothing else may load or run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PrivateResponsesMiddleware:
    """Whatever is sent to a signed-in person (pages, exports, the agreement PDF, files) is
    theirs alone: no shared cache (a proxy) may keep it, and the browser keeps no copy on disk
    that the next person at a shared computer could bring back with the Back button. A view
    that says otherwise (a Cache-Control of its own) is left alone. Static files never get
    here: WhiteNoise answers them before this middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _has_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in pairs)


class RefuseNulBytesMiddleware:
    """A NUL byte has no place in anything a person types, and PostgreSQL refuses it in any
    text ("A string literal cannot contain NUL characters"): a request carrying one in its
    path, its query string or its form fields is answered 400 before any view reads it,
    rather than relying on every field, filter and view to refuse it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        suspect = "\x00" in request.path or _has_nul(request.GET.lists())
        if not suspect and request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            suspect = _has_nul(request.POST.lists())
        if suspect:
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)
