"""The figures of a campaign, computed from its answers: response rate, per question the
distribution, the mean (Likert, number), the NPS, the comments, and a breakdown per
department and programme that hides any group under the minimum size."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .choices import MINIMUM_GROUP_SIZE, QuestionKind
from .models import Answer, Question


def rounded(number: Decimal | float, places: str = "0.1") -> Decimal:
    return Decimal(str(number)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    return rounded(Decimal(100) * part / whole) if whole else None


def likert_labels(points: int) -> list[str]:
    if points == 4:
        return [_("Strongly disagree"), _("Disagree"), _("Agree"), _("Strongly agree")]
    if points == 5:
        return [_("Strongly disagree"), _("Disagree"), _("Neither agree nor disagree"), _("Agree"), _("Strongly agree")]
    return [
        f"1 — {_('Strongly disagree')}",
        "2",
        "3",
        "4",
        "5",
        "6",
        f"7 — {_('Strongly agree')}",
    ]


def nps_score(scores: Iterable[Decimal | int]) -> Decimal | None:
    """Share of promoters (9–10) minus share of detractors (0–6), in points from -100 to 100."""
    values = [int(score) for score in scores]
    if not values:
        return None
    promoters = sum(1 for value in values if value >= 9)
    detractors = sum(1 for value in values if value <= 6)
    return rounded(Decimal(100) * (promoters - detractors) / len(values))


# The normal quantile of a two-sided 95 % interval.
Z_95 = 1.959964


def nps_interval(scores: Iterable[Decimal | int]) -> tuple[Decimal, Decimal] | None:
    """The 95 % confidence interval of the NPS, by the Wald method for a difference of two
    shares of one multinomial sample: with p the share of promoters and d the share of
    detractors among n answers, NPS = p − d and its variance is (p + d − (p − d)²) / n; the
    interval is NPS ± 1.96 × √variance, in points, clipped to −100..100. It needs no
    assumption beyond independent answers; with few answers it is wide, as it should be
    (it is not given for fewer than two answers)."""
    values = [int(score) for score in scores]
    count = len(values)
    if count < 2:
        return None
    promoters = sum(1 for value in values if value >= 9) / count
    detractors = sum(1 for value in values if value <= 6) / count
    net = promoters - detractors
    margin = Z_95 * math.sqrt(max(promoters + detractors - net * net, 0.0) / count)
    return rounded(max(-1.0, net - margin) * 100), rounded(min(1.0, net + margin) * 100)


def top_two_share(levels: Iterable[Decimal | int], points: int) -> tuple[int, int]:
    """(answers in the two highest levels, answers) of a Likert scale."""
    values = [int(level) for level in levels]
    return sum(1 for value in values if value >= points - 1), len(values)


@dataclass
class Bar:
    label: str
    count: int
    share: Decimal | None


@dataclass
class Group:
    label: str
    count: int
    figure: Decimal | None
    hidden: bool


@dataclass
class Figures:
    """A question's headline figures, as compared between campaigns."""

    answered: int
    mean: Decimal | None = None
    satisfaction: Decimal | None = None
    nps: Decimal | None = None


@dataclass
class RowResult:
    """One row of a matrix: its distribution on the scale, mean and satisfied share."""

    label: str
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None
    satisfaction: Decimal | None = None
    breakdown: list[Group] = field(default_factory=list)
    code: str = ""
    previous: Figures | None = None


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None
    nps: Decimal | None = None
    nps_low: Decimal | None = None
    nps_high: Decimal | None = None
    satisfaction: Decimal | None = None
    comments: list[Answer] = field(default_factory=list)
    breakdown: list[Group] = field(default_factory=list)
    previous: Figures | None = None
    rows: list[RowResult] = field(default_factory=list)

    @property
    def row_groups(self) -> list[tuple[str, tuple[Group, ...]]]:
        """A matrix's breakdown as a table: per group, its figure for each row (every row is
        broken down over the same groups, in the same order)."""
        return [(cells[0].label, cells) for cells in zip(*(row.breakdown for row in self.rows), strict=True)]

    @property
    def rows_compared(self) -> bool:
        return any(row.previous is not None for row in self.rows)

    @property
    def figure_label(self) -> str:
        return _("NPS") if self.question.kind == QuestionKind.NPS else _("mean")


