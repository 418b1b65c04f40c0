"""Pages of the surveys: questionnaires and their versions, campaigns with their steps and
results, and the answering page reached by a personal link, without an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from amelio.core.charts import bar_chart
from amelio.core.exports import export_rows
from amelio.core.permissions import can
from amelio.core.ratelimit import RateLimit, RateLimitMixin
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin
from amelio.history.selectors import object_history

from . import results, selectors, services
from .choices import CampaignStatus, QuestionKind
from .filtersets import CampaignFilterSet, QuestionnaireFilterSet
from .forms import AnswerForm, CampaignEditForm, CampaignForm, QuestionForm, QuestionnaireForm, SectionForm
from .models import Answer, Campaign, Question, Questionnaire, QuestionnaireVersion
from .tables import CampaignTable, QuestionnaireTable
from .workflows import CAMPAIGN_WORKFLOW


class QuestionnaireListView(FilteredListView):
    table_class = QuestionnaireTable
    filterset_class = QuestionnaireFilterSet
    permission_action = "surveys.view"
    title = gettext_lazy("Questionnaires")
    export_basename = "questionnaires"

    def get_queryset(self) -> QuerySet[Questionnaire]:
        return selectors.questionnaire_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        can_create = can(self.request.user, "surveys.manage_questionnaire")
        return reverse("surveys:questionnaire_create") if can_create else None


class QuestionnaireCreateView(ModelServiceFormView):
    form_class = QuestionnaireForm
    permission_action = "surveys.manage_questionnaire"
    title = gettext_lazy("New questionnaire")
    success_message = gettext_lazy("The questionnaire is created with a first draft version.")

    def perform(self, form: QuestionnaireForm) -> Questionnaire:
        return services.questionnaire_create(actor=self.request.user, data=dict(form.cleaned_data))


class QuestionnaireDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "surveys/questionnaire_detail.html"
    permission_action = "surveys.view"

    def get_object(self) -> Questionnaire:
        return selectors.questionnaire_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        questionnaire = self.object
        return super().get_context_data(
            questionnaire=questionnaire,
            versions=list(questionnaire.versions.all()),
            can_manage=can(self.request.user, "surveys.manage_questionnaire", questionnaire),
            history=object_history(user=self.request.user, instance=questionnaire),
            **kwargs,
        )


class VersionDetailView(PermissionRequiredMixin, TemplateView):
    """A version's sections and questions; while it is a draft, the forms to add to it."""

    template_name = "surveys/version_detail.html"
    permission_action = "surveys.view"

    def get_object(self) -> QuestionnaireVersion:
        return selectors.version_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.object
        manages = can(self.request.user, "surveys.manage_questionnaire", version.questionnaire)
        return super().get_context_data(
            version=version,
            sections=version.sections.all(),
            can_edit=manages and not version.is_frozen,
            can_redraft=manages and version.is_frozen,
            section_form=kwargs.pop("section_form", None) or SectionForm(),
            question_form=kwargs.pop("question_form", None) or QuestionForm(version=version),
            **kwargs,
        )


class VersionEditMixin(PermissionRequiredMixin, View):
    permission_action = "surveys.manage_questionnaire"
    http_method_names = ["post"]

    def get_object(self) -> QuestionnaireVersion:
        return selectors.version_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self) -> Any:
        return self.object.questionnaire


