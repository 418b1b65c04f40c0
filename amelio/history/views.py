from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from amelio.core.views import FilteredListView

from .filtersets import HistoryEntryFilterSet
from .models import HistoryEntry
from .selectors import trail_search
from .tables import HistoryEntryTable


class TrailSearchView(FilteredListView):
    """The whole audit trail, searchable by person, record type, action and date."""

    table_class = HistoryEntryTable
    filterset_class = HistoryEntryFilterSet
    permission_action = "history.search_trail"
    title = gettext_lazy("Audit trail")
    export_basename = "audit-trail"
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> QuerySet[HistoryEntry]:
        return trail_search(user=self.request.user)
