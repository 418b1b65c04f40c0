"""Pages of continuous improvement: registers, the item's whole story, the board, "My
work", transitions, actions, files and the public complaint form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.exports import pdf_response
from amelio.core.permissions import can
from amelio.core.ratelimit import RateLimit, RateLimitMixin
from amelio.core.registry import my_work_sections_for
from amelio.core.uploads import renamed_notice
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, add_validation_error
from amelio.history.selectors import object_history

from . import selectors, services
from .choices import OPEN_ACTION_STATUSES
from .filtersets import ActionFilterSet, ItemFilterSet
from .forms import (
    ActionForm,
    AttachmentForm,
    ItemActionForm,
    ItemRaiseForm,
    ItemReportForm,
    ItemUpdateForm,
    NoteForm,
    PublicComplaintForm,
)
from .models import Action, ImprovementItem
from .tables import ActionTable, ItemTable
from .workflows import ACTION_WORKFLOW, ITEM_WORKFLOW

# Items ------------------------------------------------------------------------------


class ItemListView(FilteredListView):
    table_class = ItemTable
    filterset_class = ItemFilterSet
    permission_action = "improvement.raise_item"
    staff_only = False  # a student's register holds what they raised
    title = gettext_lazy("Improvement register")
    export_basename = "improvement-items"

    def get_queryset(self) -> QuerySet[ImprovementItem]:
        return selectors.item_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("improvement:item_create")


class ItemBoardView(PermissionRequiredMixin, TemplateView):
    template_name = "improvement/board.html"
    permission_action = "improvement.raise_item"
    staff_only = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset = ItemFilterSet(self.request.GET or None, queryset=selectors.item_list(user=self.request.user))
        filters = {}
        if filterset.is_bound and filterset.is_valid():
            filters["pk__in"] = filterset.qs.values("pk")
        return super().get_context_data(
            filter=filterset, columns=selectors.board_columns(user=self.request.user, filters=filters), **kwargs
        )


class ItemCreateView(ModelServiceFormView):
    form_class = ItemRaiseForm
    permission_action = "improvement.raise_item"
    staff_only = False
    title = gettext_lazy("Report a problem or an idea")
    success_message = gettext_lazy("Thank you: it is recorded and the person in charge has been told.")
    template_name = "improvement/item_form.html"

    def classifies(self) -> bool:
        """Staff raise a classified item; a student or an outsider reports in plain words."""
        return can(self.request.user, "improvement.raise_classified")

    def get_form_class(self) -> Any:
        return ItemRaiseForm if self.classifies() else ItemReportForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {})
        if "origin" in self.request.GET and self.classifies():
            kwargs["initial"]["origin"] = self.request.GET["origin"]
        return kwargs

    def perform(self, form: ItemRaiseForm | ItemReportForm) -> ImprovementItem:
        data = {name: value for name, value in form.cleaned_data.items() if name != "attachments"}
        files = form.cleaned_data["attachments"]
        if self.classifies():
            return services.item_raise(actor=self.request.user, data=data, files=files)
        return services.item_report(actor=self.request.user, data=data, files=files)


class ItemUpdateView(ModelServiceFormView):
    form_class = ItemUpdateForm
    permission_action = "improvement.manage_item"
    staff_only = False
    success_message = gettext_lazy("The item was saved.")

    def get_object(self) -> ImprovementItem:
        return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.reference}, **kwargs)

    def perform(self, form: ItemUpdateForm) -> ImprovementItem:
        services.item_update(
            actor=self.request.user, item=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class ItemDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "improvement/item_detail.html"
    permission_action = "improvement.view_item"
    staff_only = False

    def get_object(self) -> ImprovementItem:
        return selectors.item_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        item, user = self.object, self.request.user
        manages = can(user, "improvement.manage_item", item)
        # A student sees the item but not the process pages: no link leading to a refusal.
        links_process = (
            item.process is not None
            and can(user, "organisation.view_staff_pages")
            and can(user, "processes.view_process", item.process)
        )
        return super().get_context_data(
            item=item,
            links_process=links_process,
            steps=ITEM_WORKFLOW.steps(user, item),
            can_manage=manages,
            can_add_action=can(user, "improvement.add_action_to_item", item),
            can_attach=can(user, "improvement.attach_to_item", item),
            attachment_form=AttachmentForm(),
            history=object_history(user=user, instance=item),
            **kwargs,
        )


class ItemActionCreateView(ModelServiceFormView):
    form_class = ItemActionForm
    permission_action = "improvement.manage_item"
    staff_only = False
    success_message = gettext_lazy("The action was planned and its owner told.")

    def get_object(self) -> ImprovementItem:
        return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)  # the form builds an action, not the item
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("New action for %(item)s") % {"item": self.object.reference}, **kwargs)

    def perform(self, form: ItemActionForm) -> Action:
        services.action_create(actor=self.request.user, item=self.object, data=self.service_data(form))
        return self.object


# Actions ----------------------------------------------------------------------------


class ActionListView(FilteredListView):
    table_class = ActionTable
    filterset_class = ActionFilterSet
    permission_action = "improvement.raise_item"
    staff_only = False
    title = gettext_lazy("Action register")
    export_basename = "actions"

    def get_queryset(self) -> QuerySet[Action]:
        return selectors.action_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        if can(self.request.user, "improvement.add_standalone_action", None):
            return reverse("improvement:action_create")
        return None


class ActionCreateView(ModelServiceFormView):
    """An action of no item (later: from an audit finding or a management review)."""

    form_class = ActionForm
    permission_action = "improvement.add_standalone_action"
    title = gettext_lazy("New action")
    success_message = gettext_lazy("The action was planned and its owner told.")

    def perform(self, form: ActionForm) -> Action:
        return services.action_create(actor=self.request.user, data=self.service_data(form))


class ActionDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "improvement/action_detail.html"
    permission_action = "improvement.view_action"
    staff_only = False

    def get_object(self) -> Action:
        return selectors.action_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        action, user = self.object, self.request.user
        works = can(user, "improvement.work_on_action", action)
        return super().get_context_data(
            action=action,
            steps=ACTION_WORKFLOW.steps(user, action),
            can_work=works and action.status in OPEN_ACTION_STATUSES,
            note_form=NoteForm(),
            attachment_form=AttachmentForm(),
            history=object_history(user=user, instance=action),
            **kwargs,
        )


class ActionNoteView(PermissionRequiredMixin, View):
    permission_action = "improvement.work_on_action"
    staff_only = False
    http_method_names = ["post"]

    def get_object(self) -> Action:
        return selectors.action_detail(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.action_add_note(actor=request.user, action=self.object, text=form.cleaned_data["text"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("The note is empty."))
        return HttpResponseRedirect(self.object.get_absolute_url())


# Files ------------------------------------------------------------------------------


class AttachmentUploadView(LoginRequiredMixin, View):
    """Adds a file to an item or an action; a refused file leaves the record unchanged."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        if kind == "item":
            target: Any = selectors.item_get(user=request.user, pk=pk)
        elif kind == "action":
            target = selectors.action_detail(user=request.user, pk=pk)
        else:
            raise Http404
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(target.get_absolute_url() + "#files")
        try:
            stored = services.attachment_add(
                actor=request.user,
                upload=form.cleaned_data["file"],
                item=target if kind == "item" else None,
                action=target if kind == "action" else None,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was added."))
            notice = renamed_notice(sent_name=form.cleaned_data["file"].name, name=stored.original_name)
            if notice:
                messages.info(request, notice)
        return HttpResponseRedirect(target.get_absolute_url() + "#files")


# My work and figures ----------------------------------------------------------------


class MyWorkView(LoginRequiredMixin, TemplateView):
    template_name = "improvement/my_work.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            work=selectors.my_work(user=self.request.user),
            sections=my_work_sections_for(self.request.user),
            **kwargs,
        )


