"""Pages of the organisation app: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import (
    FilteredListView,
    ModelServiceFormView,
    PermissionRequiredMixin,
    ServiceFormView,
    add_validation_error,
)
from amelio.history.selectors import object_history
from amelio.processes.selectors import processes_of_department

from . import selectors, services
from .filtersets import (
    AcademicYearFilterSet,
    DepartmentFilterSet,
    PersonFilterSet,
    ProgrammeFilterSet,
    RoleAssignmentFilterSet,
)
from .forms import (
    AcademicYearForm,
    DepartmentForm,
    PersonForm,
    ProgrammeForm,
    RoleGrantForm,
    RoleRevokeForm,
    SchoolForm,
    SchoolLogoForm,
    SetupQualityManagerForm,
    SetupStructureForm,
)
from .models import AcademicYear, Department, Person, Programme, School
from .setup import parse_structure, quality_manager_appoint, setup_steps, structure_apply
from .tables import AcademicYearTable, DepartmentTable, PersonTable, ProgrammeTable, RoleAssignmentTable

# Departments -------------------------------------------------------------------------


class DepartmentListView(FilteredListView):
    table_class = DepartmentTable
    filterset_class = DepartmentFilterSet
    title = gettext_lazy("Departments")
    export_basename = "departments"

    def get_queryset(self) -> QuerySet[Department]:
        return selectors.department_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "organisation.manage_structure"):
            return reverse("organisation:department_create")
        return None


class DepartmentDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "organisation/department_detail.html"

    def get_object(self) -> Department:
        return selectors.department_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        department = self.object
        return super().get_context_data(
            department=department,
            programmes=selectors.programme_list(user=self.request.user).filter(department=department),
            processes=processes_of_department(user=self.request.user, department=department),
            heads=selectors.role_list(user=self.request.user).filter(department=department, role="department_head"),
            can_change=can(self.request.user, "organisation.manage_structure", department),
            history=object_history(user=self.request.user, instance=department),
            **kwargs,
        )


class DepartmentCreateView(ModelServiceFormView):
    form_class = DepartmentForm
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("New department")
    success_message = gettext_lazy("The department was created.")

    def perform(self, form: DepartmentForm) -> Department:
        return services.department_create(actor=self.request.user, data=self.service_data(form))


class DepartmentUpdateView(ModelServiceFormView):
    form_class = DepartmentForm
    permission_action = "organisation.manage_structure"
    success_message = gettext_lazy("The department was saved.")

    def get_object(self) -> Department:
        return selectors.department_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form: DepartmentForm) -> Department:
        services.department_update(
            actor=self.request.user,
            department=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


# Programmes --------------------------------------------------------------------------


class ProgrammeListView(FilteredListView):
    table_class = ProgrammeTable
    filterset_class = ProgrammeFilterSet
    title = gettext_lazy("Programmes")
    export_basename = "programmes"

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "organisation.change_programme", None) or self._heads_a_department():
            return reverse("organisation:programme_create")
        return None

    def _heads_a_department(self) -> bool:
        from .permissions import roles_of

        return bool(roles_of(self.request.user).departments_for("department_head"))


class ProgrammeCreateView(ModelServiceFormView):
    form_class = ProgrammeForm
    title = gettext_lazy("New programme")
    success_message = gettext_lazy("The programme was created.")

    def perform(self, form: ProgrammeForm) -> Programme:
        return services.programme_create(actor=self.request.user, data=self.service_data(form))

    def get_success_url_for(self, result: Any) -> str:
        return reverse("organisation:programme_list")


class ProgrammeUpdateView(ModelServiceFormView):
    form_class = ProgrammeForm
    permission_action = "organisation.change_programme"
    success_message = gettext_lazy("The programme was saved.")

    def get_object(self) -> Programme:
        return selectors.programme_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: ProgrammeForm) -> Programme:
        services.programme_update(
            actor=self.request.user,
            programme=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object

    def get_success_url_for(self, result: Any) -> str:
        return reverse("organisation:programme_list")


# Academic years ----------------------------------------------------------------------


class AcademicYearListView(FilteredListView):
    table_class = AcademicYearTable
    filterset_class = AcademicYearFilterSet
    title = gettext_lazy("Academic years")
    export_basename = "academic-years"

    def get_queryset(self) -> QuerySet[AcademicYear]:
        return selectors.academic_year_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "organisation.manage_structure"):
            return reverse("organisation:academic_year_create")
        return None


class AcademicYearCreateView(ModelServiceFormView):
    form_class = AcademicYearForm
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("New academic year")
    success_message = gettext_lazy("The academic year was created.")

    def perform(self, form: AcademicYearForm) -> AcademicYear:
        return services.academic_year_create(actor=self.request.user, data=self.service_data(form))

    def get_success_url_for(self, result: Any) -> str:
        return reverse("organisation:academic_year_list")


class AcademicYearUpdateView(ModelServiceFormView):
    form_class = AcademicYearForm
    permission_action = "organisation.manage_structure"
    success_message = gettext_lazy("The academic year was saved.")

    def get_object(self) -> AcademicYear:
        return selectors.academic_year_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object},
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )

    def perform(self, form: AcademicYearForm) -> AcademicYear:
        services.academic_year_update(
            actor=self.request.user,
            academic_year=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object

    def get_success_url_for(self, result: Any) -> str:
        return reverse("organisation:academic_year_list")


# People ------------------------------------------------------------------------------


class PersonListView(FilteredListView):
    table_class = PersonTable
    filterset_class = PersonFilterSet
    permission_action = "organisation.view_people"
    title = gettext_lazy("People")
    export_basename = "people"

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.person_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        from .permissions import roles_of

        roles = roles_of(self.request.user)
        if roles.is_quality_manager or roles.departments_for("department_head"):
            return reverse("organisation:person_create")
        return None


class PersonDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "organisation/person_detail.html"
    staff_only = False  # everyone may open their own page; others are out of their sight (404)
    permission_action = "organisation.view_person"

    def get_object(self) -> Person:
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = self.object
        user = self.request.user
        assignments = list(person.role_assignments.all())
        return super().get_context_data(
            person=person,
            assignments=[(a, can(user, "organisation.grant_role", a)) for a in assignments],
            can_change=can(user, "organisation.change_person", person),
            can_grant=can(user, "organisation.grant_role", None),
            history=object_history(user=user, instance=person),
            **kwargs,
        )


class PersonCreateView(ModelServiceFormView):
    form_class = PersonForm
    permission_action = "organisation.view_people"
    title = gettext_lazy("New person")
    success_message = gettext_lazy("The person was created.")

    def perform(self, form: PersonForm) -> Person:
        return services.person_create(actor=self.request.user, data=self.service_data(form))


class PersonUpdateView(ModelServiceFormView):
    form_class = PersonForm
    permission_action = "organisation.change_person"
    success_message = gettext_lazy("The person was saved.")

    def get_object(self) -> Person:
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form: PersonForm) -> Person:
        services.person_update(
            actor=self.request.user, person=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


# Roles -------------------------------------------------------------------------------


class RoleListView(FilteredListView):
    table_class = RoleAssignmentTable
    filterset_class = RoleAssignmentFilterSet
    permission_action = "organisation.view_roles"
    title = gettext_lazy("Roles")
    export_basename = "roles"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.role_list(user=self.request.user)


class RoleGrantView(ServiceFormView):
    form_class = RoleGrantForm
    permission_action = "organisation.grant_role"
    success_message = gettext_lazy("The role was granted.")

    def get_object(self) -> Person:
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Any:
        return None  # the role itself is checked by the service once chosen

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Grant a role to %(name)s") % {"name": self.object},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: RoleGrantForm) -> Any:
        data = form.cleaned_data
        services.role_grant(
            actor=self.request.user,
            person=self.object,
            role=data["role"],
            scope_kind=data["scope_kind"],
            department=data["department"],
            process=data["process"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
        )
        return self.object

    def form_valid(self, form: RoleGrantForm) -> HttpResponse:
        from django.core.exceptions import PermissionDenied

        try:
            return super().form_valid(form)
        except PermissionDenied:
            form.add_error(None, _("You may not grant this role in this scope."))
            return self.form_invalid(form)


class RoleRevokeView(PermissionRequiredMixin, TemplateView):
    template_name = "core/form.html"
    permission_action = "organisation.grant_role"

    def get_object(self) -> Any:
        return selectors.role_get(user=self.request.user, pk=self.kwargs["pk"])

    def render_form(self, form: RoleRevokeForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": _("Revoke: %(assignment)s") % {"assignment": self.object},
                "cancel_url": self.object.person.get_absolute_url(),
                "submit_label": _("Revoke"),
                "danger": True,
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(RoleRevokeForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RoleRevokeForm(request.POST)
        if form.is_valid():
            person = self.object.person
            try:
                services.role_revoke(actor=request.user, assignment=self.object, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The role was revoked."))
                return HttpResponseRedirect(person.get_absolute_url())
        return self.render_form(form, status=400)


class MyRolesView(LoginRequiredMixin, TemplateView):
    """Everyone's own page, students included: their roles and scopes, the processes they
    own or take part in."""

    template_name = "organisation/my_roles.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(summary=selectors.my_roles_summary(user=self.request.user), **kwargs)


# The school and the first-run set-up -------------------------------------------------


class SchoolDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "organisation/school_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object is None:
            if can(request.user, "organisation.manage_structure"):
                return HttpResponseRedirect(reverse("organisation:setup"))
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_object(self) -> School | None:
        return selectors.school_get()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            school=self.object,
            logo=selectors.school_logo(school=self.object),
            can_change=can(self.request.user, "organisation.manage_structure", self.object),
            history=object_history(user=self.request.user, instance=self.object),
            **kwargs,
        )


class SchoolUpdateView(ModelServiceFormView):
    """Edits the school's record, or records it when there is none yet."""

    form_class = SchoolForm
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("The school")
    success_message = gettext_lazy("The school's record was saved.")

    def get_object(self) -> School | None:
        return selectors.school_get()

    def perform(self, form: SchoolForm) -> School:
        if self.object is None:
            return services.school_create(actor=self.request.user, data=self.service_data(form))
        services.school_update(
            actor=self.request.user, school=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        history = object_history(user=self.request.user, instance=self.object) if self.object else []
        return super().get_context_data(history=history, **kwargs)


class SchoolLogoView(ServiceFormView):
    form_class = SchoolLogoForm
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("The school's logo")
    success_message = gettext_lazy("The logo was saved.")

    def get_object(self) -> School:
        school = selectors.school_get()
        if school is None:
            raise Http404
        return school

    def perform(self, form: SchoolLogoForm) -> School:
        services.school_set_logo(actor=self.request.user, school=self.object, upload=form.cleaned_data["logo"])
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("organisation:school_detail"), **kwargs)


