"""Importing a LimeSurvey CSV response export, against a file built here in LimeSurvey's
format (BOM, quoted values, CRLF, `;`, code headings, short answers): all or nothing, with
a row-by-row report."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amelio.surveys.limesurvey import campaign_import_limesurvey
from amelio.surveys.models import Answer, Response

from .factories import campaign_of

pytestmark = pytest.mark.django_db

HEADERS = [
    "id", "submitdate", "lastpage", "startlanguage", "seed", "token", "ipaddr",
    "overall", "recommend", "colour", "colour[other]", "tools[SQ001]", "tools[SQ002]", "tools[SQ003]",
    "tools[other]", "hours", "started", "comment", "interviewtime",
]  # fmt: skip
# One response per line, cells separated by "|" here (the file itself uses ";").
GOOD = [
    line.split("|")
    for line in (
        "1|2025-06-03 10:12:00|2|fr|123|tok1|1.2.3.4|5|10|A2||Y||Y||12|2025-01-15|Très bien|300",
        "2|2025-06-04 08:00:00|2|en|456|tok2|5.6.7.8|2|6|-oth-|Jaune||||Excel|3,5|||120",
        "3||1|fr|789|tok3|9.9.9.9|4|||||||||||20",
    )
]


def export(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    def line(cells: list[str]) -> str:
        return ";".join('"' + cell.replace('"', '""') + '"' for cell in cells)

    return ("\ufeff" + "\r\n".join(line(row) for row in [headers, *rows]) + "\r\n\r\n").encode()


def test_completed_responses_are_imported_without_token_or_address(school: dict[str, Any]) -> None:
    campaign = campaign_of(school)
    report = campaign_import_limesurvey(actor=school["quality_manager"], campaign=campaign, content=export(GOOD))
    assert (report.imported, report.errors) == (2, [])
    assert report.skipped == ["line 4 (response 3): not completed, left out"]
    responses = list(Response.objects.order_by("answered_on"))
    assert [(r.answered_on.isoformat(), r.language) for r in responses] == [("2025-06-03", "fr"), ("2025-06-04", "en")]
    first = {a.question.code: a for a in Answer.objects.filter(response=responses[0]).select_related("question")}
    assert first["overall"].number == 5 and first["recommend"].number == 10
    assert first["colour"].number == 1  # A2: the second option
    assert first["tools"].choices == [0, 2] and first["started"].date.isoformat() == "2025-01-15"
    second = {a.question.code: a for a in Answer.objects.filter(response=responses[1]).select_related("question")}
    assert second["colour"].number is None and second["colour"].text == "Jaune"
    assert second["tools"].choices == [] and second["tools"].text == "Excel" and second["hours"].number == 3.5
    assert "comment" not in second and "started" not in second
    # Every stored value but the keys (ids grow on PostgreSQL and may well hold "123").
    stored = [
        value
        for row in [*Answer.objects.values(), *Response.objects.values()]
        for name, value in row.items()
        if name != "id" and not name.endswith("_id")
    ]
    assert not any(secret in str(value) for value in stored for secret in ("tok1", "1.2.3.4", "123"))


def test_one_bad_row_writes_nothing_and_the_report_names_it(school: dict[str, Any]) -> None:
    campaign = campaign_of(school)
    bad = [
        ["4", "2025-06-05", "2", "fr", "1", "t", "", "9", "11", "A7", "", "", "", "", "", "99", "2025-02-30", "", ""],
        ["5", "2025-06-05", "2", "fr", "1", "t", "", "", "8", "A1", "", "Y", "", "", "", "1", "", "", ""],
    ]
    report = campaign_import_limesurvey(actor=school["quality_manager"], campaign=campaign, content=export(GOOD + bad))
    assert report.imported == 0 and Response.objects.count() == 0 and Answer.objects.count() == 0
    assert len(report.errors) == 2
    assert report.errors[0].startswith("line 5 (response 4): ")
    for message in (
        "overall: “9” is not on the question's scale",
        "recommend: “11” is not on the question's scale",
        "colour: “A7” is not an option of the question",
        "hours: 99 is outside the question's bounds",
        "started: “2025-02-30” is not a date",
        "tools: needs an answer",
    ):
        assert message in report.errors[0]
    assert report.errors[1] == "line 6 (response 5): overall: needs an answer"


def test_a_file_of_another_questionnaire_or_another_format_is_refused(school: dict[str, Any]) -> None:
    campaign = campaign_of(school)
    with pytest.raises(ValidationError, match=r"not questions of the questionnaire: Q9, Q10\[SQ001\]"):
        campaign_import_limesurvey(
            actor=school["quality_manager"], campaign=campaign, content=export([], [*HEADERS, "Q9", "Q10[SQ001]"])
        )
    with pytest.raises(ValidationError, match="submitdate"):
        campaign_import_limesurvey(actor=school["quality_manager"], campaign=campaign, content=b"a,b\r\n1,2\r\n")
    with pytest.raises(ValidationError, match="UTF-8"):
        campaign_import_limesurvey(actor=school["quality_manager"], campaign=campaign, content=b"\xff\xfe\x00a")
    assert Response.objects.count() == 0


def test_only_a_manager_of_the_campaign_imports(school: dict[str, Any]) -> None:
    campaign = campaign_of(school)
    with pytest.raises(PermissionDenied):
        campaign_import_limesurvey(actor=school["teacher"], campaign=campaign, content=export(GOOD))
    assert Response.objects.count() == 0


def test_the_import_page_reports_row_by_row(school: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    campaign = campaign_of(school)
    url = f"/surveys/{campaign.pk}/import/"
    client = Client()
    client.force_login(school["teacher"])
    assert client.get(url).status_code == 403
    client.force_login(school["quality_manager"])
    assert client.get(url).status_code == 200
    bad = [*GOOD, ["6", "2025-06-05", "2", "fr", "1", "t", "", "", "8", "A1", "", "Y", "", "", "", "1", "", "", ""]]
    refused = client.post(url, {"file": SimpleUploadedFile("export.csv", export(bad), "text/csv")})
    assert refused.status_code == 400 and "line 5 (response 6): overall: needs an answer" in refused.content.decode()
    assert Response.objects.count() == 0
    wrong = client.post(url, {"file": SimpleUploadedFile("export.csv", b"a,b\r\n", "text/csv")})
    assert wrong.status_code == 400 and "submitdate" in wrong.content.decode()
    done = client.post(url, {"file": SimpleUploadedFile("export.csv", export(GOOD), "text/csv")})
    assert done.status_code == 200 and "2 responses imported." in done.content.decode()
    assert "not completed, left out" in done.content.decode() and Response.objects.count() == 2
