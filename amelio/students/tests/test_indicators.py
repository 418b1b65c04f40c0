"""Each registered figure against records built here, with its value computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from amelio.indicators.computed import IndicatorScope, computed_indicator
from amelio.indicators.periods import Period
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.students.choices import StudentStatus
from amelio.students.indicators import insertion_code

from .factories import StudentFactory, enrol, situation, year

pytestmark = pytest.mark.django_db


def value(code: str, start: int, scope: IndicatorScope | None = None) -> Decimal | None:
    entry = computed_indicator(code)
    assert entry is not None, code
    academic_year = year(start)
    period = Period(academic_year, "", academic_year.starts_on, academic_year.ends_on)
    return entry.compute(scope or IndicatorScope.school(), period).value


@pytest.fixture
def year_2025(school: dict[str, Any]) -> dict[str, Any]:
    civil = ProgrammeFactory(department=school["civil"])
    electrical = ProgrammeFactory(department=school["electrical"])
    students = {name: StudentFactory() for name in "ABCDEFG"}
    for name in "DF":
        students[name].status = StudentStatus.APPRENTICE
        students[name].save()
    enrol(students["A"], civil, 2025, 3, "passed")
    enrol(students["B"], civil, 2024, 3, "repeating")  # another year: not counted in 2025
    enrol(students["B"], civil, 2025, 3, "repeating")
    enrol(students["C"], civil, 2025, 3, "left")
    enrol(students["D"], civil, 2025, 4, "passed")
    enrol(students["E"], civil, 2023, 3, "passed")
    enrol(students["E"], civil, 2024, 4, "passed")
    enrol(students["E"], civil, 2025, 5, "graduated")
    enrol(students["F"], civil, 2025, 5)  # under way: in no rate but in the enrolments
    for start, year_of_study, outcome in ((2022, 3, "passed"), (2023, 4, "repeating"), (2024, 4, "passed")):
        enrol(students["G"], electrical, start, year_of_study, outcome)
    enrol(students["G"], electrical, 2025, 5, "graduated")
    return {"civil": civil, "electrical": electrical, **students}


def test_success_rate_counts_a_repeating_student_once_per_year(
    year_2025: dict[str, Any], school: dict[str, Any]
) -> None:
    # Decided in 2025: A passed, B repeating, C left, D passed, E graduated, G graduated -> 4 of 6.
    assert value("students.success_rate", 2025) == Decimal("66.7")
    # Civil engineering alone: A, D, E of A, B, C, D, E -> 3 of 5.
    assert value("students.success_rate", 2025, IndicatorScope.of(school["civil"])) == Decimal("60.0")
    assert value("students.success_rate", 2025, IndicatorScope.of(year_2025["civil"])) == Decimal("60.0")
    # 3rd year: A of A, B, C -> 1 of 3.
    assert value("students.success_rate.year_3", 2025) == Decimal("33.3")
    # 2024: B repeating, E passed, G passed -> 2 of 3.
    assert value("students.success_rate", 2024) == Decimal("66.7")
    assert value("students.success_rate", 2030) is None


def test_dropout_rate_and_share_of_apprentices(year_2025: dict[str, Any]) -> None:
    assert value("students.dropout_rate", 2025) == Decimal("16.7")  # C of 6 decided
    # D and F of the 7 enrolments of 2025 (F's year is under way but is an enrolment).
    assert value("students.apprentice_share", 2025) == Decimal("28.6")


def test_time_to_diploma(year_2025: dict[str, Any]) -> None:
    # E: 3 years (2023-2025); G: 4 years (2022-2025, a repeated 4th year) -> 3.5.
    assert value("students.time_to_diploma", 2025) == Decimal("3.5")


@pytest.fixture
def graduates(school: dict[str, Any]) -> list[Any]:
    programme = ProgrammeFactory(department=school["civil"])
    people = [StudentFactory() for _ in range(10)]
    for student in people:
        enrol(student, programme, 2025, 5, "graduated", diploma_on=datetime.date(2026, 7, 1))
    jobs = [
        # salary, contract, cadre, first job
        (30000, "permanent", True, datetime.date(2026, 6, 1)),
        (32000, "permanent", True, datetime.date(2026, 7, 1)),
        (35000, "permanent", True, datetime.date(2026, 9, 1)),
        (40000, "permanent", False, datetime.date(2026, 9, 2)),
        (50000, "fixed_term", None, None),
    ]
    for student, (salary, contract, cadre, first_job) in zip(people, jobs, strict=False):
        situation(
            student,
            contract=contract,
            is_cadre=cadre,
            first_job_on=first_job,
            salary_without_bonuses=Decimal(salary),
            salary_with_bonuses=Decimal(salary + 2000),
        )
    situation(people[5], country="DE", is_cadre=True, salary_without_bonuses=Decimal(60000))
    situation(people[6], situation="job_seeking")
    situation(people[7], situation="job_seeking")
    situation(people[8], situation="further_study")
    situation(people[9], situation="phd")
    situation(people[9], wave=18, situation="job_seeking")
    return people


def test_insertion_figures_with_the_national_survey_definitions(graduates: list[Any]) -> None:
    six = 6
    # Employed 6 of (6 employed + 2 seeking): further study and PhD are outside the ratio.
    assert value(insertion_code(six, "net_employment_rate"), 2025) == Decimal("75.0")
    # Of the 4 employed who gave their first job's date: 3 by 1 September 2026 (diploma + 2 months).
    assert value(insertion_code(six, "hired_within_2_months"), 2025) == Decimal("75.0")
    # Of the same 4: 2 on or before the diploma's day.
    assert value(insertion_code(six, "hired_before_graduation"), 2025) == Decimal("50.0")
    assert value(insertion_code(six, "permanent_contracts"), 2025) == Decimal("83.3")  # 5 of 6
    assert value(insertion_code(six, "cadre"), 2025) == Decimal("80.0")  # 4 of the 5 who said
    assert value(insertion_code(six, "abroad"), 2025) == Decimal("16.7")  # 1 of 6
    # Salaries of the 5 jobs in France: 30, 32, 35, 40, 50 k€.
    assert value(insertion_code(six, "median_salary"), 2025) == Decimal("35000")
    assert value(insertion_code(six, "mean_salary"), 2025) == Decimal("37400")
    assert value(insertion_code(six, "median_salary_with_bonuses"), 2025) == Decimal("37000")
    assert value(insertion_code(six, "mean_salary_with_bonuses"), 2025) == Decimal("39400")
    # The 18-month survey: one graduate, seeking a job.
    assert value(insertion_code(18, "net_employment_rate"), 2025) == Decimal("0.0")


def test_a_salary_figure_of_fewer_than_five_graduates_is_hidden(graduates: list[Any]) -> None:
    graduates[4].insertion_records.update(salary_without_bonuses=None, salary_with_bonuses=None)
    entry = computed_indicator(insertion_code(6, "median_salary"))
    assert entry is not None
    academic_year = year(2025)
    result = entry.compute(
        IndicatorScope.school(), Period(academic_year, "", academic_year.starts_on, academic_year.ends_on)
    )
    assert result.value is None and result.inputs == {"salaries": 4}
