from django.conf import settings
from django.db import migrations, models

import amelio.core.constraints


class Migration(migrations.Migration):
    # The same SQL as before: only the message shown and the field it is shown next to
    # change, so the constraints are swapped in the migration state, not in the database.

    dependencies = [
        ("internships", "0002_legal_figures"),
        ("organisation", "0003_constraint_messages"),
        ("partners", "0003_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="internship",
            name="internship_ends_after_start",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                field="ends_on",
                name="internship_ends_after_start",
                violation_error_message="The internship cannot end before it starts.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="legalfigure",
            name="legal_figure_period",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(
                    ("valid_until__isnull", True), ("valid_until__gte", models.F("valid_from")), _connector="OR"
                ),
                field="valid_until",
                name="legal_figure_period",
                violation_error_message="A figure cannot stop being valid before it starts being valid.",
            ),
        ),
    ]
