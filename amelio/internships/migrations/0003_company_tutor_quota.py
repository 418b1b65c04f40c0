"""R124-13 of the Code de l'éducation: a company tutor may not follow more than three interns at
the same time. A dated figure, like the others, so the school records a change as a new row."""

import datetime
from decimal import Decimal

from django.db import migrations, models


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("internships", "LegalFigure").objects.get_or_create(
        key="company_tutor_quota",
        valid_from=datetime.date(2015, 1, 1),
        defaults={"value": Decimal("3"), "source": "R124-13: at most three interns at the same time"},
    )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("internships", "LegalFigure").objects.filter(key="company_tutor_quota").delete()


class Migration(migrations.Migration):
    dependencies = [("internships", "0002_legal_figures")]
    operations = [
        migrations.AlterField(
            model_name="legalfigure",
            name="key",
            field=models.CharField(
                choices=[
                    ("min_hourly_gratification", "minimum hourly gratification (€)"),
                    ("gratification_threshold_hours", "presence above which gratification is due (hours)"),
                    ("max_hours_same_host", "maximum presence with one host per academic year (hours)"),
                    ("academic_tutor_quota", "interns followed at once by an academic tutor"),
                    ("company_tutor_quota", "interns followed at once by a company tutor"),
                ],
                max_length=40,
                verbose_name="figure",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