def _bars(labels: Sequence[str], counts: Counter[int], whole: int) -> list[Bar]:
    return [
        Bar(label, counts.get(index, 0), percent(counts.get(index, 0), whole)) for index, label in enumerate(labels)
    ]


def _figure(question: Question, answers: list[Answer]) -> Decimal | None:
    numbers = [answer.number for answer in answers if answer.number is not None]
    if not numbers:
        return None
    if question.kind == QuestionKind.NPS:
        return nps_score(numbers)
    return rounded(sum(numbers, Decimal(0)) / len(numbers), "0.01")


def _groups_of(answers: Iterable[Answer]) -> dict[tuple[str, Any], list[Answer]]:
    """The answers by department and by programme of their response."""
    groups: dict[tuple[str, Any], list[Answer]] = defaultdict(list)
    for answer in answers:
        if hasattr(answer, "group_department"):  # named by selectors.campaign_answers
            department, programme = answer.group_department, getattr(answer, "group_programme", None)
        else:
            response = answer.response
            department = str(response.department) if response.department is not None else None
            programme = str(response.programme) if response.programme is not None else None
        if department is not None:
            groups[("department", department)].append(answer)
        if programme is not None:
            groups[("programme", programme)].append(answer)
    return groups


def _breakdown(question: Question, answers: list[Answer], minimum: int) -> list[Group]:
    found = []
    for (_kind, label), members in sorted(_groups_of(answers).items()):
        hidden = len(members) < minimum
        found.append(Group(label, len(members), None if hidden else _figure(question, members), hidden))
    return found


def _row_level(answer: Answer, index: int) -> int | None:
    levels = answer.choices
    return int(levels[index]) if index < len(levels) and levels[index] is not None else None


def _row_breakdown(answers: list[Answer], index: int, minimum: int) -> list[Group]:
    """A matrix row's mean per department and programme, among the answers that rated the
    row; a group under the minimum size is hidden."""
    found = []
    for (_kind, label), members in sorted(_groups_of(answers).items()):
        levels = [level for answer in members if (level := _row_level(answer, index)) is not None]
        hidden = len(levels) < minimum
        mean = None if hidden or not levels else rounded(Decimal(sum(levels)) / len(levels), "0.01")
        found.append(Group(label, len(levels), mean, hidden))
    return found


def _in_text_order(answers: Iterable[Answer]) -> list[Answer]:
    """Comments in the order of their text: the order they were written in could tell who
    wrote them in a small group (the answers' times are kept to the day for the same reason)."""
    return sorted(answers, key=lambda answer: (answer.text.casefold(), answer.pk))


