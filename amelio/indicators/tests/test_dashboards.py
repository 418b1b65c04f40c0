"""The dashboards of indicators (school, department, process, "my indicators"): what each
one shows for a chosen academic year (its lines, lights, counts, trend against the year
before, raised items, a trend chart per indicator), who may open them, their CSV, XLSX and
PDF exports (the PDF drawn to PNG), hostile query strings, and the home card of those who
answer for indicators."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from amelio.core.models import PreparedExport
from amelio.improvement.tests.factories import ImprovementItemFactory
from amelio.indicators.choices import DashboardKind, Direction, ScopeKind
from amelio.indicators.models import Indicator, OffTargetItem
from amelio.indicators.selectors import dashboard_for
from amelio.organisation.models import AcademicYear
from amelio.organisation.tests.factories import ProgrammeFactory
from amelio.standards.tests.factories import open_access

from .factories import IndicatorFactory, target, value, year

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def measures(school: dict[str, Any]) -> dict[str, Any]:
    """Two years; per-department, per-programme and school-wide indicators of the civil
    engineering department's process, the electrical one's and the school's."""
    last, this = year(2024), year(2025)
    civil, electrical = school["civil"], school["electrical"]
    programme_civil = ProgrammeFactory(department=civil, code="GC-BTP")
    programme_electrical = ProgrammeFactory(department=electrical, code="GE-ENR")
    per_department = IndicatorFactory(
        code="IND-10",
        name="Conventions signées à temps",
        scope_kind=ScopeKind.DEPARTMENT,
        process=school["process_school"],
        owner=school["office"],
    )
    per_programme = IndicatorFactory(
        code="IND-11", name="Réussite par spécialité", scope_kind=ScopeKind.PROGRAMME, owner=school["director"]
    )
    civil_school = IndicatorFactory(
        code="IND-12", name="Projets livrés", process=school["process_civil"], owner=school["teacher"]
    )
    electrical_school = IndicatorFactory(
        code="IND-13", name="Bancs d'essai disponibles", process=school["process_electrical"], owner=school["office"]
    )
    delay = IndicatorFactory(
        code="IND-14",
        name="Délai de réponse",
        direction=Direction.LOWER_IS_BETTER,
        unit="j",
        process=school["process_school"],
        owner=school["teacher"],
    )
    for indicator in (per_department, per_programme, civil_school, electrical_school):
        target(indicator, this, "80", "60")
        target(indicator, last, "80", "60")
    target(delay, this, "30", "60")
    value(per_department, last, "70", department=civil)
    civil_value = value(per_department, this, "50", department=civil)  # alert, worse
    value(per_department, this, "90", department=electrical)
    value(per_programme, this, "65", programme=programme_civil)  # watch
    value(per_programme, this, "85", programme=programme_electrical)
    value(civil_school, last, "70")
    value(civil_school, this, "85")  # on target, better
    value(electrical_school, this, "40")
    value(delay, last, "40")
    value(delay, this, "35")  # lower is better: watch, better
    item = ImprovementItemFactory(reference="OA-2026-0001", origin="opportunity")
    OffTargetItem.objects.create(
        indicator=per_department,
        academic_year=this,
        scope_key=civil_value.scope_key,
        value=civil_value,
        item=item,
    )
    return {
        "this": this,
        "last": last,
        "per_department": per_department,
        "per_programme": per_programme,
        "civil_school": civil_school,
        "electrical_school": electrical_school,
        "delay": delay,
        "item": item,
    }


def lines_of(board: Any) -> list[tuple[str, str, str]]:
    return [(line.indicator.code, line.scope_label, line.light) for line in board.lines]


