"""Importing past answers from a LimeSurvey CSV response export into a campaign, all or
nothing, with a row-by-row report.

What the file looks like (LimeSurvey's export helpers, `application/helpers/admin/export/`):
- UTF-8 with a byte-order mark, every value in double quotes, CRLF line ends; the field
  separator is `;` by default, `,` in many exports: both are read.
- Headings "question code" (the export's `code` heading format) and answers "short" (the
  answer codes, not their texts).
- System columns first: `id`, `submitdate` (empty: the response was not completed),
  `lastpage`, `startlanguage`, `seed`, then when enabled `token`, `startdate`, `datestamp`,
  `ipaddr`, `refurl`, and optional participant and timing columns. Only `submitdate` and
  `startlanguage` are read; the others (the token, the address, the participant's name...)
  are never stored, so an anonymous campaign stays anonymous.
- One column per single-value question, headed by its code (`Q1`); a list with "other" adds
  `Q1[other]` and stores `-oth-` in `Q1` when "other" was chosen; a multiple choice has one
  column per option `Q1[SQ001]`, `Q1[SQ002]`... holding `Y` when ticked (empty otherwise),
  and `Q1[other]`; an array (our matrix) has one column per row (sub-question), `Q1[SQ001]`,
  holding the row's answer code.

How the answers are matched with a questionnaire of ours: a heading names a question by its
code; a list's answer code is the option's number counted from 1 (`1`, `2`... or `A1`,
`A2`..., LimeSurvey's default codes); a multiple choice's `SQ001` is its first option;
Likert levels, 0–10 scores and numbers are numbers; a matrix's `Q1[SQ001]` is its row of
code `SQ001` (the rows' default codes), its level a number or an answer code (`A3`: level
3); dates are `YYYY-MM-DD` (a time after them is dropped). Incomplete responses (no
`submitdate`) are left out and reported so."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amelio.core.permissions import require
from amelio.history.choices import HistoryAction
from amelio.history.services import history_record, records_changed_without_history

from .choices import QuestionKind
from .models import Answer, Campaign, Question, Response
from .services import _allowed_values, _answer_of, asked_questions, is_unanswered

SYSTEM_COLUMNS = {
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
}
SUBCOLUMN = re.compile(r"^(?P<code>[^\[\]]+)\[(?P<part>[^\[\]]+)\]$")
OPTION_CODE = re.compile(r"^(?:A|SQ)?0*(?P<number>\d+)$", re.IGNORECASE)


@dataclass
class ImportReport:
    imported: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _rows(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = content.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = [header.strip() for header in next(reader, [])]
    rows = [dict(zip(headers, (cell.strip() for cell in row), strict=False)) for row in reader if any(row)]
    return headers, rows


def _option(value: str, question: Question) -> int:
    found = OPTION_CODE.match(value)
    index = int(found.group("number")) - 1 if found else -1
    if index not in _allowed_values(question):
        raise ValueError(_("“%(value)s” is not an option of the question.") % {"value": value})
    return index


def _level(value: str, question: Question) -> int | None:
    """A matrix row's answer: a level of its scale, as a number or an answer code (`A3`)."""
    if not value:
        return None
    found = OPTION_CODE.match(value)
    level = int(found.group("number")) if found else 0
    if not 1 <= level <= (question.scale_points or 5):
        raise ValueError(_("“%(value)s” is not on the question's scale.") % {"value": value})
    return level


