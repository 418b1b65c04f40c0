"""The REST API: reads through each app's selectors (the same scope as the pages), writes
through its services, after the same permission the page checks. A refusal is a 403 with a
message, a record out of the caller's sight a 404, bad input a 400 naming each field; a
refused write writes nothing (the services run in one transaction)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages as django_messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import View, defaults
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from amelio.core.permissions import can
from amelio.core.views import add_validation_error
from amelio.core.workflow import Workflow
from amelio.improvement import selectors as improvement_selectors
from amelio.improvement import services as improvement_services
from amelio.improvement.filtersets import ActionFilterSet, ItemFilterSet
from amelio.improvement.forms import ItemRaiseForm, ItemReportForm
from amelio.improvement.workflows import ACTION_WORKFLOW, ITEM_WORKFLOW
from amelio.indicators import selectors as indicator_selectors
from amelio.indicators.filtersets import IndicatorFilterSet
from amelio.indicators.models import IndicatorValue
from amelio.internships import selectors as internship_selectors
from amelio.internships.filtersets import InternshipFilterSet
from amelio.partners import selectors as partner_selectors
from amelio.partners.filtersets import CompanyFilterSet
from amelio.processes import selectors as process_selectors
from amelio.processes.filtersets import ProcessFilterSet

from . import selectors as api_token_selectors
from . import serializers as api_serializers
from . import services as api_token_services
from .forms import ApiTokenCreateForm


def check(request: Request, action: str, obj: Any = None, *, staff_only: bool = True) -> None:
    """The page's checks: the staff side (unless the page is open to students), then the
    action's rule."""
    if staff_only and not can(request.user, "organisation.view_staff_pages"):
        raise exceptions.PermissionDenied(_("You are not allowed to do this."))
    if not can(request.user, action, obj):
        raise exceptions.PermissionDenied(_("You are not allowed to do this."))


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def form_errors(form: Any) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


class ScopedListView(generics.ListAPIView):  # type: ignore[type-arg]
    """A list as its page shows it: the selector's rows, the page's filters, paginated."""

    selector: Callable[..., models.QuerySet[Any]]
    permission_action = ""
    staff_only = True
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator reads the model only
            return self.get_serializer_class().Meta.model.objects.none()  # type: ignore[attr-defined,no-any-return]
        check(self.request, self.permission_action, staff_only=self.staff_only)
        return type(self).selector(user=self.request.user).order_by("pk")


class ProcessList(ScopedListView):
    serializer_class = api_serializers.ProcessSerializer
    selector = process_selectors.process_list
    permission_action = "processes.view_process"
    filterset_class = ProcessFilterSet