def test_the_school_dashboard_shows_every_figure(school: dict[str, Any], measures: dict[str, Any]) -> None:
    board = dashboard_for(user=school["auditor"], kind=DashboardKind.SCHOOL, academic_year=measures["this"])
    assert [(code, light) for code, _scope, light in lines_of(board)] == [
        ("IND-10", "alert"),
        ("IND-10", "on_target"),
        ("IND-11", "watch"),
        ("IND-11", "on_target"),
        ("IND-12", "on_target"),
        ("IND-13", "alert"),
        ("IND-14", "watch"),
    ]
    assert [scope for _code, scope, _light in lines_of(board)][:2] == ["Génie Civil", "Génie Électrique"]
    assert dict((light, count) for light, _label, count in board.counts) == {
        "on_target": 3,
        "watch": 2,
        "alert": 2,
        "unknown": 0,
    }
    assert [line.indicator.code for line in board.off_target] == ["IND-10", "IND-13", "IND-11", "IND-14"]
    assert len(board.trends) == 5


def test_a_department_dashboard_shows_its_figures_and_its_processes_indicators(
    school: dict[str, Any], measures: dict[str, Any]
) -> None:
    board = dashboard_for(
        user=school["auditor"], kind=DashboardKind.DEPARTMENT, subject=school["civil"], academic_year=measures["this"]
    )
    # This department's value of the per-department indicator, its programme's value, the
    # school-wide figure of its own process's indicator; nothing of the electrical side.
    assert [(code, light) for code, _scope, light in lines_of(board)] == [
        ("IND-10", "alert"),
        ("IND-11", "watch"),
        ("IND-12", "on_target"),
    ]
    assert board.lines[0].scope_label == "Génie Civil"
    assert board.lines[0].item == measures["item"]
    assert board.title == "Department dashboard: Génie Civil"
    # Each chart draws this department's figures only.
    chart = next(trend.chart for trend in board.trends if trend.indicator.code == "IND-10")
    assert [line.label for line in chart.lines] == ["Génie Civil", "Target", "Alert threshold"]
    assert [point.value for point in chart.lines[0].points] == [70.0, 50.0]


def test_a_process_dashboard_shows_the_indicators_of_the_process(
    school: dict[str, Any], measures: dict[str, Any]
) -> None:
    board = dashboard_for(
        user=school["auditor"],
        kind=DashboardKind.PROCESS,
        subject=school["process_school"],
        academic_year=measures["this"],
    )
    assert [code for code, _scope, _light in lines_of(board)] == ["IND-10", "IND-10", "IND-14"]


def test_my_indicators_are_those_i_own_and_those_of_the_department_i_head(
    school: dict[str, Any], measures: dict[str, Any]
) -> None:
    def codes(who: str) -> set[str]:
        board = dashboard_for(user=school[who], kind=DashboardKind.MINE, academic_year=measures["this"])
        return {line.indicator.code for line in board.lines}

    assert codes("teacher") == {"IND-12", "IND-14"}
    assert codes("office") == {"IND-10", "IND-13"}
    assert codes("head_electrical") == {"IND-13"}  # of the electrical department's process
    assert codes("head_civil") == {"IND-12"}
    assert codes("auditor") == set()


def test_the_trend_reads_the_direction_against_the_year_before(
    school: dict[str, Any], measures: dict[str, Any]
) -> None:
    board = dashboard_for(user=school["auditor"], kind=DashboardKind.SCHOOL, academic_year=measures["this"])
    trends = {(line.indicator.code, line.scope_label): (line.change, line.trend) for line in board.lines}
    assert trends[("IND-10", "Génie Civil")] == ("down", "worse")
    assert trends[("IND-10", "Génie Électrique")] == ("", "")  # no value the year before
    assert trends[("IND-12", "Whole school")] == ("up", "better")
    assert trends[("IND-14", "Whole school")] == ("down", "better")  # lower is better
    assert board.previous_year == measures["last"]


def test_an_indicator_without_a_value_shows_once_without_light(school: dict[str, Any]) -> None:
    academic_year = year(2025)
    IndicatorFactory(code="IND-20")
    board = dashboard_for(user=school["teacher"], kind=DashboardKind.SCHOOL, academic_year=academic_year)
    assert [(line.indicator.code, line.value, line.light) for line in board.lines] == [("IND-20", None, "unknown")]
    assert board.previous_year is None


READERS = ["quality_manager", "director", "teacher", "head_civil", "head_electrical", "auditor", "office"]


