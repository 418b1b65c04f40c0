"""Single sign-on: the settings each protocol's variables turn on, the first step of each
protocol as the application sends it, and who a sign-on may open (matched by email, never a
leaver, never a new account). The whole exchange with a real CAS server and a real OpenID
provider is in test_sso_end_to_end.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from amelio.organisation.sso import OIDCBackend, person_for_sign_on
from config.sso import sso_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]

OIDC_ENVIRONMENT = {
    "OIDC_RP_CLIENT_ID": "amelio",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.fr/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.fr/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.fr/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.fr/jwks",
}


def test_nothing_is_on_without_its_variables() -> None:
    settings = sso_settings({})
    assert settings == {"apps": [], "backends": [], "middleware": [], "SSO_PROVIDERS": []}


def test_each_protocol_is_turned_on_by_its_variables() -> None:
    settings = sso_settings({"CAS_SERVER_URL": "https://cas.example.fr/cas/", **OIDC_ENVIRONMENT})
    assert settings["SSO_PROVIDERS"] == ["cas", "oidc"]
    assert settings["apps"] == ["django_cas_ng", "mozilla_django_oidc"]
    assert settings["backends"] == ["amelio.organisation.sso.CASBackend", "amelio.organisation.sso.OIDCBackend"]
    assert settings["CAS_CREATE_USER"] is False and settings["OIDC_CREATE_USER"] is False


def test_a_sign_on_opens_only_an_active_account_found_by_email(school: dict[str, Any]) -> None:
    teacher = school["teacher"]
    assert person_for_sign_on(teacher.email.upper()) == teacher
    assert person_for_sign_on("unknown@school.test") is None
    assert person_for_sign_on("") is None
    teacher.is_active = False  # a leaver
    teacher.save()
    assert person_for_sign_on(teacher.email) is None


def test_the_oidc_backend_matches_claims_by_email(school: dict[str, Any]) -> None:
    settings = sso_settings(OIDC_ENVIRONMENT)
    keep = {key: value for key, value in settings.items() if key.startswith("OIDC_")}
    with override_settings(**keep):
        backend = OIDCBackend()
        assert list(backend.filter_users_by_claims({"email": "Teacher@School.test"})) == [school["teacher"]]
        assert not backend.filter_users_by_claims({"email": "nobody@school.test"}).exists()
        assert not backend.verify_claims({"sub": "x"})  # no email claim: refused
        school["student"].is_active = False
        school["student"].save()
        assert not backend.filter_users_by_claims({"email": school["student"].email}).exists()


SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client()
page = client.get("/accounts/login/").content.decode()
assert "/accounts/cas/login/" in page and "/oidc/authenticate/" in page, page
cas = client.get("/accounts/cas/login/?next=/processes/")
print("CAS", cas.status_code, cas["Location"])
oidc = client.get("/oidc/authenticate/")
print("OIDC", oidc.status_code, oidc["Location"])
"""


def test_the_first_step_of_each_protocol_as_the_application_sends_it(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sso.sqlite3'}",
        "CAS_SERVER_URL": "https://cas.example.fr/cas/",
        "CAS_EMAIL_ATTRIBUTE": "mail",
        **OIDC_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["CAS"].startswith("302 https://cas.example.fr/cas/login?service=")
    assert "accounts%2Fcas%2Flogin%2F%3Fnext%3D%252Fprocesses%252F" in lines["CAS"]
    oidc = lines["OIDC"]
    assert oidc.startswith("302 https://idp.example.fr/auth?")
    assert "client_id=amelio" in oidc and "scope=openid+email+profile" in oidc and "state=" in oidc
