"""Generic views shared by every app: permission checks, filtered and exportable lists,
and forms whose valid data is handed to a service."""

from __future__ import annotations

import copy
import logging
import secrets
import sys
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.db import models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from amelio.core.permissions import can
from amelio.history.services import snapshot

from .concurrency import EditConflict, version_of
from .exports import EXPORT_FORMATS, export_rows
from .files import file_response, stored_file_get
from .forms import parse_id
from .health import health_report
from .prepared_exports import PREPARED_EXPORT_DAYS, export_download, my_exports
from .registry import home_cards_for
from .services import editable_fields_of
from .widgets import OPTIONS_PARAMETER, SEARCH_PARAMETER, RemoteSelect, matching_options
from .workflow import Workflow

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrOrPromise


VERSION_FIELD = "version"


class PermissionRequiredMixin(LoginRequiredMixin):
    """Login, then the staff side (unless `staff_only` is off), then the object (fetched
    through a selector, so an object out of the user's sight is a 404), then
    `permission_action` on it. Anything refused raises 403 before the view runs."""

    permission_action = "organisation.view_staff_pages"
    staff_only = True
    object: Any = None

    def get_object(self) -> Any:
        return None

    def get_permission_object(self) -> Any:
        return self.object

    def get_permission_action(self) -> str:
        return self.permission_action

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.request, self.args, self.kwargs = request, args, kwargs
        if self.staff_only and not can(request.user, "organisation.view_staff_pages"):
            raise PermissionDenied
        self.object = self.get_object()
        if not can(request.user, self.get_permission_action(), self.get_permission_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# A page of a list holds at most this many rows, whatever `per_page` asks: a bigger page
# costs the server more than it helps anyone (the export is there for the whole list).
MAX_PAGE_SIZE = 200


def bounded_int(value: str | None, *, default: int, minimum: int, maximum: int | None = None) -> int:
    """A whole number read from a query string: `default` when absent, unreadable or below
    `minimum`, `maximum` when above it. A query parameter never raises."""
    try:
        number = int(str(value).strip()) if value is not None else default
    except ValueError:
        return default
    if number < minimum:
        return default
    return min(number, maximum) if maximum is not None else number


def query_id(request: HttpRequest, name: str) -> int | None:
    """The id a link passes in its query string to preselect a choice (`?company=12`);
    None when absent or unreadable."""
    return parse_id(request.GET.get(name, ""))


def active_filter_count(filterset: Any) -> int:
    """How many of a list's filters the query sets (shown on the folded filters' button of a
    phone). A field counts when its widget reads a value from the query: an empty box, a
    blank choice or a "whichever" answer does not."""
    if filterset is None or not filterset.is_bound:
        return 0
    count = 0
    for bound_field in filterset.form:
        value = bound_field.data
        values = value if isinstance(value, list | tuple) else [value]
        if any(item not in (None, "") for item in values):
            count += 1
    return count


class FilteredListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A list that filters (filterset_class), sorts and paginates (table_class) and
    exports the filtered rows to CSV, XLSX or PDF with `?export=csv|xlsx|pdf`.

    Filters that do not validate give an empty list (and an empty export), never the
    whole list; `page` and `per_page` are read leniently (see `get_table`)."""

    template_name = "core/list.html"
    # django-tables2 paginates; leaving the list view's own pagination off avoids a second COUNT.
    paginate_by = None
    table_pagination = {"per_page": 25}
    title: StrOrPromise = ""
    create_url: str | None = None
    export_basename = "export"

    def get_queryset(self) -> models.QuerySet[Any]:
        raise ImproperlyConfigured(f"{type(self).__name__} must return its selector's queryset.")

    def get_create_url(self) -> str | None:
        return self.create_url

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if OPTIONS_PARAMETER in request.GET:
            return self.options(request)
        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            filterset = self.get_filterset(self.get_filterset_class())
            # As on the page: a filter that does not validate selects nothing.
            valid = not filterset.is_bound or filterset.is_valid()
            queryset = filterset.qs if valid else filterset.queryset.none()
            table = self.get_table_class()(queryset)
            table.order_by = request.GET.get("sort")
            exclude = getattr(table.Meta, "exclude_from_export", ()) if hasattr(table, "Meta") else ()
            return export_rows(
                rows=table.as_values(exclude_columns=exclude),
                export_format=export_format,
                basename=self.export_basename,
                title=str(self.title),
            )
        return super().get(request, *args, **kwargs)

    def options(self, request: HttpRequest) -> HttpResponse:
        """The choices of one searched filter matching `q`, as JSON (core/widgets.py): taken
        from the filter's own queryset, so nothing the filter would refuse is offered."""
        filterset = self.get_filterset_class()(None, queryset=self.get_queryset().none(), request=request)
        name = request.GET.get(OPTIONS_PARAMETER, "")
        field = filterset.form.fields.get(name) if name in filterset.filters else None
        if field is None or not isinstance(field.widget, RemoteSelect):
            raise Http404
        text = request.GET.get(SEARCH_PARAMETER, "")[:100]
        return JsonResponse(matching_options(field, text), safe=False)

    def page_size(self) -> int:
        default = int(self.table_pagination.get("per_page", 25)) if self.table_pagination else 25
        return bounded_int(self.request.GET.get("per_page"), default=default, minimum=1, maximum=MAX_PAGE_SIZE)

    def get_table(self, **kwargs: Any) -> Any:
        """The table sorted as asked, then paginated with a page size between 1 and
        MAX_PAGE_SIZE and a page number that exists: a page past the end shows the last
        one, an unreadable or negative one the first (django-tables2 itself would raise
        on a negative or zero `per_page`)."""
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)
        page = bounded_int(self.request.GET.get("page"), default=1, minimum=1)
        try:
            table.paginate(page=page, per_page=self.page_size())
        except EmptyPage:
            table.page = table.paginator.page(table.paginator.num_pages)
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        filterset = context.get("filter")
        context.update(
            title=self.title,
            create_url=self.get_create_url(),
            export_query=query.urlencode(),
            active_filter_count=active_filter_count(filterset),
            filters_have_errors=bool(filterset is not None and filterset.is_bound and filterset.form.errors),
        )
        return context


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A form whose cleaned data goes to a service; a ValidationError raised by the
    service is shown next to its field and nothing typed is lost."""

    template_name = "core/form.html"
    title: StrOrPromise = ""
    success_message: StrOrPromise = ""
    cancel_url: str | None = None

    def perform(self, form: Any) -> Any:
        raise ImproperlyConfigured(f"{type(self).__name__} must call its service in perform().")

    def get_success_url_for(self, result: Any) -> str:
        return str(result.get_absolute_url())

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except EditConflict:
            raise
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url_for(result))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context.setdefault("cancel_url", self.cancel_url)
        return context


class ModelServiceFormView(ServiceFormView):
    """Create or update one record through a service. The form works on a copy of the
    record, so the service still sees the stored values and records the right history."""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.object is not None:
            kwargs["instance"] = copy.copy(self.object)
        return kwargs

    def service_data(self, form: Any) -> dict[str, Any]:
        return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        edits_the_object = (
            self.object is not None
            and isinstance(form, forms.BaseModelForm)
            and form._meta.model is type(self.object)
            and form.instance.pk == self.object.pk
        )
        if edits_the_object and hasattr(type(self.object), "editable_fields"):
            # Optimistic edit (core.concurrency): the form carries the version it read.
            form.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                initial=version_of(self.object, editable_fields_of(type(self.object))),
            )
        return form

    def form_version(self, form: Any) -> str | None:
        return form.cleaned_data.get(VERSION_FIELD) or None

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except EditConflict as conflict:
            # Keep what was typed, show what the other person changed, and carry the newer
            # version so that saving again keeps these values.
            add_validation_error(form, conflict)
            form.data = take_in_their_changes(form, self.object, conflict)
            return self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        if not context.get("cancel_url") and self.object is not None and hasattr(self.object, "get_absolute_url"):
            context["cancel_url"] = self.object.get_absolute_url()
        return context


class TransitionView(PermissionRequiredMixin, View):
    """The one page of every workflow's steps (core.workflow): GET shows the transition's
    form (a step without a form is a button on the record's page), POST hands the valid data
    to the service the workflow declares. The record comes through the workflow's selector
    (out of sight: 404); the permission is the transition's own. Refusals change nothing and
    keep what was typed."""

    workflow: Workflow | None = None
    staff_only = False
    template_name = "core/form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.workflow is None:
            raise ImproperlyConfigured("TransitionView needs a workflow: TransitionView.as_view(workflow=...).")
        transition = self.workflow.get(kwargs.get("transition", ""))
        if transition is None:
            raise Http404
        self.transition = transition
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        assert self.workflow is not None
        select = import_string(self.workflow.selector)
        return select(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_action(self) -> str:
        assert self.workflow is not None
        return self.transition.permission_for(self.workflow.status_of(self.object))

    def make_form(self, data: Any = None, files: Any = None) -> Any:
        assert self.workflow is not None
        form_class = self.workflow.form_class(self.transition)
        if issubclass(form_class, forms.BaseModelForm):
            # A step that fills fields of the record (an analysis) starts from what is stored.
            return form_class(data, files, instance=copy.copy(self.object))
        return form_class(data, files)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        label = str(self.transition.label)
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "title": _("%(record)s: %(step)s") % {"record": self.object, "step": label},
                "cancel_url": self.object.get_absolute_url(),
                "submit_label": label[:1].upper() + label[1:],
                "danger": self.transition.is_danger,
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.transition.has_form:
            return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.workflow is not None
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.workflow.perform(
                    actor=request.user,
                    record=self.object,
                    transition=self.transition.name,
                    data=self.workflow.service_data(self.transition, form),
                )
            except ValidationError as error:
                if not self.transition.has_form:
                    for message in error.messages:
                        messages.error(request, message)
                    return HttpResponseRedirect(self.object.get_absolute_url())
                add_validation_error(form, error)
            else:
                messages.success(request, _("Done."))
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_form(form, status=400)


def _as_read(instance: models.Model, name: str, value: Any) -> str:
    """`value` as the version snapshot shows it (history.services.snapshot)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(str(related) for related in value or []))
    probe = copy.copy(instance)
    setattr(probe, name, value)
    return snapshot(probe, [name])[name]


