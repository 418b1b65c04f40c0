"""Loads Qualiopi (the national quality framework for training providers): its 7 criteria and
32 indicators, from the app's own data files (see data/README.md), and marks ISO 9001:2015 and
Qualiopi as published data the school does not edit."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
CODE = "QUALIOPI"


def _rows(name):  # type: ignore[no-untyped-def]
    with (DATA / name).open(encoding="utf-8") as handle:
        return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Framework = apps.get_model("standards", "Framework")
    Clause = apps.get_model("standards", "Clause")
    Framework.objects.filter(code="ISO9001:2015").update(is_published_data=True)
    framework, _created = Framework.objects.get_or_create(
        code=CODE,
        defaults={
            "name": "Qualiopi",
            "description": (
                "Référentiel national qualité des prestataires de formation (Code du travail R6316-1), "
                "guide de lecture V9 du 8 janvier 2024 : 7 critères, 32 indicateurs ; "
                "un CFA est audité sur les 32. Intitulés abrégés, non officiels."
            ),
            "is_published_data": True,
        },
    )
    criteria = {}
    for position, row in enumerate(_rows("qualiopi_criteria.csv"), start=1):
        criteria[row["criterion"]], _created = Clause.objects.get_or_create(
            framework=framework,
            number=row["criterion"],
            defaults={
                "title_en": row["title_en"],
                "title_fr": row["title_fr"],
                "sort_key": f"{position:03d}",
                "apprenticeship": "applies",
            },
        )
    for row in _rows("qualiopi_indicators.csv"):
        criterion = criteria[row["criterion"]]
        Clause.objects.get_or_create(
            framework=framework,
            number=row["number"],
            defaults={
                "title_en": row["title_en"],
                "title_fr": row["title_fr"],
                "parent": criterion,
                # Indicators are numbered 1 to 32 across the criteria; they sort under theirs.
                "sort_key": f"{criterion.sort_key}.{int(row['number']):03d}",
                "applicability": row["applicability"],
                "apprenticeship": row["apprenticeship"],
                "major_only": row["major_only"] == "1",
            },
        )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("standards", "Framework").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0003_frameworks_mappings_evidence")]
    operations = [migrations.RunPython(load, unload)]
