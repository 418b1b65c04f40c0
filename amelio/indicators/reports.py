"""The dashboard as a PDF, built by the worker (core.prepared_exports): two hundred
indicators with their trend charts take WeasyPrint half a minute, longer than a request
may last."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone

from amelio.core.permissions import can
from amelio.core.prepared_exports import ExportFile
from amelio.organisation.models import AcademicYear
from amelio.organisation.selectors import department_get
from amelio.processes.selectors import process_get

from .choices import DashboardKind
from .selectors import Dashboard, dashboard_for

DASHBOARD_PDF = "indicators.dashboard_pdf"


def dashboard_subject(*, user: Any, kind: str, pk: int | None) -> Any:
    """The department or process a dashboard is about, through the selectors (a 404 when
    out of the user's sight); None for the school's dashboard and "my indicators"."""
    if kind == DashboardKind.DEPARTMENT:
        return department_get(user=user, pk=pk or 0)
    if kind == DashboardKind.PROCESS:
        return process_get(user=user, pk=pk or 0)
    return None


def dashboard_basename(board: Dashboard) -> str:
    subject = getattr(board.subject, "code", "")
    year = board.academic_year.label if board.academic_year is not None else ""
    return "-".join(part for part in ("dashboard", board.kind, subject, year) if part)


def dashboard_pdf(board: Dashboard) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango and fonts

    html = render_to_string("indicators/dashboard_pdf.html", {"board": board, "generated_at": timezone.localtime()})
    return HTML(string=html).write_pdf()


def build_dashboard_pdf(*, user: Any, parameters: dict[str, Any]) -> ExportFile:
    """parameters: kind, subject (a department's or process's pk, or None), academic_year."""
    if not can(user, "indicators.view_indicator"):
        raise PermissionDenied
    kind = DashboardKind(parameters["kind"])
    subject = dashboard_subject(user=user, kind=kind, pk=parameters.get("subject"))
    year = AcademicYear.objects.get(pk=parameters["academic_year"])
    board = dashboard_for(user=user, kind=kind, subject=subject, academic_year=year)
    return ExportFile(
        filename=f"{dashboard_basename(board)}.pdf", content=dashboard_pdf(board), content_type="application/pdf"
    )