class DashboardView(PermissionRequiredMixin, TemplateView):
    template_name = "improvement/dashboard.html"
    permission_action = "improvement.raise_item"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        figures = selectors.dashboard_figures(user=self.request.user)
        return super().get_context_data(figures=figures, charts=selectors.dashboard_charts(figures), **kwargs)


class DashboardPdfView(DashboardView):
    """The figures page as a PDF: the same charts and tables, drawn for paper."""

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return pdf_response(
            template_name="improvement/dashboard_pdf.html",
            context={**context, "title": _("Improvement figures")},
            basename="improvement-figures",
        )


# Public complaint form --------------------------------------------------------------


class PublicComplaintView(RateLimitMixin, View):
    """A complaint from someone without an account: rate-limited by address (five posts an
    hour), a honeypot field against robots, acknowledged by email."""

    template_name = "improvement/public_complaint.html"
    rate_limit = RateLimit(prefix="public-complaint", limit=5, window=3600)

    def rate_limit_refused(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": PublicComplaintForm(request.POST),
                "refused": _("Too many complaints from your address; please try again in an hour."),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": PublicComplaintForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PublicComplaintForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        if form.cleaned_data["website"]:
            # A robot: answer as if accepted, record nothing.
            return render(request, self.template_name, {"done": True})
        data = {name: value for name, value in form.cleaned_data.items() if name != "website"}
        try:
            item = services.complaint_raise_public(data=data)
        except ValidationError as error:
            add_validation_error(form, error)
            return render(request, self.template_name, {"form": form}, status=400)
        return render(request, self.template_name, {"done": True, "reference": item.reference})