class SectionAddView(VersionEditMixin):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.section_add(actor=request.user, version=self.object, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The section was added."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        view = VersionDetailView(request=request, kwargs=kwargs, object=self.object)
        return render(request, view.template_name, view.get_context_data(section_form=form), status=400)


class QuestionAddView(VersionEditMixin):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        version = self.object
        form = QuestionForm(request.POST, version=version)
        if form.is_valid():
            section = get_object_or_404(version.sections.all(), pk=form.cleaned_data["section"])
            try:
                services.question_add(actor=request.user, section=section, data=form.service_data())
            except ValidationError as error:
                for field, errors in (
                    error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
                ):
                    target = {"options": "options_text", "rows": "rows_text", "show_if": "show_if_code"}.get(
                        field or "", field
                    )
                    form.add_error(target if target in form.fields else None, errors)
            else:
                messages.success(request, _("The question was added."))
                return HttpResponseRedirect(version.get_absolute_url() + "#questions")
        view = VersionDetailView(request=request, kwargs=kwargs, object=version)
        return render(request, view.template_name, view.get_context_data(question_form=form), status=400)


class QuestionDeleteView(VersionEditMixin):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        question = get_object_or_404(Question.objects.filter(section__version=self.object), pk=kwargs["question_pk"])
        try:
            services.question_delete(actor=request.user, question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The question was removed."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class VersionPublishView(VersionEditMixin):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.version_publish(actor=request.user, version=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The version is published: it is frozen and can be sent."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class VersionRedraftView(VersionEditMixin):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            draft = services.version_new_draft(actor=request.user, version=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.object.questionnaire.get_absolute_url())
        messages.success(request, _("A new draft version was made from this one."))
        return HttpResponseRedirect(draft.get_absolute_url())


class CampaignListView(FilteredListView):
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    permission_action = "surveys.view"
    title = gettext_lazy("Survey campaigns")
    export_basename = "survey-campaigns"

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaign_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("surveys:campaign_create") if can(self.request.user, "surveys.manage_campaign") else None


class CampaignCreateView(ModelServiceFormView):
    form_class = CampaignForm
    permission_action = "surveys.manage_campaign"
    title = gettext_lazy("New survey campaign")
    success_message = gettext_lazy("The campaign is saved as a draft.")

    def perform(self, form: CampaignForm) -> Campaign:
        return services.campaign_create(actor=self.request.user, data=dict(form.cleaned_data))


class CampaignUpdateView(ModelServiceFormView):
    form_class = CampaignEditForm
    permission_action = "surveys.manage_campaign"
    success_message = gettext_lazy("The campaign was saved.")

    def get_object(self) -> Campaign:
        return selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.title}, **kwargs)

    def perform(self, form: CampaignEditForm) -> Campaign:
        return services.campaign_update(
            actor=self.request.user, campaign=self.object, data=self.service_data(form), version=self.form_version(form)
        )


class CampaignDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "surveys/campaign_detail.html"
    permission_action = "surveys.view"

    def get_object(self) -> Campaign:
        return selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        campaign, user = self.object, self.request.user
        counts = campaign.invitations.aggregate(
            invited=Count("pk", filter=Q(revoked_at__isnull=True)), answered=Count("pk", filter=Q(has_answered=True))
        )
        return super().get_context_data(
            campaign=campaign,
            steps=CAMPAIGN_WORKFLOW.steps(user, campaign),
            counts=counts,
            rate=results.percent(counts["answered"], counts["invited"]),
            can_edit=can(user, "surveys.manage_campaign", campaign) and campaign.status != CampaignStatus.CLOSED,
            can_see_results=can(user, "surveys.view_results", campaign),
            history=object_history(user=user, instance=campaign),
            **kwargs,
        )


def _campaign_results(
    campaign: Campaign, user: Any
) -> tuple[dict[str, Any], list[results.QuestionResult], Campaign | None]:
    """The counts, each question's results, and the previous campaign of the questionnaire
    (when the user may read its results), whose figures are attached to each question."""
    counts = campaign.invitations.aggregate(
        invited=Count("pk", filter=Q(revoked_at__isnull=True)), answered=Count("pk", filter=Q(has_answered=True))
    )
    questions = selectors.version_questions(campaign.version)
    found = results.question_results(questions, selectors.campaign_answers(campaign))
    previous = selectors.campaign_previous(user=user, campaign=campaign)
    if previous is not None and can(user, "surveys.view_results", previous):
        results.compare(found, results.campaign_figures(previous.pk, matrices=any(result.rows for result in found)))
    else:
        previous = None
    return counts, found, previous