class ItemList(ScopedListView):
    serializer_class = api_serializers.ItemSerializer
    selector = improvement_selectors.item_list
    permission_action = "improvement.raise_item"
    staff_only = False
    filterset_class = ItemFilterSet

    @extend_schema(request=api_serializers.ItemRaiseSerializer, responses={201: api_serializers.ItemSerializer})
    def post(self, request: Request) -> Response:
        """Raises an improvement item (a problem, a complaint, an idea), as the page's form."""
        check(request, "improvement.raise_item", staff_only=False)
        # As on the page: a student (anyone outside the quality system) reports in plain words
        # (reported_as, title, description, process) and may not send the classification.
        classifies = can(request.user, "improvement.raise_classified")
        form = (ItemRaiseForm if classifies else ItemReportForm)(data=_form_data(request.data))
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        data = {name: value for name, value in form.cleaned_data.items() if name != "attachments"}
        raise_item = improvement_services.item_raise if classifies else improvement_services.item_report
        try:
            item = raise_item(actor=request.user, data=data)
        except ValidationError as error:
            return Response(field_errors(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(api_serializers.ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class ActionList(ScopedListView):
    serializer_class = api_serializers.ActionSerializer
    selector = improvement_selectors.action_list
    permission_action = "improvement.raise_item"
    staff_only = False
    filterset_class = ActionFilterSet


class IndicatorList(ScopedListView):
    serializer_class = api_serializers.IndicatorSerializer
    selector = indicator_selectors.indicator_list
    permission_action = "indicators.view_indicator"
    filterset_class = IndicatorFilterSet


class IndicatorValueList(generics.ListAPIView):  # type: ignore[type-arg]
    """The figures of one indicator the caller may see."""

    serializer_class = api_serializers.IndicatorValueSerializer

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return IndicatorValue.objects.none()
        check(self.request, "indicators.view_indicator")
        indicator = indicator_selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])
        check(self.request, "indicators.view_indicator", indicator)
        return indicator.values.order_by("academic_year__starts_on", "period", "pk")


class InternshipList(ScopedListView):
    serializer_class = api_serializers.InternshipSerializer
    selector = internship_selectors.internship_list
    permission_action = "internships.list"
    staff_only = False
    filterset_class = InternshipFilterSet


class CompanyList(ScopedListView):
    serializer_class = api_serializers.CompanySerializer
    selector = partner_selectors.company_list
    permission_action = "partners.view_companies"
    filterset_class = CompanyFilterSet


def _form_data(data: Any) -> dict[str, Any]:
    """JSON to what a Django form reads: lists stay lists (QueryDict-like), None is empty."""
    from django.utils.datastructures import MultiValueDict

    if data is None or data == "":
        data = {}
    if not isinstance(data, Mapping):
        # A JSON list, number or string where the fields are expected.
        raise exceptions.ValidationError({"non_field_errors": [_("The body must be a JSON object of fields.")]})
    values: dict[str, list[Any]] = {}
    for name, value in data.items():
        if value is None:
            values[name] = [""]
        elif isinstance(value, list):
            values[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            values[name] = ["on"] if value else []
        else:
            values[name] = [str(value)]
    return MultiValueDict(values)  # type: ignore[return-value]


class TransitionView(APIView):
    """Applies a step of a record's workflow, as the page's button does: the same form, the
    same service, the same permission and history."""

    workflow: Workflow
    serializer_class: type[serializers.Serializer[Any]]

    @extend_schema(request=api_serializers.TransitionSerializer)
    def post(self, request: Request, pk: int, transition: str) -> Response:
        step = self.workflow.get(transition)
        if step is None:
            raise Http404
        record = import_string(self.workflow.selector)(user=request.user, pk=pk)
        status_now = self.workflow.status_of(record)
        if not can(request.user, step.permission_for(status_now), record):
            raise exceptions.PermissionDenied(_("You are not allowed to do this."))
        if status_now not in step.sources:
            return Response(
                {"non_field_errors": [_("This step cannot be taken from the record's present state.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        form = self.workflow.form_class(step)(data=_form_data(request.data))
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            result = self.workflow.perform(
                actor=request.user, record=record, transition=transition, data=self.workflow.service_data(step, form)
            )
        except ValidationError as error:
            return Response(field_errors(error), status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(_("You are not allowed to do this.")) from error
        record = result if isinstance(result, type(record)) else record
        record.refresh_from_db()
        return Response(self.serializer_class(record).data)


class ItemTransitionView(TransitionView):
    workflow = ITEM_WORKFLOW
    serializer_class = api_serializers.ItemSerializer


class ActionTransitionView(TransitionView):
    workflow = ACTION_WORKFLOW
    serializer_class = api_serializers.ActionSerializer


def _is_api_path(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("api:schema").removesuffix("schema/"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 handler: under /api/, an address that leads nowhere is answered in JSON, as
    the API's own refusals are; elsewhere, the site's page."""
    if _is_api_path(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception or Http404())


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 handler (a request refused before any view, e.g. a NUL byte in it): JSON
    under /api/, the site's page elsewhere."""
    if _is_api_path(request):
        return JsonResponse({"detail": _("The request contains characters or values that cannot be read.")}, status=400)
    return defaults.bad_request(request, exception or BadRequest())


# The person's own token page (HTML, not part of the API itself) ------------------------


class ApiTokenListView(LoginRequiredMixin, View):
    """A person's API tokens: made here (the key shown once, in the answer to the form),
    listed with their scope and expiry, revoked at once. Nobody sees another's tokens."""

    template_name = "api/tokens.html"

    def render(self, request: HttpRequest, form: ApiTokenCreateForm, **context: Any) -> HttpResponse:
        tokens = api_token_selectors.api_token_list(user=request.user)
        response = render(request, self.template_name, {"form": form, "tokens": tokens, **context})
        # The page may carry a key: no cache keeps it.
        add_never_cache_headers(response)
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, ApiTokenCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenCreateForm(data=request.POST)
        if form.is_valid():
            try:
                token, key = api_token_services.api_token_create(owner=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return self.render(request, ApiTokenCreateForm(), new_token=token, new_key=key)
        response = self.render(request, form)
        response.status_code = 400
        return response


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = api_token_selectors.api_token_get(user=request.user, pk=pk)
        try:
            api_token_services.api_token_revoke(token=token, actor=request.user)
        except ValidationError as error:
            django_messages.error(request, " ".join(error.messages))
        else:
            django_messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return HttpResponseRedirect(reverse("api_tokens:list"))
