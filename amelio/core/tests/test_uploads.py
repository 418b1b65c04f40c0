"""The upload policy, case by case, through `check_upload`: types by content, names made to
agree with them, markup and scripts never accepted, plain text only under a text name, and
a size message that never reads as equal to the limit. (Through a real page: the
improvement upload tests.)"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from amelio.core.uploads import check_upload, size_over_limit_message

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
    "000154a24f5d0000000049454e44ae426082"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
MB = 1024 * 1024


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.bin", b"\x00\x01\x02" * 100)
    return buffer.getvalue()


def sent(name: str, content: bytes) -> SimpleUploadedFile:
    # The type the browser claims is never read.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Accepted, under the name of their true type ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kept_as"),
    [
        pytest.param("rapport.pdf", PDF_BYTES, "application/pdf", "rapport.pdf", id="pdf"),
        pytest.param("Rapport.PDF", PDF_BYTES, "application/pdf", "Rapport.PDF", id="pdf-in-capitals"),
        pytest.param("scan.pdf", PNG_BYTES, "image/png", "scan.png", id="png-named-pdf"),
        pytest.param("scan.html", PNG_BYTES, "image/png", "scan.png", id="png-named-html"),
        pytest.param("scan", PNG_BYTES, "image/png", "scan.png", id="png-without-extension"),
        pytest.param("photo.jpeg", JPEG_BYTES, "image/jpeg", "photo.jpeg", id="jpeg-spelled-jpeg"),
        pytest.param("photo.JPG", JPEG_BYTES, "image/jpeg", "photo.JPG", id="jpeg-spelled-jpg"),
        pytest.param("photo.png", JPEG_BYTES, "image/jpeg", "photo.jpg", id="jpeg-named-png"),
        pytest.param(
            "tableau.pdf",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "tableau.xlsx",
            id="spreadsheet-named-pdf",
        ),
        pytest.param("C:\\fakepath\\scan.pdf", PDF_BYTES, "application/pdf", "scan.pdf", id="windows-path"),
        pytest.param("../../etc/scan.pdf", PDF_BYTES, "application/pdf", "scan.pdf", id="relative-path"),
        pytest.param(".pdf", PNG_BYTES, "image/png", "pdf.png", id="hidden-name"),
        pytest.param("notes.txt", "Réunion : décisions.\n".encode(), "text/plain", "notes.txt", id="text"),
        pytest.param("notes.TXT", b"Words.", "text/plain", "notes.TXT", id="text-in-capitals"),
        pytest.param("liste.csv", b"nom;note\nA;12\n", "text/plain", "liste.csv", id="csv"),
        pytest.param("lisez-moi.md", b"# Titre\n\nTexte.", "text/plain", "lisez-moi.md", id="markdown"),
        pytest.param("notes", b"Plain words.", "text/plain", "notes.txt", id="text-without-extension"),
        pytest.param("prix.txt", b"a < b and 3 > 2", "text/plain", "prix.txt", id="text-with-angle-brackets"),
    ],
)
def test_accepted_files_are_kept_under_the_extension_of_their_type(
    name: str, content: bytes, content_type: str, kept_as: str
) -> None:
    checked = check_upload(sent(name, content))
    assert (checked.name, checked.content_type, checked.size) == (kept_as, content_type, len(content))
    sent_name = name.replace("\\", "/").rsplit("/", 1)[-1]
    if kept_as == sent_name:
        assert not checked.renamed
        assert checked.notice == ""
    else:
        assert checked.renamed
        kind = kept_as.rsplit(".", 1)[1].upper()
        assert checked.notice == f"“{checked.sent_name}” is in fact a {kind} file; it is kept as “{kept_as}”."


def test_a_long_name_keeps_its_corrected_extension() -> None:
    checked = check_upload(sent("a" * 300 + ".pdf", PNG_BYTES))
    assert len(checked.name) == 255
    assert checked.name.endswith("a.png")


# Refused, each with its message ---------------------------------------------------------------

MARKUP = "is a web page, a drawing or a script; these are never accepted"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            MARKUP,
            id="svg-with-script",
        ),
        pytest.param("logo.svg", b'<?xml version="1.0"?>\n<svg/>', MARKUP, id="svg-with-xml-declaration"),
        pytest.param("logo.png", b"<svg onload=alert(1)>", MARKUP, id="svg-named-png"),
        pytest.param("page.html", b"<!DOCTYPE html><html><body>Hello</body></html>", MARKUP, id="html"),
        pytest.param("page.htm", b"Just words, but a page by its name.", MARKUP, id="text-named-htm"),
        pytest.param("page.txt", b"  <!doctype html><p>Hello", MARKUP, id="html-named-txt"),
        pytest.param("page", b"<p onclick=alert(1)>Hello</p>", MARKUP, id="html-without-extension"),
        pytest.param("page.csv", b"\xef\xbb\xbf<html>", MARKUP, id="html-after-a-byte-order-mark"),
        pytest.param("notes.txt", b"Intro.\n" * 20 + b"<script>alert(1)</script>", MARKUP, id="script-in-the-head"),
        pytest.param("data.xml", b"<data/>", MARKUP, id="xml"),
        pytest.param("app.js", b"alert(1)", MARKUP, id="javascript"),
        pytest.param("run.bat", b"echo hello", MARKUP, id="batch-script"),
        pytest.param(
            "donnees.json", b'{"a": 1}', "is plain text; a text file is accepted under a .txt", id="text-named-json"
        ),
        pytest.param(
            "rapport.pdf", b"Not a PDF at all.", "is plain text; a text file is accepted under a .txt", id="text-as-pdf"
        ),
        pytest.param("rapport.pdf", EXE_BYTES, "is not an accepted type", id="program-named-pdf"),
        pytest.param("archive.pdf", zip_bytes(), "is not an accepted type", id="zip-named-pdf"),
        pytest.param("image.bin", b"\x00\x01\x02\xff\xfe" * 20, "is not an accepted type", id="unknown-binary"),
        pytest.param("vide.pdf", b"", "is empty", id="empty"),
    ],
)
def test_refused_files_name_what_is_wrong(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(sent(name, content))
    [text] = error.value.messages
    assert message in text
    assert f"“{name}”" in text


# Text in other encodings, for the callers that read them ------------------------------------------

CP1252_CSV = "Raison sociale;Ville\r\nBâtiments du Rhône;Besançon\r\n".encode("cp1252")


def test_windows_1252_text_is_taken_only_when_the_caller_reads_it() -> None:
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(sent("entreprises.csv", CP1252_CSV))
    checked = check_upload(sent("entreprises.csv", CP1252_CSV), text_encodings=("utf-8", "cp1252"))
    assert (checked.name, checked.content_type) == ("entreprises.csv", "text/plain")
    utf8 = check_upload(sent("notes.csv", "Besançon\n".encode()), text_encodings=("utf-8", "cp1252"))
    assert utf8.content_type == "text/plain"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(CP1252_CSV + b"\x00", id="nul"),
        pytest.param(CP1252_CSV + b"\x1b[31m", id="escape"),
        pytest.param(CP1252_CSV + b"\x07", id="bell"),
        pytest.param(CP1252_CSV + b"\x81", id="byte-cp1252-leaves-undefined"),
        pytest.param(b"<html><body>\xe9</body></html>", id="markup"),
    ],
)
def test_other_encodings_still_refuse_control_characters_and_markup(content: bytes) -> None:
    with pytest.raises(ValidationError, match=r"not an accepted type|never accepted"):
        check_upload(sent("entreprises.csv", content), text_encodings=("utf-8", "cp1252"))


# Size ------------------------------------------------------------------------------------------


def test_an_oversize_file_is_refused_with_its_size_and_the_limit(settings: Any) -> None:
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as error:
        check_upload(sent("gros.pdf", PDF_BYTES + b" " * 60))
    assert error.value.messages == [f"“gros.pdf” is {len(PDF_BYTES) + 60}\xa0bytes; at most 100\xa0bytes."]
    assert error.value.error_list[0].code == "too_large"
    # At the limit itself the file is taken.
    settings.MAX_UPLOAD_SIZE = len(PDF_BYTES)
    assert check_upload(sent("juste.pdf", PDF_BYTES)).size == len(PDF_BYTES)


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        (int(10.2 * MB), 10 * MB, "“x.pdf” is 10.2\xa0MB; at most 10\xa0MB."),
        (10 * MB + 1, 10 * MB, "“x.pdf” is 10.1\xa0MB; at most 10\xa0MB."),
        (11 * MB, 10 * MB, "“x.pdf” is 11\xa0MB; at most 10\xa0MB."),
        (3 * 1024**3, 10 * MB, "“x.pdf” is 3\xa0GB; at most 10\xa0MB."),
        (1025, 1024, "“x.pdf” is 1.1\xa0KB; at most 1\xa0KB."),
        (101, 100, "“x.pdf” is 101\xa0bytes; at most 100\xa0bytes."),
        (10 * MB + 60_000, 10 * MB + 50_000, "“x.pdf” is 10.1\xa0MB; at most 10\xa0MB."),
    ],
)
def test_the_size_message(size: int, limit: int, expected: str) -> None:
    assert size_over_limit_message(name="x.pdf", size=size, limit=limit) == expected


@pytest.mark.parametrize("limit", [100, 1024, 1536, 10 * MB, 10 * MB + 50_000, 25 * MB, 1024**3])
def test_an_oversize_file_never_reads_as_the_limit(limit: int) -> None:
    for over in (1, 2, 50, 1000, 52_428, 52_429, 104_857, MB // 2):
        message = size_over_limit_message(name="x", size=limit + over, limit=limit)
        size_text, limit_text = message.removeprefix("“x” is ").removesuffix(".").split("; at most ")
        assert size_text != limit_text, message


def test_the_size_message_in_french() -> None:
    with translation.override("fr"):
        message = size_over_limit_message(name="x.pdf", size=int(10.2 * MB), limit=10 * MB)
    assert message == "“x.pdf” pèse 10,2\xa0Mio\xa0; au plus 10\xa0Mio."
