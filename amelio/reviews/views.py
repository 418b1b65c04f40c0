"""Pages of the management reviews: the list, a review's page (its sections with figures,
charts and notes, its decisions and steps), its forms and its PDF."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from amelio.core.permissions import can
from amelio.core.views import FilteredListView, ModelServiceFormView, PermissionRequiredMixin, ServiceFormView
from amelio.history.selectors import object_history

from . import selectors, services
from .choices import ReviewStatus
from .filtersets import ReviewFilterSet
from .forms import DecisionForm, NoteForm, ReviewForm
from .models import ManagementReview, ReviewSection
from .tables import ReviewTable
from .workflows import REVIEW_WORKFLOW


class ReviewListView(FilteredListView):
    table_class = ReviewTable
    filterset_class = ReviewFilterSet
    permission_action = "reviews.view_review"
    title = gettext_lazy("Management reviews")
    export_basename = "management-reviews"

    def get_queryset(self) -> QuerySet[ManagementReview]:
        return selectors.review_list(user=self.request.user)

    def get_create_url(self) -> str | None:
        return reverse("reviews:review_create") if can(self.request.user, "reviews.add_review") else None


class ReviewCreateView(ModelServiceFormView):
    form_class = ReviewForm
    permission_action = "reviews.add_review"
    title = gettext_lazy("New management review")
    success_message = gettext_lazy("The review was created; compile its inputs when the period is over.")

    def perform(self, form: ReviewForm) -> ManagementReview:
        return services.review_create(actor=self.request.user, data=self.service_data(form))


class ReviewUpdateView(ModelServiceFormView):
    form_class = ReviewForm
    permission_action = "reviews.prepare_review"
    success_message = gettext_lazy("The review was saved.")

    def get_object(self) -> ManagementReview:
        return selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object.reference}, **kwargs)

    def perform(self, form: ReviewForm) -> ManagementReview:
        services.review_update(
            actor=self.request.user, review=self.object, data=self.service_data(form), version=self.form_version(form)
        )
        return self.object


class ReviewDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "reviews/review_detail.html"
    permission_action = "reviews.view_review"

    def get_object(self) -> ManagementReview:
        return selectors.review_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        review, user = self.object, self.request.user
        is_compiled = review.status == ReviewStatus.COMPILED
        return super().get_context_data(
            review=review,
            sections=selectors.review_sections(review),
            steps=REVIEW_WORKFLOW.steps(user, review),
            can_edit=review.status != ReviewStatus.APPROVED and can(user, "reviews.prepare_review", review),
            can_write_notes=is_compiled and can(user, "reviews.write_note", review),
            can_decide=is_compiled and can(user, "reviews.prepare_review", review),
            history=object_history(user=user, instance=review),
            **kwargs,
        )


class SectionNoteView(ServiceFormView):
    form_class = NoteForm
    permission_action = "reviews.write_note"
    success_message = gettext_lazy("The note was saved.")

    def get_object(self) -> ManagementReview:
        review = selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])
        self.section = get_object_or_404(ReviewSection, review=review, key=self.kwargs["key"])
        return review

    def get_initial(self) -> dict[str, Any]:
        return {"note": self.section.note}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Note on “%(section)s”") % {"section": self.section.display_title},
            cancel_url=self.section.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: NoteForm) -> ReviewSection:
        return services.section_write_note(
            actor=self.request.user, section=self.section, note=form.cleaned_data["note"]
        )


class DecisionCreateView(ServiceFormView):
    form_class = DecisionForm
    permission_action = "reviews.prepare_review"
    success_message = gettext_lazy("The decision was recorded and its action given to its owner.")

    def get_object(self) -> ManagementReview:
        return selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "review": self.object}

    def get_initial(self) -> dict[str, Any]:
        section = self.object.sections.filter(key=self.request.GET.get("section", "")).first()
        return {"section": section} if section else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Decision of %(name)s") % {"name": self.object.reference},
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form: DecisionForm) -> Any:
        return services.decision_record(actor=self.request.user, review=self.object, **form.cleaned_data)


class ReviewPdfView(PermissionRequiredMixin, View):
    """The whole review as a PDF, with the same charts as its page."""

    permission_action = "reviews.view_review"

    def get_object(self) -> ManagementReview:
        return selectors.review_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(review_pdf(self.object, request), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.object.reference}.pdf"'
        return response


def review_pdf(review: ManagementReview, request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango and fonts

    html = render_to_string(
        "reviews/review_pdf.html",
        {"review": review, "sections": selectors.review_sections(review), "generated_at": timezone.localtime()},
        request,
    )
    return bytes(HTML(string=html).write_pdf())
