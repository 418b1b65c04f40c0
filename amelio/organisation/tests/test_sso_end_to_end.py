"""Single sign-on end to end, against a real identity provider started by the test.

`tests/sso_provider` is a small Django project serving a CAS server (django-cas-server) and an
OpenID Connect provider (django-oauth-toolkit, RS256 ID tokens signed by a key made here). The
test starts it and Amelio (with CAS and OpenID Connect turned on by their environment
variables, as a school would) as two real HTTP servers, then signs in and out through each
protocol as a browser would, following every redirect between the two: the CAS ticket is
validated by Amelio calling the CAS server, the OpenID code exchanged for tokens, the ID token
checked against the provider's published keys. No part is replaced by a fake."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "provider-password"

AMELIO_PEOPLE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from amelio.organisation.models import Person
Person.objects.create_user("alice@school.test", first_name="Alice", last_name="Martin")
Person.objects.create_user("bob@school.test", first_name="Bob", last_name="Leaver", is_active=False)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped ({process.returncode})")
        try:
            requests.get(url, timeout=2, allow_redirects=False)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"{url}: no answer")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("sso")
    provider_port, amelio_port = free_port(), free_port()
    provider, amelio = f"http://127.0.0.1:{provider_port}", f"http://127.0.0.1:{amelio_port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    provider_environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso_provider.settings",
        "SSO_PROVIDER_DATABASE": str(folder / "provider.sqlite3"),
        "SSO_PROVIDER_RSA_KEY": key.decode(),
    }
    amelio_environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'amelio.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CAS_SERVER_URL": f"{provider}/cas/",
        "CAS_EMAIL_ATTRIBUTE": "mail",
        "OIDC_RP_CLIENT_ID": "amelio",
        "OIDC_RP_CLIENT_SECRET": "amelio-secret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{provider}/o/authorize/",
        "OIDC_OP_TOKEN_ENDPOINT": f"{provider}/o/token/",
        "OIDC_OP_USER_ENDPOINT": f"{provider}/o/userinfo/",
        "OIDC_OP_JWKS_ENDPOINT": f"{provider}/o/.well-known/jwks.json",
        "OIDC_OP_LOGOUT_ENDPOINT": f"{provider}/o/logout/",
    }
    for command, environment in (
        ([sys.executable, "-m", "tests.sso_provider.prepare", amelio], provider_environment),
        ([sys.executable, "-c", AMELIO_PEOPLE], amelio_environment),
    ):
        done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        for port, environment, log in (
            (provider_port, provider_environment, folder / "provider.log"),
            (amelio_port, amelio_environment, folder / "amelio.log"),
        )
    ]
    try:
        wait_for(f"{provider}/accounts/login/", processes[0])
        wait_for(f"{amelio}/accounts/login/", processes[1])
        yield {"provider": provider, "amelio": amelio}
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def form_fields(html: str) -> dict[str, str]:
    """The named inputs of a page's form with their values, as a browser would post them."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


def english_browser() -> requests.Session:
    """A browser asking for English pages (Amelio's default language is French)."""
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    return browser


def sign_in_at_provider(browser: requests.Session, page: requests.Response, email: str) -> requests.Response:
    """Fill in the provider's login form on the page the redirects led to, and follow on."""
    fields = {**form_fields(page.text), "username": email, "password": PASSWORD}
    return browser.post(page.url, data=fields, headers={"Referer": page.url})


def sign_out_of_amelio(browser: requests.Session, amelio: str) -> requests.Response:
    page = browser.get(f"{amelio}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the signed-in page offers a sign-out form"
    return browser.post(f"{amelio}/accounts/logout/", data={"csrfmiddlewaretoken": token.group(1)})


def test_cas_signs_in_a_person_of_the_directory_and_signs_out_of_both(servers: dict[str, str]) -> None:
    amelio, provider = servers["amelio"], servers["provider"]
    browser = english_browser()
    assert "/accounts/cas/login/" in browser.get(f"{amelio}/accounts/login/").text

    at_provider = browser.get(f"{amelio}/accounts/cas/login/?next=/processes/")
    assert at_provider.url.startswith(f"{provider}/cas/login?service=")
    back = sign_in_at_provider(browser, at_provider, "alice@school.test")
    assert back.status_code == 200 and back.url == f"{amelio}/processes/"
    assert 'action="/accounts/logout/"' in back.text  # signed in to Amelio

    out = sign_out_of_amelio(browser, amelio)
    assert out.url.startswith(f"{amelio}/accounts/login/")
    assert any(step.url.startswith(f"{provider}/cas/logout") for step in out.history)
    assert browser.get(f"{amelio}/processes/").url.startswith(f"{amelio}/accounts/login/")
    # The CAS session ended too: signing in again asks for the password.
    again = browser.get(f"{amelio}/accounts/cas/login/")
    assert again.url.startswith(f"{provider}/cas/login") and 'name="password"' in again.text


def test_openid_connect_signs_in_and_signs_out_of_both(servers: dict[str, str]) -> None:
    amelio, provider = servers["amelio"], servers["provider"]
    browser = english_browser()
    assert "/oidc/authenticate/" in browser.get(f"{amelio}/accounts/login/").text

    at_provider = browser.get(f"{amelio}/oidc/authenticate/?next=/processes/")
    assert at_provider.url.startswith(f"{provider}/accounts/login/?next=/o/authorize/")
    back = sign_in_at_provider(browser, at_provider, "alice@school.test")
    assert back.status_code == 200 and back.url == f"{amelio}/processes/"
    assert 'action="/accounts/logout/"' in back.text

    out = sign_out_of_amelio(browser, amelio)
    assert out.url.startswith(f"{amelio}/accounts/login/")
    assert any(step.url.startswith(f"{provider}/o/logout/") for step in out.history)
    assert browser.get(f"{amelio}/processes/").url.startswith(f"{amelio}/accounts/login/")
    again = browser.get(f"{amelio}/oidc/authenticate/")
    assert again.url.startswith(f"{provider}/accounts/login/")  # the provider asks again


@pytest.mark.parametrize("start", ["/accounts/cas/login/", "/oidc/authenticate/"])
def test_a_leaver_known_to_the_provider_is_refused(servers: dict[str, str], start: str) -> None:
    amelio, provider = servers["amelio"], servers["provider"]
    browser = english_browser()
    at_provider = browser.get(f"{amelio}{start}?next=/processes/")
    assert at_provider.url.startswith(provider)
    back = sign_in_at_provider(browser, at_provider, "bob@school.test")
    assert back.status_code == 200 and back.url == f"{amelio}/accounts/login/?sso=refused"
    assert "no active account has your email address" in back.text
    assert 'action="/accounts/logout/"' not in back.text
    assert browser.get(f"{amelio}/processes/").url.startswith(f"{amelio}/accounts/login/")
