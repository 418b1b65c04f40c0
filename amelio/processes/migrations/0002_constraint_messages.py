from django.db import migrations, models

import amelio.core.constraints


class Migration(migrations.Migration):
    # The same SQL as before: only the message shown and the field it is shown next to
    # change, so the constraints are swapped in the migration state, not in the database.

    dependencies = [
        ("processes", "0001_initial"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="processinteraction",
            name="process_not_interacting_with_itself",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(("source", models.F("target")), _negated=True),
                field="target",
                name="process_not_interacting_with_itself",
                violation_error_message="A process cannot interact with itself.",
            ),
        ),
    ]