def _value(question: Question, row: dict[str, str], columns: dict[str, dict[str, str]]) -> Any:
    """The answer of `question` in `row`, as services.response_submit takes it."""
    own = columns[question.code]
    main = row.get(own.get("", ""), "")
    other = row.get(own.get("other", ""), "")
    kind = question.kind
    if kind == QuestionKind.MATRIX:
        codes = [row.get("code", "") for row in question.rows]
        strays = sorted(part for part in own if part not in codes)
        if strays:
            raise ValueError(_("“%(parts)s” is not a row of the matrix.") % {"parts": ", ".join(strays)})
        levels = [_level(row.get(own.get(code, ""), ""), question) for code in codes]
        return levels if any(level is not None for level in levels) else None
    if kind == QuestionKind.MULTIPLE_CHOICE:
        indexes = [
            _option(part, question)
            for part, header in own.items()
            if part not in ("", "other") and row.get(header, "").upper() in ("Y", "1", "YES")
        ]
        if other and not question.allows_other:
            raise ValueError(_("The question offers no “other”."))
        return (sorted(indexes), other) if indexes or other else None
    if not main and not other:
        return None
    if kind == QuestionKind.SINGLE_CHOICE:
        if main == "-oth-" or (other and not main):
            if not question.allows_other or not other:
                raise ValueError(_("“Other” is not offered or not said."))
            return (None, other)
        return (_option(main, question), "")
    if kind in (QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.NUMBER):
        try:
            number = Decimal(main.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": main}) from None
        if kind != QuestionKind.NUMBER and (
            number != number.to_integral_value() or int(number) not in _allowed_values(question)
        ):
            raise ValueError(_("“%(value)s” is not on the question's scale.") % {"value": main})
        if kind == QuestionKind.NUMBER and (
            (question.minimum is not None and number < question.minimum)
            or (question.maximum is not None and number > question.maximum)
        ):
            raise ValueError(_("%(value)s is outside the question's bounds.") % {"value": main})
        return number
    if kind == QuestionKind.DATE:
        try:
            return datetime.date.fromisoformat(main[:10])
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date.") % {"value": main}) from None
    return main


def campaign_import_limesurvey(*, actor: Any, campaign: Campaign, content: bytes) -> ImportReport:
    """Reads the export and stores its completed responses in `campaign`, or nothing at all
    when one heading or one row is wrong; the report names each row refused and why."""
    require(actor, "surveys.manage_campaign", campaign)
    report = ImportReport()
    questions = list(Question.objects.filter(section__version_id=campaign.version_id))
    by_code = {question.code: question for question in questions}
    try:
        headers, rows = _rows(content)
    except (UnicodeDecodeError, csv.Error):
        raise ValidationError(_("The file is not a CSV export in UTF-8.")) from None
    if "submitdate" not in headers:
        raise ValidationError(_("The file has no “submitdate” column: is it a LimeSurvey response export?"))
    columns: dict[str, dict[str, str]] = {code: {} for code in by_code}
    unknown = []
    for header in headers:
        if header in SYSTEM_COLUMNS or header.endswith("Time"):
            continue
        found = SUBCOLUMN.match(header)
        code, part = (found.group("code"), found.group("part")) if found else (header, "")
        if code not in by_code:
            unknown.append(header)
            continue
        columns[code][part] = header
    if unknown:
        raise ValidationError(
            _("These columns are not questions of the questionnaire: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    made: list[tuple[Response, list[Answer]]] = []
    for number, row in enumerate(rows, start=2):  # the headings are line 1
        name = _("line %(line)s (response %(id)s)") % {"line": number, "id": row.get("id", "?")}
        if not row.get("submitdate"):
            report.skipped.append(_("%(row)s: not completed, left out") % {"row": name})
            continue
        problems, values = [], {}
        try:
            answered_on = datetime.date.fromisoformat(row["submitdate"][:10])
        except ValueError:
            problems.append(_("submitdate: “%(value)s” is not a date") % {"value": row["submitdate"]})
            answered_on = None
        for question in questions:
            try:
                values[question.pk] = _value(question, row, columns)
            except ValueError as error:
                problems.append(f"{question.code}: {error}")
        asked = asked_questions(questions, values)
        for question in questions:
            if question.pk in asked and question.is_required and is_unanswered(question, values.get(question.pk)):
                problems.append(_("%(code)s: needs an answer") % {"code": question.code})
        if problems or answered_on is None:
            report.errors.append(f"{name}: {'; '.join(problems)}")
            continue
        response = Response(campaign=campaign, answered_on=answered_on, language=row.get("startlanguage", "")[:8])
        answers = [
            answer
            for question in questions
            if question.pk in asked and (answer := _answer_of(question, values.get(question.pk))) is not None
        ]
        made.append((response, answers))
    if report.errors:
        return report  # all or nothing: one row refused, nothing written
    with transaction.atomic():
        for response, answers in made:
            response.save()
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
        report.imported = len(made)
        history_record(
            instance=campaign,
            action=HistoryAction.UPDATE,
            actor=actor,
            changes={"import": ["", _("%(count)s responses imported from LimeSurvey") % {"count": len(made)}]},
        )
        records_changed_without_history({"surveys.response", "surveys.answer"})
    return report
