"""Pages of indicators: the list, each indicator's page (definition, values by year and scope
with their lights, trend chart, targets), the forms that set targets and record values, the
on-demand recomputation, and the dashboards (school, department, process, mine) with their
exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.exports import export_rows
from amelio.core.permissions import can
from amelio.core.prepared_exports import export_prepare
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, ServiceFormView
from amelio.history.selectors import object_history
from amelio.organisation.models import AcademicYear

from . import selectors, services
from .choices import OPEN_OBJECTIVE_STATUSES, DashboardKind, Light
from .filtersets import IndicatorFilterSet, ObjectiveFilterSet
from .forms import (
    ActionLinkForm,
    IndicatorForm,
    MeasureAddForm,
    MeasureForm,
    ObjectiveForm,
    TargetForm,
    ValueForm,
    YearForm,
)
from .models import Indicator, Objective, ObjectiveMeasure
from .reports import DASHBOARD_PDF, dashboard_basename, dashboard_subject
from .tables import IndicatorTable, ObjectiveTable, dashboard_export_rows
from .workflows import OBJECTIVE_WORKFLOW


class IndicatorListView(FilteredListView):
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    permission_action = "indicators.view_indicator"
    title = gettext_lazy("Indicators")
    export_basename = "indicators"

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "indicators.manage_indicators"):
            return reverse("indicators:indicator_create")
        return None


class IndicatorCreateView(ModelServiceFormView):
    form_class = IndicatorForm
    permission_action = "indicators.manage_indicators"
    title = gettext_lazy("New indicator")
    success_message = gettext_lazy("The indicator was created.")

    def perform(self, form: IndicatorForm) -> Indicator:
        return services.indicator_create(actor=self.request.user, data=self.service_data(form))


class IndicatorUpdateView(ModelServiceFormView):
    form_class = IndicatorForm
    permission_action = "indicators.manage_indicators"
    success_message = gettext_lazy("The indicator was saved.")

    def get_object(self) -> Indicator:
        return selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.code}, **kwargs)

    def perform(self, form: IndicatorForm) -> Indicator:
        services.indicator_update(
            actor=self.request.user,
            indicator=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


class IndicatorDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "indicators/indicator_detail.html"
    permission_action = "indicators.view_indicator"

    def get_object(self) -> Indicator:
        return selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        indicator, user = self.object, self.request.user
        records = can(user, "indicators.record_indicator", indicator)
        return super().get_context_data(
            indicator=indicator,
            computed=indicator.computed,
            can_record=records,
            can_manage=can(user, "indicators.manage_indicators", indicator),
            recompute_form=YearForm(initial={"academic_year": selectors.current_academic_year()})
            if records and indicator.is_computed
            else None,
            history=object_history(user=user, instance=indicator),
            indicator_objectives=selectors.indicator_objectives(user=user, indicator=indicator),
            **selectors.indicator_detail(user=user, indicator=indicator),
            **kwargs,
        )


class IndicatorFormView(ServiceFormView):
    """A form about one indicator, for those who record its figures."""

    permission_action = "indicators.record_indicator"

    def get_object(self) -> Indicator:
        return selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_success_url_for(self, result: Any) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("cancel_url", self.object.get_absolute_url())
        return super().get_context_data(**kwargs)


class TargetSetView(IndicatorFormView):
    form_class = TargetForm
    success_message = gettext_lazy("The target was saved.")

    def get_initial(self) -> dict[str, Any]:
        return {"academic_year": selectors.current_academic_year()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("%(code)s: set a target") % {"code": self.object.code}, **kwargs)

    def perform(self, form: TargetForm) -> Any:
        return services.target_set(actor=self.request.user, indicator=self.object, **form.cleaned_data)


class ValueRecordView(IndicatorFormView):
    form_class = ValueForm
    success_message = gettext_lazy("The value was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "indicator": self.object}

    def get_initial(self) -> dict[str, Any]:
        return {"academic_year": selectors.current_academic_year()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("%(code)s: record a value") % {"code": self.object.code}, **kwargs)

    def perform(self, form: ValueForm) -> Any:
        data = form.cleaned_data
        scope = services.scope_for(self.object, department=data.get("department"), programme=data.get("programme"))
        return services.value_record(
            actor=self.request.user,
            indicator=self.object,
            academic_year=data["academic_year"],
            scope=scope,
            value=data["value"],
            period=data.get("period") or "",
            note=data["note"],
            evidence=data["evidence"],
        )


class RecomputeView(PermissionRequiredMixin, View):
    """Recompute a computed indicator for a year, now."""

    permission_action = "indicators.record_indicator"
    http_method_names = ["post"]

    def get_object(self) -> Indicator:
        return selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = YearForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an academic year."))
        else:
            try:
                written = services.indicator_recompute(
                    actor=request.user, indicator=self.object, academic_year=form.cleaned_data["academic_year"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Recomputed: %(count)s value(s) written.") % {"count": written})
        return HttpResponseRedirect(self.object.get_absolute_url())


class FreezeYearView(PermissionRequiredMixin, View):
    """Freeze the values of a closed academic year (the quality manager)."""

    permission_action = "indicators.manage_indicators"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = YearForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an academic year."))
            return HttpResponseRedirect(reverse("indicators:dashboard"))
        year = form.cleaned_data["academic_year"]
        try:
            frozen = services.values_freeze(actor=request.user, academic_year=year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s value(s) of %(year)s frozen.") % {"count": frozen, "year": year})
        return HttpResponseRedirect(reverse("indicators:dashboard") + f"?academic_year={year.pk}")


class DashboardView(PermissionRequiredMixin, TemplateView):
    """A dashboard of indicators for one academic year (`?academic_year=`): the school's,
    a department's, a process's or the user's own, by `kind` (see
    selectors.dashboard_filters). `?export=csv|xlsx|pdf` gives it as a file; the PDF draws
    the same charts as the page."""

    template_name = "indicators/dashboard.html"
    permission_action = "indicators.view_indicator"
    kind: str = DashboardKind.SCHOOL

    def get_object(self) -> Any:
        return dashboard_subject(user=self.request.user, kind=self.kind, pk=self.kwargs.get("pk"))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = YearForm(request.GET) if "academic_year" in request.GET else None
        year: AcademicYear | None
        if form is None:
            year = selectors.current_academic_year()
            form = YearForm(initial={"academic_year": year})
        elif form.is_valid():
            year = form.cleaned_data["academic_year"]
        else:
            # A year that does not exist: the page says so on its field, and shows no figure.
            return self.render_to_response(self.get_context_data(year_form=form, academic_year=None), status=400)
        export_format = request.GET.get("export")
        if export_format == "pdf" and year is not None:
            return self.prepare_pdf(year)
        spreadsheet = export_format in ("csv", "xlsx")
        light = request.GET.get("light", "")
        board = selectors.dashboard_for(
            user=request.user,
            kind=self.kind,
            subject=self.object,
            academic_year=year,
            charts=not spreadsheet,  # a spreadsheet draws no chart
            light=light if light in Light.values else "",
            # The page shows its indicators a page at a time; a spreadsheet holds them all.
            page_number=None if spreadsheet else request.GET.get("page") or 1,  # type: ignore[arg-type]
        )
        if export_format in ("csv", "xlsx"):
            return export_rows(
                rows=dashboard_export_rows(board),
                export_format=export_format,
                basename=dashboard_basename(board),
                title=board.title,
            )
        return self.render_to_response(self.get_context_data(year_form=form, academic_year=year, board=board))

    def prepare_pdf(self, year: AcademicYear) -> HttpResponse:
        """The PDF draws every indicator's trend chart: the worker builds it, and the user
        finds it on their "My exports" page, which follows its progress."""
        board = selectors.Dashboard(kind=self.kind, subject=self.object, academic_year=year, previous_year=None)
        export_prepare(
            user=self.request.user,
            builder=DASHBOARD_PDF,
            parameters={"kind": self.kind, "subject": getattr(self.object, "pk", None), "academic_year": year.pk},
            title=f"{board.title} · {year.label} (PDF)",
        )
        messages.info(self.request, _("The PDF is being prepared. It will be offered for download here."))
        return HttpResponseRedirect(reverse("core:exports"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        year = kwargs.get("academic_year")
        kwargs.setdefault(
            "board", selectors.Dashboard(kind=self.kind, subject=self.object, academic_year=None, previous_year=None)
        )
        query = self.request.GET.copy()
        query.pop("export", None)
        query.pop("page", None)
        light_query = query.copy()
        light_query.pop("light", None)
        return super().get_context_data(
            year_query=f"?academic_year={year.pk}" if year is not None else "",
            export_query=query.urlencode(),
            light_query=light_query.urlencode(),
            can_freeze=self.kind == DashboardKind.SCHOOL
            and year is not None
            and year.ends_on < timezone.localdate()
            and can(self.request.user, "indicators.manage_indicators"),
            **selectors.dashboard_pickers(user=self.request.user),
            **kwargs,
        )


class PublishedResultsView(TemplateView):
    """The school's published figures, open to all without an account: what a training
    centre publishes under the national quality framework (success, insertion, satisfaction),
    each with its definition, its academic year and the date it was computed or entered."""

    template_name = "indicators/published_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(results=selectors.published_results(), **kwargs)


# Quality objectives (ISO 9001 clause 6.2) --------------------------------------------------------


class ObjectiveListView(FilteredListView):
    table_class = ObjectiveTable
    filterset_class = ObjectiveFilterSet
    permission_action = "indicators.view_objective"
    title = gettext_lazy("Quality objectives")
    export_basename = "objectives"

    def get_queryset(self) -> QuerySet[Objective]:
        return selectors.objective_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "indicators.add_objective"):
            return reverse("indicators:objective_create")
        return None


class ObjectiveCreateView(ModelServiceFormView):
    form_class = ObjectiveForm
    permission_action = "indicators.add_objective"
    title = gettext_lazy("New quality objective")
    success_message = gettext_lazy("The objective was created as a draft: add the indicators that measure it.")

    def get_initial(self) -> dict[str, Any]:
        return {"academic_year": selectors.current_academic_year(), "owner": self.request.user.pk}

    def perform(self, form: ObjectiveForm) -> Objective:
        return services.objective_create(actor=self.request.user, data=self.service_data(form))


class ObjectiveMixin:
    """A page about one objective, for those who manage it."""

    request: HttpRequest
    kwargs: dict[str, Any]
    permission_action = "indicators.manage_objective"

    def get_object(self) -> Objective:
        return selectors.objective_get(user=self.request.user, pk=self.kwargs["pk"])


class ObjectiveUpdateView(ObjectiveMixin, ModelServiceFormView):
    form_class = ObjectiveForm
    success_message = gettext_lazy("The objective was saved.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(code)s") % {"code": self.object.code}, **kwargs)

    def perform(self, form: ObjectiveForm) -> Objective:
        services.objective_update(
            actor=self.request.user,
            objective=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


class ObjectiveDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "indicators/objective_detail.html"
    permission_action = "indicators.view_objective"

    def get_object(self) -> Objective:
        return selectors.objective_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        objective, user = self.object, self.request.user
        return super().get_context_data(
            objective=objective,
            can_manage=can(user, "indicators.manage_objective", objective)
            and objective.status in OPEN_OBJECTIVE_STATUSES,
            steps=OBJECTIVE_WORKFLOW.steps(user, objective),
            history=object_history(user=user, instance=objective),
            **selectors.objective_detail(user=user, objective=objective),
            **kwargs,
        )


class MeasureAddView(ObjectiveMixin, ServiceFormView):
    form_class = MeasureAddForm
    success_message = gettext_lazy("The indicator now measures the objective.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "indicators": selectors.indicator_list(user=self.request.user)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("cancel_url", self.object.get_absolute_url())
        return super().get_context_data(title=_("%(code)s: add an indicator") % {"code": self.object.code}, **kwargs)

    def perform(self, form: MeasureAddForm) -> Objective:
        services.measure_add(actor=self.request.user, objective=self.object, **form.cleaned_data)
        return self.object


class MeasureUpdateView(ModelServiceFormView):
    form_class = MeasureForm
    permission_action = "indicators.manage_objective"
    success_message = gettext_lazy("The measure was saved.")

    def get_object(self) -> ObjectiveMeasure:
        return selectors.measure_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Objective:
        return self.object.objective

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("%(objective)s: target for %(indicator)s")
            % {"objective": self.object.objective.code, "indicator": self.object.indicator},
            **kwargs,
        )

    def perform(self, form: MeasureForm) -> ObjectiveMeasure:
        services.measure_update(
            actor=self.request.user, measure=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class MeasureRemoveView(PermissionRequiredMixin, View):
    permission_action = "indicators.manage_objective"
    http_method_names = ["post"]

    def get_object(self) -> ObjectiveMeasure:
        return selectors.measure_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Objective:
        return self.object.objective

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objective = self.object.objective
        try:
            services.measure_remove(actor=request.user, measure=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The indicator no longer measures the objective."))
        return HttpResponseRedirect(objective.get_absolute_url())


class ActionLinkView(ObjectiveMixin, ServiceFormView):
    form_class = ActionLinkForm
    success_message = gettext_lazy("The action now serves the objective.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "actions": selectors.linkable_actions(user=self.request.user, objective=self.object),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("cancel_url", self.object.get_absolute_url())
        return super().get_context_data(
            title=_("%(code)s: link an improvement action") % {"code": self.object.code}, **kwargs
        )

    def perform(self, form: ActionLinkForm) -> Objective:
        services.objective_link_action(
            actor=self.request.user, objective=self.object, action=form.cleaned_data["action"]
        )
        return self.object


class ActionUnlinkView(ObjectiveMixin, PermissionRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        objective = self.object
        action = objective.actions.filter(pk=self.kwargs["action_pk"]).first()
        if action is None:
            raise Http404
        try:
            services.objective_unlink_action(actor=request.user, objective=objective, action=action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action no longer serves the objective."))
        return HttpResponseRedirect(objective.get_absolute_url())