def dashboard_urls(school: dict[str, Any]) -> list[str]:
    return [
        reverse("indicators:dashboard"),
        reverse("indicators:department_dashboard", args=[school["electrical"].pk]),
        reverse("indicators:process_dashboard", args=[school["process_civil"].pk]),
        reverse("indicators:my_dashboard"),
    ]


@pytest.mark.parametrize("who", READERS)
def test_every_dashboard_is_open_to_the_staff(school: dict[str, Any], measures: dict[str, Any], who: str) -> None:
    if who == "auditor":
        # An external auditor reads the processes their open access names (standards/access.py).
        process_dashboard = reverse("indicators:process_dashboard", args=[school["process_civil"].pk])
        assert client_for(school[who]).get(process_dashboard).status_code == 404
        open_access(school[who], processes=[school["process_civil"]])
    client = client_for(school[who])
    for url in dashboard_urls(school):
        response = client.get(url, {"academic_year": measures["this"].pk})
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'data-testid="light-counts"' in page
    # A reader is offered no freezing nor recording on a dashboard.
    if who != "quality_manager":
        assert reverse("indicators:freeze_year") not in client.get(reverse("indicators:dashboard")).content.decode()


def test_a_student_opens_no_dashboard_and_a_stranger_logs_in_first(
    school: dict[str, Any], measures: dict[str, Any]
) -> None:
    client = client_for(school["student"])
    for url in dashboard_urls(school):
        assert client.get(url).status_code == 403, url
        assert client.get(url, {"export": "pdf"}).status_code == 403, url
    assert not PreparedExport.objects.exists()
    for url in dashboard_urls(school):
        response = Client().get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_a_dashboard_of_what_does_not_exist_is_not_found(school: dict[str, Any]) -> None:
    client = client_for(school["auditor"])
    assert client.get(reverse("indicators:department_dashboard", args=[999999])).status_code == 404
    assert client.get(reverse("indicators:process_dashboard", args=[999999])).status_code == 404


@pytest.mark.parametrize("hostile", ["abc", "999999", "-1", "99999999999999999999", "a\x00b", "1.5"])
def test_a_hostile_year_is_refused_on_its_field(school: dict[str, Any], hostile: str) -> None:
    year(2025)
    response = client_for(school["auditor"]).get(
        reverse("indicators:department_dashboard", args=[school["civil"].pk]),
        {"academic_year": hostile, "export": "pdf"},
    )
    assert response.status_code == 400
    if "\x00" in hostile:
        return  # refused before any view (core's robustness middleware)
    assert response.context["year_form"].errors["academic_year"]
    assert response.context["board"].lines == []


