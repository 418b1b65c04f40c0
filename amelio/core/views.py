"""Generic views shared by every app: permission checks, filtered and exportable lists,
and forms whose valid data is handed to a service."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from amelio.organisation.permissions import can, roles_of

from .exports import EXPORT_FORMATS, export_rows
from .files import file_response, stored_file_get

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrOrPromise


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

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.request, self.args, self.kwargs = request, args, kwargs
        if self.staff_only and not can(request.user, "organisation.view_staff_pages"):
            raise PermissionDenied
        self.object = self.get_object()
        if not can(request.user, self.permission_action, self.get_permission_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FilteredListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A list that filters (filterset_class), sorts and paginates (table_class) and
    exports the filtered rows to CSV or XLSX with `?export=csv|xlsx`."""

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
        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(
            title=self.title,
            create_url=self.get_create_url(),
            export_query=query.urlencode(),
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        if not context.get("cancel_url") and self.object is not None and hasattr(self.object, "get_absolute_url"):
            context["cancel_url"] = self.object.get_absolute_url()
        return context


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


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from amelio.organisation.selectors import my_roles_summary

        context = super().get_context_data(**kwargs)
        context["summary"] = my_roles_summary(user=self.request.user)
        context["roles"] = roles_of(self.request.user)
        return context


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"message": _("You are not allowed to see this page.")}, status=403)
