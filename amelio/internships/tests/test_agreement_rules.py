"""Every rule of a French internship agreement, with the message it gives."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amelio.internships import services
from amelio.internships.agreement_rules import check_agreement, figure, presence_hours, weekdays_between
from amelio.internships.choices import LegalFigureKey
from amelio.internships.models import Internship, LegalFigure, TutorQuota
from amelio.internships.tests.factories import CompanyFactory, agreement_data

pytestmark = pytest.mark.django_db


def test_presence_is_counted_as_the_law_does() -> None:
    # 35 hours a week for 10 weeks = 350 hours (the reference example).
    start = datetime.date(2027, 4, 5)  # a Monday
    assert weekdays_between(start, start + datetime.timedelta(weeks=10, days=-3)) == 50
    assert presence_hours(start, start + datetime.timedelta(weeks=10, days=-3), Decimal("35")) == Decimal("350")
    assert presence_hours(start, start, Decimal("35")) == Decimal("7")
    assert weekdays_between(datetime.date(2027, 4, 10), datetime.date(2027, 4, 11)) == 0  # a weekend


def test_figures_are_read_for_the_day_that_matters() -> None:
    assert figure(LegalFigureKey.MIN_HOURLY_GRATIFICATION, datetime.date(2023, 6, 1)) == Decimal("4.05")
    assert figure(LegalFigureKey.MIN_HOURLY_GRATIFICATION, datetime.date(2025, 6, 1)) == Decimal("4.35")
    LegalFigure.objects.filter(key=LegalFigureKey.MIN_HOURLY_GRATIFICATION, valid_until__isnull=True).update(
        valid_until=datetime.date(2026, 12, 31)
    )
    LegalFigure.objects.create(
        key=LegalFigureKey.MIN_HOURLY_GRATIFICATION, value=Decimal("4.50"), valid_from=datetime.date(2027, 1, 1)
    )
    assert figure(LegalFigureKey.MIN_HOURLY_GRATIFICATION, datetime.date(2027, 3, 1)) == Decimal("4.50")


def test_a_lawful_agreement_passes(school: dict[str, Any]) -> None:
    internship = services.internship_create(actor=school["student"], data=agreement_data(school))
    assert internship.reference.startswith("ST-2027-")
    assert check_agreement(internship) == {}


def test_gratification_is_compulsory_beyond_two_months(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["student"], data=agreement_data(school, hourly_gratification=None))
    message = error.value.message_dict["hourly_gratification"][0]
    assert "350 hours" in message and "308 hours" in message and "L124-6" in message
    assert not Internship.objects.exists()


def test_no_gratification_needed_for_eight_weeks(school: dict[str, Any]) -> None:
    data = agreement_data(school, ends_on=datetime.date(2027, 5, 28), hourly_gratification=None)  # 40 days = 280 h
    assert services.internship_create(actor=school["student"], data=data).hourly_gratification is None


def test_gratification_below_the_minimum_in_force(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.internship_create(
            actor=school["student"], data=agreement_data(school, hourly_gratification=Decimal("4.00"))
        )
    message = error.value.message_dict["hourly_gratification"][0]
    assert "4.00" in message and "4.35" in message and "D124-8" in message


def test_more_than_six_months_with_the_same_host_in_a_year(school: dict[str, Any]) -> None:
    company = CompanyFactory()
    first = agreement_data(
        school, company=company, starts_on=datetime.date(2026, 9, 7), ends_on=datetime.date(2027, 1, 29)
    )  # 21 weeks = 735 h
    services.internship_create(actor=school["office"], data=first)
    second = agreement_data(
        school, company=company, starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 4, 30)
    )  # 9 weeks = 315 h, 1,050 h in all
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data=second)
    message = error.value.message_dict["ends_on"][0]
    assert "1050 hours" in message and "924 hours" in message and "L124-5" in message
    assert Internship.objects.count() == 1
    # With another host, the same dates are lawful.
    other = CompanyFactory()
    services.internship_create(
        actor=school["office"],
        data=agreement_data(school, company=other, starts_on=second["starts_on"], ends_on=second["ends_on"]),
    )


def test_dates_outside_the_academic_year(school: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.internship_create(
            actor=school["student"],
            data=agreement_data(school, starts_on=datetime.date(2027, 8, 2), ends_on=datetime.date(2027, 9, 24)),
        )
    assert "within the academic year 2026-2027" in error.value.message_dict["ends_on"][0]


def test_academic_tutor_over_their_quota(school: dict[str, Any]) -> None:
    TutorQuota.objects.create(tutor=school["teacher"], max_interns=1)
    services.internship_create(actor=school["office"], data=agreement_data(school))
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data=agreement_data(school, company=CompanyFactory()))
    assert "would follow 2 interns at once" in error.value.message_dict["academic_tutor"][0]
    # Outside the period of the first internship, the tutor is free again.
    later = agreement_data(
        school, company=CompanyFactory(), starts_on=datetime.date(2027, 6, 14), ends_on=datetime.date(2027, 7, 30)
    )
    services.internship_create(actor=school["office"], data=later)


def test_parties_must_fit_together(school: dict[str, Any]) -> None:
    data = agreement_data(school)
    other_tutor = agreement_data(school)["company_tutor"]  # of another company
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data={**data, "company_tutor": other_tutor})
    assert "company_tutor" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data={**data, "academic_tutor": school["director"]})
    assert "academic_tutor" in error.value.message_dict


def test_the_tutor_quota_counts_interns_followed_at_the_same_time() -> None:
    from amelio.internships.agreement_rules import most_at_once

    day = datetime.date
    start, end = day(2027, 1, 4), day(2027, 6, 25)
    # Two successive groups of two: never more than two at once.
    periods = [(day(2027, 1, 4), day(2027, 2, 26))] * 2 + [(day(2027, 3, 1), day(2027, 4, 30))] * 2
    assert most_at_once(periods, start, end) == 2
    # One ending the day another starts: they overlap on that day.
    assert most_at_once([(day(2027, 1, 4), day(2027, 3, 1)), (day(2027, 3, 1), day(2027, 5, 1))], start, end) == 2
    assert most_at_once([], start, end) == 0


def _tutored(school: dict[str, Any], tutor: Any, **changes: Any) -> dict[str, Any]:
    """An agreement of a new student followed by `tutor` (no academic tutor, so only the
    company tutor's limit is at stake)."""
    from amelio.organisation.tests.factories import PersonFactory

    student = PersonFactory(kind="student")
    return agreement_data(
        school, student=student, company=tutor.company, company_tutor=tutor, academic_tutor=None, **changes
    )


def test_a_company_tutor_follows_at_most_three_interns_at_once(school: dict[str, Any]) -> None:
    from amelio.internships.tests.factories import ContactFactory

    tutor = ContactFactory()
    for _number in range(3):  # the third is accepted
        services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    message = error.value.message_dict["company_tutor"][0]
    assert "would follow 4 interns at the same time" in message
    assert "at most 3" in message and "R124-13" in message
    assert Internship.objects.filter(company_tutor=tutor).count() == 3


def test_the_company_tutor_limit_counts_overlapping_dates_only(school: dict[str, Any]) -> None:
    from amelio.internships.tests.factories import ContactFactory

    tutor = ContactFactory()
    for _number in range(3):
        services.internship_create(actor=school["office"], data=_tutored(school, tutor))  # April to June
    before = _tutored(school, tutor, starts_on=datetime.date(2027, 1, 4), ends_on=datetime.date(2027, 3, 12))
    after = _tutored(school, tutor, starts_on=datetime.date(2027, 6, 14), ends_on=datetime.date(2027, 8, 20))
    services.internship_create(actor=school["office"], data=before)
    services.internship_create(actor=school["office"], data=after)
    # One day of overlap is enough to be refused.
    touching = _tutored(school, tutor, starts_on=datetime.date(2027, 6, 11), ends_on=datetime.date(2027, 6, 11))
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data=touching)
    assert "company_tutor" in error.value.message_dict


