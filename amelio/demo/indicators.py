"""The demo school's indicators: their definitions and targets (scenario data in
amelio/indicators/demo/indicators.toml), then every value computed from the demo's own
records, through the indicators services only. A value beyond its alert threshold raises its
improvement item there, as it would in a real school."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from amelio.indicators import services
from amelio.indicators.choices import Source
from amelio.organisation.models import AcademicYear, Person
from amelio.processes.models import Process

from . import data

DEMO_DOMAIN = "amelio-demo.fr"


def build_indicator_demo(*, stdout: Any = None) -> int:
    """Returns the number of values written."""
    # The oldest academic year of the demo precedes its records: it has no figures to show.
    years = list(AcademicYear.objects.order_by("starts_on"))[1:]
    for entry in data.load("indicators", "indicators")["indicator"]:
        indicator = services.indicator_create(
            actor=None,
            data={
                "code": entry["code"],
                "name": entry["name"],
                "description": entry["description"],
                "purpose": entry["purpose"],
                "process": Process.objects.get(code=entry["process"]),
                "scope_kind": entry["scope_kind"],
                "unit": entry["unit"],
                "direction": entry["direction"],
                "owner": Person.objects.get(email=f"{entry['owner']}@{DEMO_DOMAIN}"),
                "source": Source.COMPUTED,
                "computation": entry["computation"],
            },
        )
        for year in years:
            services.target_set(
                actor=None,
                indicator=indicator,
                academic_year=year,
                target=Decimal(entry["target"]),
                alert_threshold=Decimal(entry["alert_threshold"]),
            )
    written = services.indicator_recompute_all(actor=None, academic_years=years)
    if stdout is not None:
        stdout.write(f"indicators: {written} values computed")
    return written