def _results_context(campaign: Campaign, user: Any) -> dict[str, Any]:
    counts, found, previous = _campaign_results(campaign, user)
    charts = []
    for result in found:
        if result.rows:
            # A matrix: each row's mean against the top of the scale (its distribution is in
            # the table below).
            points = result.question.scale_points or 5
            chart = bar_chart(
                [
                    (row.label, row.mean or 0, f"{row.mean} / {points} (n={row.answered})" if row.mean else "—")
                    for row in result.rows
                ],
                maximum=points,
            )
        else:
            chart = bar_chart(
                [
                    (bar.label, bar.count, f"{bar.count} ({bar.share} %)" if bar.share is not None else str(bar.count))
                    for bar in result.bars
                ]
            )
        charts.append((result, chart))
    return {
        "campaign": campaign,
        "counts": counts,
        "rate": results.percent(counts["answered"], counts["invited"]),
        "charts": charts,
        "minimum_group": results.MINIMUM_GROUP_SIZE,
        "previous": previous,
    }


class CampaignResultsView(PermissionRequiredMixin, TemplateView):
    """The results on the page; `?export=csv|xlsx` the aggregates as a spreadsheet,
    `?export=pdf` the page's charts and figures as a PDF (an anonymous campaign's exports
    leave its comments out: aggregates only)."""

    template_name = "surveys/campaign_results.html"
    permission_action = "surveys.view_results"

    def get_object(self) -> Campaign:
        return selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export_format = request.GET.get("export")
        campaign = self.object
        if export_format in ("csv", "xlsx"):
            _counts, found, _previous = _campaign_results(campaign, request.user)
            rows = results.export_rows(found, include_comments=not campaign.is_anonymous)
            return export_rows(
                rows=rows, export_format=export_format, basename=f"survey-results-{campaign.pk}", title=campaign.title
            )
        if export_format == "pdf":
            from weasyprint import HTML  # imported on use: it loads Pango and fonts

            context = _results_context(campaign, request.user) | {
                "show_comments": not campaign.is_anonymous,
                "can_raise": False,
                "generated_at": timezone.localtime(),
            }
            html = render_to_string("surveys/results_pdf.html", context, request)
            response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="survey-results-{campaign.pk}.pdf"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            **_results_context(self.object, self.request.user),
            show_comments=True,
            can_raise=can(self.request.user, "surveys.raise_from_comment", self.object),
            **kwargs,
        )


class CommentRaiseView(PermissionRequiredMixin, View):
    """One click: a free-text comment becomes an improvement item (its text, never its author)."""

    permission_action = "surveys.raise_from_comment"
    http_method_names = ["post"]

    def get_object(self) -> Campaign:
        return selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        answer = get_object_or_404(
            Answer.objects.select_related("question", "response__campaign").filter(
                response__campaign=self.object, question__kind__in=[QuestionKind.TEXT]
            ),
            pk=kwargs["answer_pk"],
        )
        try:
            item = services.comment_raise_item(actor=request.user, answer=answer)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("surveys:campaign_results", args=[self.object.pk]))
        messages.success(
            request, _("Improvement item %(reference)s raised from the comment.") % {"reference": item.reference}
        )
        return HttpResponseRedirect(item.get_absolute_url())


class LimeSurveyImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("LimeSurvey response export (CSV)"),
        help_text=gettext_lazy("Headings “question code”, answers “short” (answer codes)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "class": "form-control"}),
    )


