"""The provider's ID token and user info carry the person's email, as a school's do."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaimValidator(OAuth2Validator):
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {"email": user.email, "given_name": user.first_name, "family_name": user.last_name}
