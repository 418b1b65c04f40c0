from django.conf import settings
from django.db import migrations, models

import amelio.core.constraints


class Migration(migrations.Migration):
    # The same SQL as before: only the message shown and the field it is shown next to
    # change, so the constraints are swapped in the migration state, not in the database.

    dependencies = [
        ("organisation", "0003_constraint_messages"),
        ("partners", "0002_agreement_termination_teaching_volume"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="company",
            name="unique_company_siret",
            constraint=amelio.core.constraints.UniqueConstraint(
                condition=models.Q(models.Q(("siret", ""), _negated=True), ("merged_into__isnull", True)),
                field="siret",
                fields=("siret",),
                name="unique_company_siret",
                violation_error_message="Another company already has this SIRET number.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="partnershipagreement",
            name="agreement_ends_after_start",
            constraint=amelio.core.constraints.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                field="ends_on",
                name="agreement_ends_after_start",
                violation_error_message="The agreement cannot end before it starts.",
            ),
        ),
    ]