def question_results(
    questions: Sequence[Question], answers: Iterable[Answer], *, minimum_group: int = MINIMUM_GROUP_SIZE
) -> list[QuestionResult]:
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    results = []
    for question in questions:
        found = by_question.get(question.pk, [])
        result = QuestionResult(question, answered=len(found))
        kind = question.kind
        if kind == QuestionKind.LIKERT:
            points = question.scale_points or 5
            counts = Counter(int(a.number) - 1 for a in found if a.number is not None)
            result.bars = _bars(likert_labels(points), counts, len(found))
            result.mean = _figure(question, found)
            top, whole = top_two_share((a.number for a in found if a.number is not None), points)
            result.satisfaction = percent(top, whole)
        elif kind == QuestionKind.NPS:
            counts = Counter(int(a.number) for a in found if a.number is not None)
            result.bars = _bars([str(score) for score in range(11)], counts, len(found))
            result.nps = _figure(question, found)
            interval = nps_interval(a.number for a in found if a.number is not None)
            if interval is not None:
                result.nps_low, result.nps_high = interval
        elif kind == QuestionKind.SINGLE_CHOICE:
            counts = Counter(int(a.number) for a in found if a.number is not None)
            labels = question.option_labels()
            if question.allows_other:
                counts[len(labels)] = sum(1 for a in found if a.number is None and a.text)
                labels = [*labels, _("Other")]
            result.bars = _bars(labels, counts, len(found))
            result.comments = _in_text_order(a for a in found if a.text)
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            counts = Counter(index for a in found for index in a.choices)
            labels = question.option_labels()
            if question.allows_other:
                counts[len(labels)] = sum(1 for a in found if a.text)
                labels = [*labels, _("Other")]
            result.bars = _bars(labels, counts, len(found))
            result.comments = _in_text_order(a for a in found if a.text)
        elif kind == QuestionKind.MATRIX:
            result.rows = _matrix_rows(question, found, minimum_group)
        elif kind == QuestionKind.NUMBER:
            result.mean = _figure(question, found)
        elif kind == QuestionKind.TEXT:
            result.comments = _in_text_order(a for a in found if a.text.strip())
        if kind in (QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.NUMBER):
            result.breakdown = _breakdown(question, found, minimum_group)
        results.append(result)
    return results


def _matrix_rows(question: Question, answers: list[Answer], minimum: int) -> list[RowResult]:
    """Per row of a matrix, the levels given to it (a response may leave a row of an
    optional matrix unanswered: it is counted only in the rows it answered)."""
    points = question.scale_points or 5
    labels = likert_labels(points)
    found = []
    for index, label in enumerate(question.row_labels()):
        levels = [level for answer in answers if (level := _row_level(answer, index)) is not None]
        row = RowResult(label, answered=len(levels), code=question.rows[index].get("code", ""))
        row.breakdown = _row_breakdown(answers, index, minimum)
        row.bars = _bars(labels, Counter(level - 1 for level in levels), len(levels))
        if levels:
            row.mean = rounded(Decimal(sum(levels)) / len(levels), "0.01")
            top, whole = top_two_share(levels, points)
            row.satisfaction = percent(top, whole)
        found.append(row)
    return found


def campaign_figures(campaign_id: int, *, matrices: bool = True) -> dict[tuple[str, str], Figures]:
    """The headline figures of a campaign's questions, keyed by (code, type) so that they
    can be matched with another version of the questionnaire: counted by the database in
    one grouped query rather than by loading the answers (used for the previous campaign
    of a comparison, whose details are not shown)."""
    rows = (
        Answer.objects.order_by()
        .filter(
            response__campaign_id=campaign_id,
            number__isnull=False,
            question__kind__in=(QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.NUMBER),
        )
        .values("question__code", "question__kind")
        .annotate(
            count=Count("pk"),
            average=Avg("number"),
            top=Count("pk", filter=Q(number__gte=Coalesce(F("question__scale_points"), 5) - 1)),
            promoters=Count("pk", filter=Q(number__gte=9)),
            detractors=Count("pk", filter=Q(number__lte=6)),
        )
    )
    found = {}
    for row in rows:
        kind, count = row["question__kind"], row["count"]
        figures = Figures(answered=count)
        if kind == QuestionKind.NPS:
            figures.nps = rounded(Decimal(100) * (row["promoters"] - row["detractors"]) / count)
        else:
            figures.mean = rounded(row["average"], "0.01")
            if kind == QuestionKind.LIKERT:
                figures.satisfaction = percent(row["top"], count)
        found[(row["question__code"], kind)] = figures
    if not matrices:
        return found
    # A matrix's rows, keyed (code, "matrix:<row code>"): their levels are read in one more
    # query (only when the questions compared have a matrix), since they are kept in a list
    # per answer.
    matrix_answers = Answer.objects.filter(
        response__campaign_id=campaign_id, question__kind=QuestionKind.MATRIX
    ).values_list("question__code", "question__scale_points", "question__rows", "choices")
    levels: dict[tuple[str, str], list[int]] = defaultdict(list)
    points_of: dict[tuple[str, str], int] = {}
    for code, points, rows, choices in matrix_answers:
        for index, row in enumerate(rows):
            key = (code, f"{QuestionKind.MATRIX}:{row.get('code', '')}")
            points_of[key] = points or 5
            if index < len(choices) and choices[index] is not None:
                levels[key].append(int(choices[index]))
    for key, values in levels.items():
        top, whole = top_two_share(values, points_of[key])
        found[key] = Figures(
            answered=whole,
            mean=rounded(Decimal(sum(values)) / whole, "0.01"),
            satisfaction=percent(top, whole),
        )
    return found


