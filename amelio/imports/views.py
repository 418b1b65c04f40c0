"""Upload, preview with a row-by-row report, then apply all at once or not at all."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views import View

from amelio.core.permissions import visible
from amelio.core.uploads import clean_name, size_over_limit_message
from amelio.core.views import PermissionRequiredMixin

from . import services
from .forms import ImportForm
from .models import ImportBatch, ImportStatus
from .specs import SPECS


class ImportHomeView(PermissionRequiredMixin, View):
    permission_action = "imports.import"
    template_name = "imports/import_home.html"

    def render_page(self, form: ImportForm, status: int = 200) -> HttpResponse:
        batches = visible(self.request.user, ImportBatch.objects.select_related("created_by"))[:20]
        return render(
            self.request, self.template_name, {"form": form, "batches": batches, "specs": SPECS}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.MAX_UPLOAD_SIZE:
                form.add_error("file", size_over_limit_message(name=clean_name(upload.name), size=upload.size))
            else:
                try:
                    batch = services.import_upload(
                        actor=request.user, kind=form.cleaned_data["kind"], name=upload.name, content=upload.read()
                    )
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    return HttpResponseRedirect(batch.get_absolute_url())
        return self.render_page(form, status=400)


class ImportBatchView(PermissionRequiredMixin, View):
    permission_action = "imports.import"
    template_name = "imports/batch_detail.html"

    def get_object(self) -> ImportBatch:
        return get_object_or_404(visible(self.request.user, ImportBatch.objects.all()), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.object
        spec = SPECS[batch.kind]
        return render(
            request,
            self.template_name,
            {
                "batch": batch,
                "report": batch.report,
                "accepted": batch.report.get("accepted", batch.report.get("created", 0)),
                "can_apply": batch.status == ImportStatus.PREVIEWED,
                "working": batch.status in (ImportStatus.CHECKING, ImportStatus.APPLYING),
                "spec": spec,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            batch = services.import_apply(actor=request.user, batch=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportTemplateView(PermissionRequiredMixin, View):
    """A CSV with the expected columns, to fill in."""

    permission_action = "imports.import"

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in SPECS:
            raise Http404
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([str(column.label) for column in SPECS[kind].columns])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="amelio-{kind}-template.csv"'
        return response
