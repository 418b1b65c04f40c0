"""Builds the provider's database: one school account, Amelio as a CAS service releasing the
email as `mail`, and Amelio as an OpenID client. Run with the provider's settings:
`python -m tests.sso_provider.prepare AMELIO_BASE_URL`."""

from __future__ import annotations

import sys

import django


def main(amelio: str) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cas_server.models import ReplaceAttributName, ServicePattern
    from oauth2_provider.models import Application

    for email in ("alice@school.test", "bob@school.test"):
        User.objects.create_user(username=email, email=email, password="provider-password")
    pattern = ServicePattern.objects.create(
        pos=1, name="Amelio", pattern="^" + amelio.replace(".", r"\.") + "/.*", single_log_out=False
    )
    ReplaceAttributName.objects.create(name="email", replace="mail", service_pattern=pattern)
    Application.objects.create(
        name="Amelio",
        client_id="amelio",
        client_secret="amelio-secret",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{amelio}/oidc/callback/",
        post_logout_redirect_uris=f"{amelio}/accounts/login/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