def compare(results: Sequence[QuestionResult], previous: dict[tuple[str, str], Figures]) -> None:
    """Attaches to each question the figures of the same question (code and type) in the
    previous campaign."""
    for result in results:
        result.previous = previous.get((result.question.code, result.question.kind))
        for row in result.rows:
            row.previous = previous.get((result.question.code, f"{QuestionKind.MATRIX}:{row.code}"))


def export_rows(results: Sequence[QuestionResult], *, include_comments: bool) -> list[list[Any]]:
    """Aggregates only (never one person's row): question, line, count, share or figure."""
    rows: list[list[Any]] = [[_("Question"), _("Line"), _("Answers"), _("Share (%)"), _("Figure")]]
    for result in results:
        code = f"{result.question.code} — {result.question.text}"
        rows.append([code, _("answers"), result.answered, "", ""])
        for bar in result.bars:
            rows.append([code, bar.label, bar.count, bar.share if bar.share is not None else "", ""])
        if result.mean is not None:
            rows.append([code, _("mean"), result.answered, "", result.mean])
        if result.nps is not None:
            rows.append([code, _("NPS"), result.answered, "", result.nps])
            if result.nps_low is not None:
                rows.append(
                    [code, _("NPS, confidence interval at 95 percent"), "", "", f"{result.nps_low} – {result.nps_high}"]
                )
        if result.satisfaction is not None:
            rows.append([code, _("satisfied (two top levels)"), result.answered, result.satisfaction, ""])
        for row in result.rows:
            for bar in row.bars:
                rows.append(
                    [code, f"{row.label}: {bar.label}", bar.count, bar.share if bar.share is not None else "", ""]
                )
            if row.mean is not None:
                rows.append([code, f"{row.label}: {_('mean')}", row.answered, "", row.mean])
                rows.append(
                    [code, f"{row.label}: {_('satisfied (two top levels)')}", row.answered, row.satisfaction, ""]
                )
            if row.previous is not None:
                rows.append(
                    [
                        code,
                        f"{row.label}: {_('previous campaign')}: {_('mean')}",
                        row.previous.answered,
                        "",
                        row.previous.mean,
                    ]
                )
            for group in row.breakdown:
                rows.append(
                    [
                        code,
                        f"{row.label}: {group.label}",
                        "" if group.hidden else group.count,
                        "",
                        _("hidden (fewer than the minimum)")
                        if group.hidden
                        else (group.figure if group.figure is not None else ""),
                    ]
                )
        if result.previous is not None:
            before = result.previous
            for label, value in (
                (_("mean"), before.mean),
                (_("satisfied (two top levels)"), before.satisfaction),
                (_("NPS"), before.nps),
            ):
                if value is not None:
                    rows.append([code, f"{_('previous campaign')}: {label}", before.answered, "", value])
        for group in result.breakdown:
            rows.append(
                [
                    code,
                    group.label,
                    "" if group.hidden else group.count,
                    "",
                    _("hidden (fewer than the minimum)")
                    if group.hidden
                    else (group.figure if group.figure is not None else ""),
                ]
            )
        if include_comments:
            for comment in result.comments:
                rows.append([code, _("comment"), "", "", comment.text])
    return rows
