"""Forms of the students' pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from amelio.core.forms import DateInput, StyledFormMixin, set_choices
from amelio.core.permissions import can
from amelio.internships.models import Internship
from amelio.organisation.choices import PersonKind
from amelio.organisation.models import AcademicYear, Person, Programme
from amelio.partners.models import Company

from .models import EnglishCertification, Enrolment, InsertionRecord, Mobility, Student, StudentRules


class CohortForm(StyledFormMixin, forms.Form):
    """Which cohort to follow: a programme and the academic year its students entered it."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(is_active=True).order_by("code")
    )
    entry_year = forms.ModelChoiceField(
        label=_("Entered in"), queryset=AcademicYear.objects.order_by("-starts_on"), to_field_name="label"
    )


def _writable_programmes(user: Any) -> QuerySet[Programme]:
    """The active programmes where the user writes students' records (the rule decides,
    programme by programme: there are a few dozen at most)."""
    programmes = Programme.objects.filter(is_active=True).select_related("department").order_by("code")
    return programmes.filter(pk__in=[p.pk for p in programmes if can(user, "students.manage", p)])


class StudentForm(StyledFormMixin, forms.ModelForm):
    """A student's record: the fields the record declares editable. On creation, also the
    INE and the programme they join (where the staff of its department will see them)."""

    class Meta:
        model = Student
        fields = Student.editable_fields

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        linked = [self.instance.person_id] if self.instance.person_id else []
        set_choices(
            self,
            "person",
            Person.objects.filter(kind=PersonKind.STUDENT)
            .filter(Q(student_record__isnull=True) | Q(pk__in=linked))
            .order_by("last_name", "first_name", "pk"),
        )
        self.fields["person"].help_text = _("The student's account, when they have one: their internships count.")


class StudentCreateForm(StudentForm):
    class Meta(StudentForm.Meta):
        fields = ("ine", *Student.editable_fields, "programme")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        programme = self.fields["programme"]
        programme.required = True
        programme.help_text = _("Where their first enrolment will be.")
        set_choices(self, "programme", _writable_programmes(user))


class EnrolmentForm(StyledFormMixin, forms.ModelForm):
    """A year at the school and how it ended. The model's constraints (a reason only when
    the student left, a diploma date only when they graduated) come back on their fields."""

    class Meta:
        model = Enrolment
        fields = Enrolment.editable_fields
        widgets = {"diploma_on": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = [self.instance.programme_id] if self.instance.programme_id else []
        writable = _writable_programmes(user)
        set_choices(self, "programme", Programme.objects.filter(Q(pk__in=writable) | Q(pk__in=current)))


class EnrolmentCreateForm(EnrolmentForm):
    class Meta(EnrolmentForm.Meta):
        fields = ("academic_year", *Enrolment.editable_fields)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        set_choices(self, "academic_year", AcademicYear.objects.order_by("-starts_on"))


class MobilityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Mobility
        fields = Mobility.editable_fields
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, student: Student, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The student's own agreements only (the service refuses another's).
        agreements = Internship.objects.filter(student_id=student.person_id) if student.person_id else None
        set_choices(
            self,
            "internship",
            agreements.order_by("-starts_on") if agreements is not None else Internship.objects.none(),
        )
        self.fields["internship"].help_text = _("An internship abroad also recorded as an agreement: counted once.")


class EnglishCertificationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EnglishCertification
        fields = EnglishCertification.editable_fields
        widgets = {"taken_on": DateInput()}


SALARY_FIELDS = ("salary_without_bonuses", "salary_with_bonuses")


class InsertionRecordForm(StyledFormMixin, forms.ModelForm):
    """A graduate's situation at one survey date. A stored salary is shown only to those who
    see graduates' individual salaries: for anyone else the salary fields are left out of
    the edit form (and of its version)."""

    class Meta:
        model = InsertionRecord
        fields = InsertionRecord.editable_fields
        widgets = {"surveyed_on": DateInput(), "first_job_on": DateInput()}

    def __init__(self, *args: Any, shows_salaries: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not shows_salaries:
            for name in SALARY_FIELDS:
                del self.fields[name]
        current = [self.instance.company_id] if self.instance.company_id else []
        set_choices(
            self,
            "company",
            Company.objects.filter(Q(merged_into__isnull=True, is_active=True) | Q(pk__in=current))
            .only("id", "legal_name", "trade_name")
            .order_by("legal_name"),
        )


class InsertionRecordCreateForm(InsertionRecordForm):
    class Meta(InsertionRecordForm.Meta):
        fields = ("wave", *InsertionRecord.editable_fields)


class StudentRulesForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = StudentRules
        fields = StudentRules.editable_fields