class SetupView(PermissionRequiredMixin, TemplateView):
    """Where a new school starts: the steps of its set-up, done or still to do."""

    template_name = "organisation/setup.html"
    permission_action = "organisation.manage_structure"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        steps = setup_steps()
        return super().get_context_data(
            steps=steps, next_step=next((step for step in steps if not step.done), None), **kwargs
        )


class SetupStepMixin:
    """A step of the set-up returns to the set-up page, which shows the next one."""

    request: HttpRequest

    def get_success_url_for(self, result: Any) -> str:
        return reverse("organisation:setup")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        steps = setup_steps()
        return super().get_context_data(  # type: ignore[misc]
            cancel_url=reverse("organisation:setup"), setup_steps=steps, **kwargs
        )


class SetupSchoolView(SetupStepMixin, SchoolUpdateView):
    title = gettext_lazy("Set-up: the school's name and identity")


class SetupAcademicYearView(SetupStepMixin, ModelServiceFormView):
    form_class = AcademicYearForm
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("Set-up: the first academic year")
    success_message = gettext_lazy("The academic year was created.")

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        first = today.year if today.month >= 8 else today.year - 1
        return {
            "label": f"{first}-{first + 1}",
            "starts_on": datetime.date(first, 9, 1),
            "ends_on": datetime.date(first + 1, 8, 31),
            "is_current": True,
        }

    def perform(self, form: AcademicYearForm) -> AcademicYear:
        return services.academic_year_create(actor=self.request.user, data=self.service_data(form))


class SetupStructureView(SetupStepMixin, ServiceFormView):
    form_class = SetupStructureForm
    template_name = "organisation/setup_structure.html"
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("Set-up: departments and programmes")
    success_message = gettext_lazy("The departments and programmes were saved.")

    def perform(self, form: SetupStructureForm) -> None:
        try:
            structure = parse_structure(form.cleaned_data["lines"])
            structure_apply(actor=self.request.user, structure=structure)
        except ValidationError as error:
            raise ValidationError({"lines": error.messages}) from error

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            departments=selectors.department_list(user=self.request.user).prefetch_related("programmes"), **kwargs
        )


class SetupQualityManagerView(SetupStepMixin, ServiceFormView):
    form_class = SetupQualityManagerForm
    permission_action = "organisation.manage_structure"
    title = gettext_lazy("Set-up: the first quality manager")
    success_message = gettext_lazy("The quality manager was appointed.")

    def perform(self, form: SetupQualityManagerForm) -> Person:
        data = form.cleaned_data
        return quality_manager_appoint(
            actor=self.request.user,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=data["job_title"],
            password=data["password"] or None,
        )