def _as_form_value(value: Any) -> Any:
    if isinstance(value, list | tuple) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return [str(getattr(item, "pk", item)) for item in items]
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(getattr(value, "pk", value))


def take_in_their_changes(form: Any, stored: models.Model, conflict: EditConflict) -> Any:
    """After an edit conflict: the fields the other person changed and this person left as
    they read them take the other's values; the fields both changed keep what this person
    typed. The form carries the newer version, so saving again applies exactly what is shown."""
    data = form.data.copy()
    for name, (read, _now) in conflict.changes.items():
        if name not in form.fields or name not in form.cleaned_data:
            continue
        if _as_read(stored, name, form.cleaned_data[name]) != read:
            continue  # both changed it: theirs is shown in the message, this person's value stays
        value = _as_form_value(form[name].initial)
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    data[VERSION_FIELD] = conflict.version
    return data


def add_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, error)


class StoredFileDownloadView(LoginRequiredMixin, View):
    """Every stored file, of every app, is downloaded here (see amelio/core/files.py)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return file_response(stored_file_get(user=request.user, pk=pk))


class MyExportsView(LoginRequiredMixin, TemplateView):
    """The files the worker prepared for the user (see prepared_exports.py). While one is
    being prepared, the list reloads itself every few seconds (htmx), and a finished one is
    offered for download in place."""

    template_name = "core/exports.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["core/_exports_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        exports = list(my_exports(user=self.request.user)[:50])
        return super().get_context_data(
            exports=exports,
            is_pending=any(export.status == "pending" for export in exports),
            keep_days=PREPARED_EXPORT_DAYS,
            **kwargs,
        )


class ExportDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return export_download(user=request.user, pk=pk)


class HomeView(LoginRequiredMixin, TemplateView):
    """The cards the apps registered (core.registry), each showing what concerns the user."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cards=home_cards_for(self.request.user), **kwargs)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"message": _("You are not allowed to see this page.")}, status=403)


error_logger = logging.getLogger("amelio.errors")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. It is drawn with no request context (no context processor, so no
    query: the database may be what failed), and gives a short reference logged with the
    traceback, so the person can quote it and staff can find the log line."""
    reference = secrets.token_hex(4).upper()
    error_logger.error(
        "Server error %s on %s %s", reference, request.method, request.path, exc_info=sys.exc_info()[0] is not None
    )
    try:
        page = loader.get_template("500.html").render({"reference": reference})
    except Exception:  # the page itself failed (a template or a static file missing): say it plainly
        error_logger.exception("The 500 page could not be drawn for %s", reference)
        return HttpResponseServerError(f"Server error. Reference: {reference}", content_type="text/plain")
    return HttpResponseServerError(page)


def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer or a monitor: 200 when the application answers, reaches its
    database and its worker has reported lately, 503 otherwise, in JSON naming the part that
    failed and why (core/health.py). No login, no template, nothing about the school; the load
    benchmark also uses it as the bare view every page is compared with."""
    healthy, body = health_report()
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
