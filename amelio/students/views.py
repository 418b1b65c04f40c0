"""Pages of students' records: the list, a student's page with their requirements, the
at-risk list per department, the figures and 'my record'."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import FilteredListView, PermissionRequiredMixin
from amelio.history.selectors import object_history
from amelio.organisation.models import AcademicYear, Department

from . import selectors
from .choices import SurveyWave
from .filtersets import StudentFilterSet
from .forms import CohortForm
from .models import Student
from .requirements import requirements_for, rules
from .tables import StudentTable


class StudentListView(FilteredListView):
    table_class = StudentTable
    filterset_class = StudentFilterSet
    permission_action = "students.view_list"
    title = gettext_lazy("Students")
    export_basename = "students"

    def get_queryset(self) -> QuerySet[Student]:
        return selectors.student_list(user=self.request.user)


class StudentDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "students/student_detail.html"
    permission_action = "students.view"
    staff_only = False  # a student opens their own record

    def get_object(self) -> Student:
        return selectors.student_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        student, user = self.object, self.request.user
        return super().get_context_data(
            student=student,
            requirements=requirements_for([student], settings=rules())[0],
            sees_salaries=can(user, "students.view_salaries", student),
            history=object_history(user=user, instance=student) if can(user, "organisation.view_staff_pages") else [],
            **kwargs,
        )


class OwnRecordView(PermissionRequiredMixin, View):
    permission_action = "students.own_record"
    staff_only = False

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(selectors.own_record(user=request.user).get_absolute_url())


class AtRiskView(PermissionRequiredMixin, TemplateView):
    """For the programme head and the internship office: the final-year students who do not
    meet a requirement yet."""

    template_name = "students/at_risk.html"
    permission_action = "students.view_at_risk"

    def get_object(self) -> Department | None:
        department_id = self.request.GET.get("department", "")
        # ASCII digits only ("²" is a digit to str.isdigit), and no longer than a database key.
        if re.fullmatch(r"[0-9]{1,9}", department_id):
            return get_object_or_404(Department, pk=int(department_id))
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            rows=selectors.at_risk(user=self.request.user, department=self.object),
            department=self.object,
            departments=Department.objects.filter(is_active=True),
            year=selectors.current_year(),
            settings=rules(),
            **kwargs,
        )


class FiguresView(PermissionRequiredMixin, TemplateView):
    """Success and insertion figures per department: aggregates only, small salary groups
    hidden."""

    template_name = "students/figures.html"
    permission_action = "students.view_figures"

    def get_year(self) -> AcademicYear | None:
        label = self.request.GET.get("year", "")
        year = AcademicYear.objects.filter(label=label).first() if label else None
        return year or selectors.current_year()

    def get_wave(self) -> int:
        """The survey's wave (months after graduation) the insertion figures read; 6 unless
        one of the waves is asked for."""
        asked = self.request.GET.get("wave", "")
        return int(asked) if asked in {str(value) for value in SurveyWave.values} else SurveyWave.SIX_MONTHS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from amelio.indicators.computed import computed_indicator

        year = self.get_year()
        wave = self.get_wave()
        columns = [(computed_indicator(code), unit) for code, unit in selectors.figure_columns(wave)]
        return super().get_context_data(
            year=year,
            years=AcademicYear.objects.order_by("-starts_on"),
            wave=wave,
            waves=SurveyWave.choices,
            columns=columns,
            rows=selectors.figures(user=self.request.user, year=year, wave=wave) if year is not None else [],
            **kwargs,
        )


# How a cohort's years ended, the year under way last.
COHORT_OUTCOMES = ("passed", "repeating", "left", "graduated", "pending")


class CohortView(PermissionRequiredMixin, TemplateView):
    """A cohort followed through the years: the students who entered a programme in a year,
    how many are enrolled each year, in which year of study, how each year ended, and how
    many have graduated or left so far. Aggregates, like the figures page."""

    template_name = "students/cohort.html"
    permission_action = "students.view_figures"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET:
            form = CohortForm(request.GET)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form, cohort=None), status=400)
        else:
            form = CohortForm(initial=self.default_choice())
        programme = form.initial.get("programme") if not form.is_bound else form.cleaned_data["programme"]
        entry_year = form.initial.get("entry_year") if not form.is_bound else form.cleaned_data["entry_year"]
        cohort = (
            selectors.cohort_progression(programme=programme, entry_year=entry_year)
            if programme is not None and entry_year is not None
            else None
        )
        return self.render_to_response(self.get_context_data(form=form, cohort=cohort))

    def default_choice(self) -> dict[str, Any]:
        """The first programme, and the year three years before the current one (a cohort
        that has had the time to reach its final year), or the earliest year."""
        from amelio.organisation.models import Programme

        years = list(AcademicYear.objects.order_by("starts_on"))
        current = selectors.current_year()
        earlier = [year for year in years if current is None or year.starts_on <= current.starts_on]
        entry_year = earlier[-3] if len(earlier) >= 3 else (earlier[0] if earlier else None)
        # The programme the most students entered that year: a cohort worth looking at.
        programmes = Programme.objects.filter(is_active=True).annotate(
            entered=Count("enrolments", filter=Q(enrolments__academic_year=entry_year))
        )
        return {"programme": programmes.order_by("-entered", "code").first(), "entry_year": entry_year}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from .choices import Outcome, YearOfStudy

        cohort = kwargs.get("cohort")
        studies = sorted({study for year in cohort.years for study in year.by_year_of_study}) if cohort else []
        rows = [
            (
                year,
                [year.by_year_of_study.get(study, 0) for study in studies],
                [year.by_outcome.get(outcome, 0) for outcome in COHORT_OUTCOMES],
            )
            for year in (cohort.years if cohort else [])
        ]
        return super().get_context_data(
            studies=[YearOfStudy(study).label for study in studies],
            outcomes=[Outcome(outcome).label for outcome in COHORT_OUTCOMES],
            rows=rows,
            **kwargs,
        )
