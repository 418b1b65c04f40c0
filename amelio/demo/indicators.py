"""The demo school's indicators: their definitions and targets (scenario data in
amelio/indicators/demo/indicators.toml), then every value computed from the demo's own
records, through the indicators services only. A value beyond its alert threshold raises its
improvement item there, as it would in a real school."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from amelio.indicators import services
from amelio.indicators.choices import PeriodKind, Source
from amelio.organisation.models import AcademicYear, Person, Programme
from amelio.partners import services as partner_services
from amelio.processes.models import Process

from . import data

DEMO_DOMAIN = "amelio-demo.fr"


def build_indicator_demo(*, stdout: Any = None) -> int:
    """Returns the number of values written."""
    # The oldest academic year of the demo precedes its records: it has no figures to show.
    years = list(AcademicYear.objects.order_by("starts_on"))[1:]
    scenario = data.load("indicators", "indicators")
    # The programmes' teaching volumes, which the share of teaching by professionals reads.
    for programme in Programme.objects.filter(is_active=True).order_by("code"):
        for year in years:
            partner_services.teaching_volume_set(
                actor=None,
                programme=programme,
                academic_year=year,
                total_hours=Decimal(scenario["programme_teaching_hours"]),
            )
    for entry in scenario["indicator"]:
        indicator = services.indicator_create(
            actor=None,
            data={
                "code": entry["code"],
                "name": entry["name"],
                "description": entry["description"],
                "purpose": entry["purpose"],
                "process": Process.objects.get(code=entry["process"]),
                "scope_kind": entry["scope_kind"],
                "period_kind": entry.get("period_kind", PeriodKind.ACADEMIC_YEAR),
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
