"""The hand-drawn charts: a Pareto chart's order and cumulative line, ticks in the
reader's number format, and a figure drawn with its numbers as a table."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from amelio.core.charts import BAR_LABEL_WIDTH, BAR_WIDTH, Figure, bar_chart, line_chart, pareto_chart


def test_pareto_orders_bars_keeps_the_rest_last_and_climbs_to_the_whole() -> None:
    chart = pareto_chart(
        [("small", 1, "1"), ("large", 6, "6"), ("middle", 2, "2")],
        rest=("others", 3, "3"),
        cumulative_label="cumulative",
    )
    assert [bar.label for bar in chart.bars] == ["large", "middle", "small", "others"]
    xs = [x for x, _y in chart.cumulative]
    assert xs == sorted(xs)
    assert xs[0] == BAR_LABEL_WIDTH + BAR_WIDTH * 6 / 12
    assert xs[-1] == BAR_LABEL_WIDTH + BAR_WIDTH  # the whole at the end of the plot
    svg = render_to_string("core/_bar_chart.html", {"chart": chart, "chart_title": "t"})
    assert "<polyline" in svg and "cumulative" in svg


def test_a_plain_bar_chart_has_no_cumulative_line() -> None:
    svg = render_to_string("core/_bar_chart.html", {"chart": bar_chart([("a", 2, "2")]), "chart_title": "t"})
    assert "<polyline" not in svg


def test_ticks_follow_the_language_number_format() -> None:
    with translation.override("fr"):
        chart = line_chart(x_labels=["a", "b"], series=[("s", [0.1, 0.35])])
    assert [tick.label for tick in chart.y_ticks][:2] == ["0,0", "0,1"]
    with translation.override("en"):
        chart = line_chart(x_labels=["a", "b"], series=[("s", [0.1, 0.35])])
    assert [tick.label for tick in chart.y_ticks][:2] == ["0.0", "0.1"]


def test_figure_shows_its_table_folded_on_screen_and_plain_on_paper() -> None:
    figure = Figure(
        key="k", title="Title", chart=bar_chart([("a", 2, "2")]), header=["Label", "Count"], rows=[("a", 2)]
    )
    screen = render_to_string("core/_figure.html", {"figure": figure})
    paper = render_to_string("core/_figure.html", {"figure": figure, "for_print": True})
    assert "<details" in screen and "<table" in screen
    assert "<details" not in paper and "<table" in paper
    assert "<title>" in screen and "<title>" not in paper  # no tooltips on paper
