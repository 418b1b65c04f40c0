"""Pages of students' records: the list, a student's page with their requirements, the
at-risk list per department, the figures and 'my record'."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.concurrency import version_of
from amelio.core.permissions import can
from amelio.core.views import VERSION_FIELD, FilteredListView, ModelServiceFormView, PermissionRequiredMixin
from amelio.history.selectors import object_history
from amelio.organisation.models import AcademicYear, Department

from . import selectors, services
from .choices import Outcome, SurveyWave
from .filtersets import StudentFilterSet
from .forms import (
    CohortForm,
    EnglishCertificationForm,
    EnrolmentCreateForm,
    EnrolmentForm,
    InsertionRecordCreateForm,
    InsertionRecordForm,
    MobilityForm,
    StudentCreateForm,
    StudentForm,
    StudentRulesForm,
)
from .models import Enrolment, InsertionRecord, Student, StudentRules
from .requirements import requirements_for, rules
from .tables import StudentTable

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrOrPromise


class StudentListView(FilteredListView):
    table_class = StudentTable
    filterset_class = StudentFilterSet
    permission_action = "students.view_list"
    title = gettext_lazy("Students")
    export_basename = "students"
    template_name = "students/student_list.html"

    def get_queryset(self) -> QuerySet[Student]:
        return selectors.student_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("students:student_create") if can(self.request.user, "students.manage") else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(can_configure=can(self.request.user, "students.configure"), **kwargs)


class StudentDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "students/student_detail.html"
    permission_action = "students.view"
    staff_only = False  # a student opens their own record

    def get_object(self) -> Student:
        return selectors.student_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        student, user = self.object, self.request.user
        manages = can(user, "students.manage", student)
        return super().get_context_data(
            student=student,
            requirements=requirements_for([student], settings=rules())[0],
            sees_salaries=can(user, "students.view_salaries", student),
            can_manage=manages,
            # Only a graduate's situation is surveyed (the service's rule); the enrolments are prefetched.
            can_add_situation=manages and any(e.outcome == Outcome.GRADUATED for e in student.enrolments.all()),
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
            can_configure=can(self.request.user, "students.configure"),
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
        rows = selectors.figures(user=self.request.user, year=year, wave=wave) if year is not None else []
        for row in rows:
            for cell, (_entry, unit) in zip(row.cells, columns, strict=True):
                cell.unit = unit
        return super().get_context_data(
            year=year,
            years=AcademicYear.objects.order_by("-starts_on"),
            wave=wave,
            waves=SurveyWave.choices,
            columns=columns,
            rows=rows,
            charts=selectors.figure_charts(columns=columns, rows=rows) if rows else [],
            **kwargs,
        )


class FiguresPdfView(FiguresView):
    """The figures page as a PDF: the same charts and tables, drawn for paper."""

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        from amelio.core.exports import pdf_response

        year = context["year"]
        title = _("Success and insertion figures")
        return pdf_response(
            template_name="students/figures_pdf.html",
            context={**context, "title": f"{title} — {year}" if year is not None else title},
            basename="success-insertion-figures",
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
            chosen = form.cleaned_data
        else:
            chosen = selectors.cohort_default()
            form = CohortForm(initial=chosen)
        programme, entry_year = chosen.get("programme"), chosen.get("entry_year")
        cohort = (
            selectors.cohort_progression(programme=programme, entry_year=entry_year)
            if programme is not None and entry_year is not None
            else None
        )
        return self.render_to_response(self.get_context_data(form=form, cohort=cohort))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from .choices import YearOfStudy

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


# Forms --------------------------------------------------------------------------------------


class StudentCreateView(ModelServiceFormView):
    form_class = StudentCreateForm
    permission_action = "students.manage"
    title = gettext_lazy("New student")
    success_message = gettext_lazy("The student's record was created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("students:student_list"), **kwargs)

    def service_data(self, form: Any) -> dict[str, Any]:
        data = super().service_data(form)
        if data.get("person") is None:
            # No account chosen: the service links the one with the student's email, if any.
            data.pop("person", None)
        return data

    def perform(self, form: StudentCreateForm) -> Student:
        return services.student_create(actor=self.request.user, data=self.service_data(form))


class StudentUpdateView(ModelServiceFormView):
    form_class = StudentForm
    permission_action = "students.manage"
    success_message = gettext_lazy("The student's record was saved.")

    def get_object(self) -> Student:
        return selectors.student_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(student)s") % {"student": self.object}, **kwargs)

    def perform(self, form: StudentForm) -> Student:
        services.student_update(
            actor=self.request.user, student=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class StudentRecordCreateView(ModelServiceFormView):
    """A record added to a student's file (an enrolment, a stay abroad, a test, a
    situation): the student comes through the selector (out of sight: 404), then the rule."""

    permission_action = "students.manage"
    section = ""
    title_format: StrOrPromise = ""

    def get_object(self) -> Student:
        return selectors.student_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)  # the form builds a new record, not the student
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=str(self.title_format) % {"student": self.object}, **kwargs)

    def get_success_url_for(self, result: Any) -> str:
        return f"{self.object.get_absolute_url()}#{self.section}"


class EnrolmentCreateView(StudentRecordCreateView):
    form_class = EnrolmentCreateForm
    section = "enrolments"
    title_format = gettext_lazy("New enrolment of %(student)s")
    success_message = gettext_lazy("The enrolment was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"academic_year": selectors.current_year(), "programme": self.object.programme_id}

    def perform(self, form: EnrolmentCreateForm) -> Any:
        return services.enrolment_create(actor=self.request.user, student=self.object, data=self.service_data(form))


class MobilityCreateView(StudentRecordCreateView):
    form_class = MobilityForm
    section = "mobility"
    title_format = gettext_lazy("New stay abroad of %(student)s")
    success_message = gettext_lazy("The stay abroad was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "student": self.object}

    def perform(self, form: MobilityForm) -> Any:
        return services.mobility_create(actor=self.request.user, student=self.object, data=self.service_data(form))


class EnglishCertificationCreateView(StudentRecordCreateView):
    form_class = EnglishCertificationForm
    section = "english"
    title_format = gettext_lazy("New English certification of %(student)s")
    success_message = gettext_lazy("The English certification was recorded.")

    def perform(self, form: EnglishCertificationForm) -> Any:
        return services.english_certification_create(
            actor=self.request.user, student=self.object, data=self.service_data(form)
        )


class InsertionRecordCreateView(StudentRecordCreateView):
    form_class = InsertionRecordCreateForm
    section = "insertion"
    title_format = gettext_lazy("New situation of %(student)s after graduation")
    success_message = gettext_lazy("The graduate's situation was recorded.")

    def perform(self, form: InsertionRecordCreateForm) -> Any:
        return services.insertion_record_create(
            actor=self.request.user, student=self.object, data=self.service_data(form)
        )


class EnrolmentUpdateView(ModelServiceFormView):
    """Record the year's outcome, or correct the enrolment."""

    form_class = EnrolmentForm
    permission_action = "students.manage"
    success_message = gettext_lazy("The enrolment was saved.")

    def get_object(self) -> Enrolment:
        return selectors.enrolment_get(
            user=self.request.user, student_pk=self.kwargs["pk"], pk=self.kwargs["enrolment"]
        )

    def get_permission_object(self) -> Student:
        return self.object.student  # the service's own check: where the student is seen

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        enrolment = self.object
        return super().get_context_data(
            title=_("Enrolment of %(student)s in %(year)s")
            % {"student": enrolment.student, "year": enrolment.academic_year},
            cancel_url=enrolment.student.get_absolute_url(),
            **kwargs,
        )

    def get_success_url_for(self, result: Any) -> str:
        return f"{self.object.student.get_absolute_url()}#enrolments"

    def perform(self, form: EnrolmentForm) -> None:
        services.enrolment_update(
            actor=self.request.user,
            enrolment=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )


class InsertionRecordUpdateView(ModelServiceFormView):
    form_class = InsertionRecordForm
    permission_action = "students.manage"
    success_message = gettext_lazy("The graduate's situation was saved.")

    def get_object(self) -> InsertionRecord:
        return selectors.insertion_record_get(
            user=self.request.user, student_pk=self.kwargs["pk"], pk=self.kwargs["record"]
        )

    def get_permission_object(self) -> Student:
        return self.object.student

    def get_form_kwargs(self) -> dict[str, Any]:
        shows_salaries = can(self.request.user, "students.view_salaries", self.object)
        return {**super().get_form_kwargs(), "shows_salaries": shows_salaries}

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        # The version read covers the fields shown, no more: a version carrying the stored
        # salaries would hand them, merely signed, to someone who may not see them.
        shown = [name for name in InsertionRecord.editable_fields if name in form.fields]
        form.fields[VERSION_FIELD].initial = version_of(self.object, shown)
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        record = self.object
        return super().get_context_data(
            title=_("Situation of %(student)s, %(wave)s after graduation")
            % {"student": record.student, "wave": record.get_wave_display()},
            cancel_url=record.student.get_absolute_url(),
            **kwargs,
        )

    def get_success_url_for(self, result: Any) -> str:
        return f"{self.object.student.get_absolute_url()}#insertion"

    def perform(self, form: InsertionRecordForm) -> None:
        services.insertion_record_update(
            actor=self.request.user, record=self.object, data=self.service_data(form), version=self.form_version(form)
        )


class StudentRulesUpdateView(ModelServiceFormView):
    """The school's graduation requirements and retention period: the quality manager's."""

    form_class = StudentRulesForm
    permission_action = "students.configure"
    title = gettext_lazy("Graduation requirements")
    success_message = gettext_lazy("The graduation requirements were saved.")

    def get_object(self) -> StudentRules:
        return rules()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("students:at_risk"), **kwargs)

    def get_success_url_for(self, result: Any) -> str:
        return reverse("students:at_risk")

    def perform(self, form: StudentRulesForm) -> StudentRules:
        return services.student_rules_update(
            actor=self.request.user, data=self.service_data(form), version=self.form_version(form)
        )
