"""Loads the ISO 9001:2015 clause numbers and titles (4 to 10.3) from the app's own data file."""

import csv
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "iso9001_2015_clauses.csv"


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    Framework = apps.get_model("standards", "Framework")
    Clause = apps.get_model("standards", "Clause")
    framework, _ = Framework.objects.get_or_create(code="ISO9001:2015", defaults={"name": "ISO 9001:2015"})
    by_number = {}
    with DATA_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = row["clause"].strip()
            parent = by_number.get(number.rsplit(".", 1)[0]) if "." in number else None
            by_number[number], _created = Clause.objects.get_or_create(
                framework=framework,
                number=number,
                defaults={
                    "title_en": row["title_en"].strip(),
                    "title_fr": row["title_fr"].strip(),
                    "parent": parent,
                    "sort_key": ".".join(part.zfill(3) for part in number.split(".")),
                },
            )


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("standards", "Framework").objects.filter(code="ISO9001:2015").delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
