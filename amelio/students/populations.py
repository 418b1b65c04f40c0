"""The populations the students' records give to survey campaigns (core.registry): the
graduates of a year, for the graduates' insertion survey. The surveys app cannot import this
app (they are siblings of one layer), so it asks the registry."""

from __future__ import annotations

from typing import Any

from amelio.core.registry import register_survey_population

from .selectors import graduates_of_year

GRADUATES = "graduates"


def graduates_population(
    *, academic_year_id: int, department_id: int | None = None, programme_id: int | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "email": enrolment.student.email,
            "person_id": enrolment.student.person_id,
            "department_id": enrolment.programme.department_id,
            "programme_id": enrolment.programme_id,
        }
        for enrolment in graduates_of_year(
            academic_year_id=academic_year_id, department_id=department_id, programme_id=programme_id
        )
        if enrolment.student.email
    ]


register_survey_population(GRADUATES, graduates_population)
