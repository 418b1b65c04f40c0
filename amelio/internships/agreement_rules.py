"""The rules a French internship agreement must follow (Code de l'éducation, L124-1 and
following). Each broken rule is reported on the field to correct, with the figure in
force; the figures come from LegalFigure rows, dated, never from constants."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from amelio.core import clock

from .choices import COUNTING_STATUSES, TUTORED_STATUSES, LegalFigureKey
from .models import Internship, LegalFigure, TutorQuota

Errors = dict[str, list[str]]


class MissingFigure(Exception):
    """No legal figure is in force on the day: the school must record it first."""


def figure(key: str, on: datetime.date) -> Decimal:
    row = (
        LegalFigure.objects.filter(key=key, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        raise MissingFigure(key)
    return row.value


def figures_on(on: datetime.date) -> dict[str, Decimal]:
    """Every legal figure in force on `on`, by key, in one query (the latest row wins)."""
    rows = (
        LegalFigure.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("key", "-valid_from")
        .values_list("key", "value")
    )
    in_force: dict[str, Decimal] = {}
    for key, value in rows:
        in_force.setdefault(key, value)
    return in_force


def weekdays_between(starts_on: datetime.date, ends_on: datetime.date) -> int:
    """Monday to Friday from `starts_on` to `ends_on`, both included."""
    if ends_on < starts_on:
        return 0
    days = (ends_on - starts_on).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (starts_on + datetime.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def presence_hours(starts_on: datetime.date, ends_on: datetime.date, weekly_hours: Decimal) -> Decimal:
    """Hours of presence, as the law counts them: the weekly hours spread over the five
    working days of each week (35 h a week for 10 weeks = 350 h)."""
    hours = Decimal(weekdays_between(starts_on, ends_on)) * Decimal(weekly_hours) / Decimal(5)
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# What the rules read of each agreement an agreement is weighed against.
NEIGHBOUR_FIELDS = (
    "student_id",
    "company_id",
    "academic_year_id",
    "academic_tutor_id",
    "company_tutor_id",
    "status",
    "starts_on",
    "ends_on",
    "weekly_hours",
)


def is_neighbour(row: tuple[Any, ...], internship: Internship) -> bool:
    """Whether an agreement (its NEIGHBOUR_FIELDS) is one `_neighbours` selects for
    `internship`, for agreements held in memory: the same condition, in Python."""
    student, company, year, academic_tutor, company_tutor, status, starts_on, ends_on, _hours = row
    if (student, company, year) == (
        internship.student_id,
        internship.company_id,
        internship.academic_year_id,
    ) and status in COUNTING_STATUSES:
        return True
    if not (starts_on <= internship.ends_on and ends_on >= internship.starts_on):
        return False
    if (
        internship.academic_tutor_id is not None
        and academic_tutor == internship.academic_tutor_id
        and status in COUNTING_STATUSES
    ):
        return True
    return (
        internship.company_tutor_id is not None
        and company_tutor == internship.company_tutor_id
        and status in TUTORED_STATUSES
    )


def _neighbours(internship: Internship) -> list[tuple[Any, ...]]:
    """The other agreements the rules weigh this one against, in one query: the student's
    agreements with the same host in the same academic year (their hours add up), and those
    of its two tutors whose dates overlap it (their quotas). An agreement and its amendment
    are one agreement: neither counts against the other."""
    wanted = Q(
        student_id=internship.student_id,
        company_id=internship.company_id,
        academic_year_id=internship.academic_year_id,
        status__in=COUNTING_STATUSES,
    )
    overlapping = Q(starts_on__lte=internship.ends_on, ends_on__gte=internship.starts_on)
    if internship.academic_tutor_id is not None:
        wanted |= overlapping & Q(academic_tutor_id=internship.academic_tutor_id, status__in=COUNTING_STATUSES)
    if internship.company_tutor_id is not None:
        wanted |= overlapping & Q(company_tutor_id=internship.company_tutor_id, status__in=TUTORED_STATUSES)
    return list(
        Internship.objects.filter(wanted)
        .exclude(pk=internship.pk or 0)
        .exclude(pk=internship.amends_id or 0)  # the amendment replaces it
        .exclude(amends_id=internship.pk or 0)  # and is not a second agreement
        .values_list(*NEIGHBOUR_FIELDS)
    )


def most_at_once(
    periods: list[tuple[datetime.date, datetime.date]], starts_on: datetime.date, ends_on: datetime.date
) -> int:
    """The largest number of `periods` under way on one day between `starts_on` and `ends_on`:
    a tutor's quota counts interns followed at the same time, not over the whole period."""
    events: list[tuple[datetime.date, int]] = []
    for start, end in periods:
        events.append((max(start, starts_on), 1))
        events.append((min(end, ends_on) + datetime.timedelta(days=1), -1))
    running = highest = 0
    for _day, change in sorted(events, key=lambda event: (event[0], event[1])):  # ends before starts
        running += change
        highest = max(highest, running)
    return highest


def _same_host_hours(internship: Internship, neighbours: list[tuple[Any, ...]]) -> Decimal:
    """Hours of presence of the student's other agreements with the same host this year."""
    return sum(
        (
            presence_hours(start, end, weekly_hours)
            for student, company, year, _academic, _company, status, start, end, weekly_hours in neighbours
            if (student, company, year) == (internship.student_id, internship.company_id, internship.academic_year_id)
            and status in COUNTING_STATUSES
        ),
        Decimal(0),
    )


