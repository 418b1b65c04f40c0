from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from . import selectors, services
from .forms import PreferenceForm

PAGE_SIZE = 50


class NotificationListView(LoginRequiredMixin, View):
    template_name = "notifications/notification_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        preference = selectors.preference_of(user=request.user)
        return render(
            request,
            self.template_name,
            {
                "notifications": selectors.notification_list(user=request.user)[:PAGE_SIZE],
                "form": PreferenceForm(instance=preference),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(actor=request.user, email_mode=form.cleaned_data["email_mode"])
            messages.success(request, _("Your choice is saved."))
        return HttpResponseRedirect(reverse("notifications:list"))


class NotificationOpenView(LoginRequiredMixin, View):
    """Marks a notification read and follows its link."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        target = notification.url or reverse("notifications:list")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("notifications:list")
        return HttpResponseRedirect(target)


def unread_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user=user)}
