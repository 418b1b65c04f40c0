"""The demo school's indicators: their definitions and targets (scenario data in
amelio/indicators/demo/indicators.toml); the values of those entered by hand, typed in by
their owner or the quality manager with the source file where there is one; then, once at the
end, every value of the computed ones from the demo's own records — all through the indicators
services only. A value beyond its alert threshold raises its improvement item there, as it
would in a real school."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amelio.indicators import services
from amelio.indicators.choices import PeriodKind, Source
from amelio.indicators.computed import IndicatorScope
from amelio.indicators.models import Indicator
from amelio.organisation.models import AcademicYear, Person, Programme
from amelio.partners import services as partner_services
from amelio.processes.models import Process

from . import data, past

DEMO_DOMAIN = "amelio-demo.fr"


def build_indicator_demo(*, stdout: Any = None) -> int:
    """Returns the number of values written."""
    # The oldest academic year of the demo precedes its records: it has no figures to show.
    years = list(AcademicYear.objects.order_by("starts_on"))[1:]
    entered = 0
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
                "source": entry.get("source", Source.COMPUTED),
                "computation": entry.get("computation", ""),
                "is_published": entry.get("published", False),
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
        if indicator.source == Source.MANUAL:
            entered += _enter_values(indicator, entry, years)
    # Once, after every definition exists: each computed value is read from the records a single time.
    written = services.indicator_recompute_all(actor=None, academic_years=years)
    if stdout is not None:
        stdout.write(
            f"indicators: {len(scenario['indicator'])} indicators, {written} values computed, {entered} entered"
        )
    return written + entered


def _enter_values(indicator: Indicator, entry: dict[str, Any], years: list[AcademicYear]) -> int:
    """Type in the figure of each year, the way its owner (or the quality manager) would once it
    is known: at the end of a past year, a few days ago for the current one. The latest figure
    carries its source file when the scenario names one."""
    clerk = Person.objects.get(email=f"{entry.get('entered_by', entry['owner'])}@{DEMO_DOMAIN}")
    today = timezone.localdate()
    figures = [(year, figure) for year, figure in zip(years, entry["values"], strict=True) if figure]
    for position, (year, figure) in enumerate(figures):
        evidence = None
        if "evidence" in entry and position == len(figures) - 1:
            content = f"indicateur;annee;valeur\n{indicator.code};{year};{figure}\n".encode()
            evidence = SimpleUploadedFile(entry["evidence"], content, content_type="text/csv")
        with past.on(min(year.starts_on + datetime.timedelta(days=300), today - datetime.timedelta(days=3)), 10):
            services.value_record(
                actor=clerk,
                indicator=indicator,
                academic_year=year,
                scope=IndicatorScope.school(),
                value=Decimal(figure),
                note=str(entry.get("note", "")),
                evidence=evidence,
            )
    return len(figures)
