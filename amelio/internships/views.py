"""Pages of internship agreements: the list, the agreement with its workflow and
follow-up, its PDF, the follow-up board, and the evaluation form reached by a link."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.ratelimit import RateLimit, RateLimitMixin
from amelio.core.uploads import renamed_notice
from amelio.core.views import (
    FilteredListView,
    ModelServiceFormView,
    PermissionRequiredMixin,
    add_validation_error,
    query_id,
)
from amelio.history.selectors import object_history
from amelio.organisation.models import School
from amelio.organisation.selectors import current_academic_year

from . import selectors, services
from .agreement_rules import presence_hours
from .choices import AMENDABLE_STATUSES, EvaluationKind
from .filtersets import FollowUpFilterSet, InternshipFilterSet
from .forms import COMPANY_PARTIES, AmendForm, EvaluationForm, InternshipForm, ReportForm, company_choices
from .models import Internship, Milestone
from .tables import FollowUpTable, InternshipTable
from .workflows import INTERNSHIP_WORKFLOW


class InternshipListView(FilteredListView):
    table_class = InternshipTable
    filterset_class = InternshipFilterSet
    permission_action = "internships.list"
    staff_only = False
    title = gettext_lazy("Internships")
    export_basename = "internships"

    def get_queryset(self) -> QuerySet[Internship]:
        return selectors.internship_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("internships:internship_create") if can(self.request.user, "internships.create") else None


class InternshipCreateView(ModelServiceFormView):
    form_class = InternshipForm
    permission_action = "internships.create"
    staff_only = False
    title = gettext_lazy("New internship agreement")
    success_message = gettext_lazy("The agreement is saved as a draft.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["for_student"] = getattr(self.request.user, "kind", "") == "student"
        return kwargs

    def perform(self, form: InternshipForm) -> Internship:
        return services.internship_create(actor=self.request.user, data=dict(form.cleaned_data))


class InternshipUpdateView(ModelServiceFormView):
    form_class = InternshipForm
    permission_action = "internships.edit"
    staff_only = False
    success_message = gettext_lazy("The agreement was saved.")

    def get_object(self) -> Internship:
        return selectors.internship_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["for_student"] = True  # the student of an agreement never changes
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.reference}, **kwargs)

    def perform(self, form: InternshipForm) -> Internship:
        services.internship_update(
            actor=self.request.user,
            internship=self.object,
            data=self.service_data(form),
            version=self.form_version(form),
        )
        return self.object


class PartyOptionsView(PermissionRequiredMixin, View):
    """The `<option>`s of one party of the agreement form, for htmx: the companies matching
    what is typed, or the sites or contacts of the chosen company. Whoever may draft an
    agreement may ask; they get exactly what the form itself would offer and accept."""

    permission_action = "internships.create"
    staff_only = False

    def get(self, request: HttpRequest, field: str) -> HttpResponse:
        if field == "company":
            choices: QuerySet[Any] = company_choices(request.GET.get("company_search", "")[:100])
        elif field in COMPANY_PARTIES:
            choices = COMPANY_PARTIES[field](query_id(request, "company"))
        else:
            raise Http404
        return render(request, "internships/_options.html", {"choices": choices})


class InternshipDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "internships/internship_detail.html"
    permission_action = "internships.view"
    staff_only = False

    def get_object(self) -> Internship:
        return selectors.internship_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        internship, user = self.object, self.request.user
        follows = can(user, "internships.follow", internship)
        return super().get_context_data(
            internship=internship,
            steps=INTERNSHIP_WORKFLOW.steps(user, internship),
            can_edit=can(user, "internships.edit", internship),
            can_follow=follows,
            can_amend=can(user, "internships.office", internship) and internship.status in AMENDABLE_STATUSES,
            can_add_report=can(user, "internships.add_report", internship),
            report_form=ReportForm(),
            presence=presence_hours(internship.starts_on, internship.ends_on, internship.weekly_hours),
            evaluation_kinds=EvaluationKind.choices,
            history=object_history(user=user, instance=internship),
            **kwargs,
        )


class InternshipAmendView(PermissionRequiredMixin, View):
    permission_action = "internships.office"
    staff_only = False

    def get_object(self) -> Internship:
        return selectors.internship_get(user=self.request.user, pk=self.kwargs["pk"])

    def render_form(self, form: AmendForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "core/form.html",
            {
                "form": form,
                "title": _("Amendment of %(reference)s") % {"reference": self.object.reference},
                "cancel_url": self.object.get_absolute_url(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        i = self.object
        return self.render_form(
            AmendForm(
                initial={
                    "starts_on": i.starts_on,
                    "ends_on": i.ends_on,
                    "weekly_hours": i.weekly_hours,
                    "hourly_gratification": i.hourly_gratification,
                }
            )
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AmendForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
            try:
                amendment = services.internship_amend(
                    actor=request.user, internship=self.object, data=data, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("The amendment is drafted; the agreement stays in force until it is signed.")
                )
                return HttpResponseRedirect(amendment.get_absolute_url())
        return self.render_form(form, status=400)


class InternshipPdfView(PermissionRequiredMixin, View):
    """The agreement with all its clauses, as a PDF (WeasyPrint)."""

    permission_action = "internships.view"
    staff_only = False

    def get_object(self) -> Internship:
        return selectors.internship_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from weasyprint import HTML

        internship = self.object
        html = render_to_string(
            "internships/agreement_pdf.html",
            {
                "internship": internship,
                "school": School.objects.first(),
                "presence": presence_hours(internship.starts_on, internship.ends_on, internship.weekly_hours),
            },
            request,
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{internship.reference}.pdf"'
        return response


class MilestoneDoneView(PermissionRequiredMixin, View):
    permission_action = "internships.follow"
    staff_only = False
    http_method_names = ["post"]

    def get_object(self) -> Milestone:
        from amelio.core.permissions import visible

        return get_object_or_404(
            visible(self.request.user, Milestone.objects.select_related("internship__programme")), pk=self.kwargs["pk"]
        )

    def get_permission_object(self) -> Any:
        return self.object.internship

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.milestone_complete(
                actor=request.user, milestone=self.object, note=request.POST.get("note", "")[:1000]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Milestone done."))
        target = request.POST.get("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = self.object.internship.get_absolute_url()
        return HttpResponseRedirect(target)


class EvaluationLinkSendView(PermissionRequiredMixin, View):
    permission_action = "internships.follow"
    staff_only = False
    http_method_names = ["post"]

    def get_object(self) -> Internship:
        return selectors.internship_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = request.POST.get("kind", "")
        if kind not in EvaluationKind.values:
            raise Http404
        try:
            link, _token = services.evaluation_link_send(actor=request.user, internship=self.object, kind=kind)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A personal link was sent to %(email)s.") % {"email": link.email})
        return HttpResponseRedirect(self.object.get_absolute_url())


class ReportUploadView(PermissionRequiredMixin, View):
    """Adds a report to the internship; a refused file leaves it unchanged."""

    # The service answers a report sent before the internship is under way with a message.
    permission_action = "internships.follow_or_own"
    staff_only = False
    http_method_names = ["post"]

    def get_object(self) -> Internship:
        return selectors.internship_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReportForm(request.POST, request.FILES)
        target = self.object.get_absolute_url() + "#files"
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(target)
        try:
            stored = services.internship_add_report(
                actor=request.user, internship=self.object, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report was added."))
            notice = renamed_notice(sent_name=form.cleaned_data["file"].name, name=stored.original_name)
            if notice:
                messages.info(request, notice)
        return HttpResponseRedirect(target)


class FollowUpBoardView(FilteredListView):
    """Open milestones, what is due first, 25 to a page, filtered by year (the current one
    unless another or all are asked for), department, tutor, and late only."""

    template_name = "internships/follow_up.html"
    table_class = FollowUpTable
    filterset_class = FollowUpFilterSet
    permission_action = "internships.list"
    staff_only = False
    title = gettext_lazy("Internship follow-up")
    export_basename = "internship-follow-up"

    def get_queryset(self) -> QuerySet[Milestone]:
        return selectors.followed_milestones(user=self.request.user)

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "academic_year" not in self.request.GET:
            current = current_academic_year()
            data = kwargs["data"].copy() if kwargs.get("data") is not None else QueryDict(mutable=True)
            if current is not None:
                data["academic_year"] = str(current.pk)
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        milestones = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        context["counts"] = selectors.follow_up_counts(milestones)
        return context


# The page names the intern and, once answered, shows the answers: no cache, shared or not, keeps it.
@method_decorator(never_cache, name="dispatch")
class EvaluationFormView(RateLimitMixin, View):
    """Reached by a personal link, without an account: one use, expiring, revocable,
    rate-limited by address (ten posts an hour; the token itself is too long to guess)."""

    template_name = "internships/evaluation_form.html"
    rate_limit = RateLimit(prefix="evaluation-link", limit=10, window=3600)

    def rate_limit_refused(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, {"refused": _("Too many attempts; try again in an hour.")})

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = services.evaluation_link_resolve(token)
        except services.LinkRefused as refusal:
            return render(
                request, self.template_name, {"refused": str(refusal), "contact": refusal.contact}, status=410
            )
        return render(request, self.template_name, {"form": EvaluationForm(), "link": link})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = services.evaluation_link_resolve(token)
        except services.LinkRefused as refusal:
            return render(
                request, self.template_name, {"refused": str(refusal), "contact": refusal.contact}, status=410
            )
        form = EvaluationForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "link": link}, status=400)
        answers = form.answers()
        score = (Decimal(sum(answers.values())) / Decimal(len(answers))).quantize(Decimal("0.1"))
        try:
            services.evaluation_submit(token=token, answers=answers, score=score, comment=form.cleaned_data["comment"])
        except services.LinkRefused as refusal:
            return render(
                request, self.template_name, {"refused": str(refusal), "contact": refusal.contact}, status=410
            )
        return render(request, self.template_name, {"done": True})


class FiguresView(PermissionRequiredMixin, TemplateView):
    """The figures of internships by academic year and department, with their trend."""

    template_name = "internships/figures.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from amelio.organisation.models import Department

        from . import figures
        from .choices import InternshipKind

        departments = list(Department.objects.order_by("name"))
        asked = self.request.GET.get("department", "")
        department = next((choice for choice in departments if str(choice.pk) == asked), None)
        tables = figures.figures_by_year(self.request.user, department=department)
        return super().get_context_data(
            departments=departments,
            department=department,
            kinds=InternshipKind.choices,
            tables=tables,
            chart=figures.trend_chart(tables),
            breakdowns=figures.breakdown_figures(tables),
            **kwargs,
        )


class FiguresPdfView(FiguresView):
    """The figures page as a PDF: the same charts and tables, drawn for paper."""

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        from amelio.core.exports import pdf_response

        title = _("Internship figures")
        if context["department"] is not None:
            title = f"{title} — {context['department'].name}"
        return pdf_response(
            template_name="internships/figures_pdf.html",
            context={**context, "title": title},
            basename="internship-figures",
        )
