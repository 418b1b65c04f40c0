"""Pages of indicators: the list, each indicator's page (definition, values by year and scope
with their lights, trend chart, targets), the forms that set targets and record values, the
on-demand recomputation, and the school dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, ServiceFormView
from amelio.history.selectors import object_history
from amelio.organisation.models import AcademicYear

from . import selectors, services
from .filtersets import IndicatorFilterSet
from .forms import IndicatorForm, TargetForm, ValueForm, YearForm
from .models import Indicator
from .tables import IndicatorTable


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
    """Every indicator of the school for one academic year, with its traffic light."""

    template_name = "indicators/dashboard.html"
    permission_action = "indicators.view_indicator"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = YearForm(self.request.GET or None)
        year: AcademicYear | None = None
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["academic_year"]
        else:
            year = selectors.current_academic_year()
            form = YearForm(initial={"academic_year": year})
        return super().get_context_data(
            year_form=form,
            academic_year=year,
            can_freeze=year is not None
            and year.ends_on < timezone.localdate()
            and can(self.request.user, "indicators.manage_indicators"),
            rows=selectors.dashboard(user=self.request.user, academic_year=year),
            **kwargs,
        )
