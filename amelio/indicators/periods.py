"""The periods of an indicator's values inside an academic year.

An indicator is measured per academic year, per semester or per month (its `period_kind`);
each value names its period in one short column, `IndicatorValue.period`:

- ``""``: the whole academic year;
- ``"S1"``, ``"S2"``: the first semester runs from the year's first day to the end of its
  fifth month (September to January for a year starting in September), the second from
  the first day of the sixth month to the year's last day;
- ``"2026-09"``: a calendar month (ISO year and month), cut to the academic year's dates.

The codes sort in the order of time inside one year ("S1" < "S2", "2026-09" < "2027-01").
A computed indicator's function receives the `Period` itself: the academic year and the
dates it covers.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from amelio.organisation.models import AcademicYear

from .choices import PeriodKind

WHOLE_YEAR = ""
SEMESTERS = ("S1", "S2")
FIRST_SEMESTER_MONTHS = 5
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A stretch of one academic year: the whole year, a semester or a month."""

    academic_year: AcademicYear
    code: str
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def kind(self) -> str:
        return kind_of(self.code)

    @property
    def is_whole_year(self) -> bool:
        return self.code == WHOLE_YEAR

    @property
    def label(self) -> str:
        """ "2025-2026", "2025-2026, semester 1", "October 2025"."""
        return period_name(self.academic_year, self.code)

    def __str__(self) -> str:
        return self.label


def kind_of(code: str) -> str:
    if code == WHOLE_YEAR:
        return PeriodKind.ACADEMIC_YEAR
    if code in SEMESTERS:
        return PeriodKind.SEMESTER
    return PeriodKind.MONTH


def _first_of_month(year: int, month: int) -> datetime.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, 1)


def _month_end(day: datetime.date) -> datetime.date:
    return _first_of_month(day.year, day.month + 1) - datetime.timedelta(days=1)


def whole_year(academic_year: AcademicYear) -> Period:
    return Period(academic_year, WHOLE_YEAR, academic_year.starts_on, academic_year.ends_on)


def periods_of(academic_year: AcademicYear, kind: str) -> list[Period]:
    """The periods of a kind in the academic year, in the order of time."""
    start, end = academic_year.starts_on, academic_year.ends_on
    if kind == PeriodKind.SEMESTER:
        second = _first_of_month(start.year, start.month + FIRST_SEMESTER_MONTHS)
        if second > end:  # a year of five months or less has one semester
            return [Period(academic_year, "S1", start, end)]
        return [
            Period(academic_year, "S1", start, second - datetime.timedelta(days=1)),
            Period(academic_year, "S2", second, end),
        ]
    if kind == PeriodKind.MONTH:
        months = []
        first = datetime.date(start.year, start.month, 1)
        while first <= end:
            months.append(Period(academic_year, f"{first:%Y-%m}", max(first, start), min(_month_end(first), end)))
            first = _first_of_month(first.year, first.month + 1)
        return months
    return [whole_year(academic_year)]


def period_of(academic_year: AcademicYear, code: str) -> Period | None:
    """The period `code` names in the academic year, or None when it names none there (a
    malformed code, a month outside the year)."""
    return next(
        (period for period in periods_of(academic_year, kind_of(code)) if period.code == code),
        None,
    )


def period_name(academic_year: AcademicYear | str, code: str) -> str:
    """The period as people say it: "2025-2026", "2025-2026, semester 1", "October 2025"."""
    if code == WHOLE_YEAR:
        return str(academic_year)
    if code in SEMESTERS:
        return _("%(year)s, semester %(number)s") % {"year": academic_year, "number": code[1]}
    return month_name(code)


def month_name(code: str) -> str:
    """ "2025-10" as "October 2025" (in the reader's language); the code itself if malformed."""
    found = _MONTH.match(code)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return code
    return formats.date_format(datetime.date(int(found.group(1)), int(found.group(2)), 1), "F Y")


def short_name(code: str) -> str:
    """The period inside its year, for a table's column: "S1", "Oct 2025"."""
    if code == WHOLE_YEAR or code in SEMESTERS:
        return code
    found = _MONTH.match(code)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return code
    return formats.date_format(datetime.date(int(found.group(1)), int(found.group(2)), 1), "M Y")


def check_period(*, kind: str, academic_year: AcademicYear, code: str) -> Period:
    """The period of a value of an indicator measured per `kind`, or a message saying why
    `code` is refused (ValueError with the translated message)."""
    code = (code or "").strip()
    if kind == PeriodKind.ACADEMIC_YEAR:
        if code != WHOLE_YEAR:
            raise ValueError(_("This indicator is measured per academic year: a value covers the whole year."))
        return whole_year(academic_year)
    if kind == PeriodKind.SEMESTER:
        found = period_of(academic_year, code) if code in SEMESTERS else None
        if found is None:
            raise ValueError(
                _("This indicator is measured per semester: choose a semester of %(year)s.") % {"year": academic_year}
            )
        return found
    match = _MONTH.match(code)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("This indicator is measured per month: give a month, e.g. 2025-10."))
    found = period_of(academic_year, code)
    if found is None:
        raise ValueError(
            _("%(month)s is outside the academic year %(year)s (%(start)s to %(end)s).")
            % {
                "month": month_name(code),
                "year": academic_year,
                "start": formats.date_format(academic_year.starts_on, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(academic_year.ends_on, "SHORT_DATE_FORMAT"),
            }
        )
    return found