def test_an_unknown_export_shows_the_page(school: dict[str, Any], measures: dict[str, Any]) -> None:
    response = client_for(school["auditor"]).get(reverse("indicators:dashboard"), {"export": "docx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_the_page_links_the_dashboards_and_the_raised_item(school: dict[str, Any], measures: dict[str, Any]) -> None:
    this = measures["this"]
    response = client_for(school["teacher"]).get(
        reverse("indicators:department_dashboard", args=[school["civil"].pk]), {"academic_year": this.pk}
    )
    page = response.content.decode()
    assert measures["item"].get_absolute_url() in page
    for url in (
        reverse("indicators:department_dashboard", args=[school["electrical"].pk]),
        reverse("indicators:process_dashboard", args=[school["process_school"].pk]),
        reverse("indicators:my_dashboard"),
        reverse("indicators:dashboard"),
    ):
        assert f"{url}?academic_year={this.pk}" in page, url
    assert 'data-trend="worse"' in page
    assert 'data-testid="trend-' in page and 'data-reference="true"' in page
    assert 'class="table table-sm table-hover align-middle table-stack"' in page
    assert 'data-count="alert"' in page


def test_the_csv_and_xlsx_exports_hold_the_lines_formula_safe(school: dict[str, Any], measures: dict[str, Any]) -> None:
    Indicator.objects.filter(pk=measures["civil_school"].pk).update(name='=HYPERLINK("http://x")')
    client = client_for(school["auditor"])
    url = reverse("indicators:department_dashboard", args=[school["civil"].pk])
    response = client.get(url, {"academic_year": measures["this"].pk, "export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-department-GC-2025-2026-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Code", "Indicator", "Process", "Scope"]
    assert rows[0][10] == "Value of 2024-2025"
    assert rows[1] == [
        "IND-10",
        "Conventions signées à temps",
        "M-01",
        "Génie Civil",
        "2025-2026",
        "50",
        "%",
        "80",
        "60",
        "beyond the alert threshold",
        "70",
        "worse",
        "OA-2026-0001",
    ]
    assert rows[3][1] == '\'=HYPERLINK("http://x")'
    response = client.get(url, {"academic_year": measures["this"].pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[1][5] == 50 and cells[3][1] == '\'=HYPERLINK("http://x")'
    assert len(cells) == 4


def test_the_pdf_draws_the_table_and_the_charts(
    school: dict[str, Any],
    measures: dict[str, Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = client_for(school["auditor"])
    # The worker builds the PDF (run in-process here, after the request's commit) and the
    # auditor downloads it from their "My exports" page.
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("indicators:dashboard"), {"academic_year": measures["this"].pk, "export": "pdf"})
    assert asked.status_code == 302 and asked["Location"] == reverse("core:exports")
    export = PreparedExport.objects.get(requested_by=school["auditor"])
    assert export.status == "ready" and export.builder == "indicators.dashboard_pdf"
    listed = client.get(reverse("core:exports")).content.decode()
    assert reverse("core:export_download", args=[export.pk]) in listed
    response = client.get(reverse("core:export_download", args=[export.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "dashboard.pdf"
    pdf.write_bytes(content)
    # `make test` installs poppler-utils (make system-packages): the picture is always drawn.
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make system-packages` (poppler-utils)."
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(page.stat().st_size > 5_000 for page in pages)
    # Kept for a person to look at (test-results is ignored by git).
    keep = Path(__file__).resolve().parents[3] / "test-results" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for page in pages:
        shutil.copy(page, keep / f"indicators-dashboard-pdf-{page.name}")


def test_the_owner_home_card_lists_what_is_off_target(school: dict[str, Any], settings: Any) -> None:
    this = AcademicYear.objects.create(
        label="2099-2100",
        starts_on="2099-09-01",
        ends_on="2100-08-31",
        is_current=True,
    )
    mine = IndicatorFactory(code="IND-30", name="Taux de réponse", owner=school["teacher"])
    target(mine, this, "80", "60")
    value(mine, this, "50")
    fine = IndicatorFactory(code="IND-31", name="Bien parti", owner=school["teacher"])
    target(fine, this, "80", "60")
    value(fine, this, "90")
    page = client_for(school["teacher"]).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-off-target"' in page
    assert "IND-30" in page and "IND-31" not in page.split('data-testid="home-off-target"')[1].split("</div></div>")[0]
    # The head of the process's department is told too; someone else is not.
    Indicator.objects.filter(pk=mine.pk).update(process=school["process_civil"])
    assert "IND-30" in client_for(school["head_civil"]).get(reverse("core:home")).content.decode()
    for who in ("auditor", "student", "head_electrical"):
        assert 'data-testid="home-off-target"' not in client_for(school[who]).get(reverse("core:home")).content.decode()


def test_the_home_card_says_when_nothing_is_off_target(school: dict[str, Any]) -> None:
    this = AcademicYear.objects.create(label="2099-2100", starts_on="2099-09-01", ends_on="2100-08-31", is_current=True)
    fine = IndicatorFactory(code="IND-31", owner=school["teacher"])
    target(fine, this, "80", "60")
    value(fine, this, "90")
    page = client_for(school["teacher"]).get(reverse("core:home")).content.decode()
    assert "Your 1 figure is on target or not yet measured." in page


def test_the_small_chart_is_narrower_and_names_many_years_shortly(school: dict[str, Any]) -> None:
    indicator = IndicatorFactory(code="IND-40")
    years = [year(start) for start in range(2018, 2026)]
    for academic_year in years:
        target(indicator, academic_year, "80", "60")
        value(indicator, academic_year, "70")
    board = dashboard_for(user=school["auditor"], kind=DashboardKind.SCHOOL, academic_year=years[-1])
    chart = board.trends[0].chart
    assert chart.width == 420
    assert [tick.label for tick in chart.x_ticks][:2] == ["18-19", "19-20"]
    assert len(chart.lines[0].points) == 8


@pytest.fixture
def thirty(school: dict[str, Any]) -> dict[str, Any]:
    """Thirty school-wide indicators over two years; one in three is beyond its alert threshold."""
    last, this = year(2024), year(2025)
    indicators = []
    for number in range(30):
        indicator = IndicatorFactory(code=f"IND-{number:03d}", name=f"Indicateur {number}", owner=school["office"])
        target(indicator, this, "80", "60")
        value(indicator, last, "70")
        value(indicator, this, "50" if number % 3 == 0 else "90")
        indicators.append(indicator)
    return {"this": this, "indicators": indicators}


def codes_of(board: Any) -> list[str]:
    return sorted({line.indicator.code for line in board.lines})


def test_a_dashboard_shows_its_indicators_a_page_at_a_time_and_counts_them_all(
    school: dict[str, Any], thirty: dict[str, Any]
) -> None:
    def board(page: int | None, light: str = "") -> Any:
        return dashboard_for(
            user=school["auditor"],
            kind=DashboardKind.SCHOOL,
            academic_year=thirty["this"],
            page_number=page,
            light=light,
        )

    first, second, everything = board(1), board(2), board(None)
    expected_counts = {"on_target": 20, "watch": 0, "alert": 10, "unknown": 0}
    for shown in (first, second, everything):
        assert {light: count for light, _label, count in shown.counts} == expected_counts
    assert codes_of(first) == [f"IND-{number:03d}" for number in range(24)]
    assert codes_of(second) == [f"IND-{number:03d}" for number in range(24, 30)]
    assert [trend.indicator.code for trend in second.trends] == codes_of(second)
    assert len(everything.lines) == 30 and len(everything.trends) == 30 and everything.page is None
    # The year before is read for every line, the other years only for the charts shown.
    assert all(line.previous is not None for line in first.lines + second.lines)
    alert = board(1, "alert")
    assert codes_of(alert) == [f"IND-{number:03d}" for number in range(0, 30, 3)]
    assert {line.light for line in alert.lines} == {"alert"}
    assert {light: count for light, _label, count in alert.counts} == expected_counts


def test_the_dashboard_page_links_its_pages_and_lights(school: dict[str, Any], thirty: dict[str, Any]) -> None:
    client = client_for(school["auditor"])
    url = reverse("indicators:dashboard")
    page = client.get(url, {"academic_year": thirty["this"].pk}).content.decode()
    assert "Indicators 1 to 24 of 30" in page and 'href="?academic_year=' in page
    assert "IND-023" in page and "IND-024" not in page
    second = client.get(url, {"academic_year": thirty["this"].pk, "page": 2}).content.decode()
    assert "Indicators 25 to 30 of 30" in second and "IND-024" in second and "IND-023" not in second
    only_alert = client.get(url, {"academic_year": thirty["this"].pk, "light": "alert"})
    assert only_alert.context["board"].light == "alert" and len(only_alert.context["board"].lines) == 10
    assert 'data-testid="every-light"' in only_alert.content.decode()
    # The spreadsheet holds every indicator whatever page is shown.
    export = client.get(url, {"academic_year": thirty["this"].pk, "page": 2, "export": "csv"})
    assert export.content.decode("utf-8-sig").count("IND-0") == 30


@pytest.mark.parametrize(
    ("page_number", "light"), [("abc", "x"), ("-1", "<script>"), ("99999999999999999999", "alert'"), ("1.5", "")]
)
def test_a_hostile_page_or_light_shows_a_page_of_every_indicator(
    school: dict[str, Any], thirty: dict[str, Any], page_number: str, light: str
) -> None:
    response = client_for(school["auditor"]).get(
        reverse("indicators:dashboard"), {"academic_year": thirty["this"].pk, "page": page_number, "light": light}
    )
    assert response.status_code == 200
    board = response.context["board"]
    assert board.light == "" and board.page is not None and len(board.lines) in (24, 6)
    assert "<script>" not in response.content.decode().split("<main", 1)[-1]
