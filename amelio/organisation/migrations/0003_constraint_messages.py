from django.db import migrations, models

import amelio.core.constraints


class Migration(migrations.Migration):
    # The same SQL as before: only the message shown and the field it is shown next to
    # change, so the constraints are swapped in the migration state, not in the database.

    dependencies = [
        ("organisation", "0002_initial"),
        ("processes", "0002_constraint_messages"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="academicyear",
            name="academic_year_ends_after_start",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(("ends_on__gt", models.F("starts_on"))),
                field="ends_on",
                name="academic_year_ends_after_start",
                violation_error_message="The end date must come after the start date.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="academicyear",
            name="one_current_academic_year",
            constraint=amelio.core.constraints.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                field="is_current",
                fields=("is_current",),
                name="one_current_academic_year",
                violation_error_message="Another academic year is already the current one.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="roleassignment",
            name="role_scope_matches_target",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(
                    models.Q(("department__isnull", True), ("process__isnull", True), ("scope_kind", "school")),
                    models.Q(("department__isnull", False), ("process__isnull", True), ("scope_kind", "department")),
                    models.Q(("department__isnull", True), ("process__isnull", False), ("scope_kind", "process")),
                    _connector="OR",
                ),
                name="role_scope_matches_target",
                violation_error_message="A role for the whole school has no department or process; a department role names its department, a process role its process.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="roleassignment",
            name="unique_role_school_scope",
            constraint=amelio.core.constraints.UniqueConstraint(
                condition=models.Q(("scope_kind", "school")),
                fields=("person", "role"),
                name="unique_role_school_scope",
                violation_error_message="This person already has this role for the whole school.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="roleassignment",
            name="unique_role_department_scope",
            constraint=amelio.core.constraints.UniqueConstraint(
                condition=models.Q(("scope_kind", "department")),
                fields=("person", "role", "department"),
                name="unique_role_department_scope",
                violation_error_message="This person already has this role in this department.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="roleassignment",
            name="unique_role_process_scope",
            constraint=amelio.core.constraints.UniqueConstraint(
                condition=models.Q(("scope_kind", "process")),
                fields=("person", "role", "process"),
                name="unique_role_process_scope",
                violation_error_message="This person already has this role for this process.",
            ),
        ),
    ]
