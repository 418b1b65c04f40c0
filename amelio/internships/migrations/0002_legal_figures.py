"""The legal figures in force when Amelio was written (Code de l'éducation). The school
adds later values (a new hourly minimum each year) as rows; nothing is a constant in code."""

import datetime
from decimal import Decimal

from django.db import migrations

FIGURES = [
    (
        "min_hourly_gratification",
        Decimal("4.05"),
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
        "D124-8: 15 % of the hourly social-security ceiling",
    ),
    (
        "min_hourly_gratification",
        Decimal("4.35"),
        datetime.date(2024, 1, 1),
        None,
        "D124-8: 15 % of the hourly social-security ceiling (2024, 2025)",
    ),
    (
        "gratification_threshold_hours",
        Decimal("308"),
        datetime.date(2015, 1, 1),
        None,
        "L124-6, D124-6: more than two months (44 days of 7 hours)",
    ),
    (
        "max_hours_same_host",
        Decimal("924"),
        datetime.date(2015, 1, 1),
        None,
        "L124-5, D124-6: six months (132 days of 7 hours)",
    ),
    (
        "academic_tutor_quota",
        Decimal("24"),
        datetime.date(2015, 1, 1),
        None,
        "D124-3: ceiling; the school's board may set less",
    ),
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    LegalFigure = apps.get_model("internships", "LegalFigure")
    for key, value, valid_from, valid_until, source in FIGURES:
        LegalFigure.objects.get_or_create(
            key=key, valid_from=valid_from, defaults={"value": value, "valid_until": valid_until, "source": source}
        )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("internships", "LegalFigure").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("internships", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
