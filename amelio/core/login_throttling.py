"""Login throttling with two limits (django-axes): failures per account and address, and
failures per account from any address.

django-axes compares the largest of its failure counts (one per combination in
AXES_LOCKOUT_PARAMETERS) with a single AXES_FAILURE_LIMIT. Counting the account alone against
that same limit of five would let anyone lock any colleague out with five wrong passwords; not
counting it lets an attack spread over many addresses go on while the right password from
another address still logs in. So the account's own count has its higher limit,
AXES_ACCOUNT_FAILURE_LIMIT, scaled onto AXES_FAILURE_LIMIT: floor(n * 5 / 20) reaches 5 exactly
when n reaches 20. Everything else (the cool-off, the lock page, reset on success) stays
django-axes's own.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order:
        # [["username", "ip_address"], "username"].
        by_account_and_address, by_account = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit: int = settings.AXES_FAILURE_LIMIT
        account_limit: int = settings.AXES_ACCOUNT_FAILURE_LIMIT
        return max(by_account_and_address, by_account * limit // account_limit)
