"""Writes on personal API tokens: made by their owner (the key shown once), revoked by
their owner at once, their last use noted."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amelio.history.choices import HistoryAction
from amelio.history.services import history_record, history_record_create

from .choices import TokenScope
from .models import ApiToken, hash_key

KEY_PREFIX_LENGTH = 8
# Noting every use would write on every call; once a minute says enough about a script.
LAST_USE_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, owner: Any, name: str, scope: str, valid_days: int) -> tuple[ApiToken, str]:
    """Makes a token for `owner` and returns it with its key: the only time the key exists
    outside the caller's hands, since only its hash is stored."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the token a name, to know later what it is for.")]
    if scope not in TokenScope.values:
        errors["scope"] = [_("Choose read only or read and write.")]
    if not 1 <= valid_days <= settings.API_TOKEN_LIFETIME_DAYS:
        errors["valid_days"] = [
            _("A token is valid from 1 to %(days)s days.") % {"days": settings.API_TOKEN_LIFETIME_DAYS}
        ]
    if not getattr(owner, "is_active", False):
        errors["__all__"] = [_("A closed account cannot have API tokens.")]
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip(),
        scope=scope,
        key_prefix=key[:KEY_PREFIX_LENGTH],
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + datetime.timedelta(days=valid_days),
    )
    history_record_create(instance=token, fields=["name", "scope", "key_prefix", "expires_at"], actor=owner)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revokes the token at once: the next call presenting its key is refused."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.owner_id != actor.pk:
        raise ValidationError(_("Only its owner may revoke a token."))
    if locked.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    history_record(
        instance=locked, action=HistoryAction.UPDATE, actor=actor, changes={"revoked_at": ["", str(locked.revoked_at)]}
    )
    return locked


def api_token_note_use(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
