from django.conf import settings
from django.db import migrations, models

import amelio.core.constraints


class Migration(migrations.Migration):
    # The same SQL as before: only the message shown and the field it is shown next to
    # change, so the constraints are swapped in the migration state, not in the database.

    dependencies = [
        ("improvement", "0004_counters_moved_to_core"),
        ("organisation", "0003_constraint_messages"),
        ("processes", "0002_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="action",
            name="cancelled_action_has_reason",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    models.Q(("cancellation_reason", ""), _negated=True),
                    _connector="OR",
                ),
                field="cancellation_reason",
                name="cancelled_action_has_reason",
                violation_error_message="Say why the action is cancelled.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="attachment",
            name="attachment_has_one_owner",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(
                    models.Q(("action__isnull", True), ("item__isnull", False)),
                    models.Q(("action__isnull", False), ("item__isnull", True)),
                    _connector="OR",
                ),
                name="attachment_has_one_owner",
                violation_error_message="A file is attached to one item or to one action.",
            ),
        ),
    ]
