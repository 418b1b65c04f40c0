"""The navigation by domain, showing only what the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amelio.organisation.permissions import can


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    sections: list[dict[str, Any]] = []
    if can(user, "organisation.view_staff_pages"):
        sections.append(
            {
                "label": _("Processes"),
                "items": [
                    (_("Process map"), reverse("processes:process_map")),
                    (_("Processes"), reverse("processes:process_list")),
                    (_("Context issues"), reverse("processes:context_issue_list")),
                    (_("Interested parties"), reverse("processes:interested_party_list")),
                    (_("Scope statement"), reverse("processes:statement_list", args=["scope"])),
                    (_("Quality policy"), reverse("processes:statement_list", args=["policy"])),
                ],
            }
        )
        sections.append(
            {
                "label": _("Organisation"),
                "items": [
                    (_("Departments"), reverse("organisation:department_list")),
                    (_("Programmes"), reverse("organisation:programme_list")),
                    (_("Academic years"), reverse("organisation:academic_year_list")),
                    (_("People"), reverse("organisation:person_list")),
                    (_("Roles"), reverse("organisation:role_list")),
                ],
            }
        )
    improvement = [
        (_("Report a problem or an idea"), reverse("improvement:item_create")),
        (_("My work"), reverse("improvement:my_work")),
        (_("Improvement register"), reverse("improvement:item_list")),
        (_("Action register"), reverse("improvement:action_list")),
    ]
    if can(user, "organisation.view_staff_pages"):
        improvement += [
            (_("Board by state"), reverse("improvement:item_board")),
            (_("Figures"), reverse("improvement:dashboard")),
        ]
    sections.append({"label": _("Improvement"), "items": improvement})
    partnerships = [
        (_("Internships"), reverse("internships:internship_list")),
        (_("Internship follow-up"), reverse("internships:follow_up")),
    ]
    if can(user, "organisation.view_staff_pages"):
        partnerships.append((_("Internship figures"), reverse("internships:figures")))
    if can(user, "partners.view_companies"):
        partnerships[:0] = [
            (_("Companies"), reverse("partners:company_list")),
            (_("Contacts"), reverse("partners:contact_list")),
            (_("Partnership agreements"), reverse("partners:agreement_list")),
            (_("Teaching by professionals"), reverse("partners:intervention_list")),
            (_("Share of teaching by professionals"), reverse("partners:teaching_figures")),
        ]
    if can(user, "imports.import"):
        partnerships.append((_("Imports"), reverse("imports:home")))
    sections.append({"label": _("Companies & internships"), "items": partnerships})
    if can(user, "history.search_trail"):
        sections.append({"label": _("Audit trail"), "items": [(_("Search the history"), reverse("history:search"))]})
    return {"navigation": sections}
