"""Matrix questions (rows answered on one agreement scale): authoring, answering through the
public form (every row of a required matrix, a show-if condition), results per row, the
export and the LimeSurvey import of `CODE[SQ001]` columns."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from amelio.surveys import services
from amelio.surveys.choices import QuestionKind
from amelio.surveys.limesurvey import campaign_import_limesurvey
from amelio.surveys.models import Answer, Campaign, Invitation, Question, Response

from .factories import campaign_of, published_version, questionnaire, students

pytestmark = pytest.mark.django_db

ROWS = [
    {"fr": "Enseignement", "en": "Teaching"},
    {"fr": "Encadrement", "en": "Supervision"},
    {"fr": "Équipements", "en": "Equipment"},
]
QUESTIONS: list[dict[str, Any]] = [
    {"code": "overall", "kind": QuestionKind.LIKERT, "text_fr": "Globalement satisfait", "scale_points": 4},
    {
        "code": "quality",
        "kind": QuestionKind.MATRIX,
        "text_fr": "Qualité",
        "text_en": "Quality",
        "scale_points": 5,
        "rows": ROWS,
    },
    # Asked only of those not satisfied overall (levels 1 and 2 of 4).
    {
        "code": "why",
        "kind": QuestionKind.MATRIX,
        "text_fr": "Ce qui a manqué",
        "scale_points": 4,
        "rows": [{"fr": "Temps"}, {"fr": "Moyens"}],
        "show_if": {"code": "overall", "values": [1, 2]},
    },
    {
        "code": "extras",
        "kind": QuestionKind.MATRIX,
        "text_fr": "Activités",
        "scale_points": 4,
        "is_required": False,
        "rows": [{"fr": "Sport"}, {"fr": "Associations"}],
    },
]


def opened(school: dict[str, Any], count: int = 3) -> tuple[Campaign, list[str]]:
    students(school, count)
    campaign = campaign_of(school, published_version(questions=QUESTIONS))
    made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
    return campaign, [token for _invitation, token in made]


def question(campaign: Campaign, code: str) -> Question:
    return Question.objects.get(section__version=campaign.version, code=code)


def post(campaign: Campaign, overall: str, **rows: str) -> dict[str, str]:
    """`rows` as `<code>_<row index>=<level>`."""
    data = {f"q{question(campaign, 'overall').pk}": overall}
    for name, level in rows.items():
        code, index = name.rsplit("_", 1)
        data[f"q{question(campaign, code).pk}_r{index}"] = level
    return data


def stored() -> tuple[int, int, int]:
    return Response.objects.count(), Answer.objects.count(), Invitation.objects.filter(has_answered=True).count()


# Authoring ------------------------------------------------------------------------------------


def test_a_matrix_keeps_its_rows_in_both_languages_with_codes(school: dict[str, Any]) -> None:
    version = published_version(questions=QUESTIONS)
    matrix = Question.objects.get(section__version=version, code="quality")
    assert matrix.rows == [
        {"code": "SQ001", "fr": "Enseignement", "en": "Teaching"},
        {"code": "SQ002", "fr": "Encadrement", "en": "Supervision"},
        {"code": "SQ003", "fr": "Équipements", "en": "Equipment"},
    ]
    with translation.override("fr"):
        assert matrix.row_labels() == ["Enseignement", "Encadrement", "Équipements"]
    with translation.override("en"):
        assert matrix.row_labels() == ["Teaching", "Supervision", "Equipment"]
    draft = services.version_new_draft(actor=None, version=version)
    assert Question.objects.get(section__version=draft, code="quality").rows == matrix.rows


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": QuestionKind.MATRIX, "rows": ROWS}, "scale_points", "4, 5 or 7 points"),
        ({"kind": QuestionKind.MATRIX, "scale_points": 5, "rows": ROWS[:1]}, "rows", "at least two rows"),
        (
            {"kind": QuestionKind.MATRIX, "scale_points": 5, "rows": [{"fr": "A"}, {"fr": ""}]},
            "rows",
            "each with its French text",
        ),
        (
            {
                "kind": QuestionKind.MATRIX,
                "scale_points": 5,
                "rows": [{"code": "A", "fr": "A"}, {"code": "A", "fr": "B"}],
            },
            "rows",
            "its own code",
        ),
        (
            {"kind": QuestionKind.MATRIX, "scale_points": 5, "rows": [{"code": "a b", "fr": "A"}, {"fr": "B"}]},
            "rows",
            "its own code",
        ),
        ({"kind": QuestionKind.LIKERT, "scale_points": 5, "rows": ROWS}, "rows", "Only a matrix has rows"),
    ],
)
def test_a_matrix_that_does_not_hold_together_is_refused(
    school: dict[str, Any], data: dict[str, Any], field: str, message: str
) -> None:
    version = questionnaire().versions.get()
    section = services.section_add(actor=None, version=version, title_fr="S")
    with pytest.raises(ValidationError) as refused:
        services.question_add(actor=None, section=section, data={"code": "m", "text_fr": "M ?", **data})
    assert message in " ".join(refused.value.message_dict[field])
    assert not Question.objects.exists()


def test_a_matrix_is_written_on_the_version_page(school: dict[str, Any]) -> None:
    version = questionnaire().versions.get()
    section = services.section_add(actor=None, version=version, title_fr="S")
    client = Client()
    client.force_login(school["quality_manager"])
    data = {"section": section.pk, "code": "quality", "kind": "matrix", "text_fr": "Qualité", "is_required": "on"}
    refused = client.post(f"/surveys/versions/{version.pk}/questions/", data | {"scale_points": "5"})
    assert refused.status_code == 400 and "at least two rows" in refused.content.decode()
    rows = "Enseignement | Teaching\r\nEncadrement | Supervision"
    made = client.post(f"/surveys/versions/{version.pk}/questions/", data | {"scale_points": "5", "rows_text": rows})
    assert made.status_code == 302
    assert Question.objects.get().rows == [
        {"code": "SQ001", "fr": "Enseignement", "en": "Teaching"},
        {"code": "SQ002", "fr": "Encadrement", "en": "Supervision"},
    ]
    assert "rows: Teaching, Supervision" in client.get(version.get_absolute_url()).content.decode()


# Answering through the public form -------------------------------------------------------------


def test_each_row_of_a_required_matrix_needs_an_answer_then_the_levels_are_stored(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/surveys/answer/{tokens[0]}/").content.decode()
    assert page.count('data-testid="matrix"') == 3
    assert "Teaching" in page and "Supervision" in page and "Equipment" in page
    # Satisfied overall (4): the "why" matrix is not asked; one row of "quality" left out.
    missed = client.post(f"/surveys/answer/{tokens[0]}/", post(campaign, "4", quality_0="5", quality_2="3"))
    text = missed.content.decode()
    assert missed.status_code == 400 and text.count("This row needs an answer.") == 1
    row = f"q{question(campaign, 'quality').pk}_r1"
    assert f'id="row-{row}" aria-invalid="true"' in text
    assert stored() == (0, 0, 0)
    done = client.post(
        f"/surveys/answer/{tokens[0]}/", post(campaign, "4", quality_0="5", quality_1="2", quality_2="3", why_0="1")
    )
    assert done.status_code == 200 and 'data-testid="done"' in done.content.decode()
    answers = {a.question.code: a for a in Answer.objects.select_related("question")}
    assert answers["quality"].choices == [5, 2, 3]
    assert "why" not in answers  # its condition was not met: what was sent for it is dropped
    assert "extras" not in answers  # optional and left empty
    assert stored() == (1, 2, 1)


def test_a_matrix_shown_by_its_condition_is_required_and_an_optional_one_may_be_partial(
    school: dict[str, Any],
) -> None:
    campaign, tokens = opened(school)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    full = {"quality_0": "4", "quality_1": "4", "quality_2": "4"}
    missed = client.post(f"/surveys/answer/{tokens[0]}/", post(campaign, "2", **full))
    assert missed.status_code == 400 and missed.content.decode().count("This row needs an answer.") == 2
    assert stored() == (0, 0, 0)
    done = client.post(f"/surveys/answer/{tokens[0]}/", post(campaign, "2", **full, why_0="3", why_1="1", extras_1="2"))
    assert done.status_code == 200
    answers = {a.question.code: a.choices for a in Answer.objects.select_related("question")}
    assert answers == {"overall": [], "quality": [4, 4, 4], "why": [3, 1], "extras": [None, 2]}


def test_a_level_off_the_scale_is_refused(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    wrong = client.post(
        f"/surveys/answer/{tokens[0]}/", post(campaign, "4", quality_0="6", quality_1="1", quality_2="1")
    )
    assert wrong.status_code == 400 and "Select a valid choice. 6 is not one of the available choices." in (
        wrong.content.decode()
    )
    assert stored() == (0, 0, 0)


def test_the_service_refuses_a_matrix_answer_that_does_not_fit(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    overall, quality = question(campaign, "overall"), question(campaign, "quality")
    for value, message in (
        ([4, 4], "one level per row"),
        ([4, 9, 1], "not on the question's scale"),
        ([4, None, 1], "Required questions are not answered: quality"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.response_submit(token=tokens[0], answers={overall.pk: 4, quality.pk: value})
    assert stored() == (0, 0, 0)


def test_a_half_answered_matrix_is_saved_for_later_and_shown_again(school: dict[str, Any]) -> None:
    campaign, tokens = opened(school)
    client = Client()
    saved = client.post(f"/surveys/answer/{tokens[0]}/", post(campaign, "4", quality_1="2") | {"save": "1"})
    assert saved.status_code == 200
    row = f"q{question(campaign, 'quality').pk}_r1"
    invitation = Invitation.objects.get(token_hash=services._hash(tokens[0]))
    assert invitation.draft == {f"q{question(campaign, 'overall').pk}": "4", row: "2"}
    page = client.get(f"/surveys/answer/{tokens[0]}/").content.decode()
    checked = re.findall(r'<input type="radio" name="(q\d+_r\d+)" value="(\d)"[^>]*checked', page)
    assert checked == [(row, "2")]
    assert stored() == (0, 0, 0)


# Results, export and import ----------------------------------------------------------------------


def answered(school: dict[str, Any]) -> Campaign:
    campaign, tokens = opened(school, 4)
    overall, quality, extras = (question(campaign, code) for code in ("overall", "quality", "extras"))
    for token, levels, extra in zip(
        tokens[:4],
        ([5, 4, 2], [4, 4, 1], [5, 2, 2], [3, 5, 1]),
        ([1, None], None, [2, 3], [None, 4]),
        strict=True,
    ):
        answers: dict[int, Any] = {overall.pk: 4, quality.pk: levels, extras.pk: extra}
        services.response_submit(token=token, answers=answers)
    return campaign


def test_results_per_row_on_the_page_and_in_the_export(school: dict[str, Any]) -> None:
    campaign = answered(school)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(school["quality_manager"])
    page = client.get(f"/surveys/{campaign.pk}/results/").content.decode()
    assert page.count('data-testid="matrix-rows"') == 3  # "why", never asked, shows its rows empty
    # Teaching: 5, 4, 5, 3 → mean 4.25, three in the two top levels of 5.
    assert '<th scope="row">Teaching</th>' in page and "4.25 / 5 (n=4)" in page
    # The rows' means are drawn against the top of the scale (5), not the largest mean.
    assert re.search(r'width="357\.0"[^>]*><title>Teaching: 4\.25 / 5 \(n=4\)</title>', page)
    export = client.get(f"/surveys/{campaign.pk}/results/?export=csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    quality = [row for row in rows if row[0].startswith("quality")]
    assert ["quality — Quality", "Teaching: mean", "4", "", "4.25"] in quality
    assert ["quality — Quality", "Teaching: satisfied (two top levels)", "4", "75.0", ""] in quality
    assert ["quality — Quality", "Supervision: Strongly agree", "1", "25.0", ""] in quality
    assert ["quality — Quality", "Equipment: mean", "4", "", "1.50"] in quality
    extras = [row for row in rows if row[0].startswith("extras")]
    # Rows left unanswered are counted in no figure: Sport 1 and 2, Associations 3 and 4.
    assert ["extras — Activités", "Sport: mean", "2", "", "1.50"] in extras
    assert ["extras — Activités", "Associations: mean", "2", "", "3.50"] in extras


HEADERS = ["id", "submitdate", "lastpage", "startlanguage", "seed", "overall"]
HEADERS += ["quality[SQ001]", "quality[SQ002]", "quality[SQ003]", "extras[SQ001]", "extras[SQ002]"]


def export(rows: list[str]) -> bytes:
    lines = [HEADERS, *(row.split("|") for row in rows)]
    return ("\ufeff" + "\r\n".join(";".join(f'"{cell}"' for cell in line) for line in lines) + "\r\n").encode()


def test_a_limesurvey_array_is_imported_into_a_matrix(school: dict[str, Any]) -> None:
    campaign = campaign_of(school, published_version(questions=QUESTIONS))
    report = campaign_import_limesurvey(
        actor=school["quality_manager"],
        campaign=campaign,
        content=export(["1|2025-06-03 10:00:00|2|fr|1|4|A5|4|A1||A3", "2|2025-06-04 10:00:00|2|fr|2|3|2|2|2||"]),
    )
    assert (report.imported, report.errors) == (2, [])
    found = sorted(
        (answer.response.answered_on.isoformat(), answer.question.code, answer.choices)
        for answer in Answer.objects.filter(question__kind=QuestionKind.MATRIX).select_related("question", "response")
    )
    assert found == [
        ("2025-06-03", "extras", [None, 3]),
        ("2025-06-03", "quality", [5, 4, 1]),
        ("2025-06-04", "quality", [2, 2, 2]),
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("2|2025-06-04 10:00:00|2|fr|2|3|2||2||", "quality: needs an answer"),
        (
            "2|2025-06-04 10:00:00|2|fr|2|3|2|6|2||",
            "quality: “6” is not on the question's scale.; quality: needs an answer",
        ),
        (
            "2|2025-06-04 10:00:00|2|fr|2|3|2|B|2||",
            "quality: “B” is not on the question's scale.; quality: needs an answer",
        ),
    ],
)
def test_one_bad_matrix_row_imports_nothing_and_is_named(school: dict[str, Any], line: str, problem: str) -> None:
    campaign = campaign_of(school, published_version(questions=QUESTIONS))
    report = campaign_import_limesurvey(
        actor=school["quality_manager"],
        campaign=campaign,
        content=export(["1|2025-06-03 10:00:00|2|fr|1|4|5|4|1||", line]),
    )
    assert report.imported == 0 and report.errors == [f"line 3 (response 2): {problem}"]
    assert stored() == (0, 0, 0)


def test_a_column_for_a_row_the_matrix_does_not_have_is_named(school: dict[str, Any]) -> None:
    campaign = campaign_of(school, published_version(questions=QUESTIONS))
    content = export(["1|2025-06-03 10:00:00|2|fr|1|4|5|4|1||"]).replace(b"extras[SQ002]", b"extras[SQ009]")
    report = campaign_import_limesurvey(actor=school["quality_manager"], campaign=campaign, content=content)
    assert report.errors == ["line 2 (response 1): extras: “SQ009” is not a row of the matrix."]
    assert stored() == (0, 0, 0)


def test_a_matrix_row_is_broken_down_by_group_and_compared_with_the_previous_campaign(school: dict[str, Any]) -> None:
    from amelio.core import clock

    version = published_version(questions=QUESTIONS)
    from amelio.organisation.tests.factories import ProgrammeFactory

    new_students = students(school, 6)
    few = students(school, 2, programme=ProgrammeFactory(department=school["civil"], name="Petite spécialité"))
    today = clock.today()
    campaigns = []
    for title, opens_on, levels in (
        ("Avant", today - datetime.timedelta(days=30), [2, 3, 2]),
        ("Maintenant", today - datetime.timedelta(days=1), [4, 5, 3]),
    ):
        campaign = campaign_of(school, version, title=title, opens_on=opens_on)
        made = services.campaign_open_with_tokens(actor=school["quality_manager"], campaign=campaign)
        overall, quality = question(campaign, "overall"), question(campaign, "quality")
        for _invitation, token in made:
            services.response_submit(token=token, answers={overall.pk: 4, quality.pk: levels})
        campaigns.append(campaign)
    count = len(made)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(school["quality_manager"])
    page = client.get(f"/surveys/{campaigns[1].pk}/results/").content.decode()
    table = page[page.index('data-testid="matrix-rows"') :][
        : page[page.index('data-testid="matrix-rows"') :].index("</table>")
    ]
    assert (
        f'<td class="text-end" data-testid="row-previous">2.00 · 0.0 % <span class="text-muted">(n={count})</span></td>'
        in table
    )
    assert (
        f'<td class="text-end" data-testid="row-previous">3.00 · 0.0 % <span class="text-muted">(n={count})</span></td>'
        in table
    )
    breakdown = page[page.index('data-testid="matrix-breakdown"') :]
    breakdown = breakdown[: breakdown.index("</table>")]
    programme = str(new_students[0].programme)
    # The programme of 6 answers is shown per row; the one of 2 answers is hidden in each.
    shown = "".join(
        f'<td class="text-end">{mean} <span class="text-muted">(n=6)</span></td>' for mean in ("4.00", "5.00", "3.00")
    )
    assert f'<th scope="row" class="fw-normal">{programme}</th>{shown}</tr>' in breakdown
    export = client.get(f"/surveys/{campaigns[1].pk}/results/?export=csv").content.decode("utf-8-sig")
    assert f"quality — Quality,Teaching: previous campaign: mean,{count},,2.00" in export
    assert f"quality — Quality,Teaching: {programme},6,,4.00" in export
    hidden = '<td class="text-muted text-end" data-testid="hidden-group">hidden (too few answers)</td>'
    assert f'<th scope="row" class="fw-normal">{few[0].programme}</th>{hidden * 3}</tr>' in breakdown
    assert "quality — Quality,Teaching: Petite spécialité,,,hidden (fewer than the minimum)" in export
