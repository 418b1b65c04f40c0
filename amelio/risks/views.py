"""Pages of the risk register: the register, a risk's page with its story and steps, its
forms, the heat map and the school's scale."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, ServiceFormView
from amelio.history.selectors import object_history
from amelio.improvement.models import Action

from . import selectors, services
from .choices import CURRENT_RISK_STATUSES, RiskStatus, score_level
from .filtersets import RiskFilterSet
from .forms import ReviewForm, RiskActionForm, RiskForm, RiskItemForm, ScaleForm
from .models import Risk, RiskScale
from .tables import RiskTable
from .workflows import RISK_WORKFLOW


class RiskListView(FilteredListView):
    table_class = RiskTable
    filterset_class = RiskFilterSet
    permission_action = "risks.view_risk"
    title = gettext_lazy("Risk and opportunity register")
    export_basename = "risks"

    def get_queryset(self) -> QuerySet[Risk]:
        return selectors.risk_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "risks.add_risk", None):
            return reverse("risks:risk_create")
        return None


class RiskMatrixView(PermissionRequiredMixin, TemplateView):
    template_name = "risks/matrix.html"
    permission_action = "risks.view_risk"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        residual = self.request.GET.get("view") == "residual"
        return super().get_context_data(
            matrix=selectors.risk_matrix(user=self.request.user, residual=residual), **kwargs
        )


class RiskDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "risks/risk_detail.html"
    permission_action = "risks.view_risk"

    def get_object(self) -> Risk:
        return selectors.risk_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        risk, user = self.object, self.request.user
        maximum = selectors.scale_maximum()
        manages = can(user, "risks.manage_risk", risk)
        is_current = risk.status in CURRENT_RISK_STATUSES
        return super().get_context_data(
            risk=risk,
            maximum=maximum,
            level=score_level(risk.score, maximum),
            residual_level=score_level(risk.residual_score, maximum),
            steps=RISK_WORKFLOW.steps(user, risk),
            can_edit=manages and risk.status != RiskStatus.CLOSED,
            can_plan_action=manages and risk.status != RiskStatus.CLOSED and may_plan_action(user, risk),
            can_review=is_current and can(user, "risks.review_risk", risk),
            can_raise_item=risk.status != RiskStatus.CLOSED and can(user, "risks.raise_item", risk),
            links_process=can(user, "processes.view_process", risk.process),
            history=object_history(user=user, instance=risk),
            **kwargs,
        )


def may_plan_action(user: Any, risk: Risk) -> bool:
    """A new action is the improvement app's: its own rule on the risk's process decides too
    (a department head plans actions of no process; they link existing ones to the risk)."""
    probe = Action(process=risk.process, department=risk.process.department)
    return can(user, "improvement.add_standalone_action", probe)


class RiskCreateView(ModelServiceFormView):
    form_class = RiskForm
    permission_action = "risks.add_risk"
    title = gettext_lazy("New risk or opportunity")
    success_message = gettext_lazy("The risk was recorded.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if "process" in self.request.GET:
            initial["process"] = self.request.GET["process"]
        return initial

    def perform(self, form: RiskForm) -> Risk:
        return services.risk_create(actor=self.request.user, data=self.service_data(form))


class RiskUpdateView(ModelServiceFormView):
    form_class = RiskForm
    permission_action = "risks.manage_risk"
    success_message = gettext_lazy("The risk was saved.")

    def get_object(self) -> Risk:
        return selectors.risk_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.reference}, **kwargs)

    def perform(self, form: RiskForm) -> Risk:
        services.risk_update(
            actor=self.request.user, risk=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class RiskReviewView(ServiceFormView):
    form_class = ReviewForm
    permission_action = "risks.review_risk"
    success_message = gettext_lazy("The review was recorded.")

    def get_object(self) -> Risk:
        return selectors.risk_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Review of %(name)s") % {"name": self.object.reference},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: ReviewForm) -> Risk:
        return services.risk_review(
            actor=self.request.user,
            risk=self.object,
            next_review_on=form.cleaned_data["next_review_on"],
            note=form.cleaned_data["note"],
        )


class RiskActionCreateView(ModelServiceFormView):
    form_class = RiskActionForm
    permission_action = "risks.manage_risk"
    success_message = gettext_lazy("The action was planned and its owner told.")

    def get_object(self) -> Risk:
        return selectors.risk_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)  # the form builds an action, not the risk
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("New action for %(item)s") % {"item": self.object.reference}, **kwargs)

    def perform(self, form: RiskActionForm) -> Risk:
        services.risk_plan_action(actor=self.request.user, risk=self.object, data=self.service_data(form))
        return self.object


class RiskItemCreateView(ServiceFormView):
    """Raise an improvement item carrying out the risk's treatment; its page, where the
    actions are planned, opens next."""

    form_class = RiskItemForm
    permission_action = "risks.raise_item"
    success_message = gettext_lazy("The improvement item was raised and linked to the risk.")

    def get_object(self) -> Risk:
        return selectors.risk_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        risk = self.object
        return {
            "title": (_("Treatment of %(reference)s: %(title)s") % {"reference": risk.reference, "title": risk.title})[
                :200
            ],
            "description": risk.treatment_plan or risk.description,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("New improvement item for %(risk)s") % {"risk": self.object.reference},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: RiskItemForm) -> Any:
        return services.risk_raise_item(
            actor=self.request.user,
            risk=self.object,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )


class ScaleUpdateView(ModelServiceFormView):
    form_class = ScaleForm
    permission_action = "risks.configure_scale"
    title = gettext_lazy("Risk scale")
    success_message = gettext_lazy("The scale was saved.")

    def get_object(self) -> RiskScale:
        return selectors.scale_get()

    def get_success_url_for(self, result: Any) -> str:
        return reverse("risks:risk_matrix")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("risks:risk_matrix"), **kwargs)

    def perform(self, form: ScaleForm) -> None:
        services.risk_scale_update(
            actor=self.request.user, maximum=form.cleaned_data["maximum"], version=self.form_version(form)
        )