@pytest.mark.parametrize("status", ["finished", "evaluated", "cancelled", "amended"])
def test_an_internship_over_or_cancelled_is_not_counted_for_the_company_tutor(
    school: dict[str, Any], status: str
) -> None:
    from amelio.internships.tests.factories import ContactFactory

    tutor = ContactFactory()
    first = services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    for _number in range(2):
        services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    Internship.objects.filter(pk=first.pk).update(status=status)  # its path is tested elsewhere
    services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    assert Internship.objects.filter(company_tutor=tutor).count() == 4


def test_the_company_tutor_limit_is_checked_on_update_and_by_the_office(school: dict[str, Any]) -> None:
    from amelio.internships.tests.factories import ContactFactory

    tutor = ContactFactory()
    for _number in range(3):
        services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    colleague = ContactFactory(company=tutor.company)
    fourth = services.internship_create(actor=school["office"], data=_tutored(school, colleague))
    with pytest.raises(ValidationError) as error:
        services.internship_update(actor=school["office"], internship=fourth, data={"company_tutor": tutor})
    assert "R124-13" in error.value.message_dict["company_tutor"][0]
    fourth.refresh_from_db()
    assert fourth.company_tutor_id == colleague.pk
    # An agreement recorded before the rule (or by an import) is stopped at the office's check.
    Internship.objects.filter(pk=fourth.pk).update(company_tutor=tutor)
    fourth.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.internship_check(actor=school["office"], internship=fourth)
    assert "R124-13" in error.value.message_dict["company_tutor"][0]
    fourth.refresh_from_db()
    assert fourth.status == "draft"


def test_the_company_tutor_limit_is_a_dated_figure_the_school_can_change(school: dict[str, Any]) -> None:
    from amelio.internships.tests.factories import ContactFactory

    # The figure in force on the day of the check counts (the agreements here are not signed yet).
    today = timezone.localdate()
    LegalFigure.objects.filter(key=LegalFigureKey.COMPANY_TUTOR_QUOTA).update(
        valid_until=today - datetime.timedelta(days=1)
    )
    LegalFigure.objects.create(key=LegalFigureKey.COMPANY_TUTOR_QUOTA, value=Decimal("1"), valid_from=today)
    tutor = ContactFactory()
    services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data=_tutored(school, tutor))
    assert "at most 1 " in error.value.message_dict["company_tutor"][0]


def test_an_agreement_is_refused_while_a_figure_is_missing(school: dict[str, Any]) -> None:
    LegalFigure.objects.filter(key=LegalFigureKey.COMPANY_TUTOR_QUOTA).delete()
    with pytest.raises(ValidationError) as error:
        services.internship_create(actor=school["office"], data=agreement_data(school))
    message = error.value.message_dict["__all__"][0]
    assert "interns followed at once by a company tutor" in message and "must record it" in message
    assert not Internship.objects.exists()
