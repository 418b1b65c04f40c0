"""Fixtures of the improvement tests: uploaded files land in a temporary directory, and a
few more people and files than the shared school provides."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from amelio.organisation.choices import PersonKind, Role
from amelio.organisation.models import Person
from amelio.organisation.tests.factories import PersonFactory, grant

# The smallest file every PDF reader (and the content sniffer) takes for a PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# A one-pixel PNG.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "000154a24f5d0000000049454e44ae426082"
)
# The start of a Windows executable (the "MZ" header and its PE pointer).
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.bin", b"\x00\x01\x02" * 100)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as the browser sends it: the type it claims is not trusted."""
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files are written under the test's own directory, never into the project."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def empty_cache() -> Any:
    """The public complaint form counts posts per address in the cache."""
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def other_teacher(school: dict[str, Any]) -> Person:
    """A teacher of the electrical engineering department: out of the civil items' scope."""
    person = PersonFactory(
        first_name="Olga",
        last_name="Autre",
        email="teacher.ge@school.test",
        kind=PersonKind.TEACHER,
        department=school["electrical"],
    )
    grant(person, Role.TEACHER, school["electrical"])
    return person