class CampaignImportView(PermissionRequiredMixin, TemplateView):
    """Past answers imported from a LimeSurvey export: all or nothing, with the report."""

    template_name = "surveys/campaign_import.html"
    permission_action = "surveys.manage_campaign"

    def get_object(self) -> Campaign:
        return selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(campaign=self.object, form=kwargs.pop("form", LimeSurveyImportForm()), **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from .limesurvey import campaign_import_limesurvey

        form = LimeSurveyImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            report = campaign_import_limesurvey(
                actor=request.user, campaign=self.object, content=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(
            self.get_context_data(form=LimeSurveyImportForm(), report=report), status=400 if report.errors else 200
        )


# It hands out a fresh personal link: never kept by any cache.
@method_decorator(never_cache, name="dispatch")
class MyInvitationsView(LoginRequiredMixin, TemplateView):
    """The surveys waiting on the person signed in; "Answer" opens the questionnaire through
    their own link (a fresh token: only its hash is kept, so the emailed one cannot be shown)."""

    template_name = "surveys/my_invitations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(invitations=list(selectors.my_invitations(user=self.request.user)), **kwargs)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if pk is None:  # the list itself takes no post: "Answer" posts to one invitation
            return self.http_method_not_allowed(request)
        invitation = get_object_or_404(selectors.my_invitations(user=request.user), pk=pk)
        try:
            token = services.invitation_open_for_person(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("surveys:my_invitations"))
        return HttpResponseRedirect(reverse("surveys:answer", args=[token]))


# The page names no one and holds the answers being typed: never kept by any cache.
@method_decorator(never_cache, name="dispatch")
class AnswerView(RateLimitMixin, View):
    """Reached by a personal link, without an account: one answer per link, expiring,
    revocable, rate-limited by address (the token itself is too long to guess)."""

    template_name = "surveys/answer.html"
    rate_limit = RateLimit(prefix="survey-link", limit=10, window=3600)

    def rate_limit_refused(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request, self.template_name, {"refused": _("Too many attempts; try again in an hour.")}, status=429
        )

    def _refused(self, request: HttpRequest, refusal: services.LinkRefused) -> HttpResponse:
        titles = {
            "invalid": _("This link is not valid"),
            "revoked": _("This link has been withdrawn"),
            "used": _("You have already answered"),
            "not_open": _("This survey is not open yet"),
            "closed": _("This survey is closed"),
            "expired": _("Your link has expired"),
        }
        context = {"refused": str(refusal), "refused_title": titles[refusal.code], "refused_code": refusal.code}
        # Not open yet: the same link will work later (403); every other refusal is for good (410).
        return render(request, self.template_name, context, status=403 if refusal.code == "not_open" else 410)

    def _page(self, request: HttpRequest, invitation: Any, form: AnswerForm, status: int = 200) -> HttpResponse:
        campaign = invitation.campaign
        return render(
            request,
            self.template_name,
            {"campaign": campaign, "version": campaign.version, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = services.invitation_resolve(token)
        except services.LinkRefused as refusal:
            return self._refused(request, refusal)
        questions = selectors.version_questions(invitation.campaign.version)
        return self._page(request, invitation, AnswerForm(questions=questions, initial=invitation.draft))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = services.invitation_resolve(token)
        except services.LinkRefused as refusal:
            return self._refused(request, refusal)
        questions = selectors.version_questions(invitation.campaign.version)
        form = AnswerForm(request.POST, questions=questions)
        if "save" in request.POST:
            # Save and continue later: what was typed is kept on the link, unchecked.
            data = {
                name: request.POST.getlist(name)
                if isinstance(field, forms.MultipleChoiceField)
                else request.POST.get(name)
                for name, field in form.fields.items()
            }
            try:
                services.invitation_save_draft(token=token, data=data, fields=form.fields)
            except services.LinkRefused as refusal:
                return self._refused(request, refusal)
            return render(request, self.template_name, {"saved": True, "campaign": invitation.campaign})
        if not form.is_valid():
            return self._page(request, invitation, form, status=400)
        try:
            services.response_submit(token=token, answers=form.answers(), language=get_language() or "")
        except services.LinkRefused as refusal:
            return self._refused(request, refusal)
        except ValidationError as error:
            form.add_error(None, error)
            return self._page(request, invitation, form, status=400)
        return render(request, self.template_name, {"done": True})