def _tutors_at_once(internship: Internship, neighbours: list[tuple[Any, ...]]) -> tuple[int, int]:
    """How many other interns its academic tutor and its company tutor each follow at once,
    at the busiest day of this internship (only internships whose dates overlap it count)."""
    overlapping = [row for row in neighbours if row[6] <= internship.ends_on and row[7] >= internship.starts_on]
    academic = [
        (start, end)
        for _student, _company, _year, tutor, _ctutor, status, start, end, _hours in overlapping
        if tutor is not None and tutor == internship.academic_tutor_id and status in COUNTING_STATUSES
    ]
    company = [
        (start, end)
        for _student, _company, _year, _atutor, tutor, status, start, end, _hours in overlapping
        if tutor is not None and tutor == internship.company_tutor_id and status in TUTORED_STATUSES
    ]
    return (
        most_at_once(academic, internship.starts_on, internship.ends_on),
        most_at_once(company, internship.starts_on, internship.ends_on),
    )


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def tutor_quota(tutor_id: int) -> int | None:
    """The teacher's own limit of interns at once, when the board set one."""
    return TutorQuota.objects.filter(tutor_id=tutor_id).values_list("max_interns", flat=True).first()


def check_agreement(
    internship: Internship,
    *,
    on: datetime.date | None = None,
    neighbours: list[tuple[Any, ...]] | None = None,
    figures: Callable[[datetime.date], dict[str, Decimal]] = figures_on,
    quota_of: Callable[[int], int | None] = tutor_quota,
) -> Errors:
    """Every rule the agreement breaks, by field. Empty when it may be signed.

    What the rules read comes from the database unless given: the agreements it is weighed
    against (as `_neighbours` selects them), the figures in force on a day and a teacher's
    quota; many agreements checked at once (an import) give them from what was loaded once."""
    errors: Errors = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    day = on or internship.signature_date or clock.today()
    year = internship.academic_year
    if internship.starts_on < year.starts_on or internship.ends_on > year.ends_on:
        refuse(
            "starts_on" if internship.starts_on < year.starts_on else "ends_on",
            _("The internship must take place within the academic year %(year)s (%(start)s to %(end)s).")
            % {"year": year.label, "start": year.starts_on.isoformat(), "end": year.ends_on.isoformat()},
        )

    if neighbours is None:
        neighbours = _neighbours(internship)
    own_hours = presence_hours(internship.starts_on, internship.ends_on, internship.weekly_hours)
    total_hours = own_hours + _same_host_hours(internship, neighbours)
    in_force = figures(day)
    try:
        maximum = in_force[LegalFigureKey.MAX_HOURS_SAME_HOST]
        threshold = in_force[LegalFigureKey.GRATIFICATION_THRESHOLD_HOURS]
        minimum_rate = in_force[LegalFigureKey.MIN_HOURLY_GRATIFICATION]
        company_tutor_quota = in_force[LegalFigureKey.COMPANY_TUTOR_QUOTA]
    except KeyError as missing:
        refuse(
            "__all__",
            _("No value of “%(figure)s” is in force on %(date)s: the internship office must record it.")
            % {"figure": LegalFigureKey(missing.args[0]).label, "date": day.isoformat()},
        )
        return errors

    if total_hours > maximum:
        refuse(
            "ends_on",
            _(
                "With %(company)s, the student would be present %(hours)s hours in %(year)s; the law allows at "
                "most %(maximum)s hours (six months) with one host per academic year (Code de l'éducation, L124-5)."
            )
            % {
                "company": internship.company,
                "hours": _hours(total_hours),
                "year": year.label,
                "maximum": _hours(maximum),
            },
        )

    if total_hours > threshold:
        rate = internship.hourly_gratification
        if rate is None or rate == 0:
            refuse(
                "hourly_gratification",
                _(
                    "The presence with this host is %(hours)s hours in the academic year, more than %(threshold)s "
                    "hours (two months): a gratification is compulsory (L124-6)."
                )
                % {"hours": _hours(total_hours), "threshold": _hours(threshold)},
            )
        elif rate < minimum_rate:
            refuse(
                "hourly_gratification",
                _(
                    "%(rate)s € per hour is below the legal minimum of %(minimum)s € per hour "
                    "in force on %(date)s (D124-8)."
                )
                % {"rate": rate, "minimum": minimum_rate, "date": day.isoformat()},
            )

    academic_followed, company_followed = _tutors_at_once(internship, neighbours)
    tutor = internship.academic_tutor
    if tutor is not None:
        quota_row = quota_of(tutor.pk)
        quota = Decimal(quota_row) if quota_row is not None else None
        if quota is None:
            quota = in_force.get(LegalFigureKey.ACADEMIC_TUTOR_QUOTA)
        if quota is not None:
            followed = academic_followed
            if followed + 1 > quota:
                refuse(
                    "academic_tutor",
                    _(
                        "%(tutor)s would follow %(count)s interns at once during this internship; "
                        "their limit is %(quota)s."
                    )
                    % {"tutor": tutor, "count": followed + 1, "quota": _hours(quota)},
                )

    if internship.company_tutor_id is not None:
        followed = company_followed
        if followed + 1 > company_tutor_quota:
            refuse(
                "company_tutor",
                _(
                    "%(tutor)s would follow %(count)s interns at the same time during this internship; a company "
                    "tutor may follow at most %(quota)s (Code de l'éducation, R124-13)."
                )
                % {"tutor": internship.company_tutor, "count": followed + 1, "quota": _hours(company_tutor_quota)},
            )
    return errors
