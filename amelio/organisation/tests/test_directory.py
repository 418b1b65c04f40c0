"""The LDAP sync against a real OpenLDAP server (Debian's slapd, `make system-packages`)
started by the test on a free port with its own database in a temporary directory."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ldap3
import pytest
from django.core.management import CommandError, call_command

from amelio.history.models import HistoryEntry
from amelio.organisation.choices import Role
from amelio.organisation.models import Person, RoleAssignment

pytestmark = pytest.mark.django_db

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SUFFIX = "dc=ecole,dc=test"
ADMIN = f"cn=admin,{SUFFIX}"
SECRET = "secret-admin"

CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
database mdb
suffix "{suffix}"
rootdn "{admin}"
rootpw {secret}
directory {root}/db
maxsize 10485760
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def ldap_server(tmp_path: Path) -> Iterator[str]:
    assert Path(SLAPD).exists(), "slapd is required (make system-packages installs it)"
    (tmp_path / "db").mkdir()
    config = tmp_path / "slapd.conf"
    config.write_text(CONFIG.format(root=tmp_path, suffix=SUFFIX, admin=ADMIN, secret=SECRET))
    uri = f"ldap://127.0.0.1:{_free_port()}"
    # -d keeps slapd in the foreground, so the test owns the process and stops it.
    process = subprocess.Popen(
        [SLAPD, "-f", str(config), "-h", f"{uri}/", "-d", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            try:
                ldap3.Connection(ldap3.Server(uri), ADMIN, SECRET, auto_bind=True).unbind()
                break
            except ldap3.core.exceptions.LDAPException:
                time.sleep(0.05)
        else:
            raise RuntimeError("slapd did not start")
        yield uri
    finally:
        process.terminate()
        process.wait(timeout=10)


def person_entry(uid: str, given: str, surname: str, kind: str, department: str = "") -> tuple[str, dict[str, Any]]:
    attributes: dict[str, Any] = {
        "objectClass": ["inetOrgPerson"],
        "uid": uid,
        "cn": f"{given} {surname}",
        "givenName": given,
        "sn": surname,
        "mail": f"{uid}@school.test",
        "employeeType": kind,
        "title": "Agent",
    }
    if department:
        attributes["departmentNumber"] = department
    return f"uid={uid},ou=people,{SUFFIX}", attributes


def fill(uri: str, people: list[tuple[str, dict[str, Any]]], groups: dict[str, list[str]]) -> None:
    connection = ldap3.Connection(ldap3.Server(uri), ADMIN, SECRET, auto_bind=True)
    connection.add(SUFFIX, ["dcObject", "organization"], {"o": "École", "dc": "ecole"})
    connection.add(f"ou=people,{SUFFIX}", ["organizationalUnit"], {"ou": "people"})
    connection.add(f"ou=groups,{SUFFIX}", ["organizationalUnit"], {"ou": "groups"})
    for dn, attributes in people:
        assert connection.add(dn, attributes=attributes), connection.result
    for name, members in groups.items():
        assert connection.add(f"cn={name},ou=groups,{SUFFIX}", ["groupOfNames"], {"cn": name, "member": members})
    connection.unbind()


@pytest.fixture
def directory_settings(settings: Any, ldap_server: str) -> Any:
    settings.LDAP_SERVER_URI = ldap_server
    settings.LDAP_BIND_DN = ADMIN
    settings.LDAP_BIND_PASSWORD = SECRET
    settings.LDAP_PEOPLE_BASE = f"ou=people,{SUFFIX}"
    settings.LDAP_ATTRIBUTES = {"kind": "employeeType"}
    settings.LDAP_GROUP_ROLES = {
        f"cn=heads-gc,ou=groups,{SUFFIX}": "department_head:GC",
        f"cn=quality,ou=groups,{SUFFIX}": "quality_manager",
    }
    return settings


def sync(**options: Any) -> str:
    out = io.StringIO()
    call_command("sync_directory", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_people_and_roles_from_a_real_ldap_directory(school: dict[str, Any], directory_settings: Any) -> None:
    uri = directory_settings.LDAP_SERVER_URI
    marie = person_entry("marie.curie", "Marie", "Curie", "faculty", "GC")
    teacher = person_entry("teacher", "Théo", "Enseignant", "faculty", "GC")
    lea = person_entry("lea.petit", "Léa", "Petit", "student", "GC")
    fill(uri, [marie, teacher, lea], {"heads-gc": [marie[0]], "quality": [f"uid=nobody,ou=people,{SUFFIX}"]})
    assert "Would write 3" in sync(dry_run=True)
    assert not Person.objects.filter(email="marie.curie@school.test").exists()
    output = sync()
    assert "created: 2, updated: 1, deactivated: 1" in output  # the fixture's student left
    marie_person = Person.objects.get(email="marie.curie@school.test")
    assert (marie_person.kind, marie_person.department, marie_person.has_usable_password()) == (
        "teacher",
        school["civil"],
        False,
    )
    assert RoleAssignment.objects.filter(person=marie_person, role=Role.DEPARTMENT_HEAD, department=school["civil"])
    # The directory is the reference for the roles it maps: the head of GC and the quality
    # manager who are not in those groups lose them (nobody in "quality" exists here).
    assert not RoleAssignment.objects.filter(person=school["head_civil"], role=Role.DEPARTMENT_HEAD).exists()
    assert not RoleAssignment.objects.filter(person=school["quality_manager"], role=Role.QUALITY_MANAGER).exists()
    school["student"].refresh_from_db()
    assert not school["student"].is_active and Person.objects.filter(pk=school["student"].pk).exists()
    entries = HistoryEntry.objects.count()
    assert "created: 0, updated: 0, deactivated: 0, roles granted: 0, roles revoked: 0" in sync()
    assert HistoryEntry.objects.count() == entries


def test_one_bad_entry_and_nothing_is_written(school: dict[str, Any], directory_settings: Any) -> None:
    good = person_entry("marie.curie", "Marie", "Curie", "faculty", "GC")
    bad = person_entry("zed", "Zed", "Inconnu", "faculty", "ZZ")
    fill(directory_settings.LDAP_SERVER_URI, [good, bad], {"heads-gc": [good[0]], "quality": [good[0]]})
    people = Person.objects.count()
    with pytest.raises(CommandError, match="1 entries refused: nothing was written"):
        sync()
    assert Person.objects.count() == people
    school["student"].refresh_from_db()
    assert school["student"].is_active


def test_an_unreachable_directory_is_a_clear_error(settings: Any, db: Any) -> None:
    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{_free_port()}"
    settings.LDAP_PEOPLE_BASE = f"ou=people,{SUFFIX}"
    with pytest.raises(CommandError, match="could not be read"):
        sync()
    settings.LDAP_SERVER_URI = ""
    with pytest.raises(CommandError, match="Set LDAP_SERVER_URI"):
        sync()
