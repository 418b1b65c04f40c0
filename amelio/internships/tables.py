from __future__ import annotations

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from amelio.core.tables import DateColumn, detail, list_table_attrs

from .models import Internship, Milestone


class InternshipTable(tables.Table):
    reference = tables.Column(linkify=True)
    student = tables.Column(order_by=("student__last_name", "student__first_name"))
    kind = tables.Column(attrs=detail())
    programme = tables.Column(attrs=detail())
    ends_on = DateColumn(attrs=detail())
    academic_tutor = tables.Column(attrs=detail())

    class Meta:
        model = Internship
        fields = [
            "reference",
            "student",
            "company",
            "kind",
            "programme",
            "starts_on",
            "ends_on",
            "academic_tutor",
            "status",
        ]
        attrs = list_table_attrs()


class FollowUpTable(tables.Table):
    """The follow-up board: one row per open milestone, late ones marked (selectors.followed_milestones)."""

    due_on = DateColumn(verbose_name=_("Due on"), orderable=False)
    kind = tables.Column(verbose_name=_("Milestone"), orderable=False)
    late = tables.Column(verbose_name=_("Late"), accessor="is_late", orderable=False)
    internship = tables.Column(
        verbose_name=_("Internship"),
        accessor="internship__reference",
        linkify=lambda record: record.internship.get_absolute_url(),
        orderable=False,
    )
    student = tables.Column(verbose_name=_("Student"), accessor="internship__student", orderable=False)
    company = tables.Column(verbose_name=_("Company"), accessor="internship__company", orderable=False, attrs=detail())
    department = tables.Column(
        verbose_name=_("Department"), accessor="internship__programme__department", orderable=False, attrs=detail()
    )
    tutor = tables.Column(verbose_name=_("Academic tutor"), accessor="internship__academic_tutor", orderable=False)
    done = tables.Column(verbose_name=_("Mark done"), accessor="pk", orderable=False)

    class Meta:
        model = Milestone
        fields: list[str] = []
        sequence = ("due_on", "kind", "late", "internship", "student", "company", "department", "tutor", "done")
        attrs = list_table_attrs("table table-sm align-middle")
        row_attrs = {"class": lambda record: "table-danger" if record.is_late else ""}
        exclude_from_export = ("done",)
        empty_text = _("Nothing to follow.")

    def render_late(self, value: bool) -> str:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("late")) if value else ""

    def value_late(self, value: bool) -> bool:
        return value

    def render_done(self, record: Milestone) -> str:
        # Drawn here rather than by a template column, which would run every context
        # processor again for each row.
        request = getattr(self, "request", None)
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<button class="btn btn-sm btn-outline-success">{}</button></form>',
            reverse("internships:milestone_done", args=[record.pk]),
            get_token(request) if request is not None else "",
            request.get_full_path() if request is not None else "",
            _("Done"),
        )
