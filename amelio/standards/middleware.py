"""Every page and file an external auditor opens is logged (who, what, when) for the quality
manager. Whose reads are logged is the roles object's answer (`reads_are_logged`), so this
app names no role."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from amelio.core.permissions import roles_for

FILE_VIEWS = {"core:file_download"}


class AuditorAccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged = request.method in ("GET", "HEAD") and user is not None and user.is_authenticated
        if logged and getattr(roles_for(user), "reads_are_logged", False):
            from .services import access_log_record

            match = request.resolver_match
            view_name = match.view_name if match is not None else ""
            access_log_record(
                person=user,
                path=request.get_full_path(),
                view_name=view_name,
                is_file=view_name in FILE_VIEWS,
                status_code=response.status_code,
            )
        return response
