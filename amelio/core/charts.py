"""Line charts drawn by the application as SVG (no script, no image library): the geometry
is computed here and drawn by one template, `core/_line_chart.html`, so the same picture
shows on the page, in print and later in a PDF.

`line_chart(x_labels=[...], series=[(label, values)], references=[(label, values)])` places
each series (a value or None per label; consecutive values are joined) and each reference
line (a target, a threshold: dashed, drawn as steps from one label to the next) on a y-axis
that fits every value with round ticks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats

WIDTH = 720
MARGIN_LEFT = 64
MARGIN_RIGHT = 24
MARGIN_TOP = 20
PLOT_HEIGHT = 220
AXIS_LABELS = 36  # the x labels under the plot
LEGEND_LINE = 20  # one legend line per series and reference

# Distinguishable without colour too (each series has its own dash).
SERIES_STYLES = [
    ("#1f6feb", ""),
    ("#b35900", "6 3"),
    ("#2d8a3e", "2 3"),
    ("#8250df", "10 3 2 3"),
    ("#cf222e", "4 4"),
    ("#1b7c83", "1 2"),
]
REFERENCE_STYLES = [("#198754", "8 4"), ("#dc3545", "3 3")]

Number = Decimal | float | int


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: float


@dataclass(frozen=True)
class Tick:
    x: float  # where its grid line is, or where its label is centred
    y: float
    label: str

    @property
    def label_x(self) -> float:
        return self.x - 8

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass
class Line:
    label: str
    color: str
    dash: str
    segments: list[list[Point]]
    legend_y: float = 0.0
    is_reference: bool = False

    @property
    def points(self) -> list[Point]:
        return [point for segment in self.segments for point in segment]

    @property
    def legend_text_y(self) -> float:
        return self.legend_y + 4

    @property
    def polylines(self) -> list[str]:
        return [" ".join(f"{point.x:.1f},{point.y:.1f}" for point in segment) for segment in self.segments]


@dataclass
class LineChart:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    unit: str
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(line.segments for line in self.lines if not line.is_reference)

    @property
    def legend_x(self) -> float:
        return self.left

    @property
    def legend_line_end(self) -> float:
        return self.left + 28

    @property
    def legend_text_x(self) -> float:
        return self.left + 34


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about four intervals."""
    raw = span / 4 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _format(number: float, step: float) -> str:
    """A tick's label in the active language's number format ("0,5" in French)."""
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return formats.number_format(round(number, decimals), decimal_pos=decimals, use_l10n=True)


def line_chart(
    *,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    references: Sequence[tuple[str, Sequence[Number | None]]] = (),
    unit: str = "",
    width: int = WIDTH,
    plot_height: int = PLOT_HEIGHT,
) -> LineChart:
    """`width` and `plot_height` draw a smaller picture (a dashboard's card) with the same
    12-pixel text, so it stays readable where it is shown at its own size."""
    count = len(x_labels)
    lines_count = len(series) + len(references)
    height = MARGIN_TOP + plot_height + AXIS_LABELS + LEGEND_LINE * lines_count
    bottom = MARGIN_TOP + plot_height
    right = width - MARGIN_RIGHT
    numbers = [float(v) for _label, values in (*series, *references) for v in values if v is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    if low >= 0 and high > 0 and low < high / 2:
        low = 0.0  # a share or a count reads against zero
    if high == low:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    slot = (right - MARGIN_LEFT) / count if count else 0.0

    def x_of(index: int) -> float:
        return MARGIN_LEFT + slot * (index + 0.5)

    def y_of(number: float) -> float:
        return bottom - plot_height * (number - low) / (high - low)

    chart = LineChart(
        width=width, height=height, left=MARGIN_LEFT, right=right, top=MARGIN_TOP, bottom=bottom, unit=unit
    )
    tick = low
    while tick <= high + step / 1000:
        chart.y_ticks.append(Tick(MARGIN_LEFT, y_of(tick), _format(tick, step)))
        tick += step
    chart.x_ticks = [Tick(x_of(index), bottom + 20, label) for index, label in enumerate(x_labels)]

    def segments_of(values: Sequence[Number | None], *, steps: bool) -> list[list[Point]]:
        segments: list[list[Point]] = []
        current: list[Point] = []
        for index, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            y = y_of(float(value))
            if steps:
                # A yearly target holds over its whole slot.
                half = slot / 2
                current += [
                    Point(x_of(index) - half, y, x_labels[index], float(value)),
                    Point(x_of(index) + half, y, x_labels[index], float(value)),
                ]
            else:
                current.append(Point(x_of(index), y, x_labels[index], float(value)))
        if current:
            segments.append(current)
        return segments

    legend_top = bottom + AXIS_LABELS + LEGEND_LINE / 2
    for position, (label, values) in enumerate(series):
        color, dash = SERIES_STYLES[position % len(SERIES_STYLES)]
        chart.lines.append(
            Line(label, color, dash, segments_of(values, steps=False), legend_top + LEGEND_LINE * position)
        )
    for position, (label, values) in enumerate(references):
        color, dash = REFERENCE_STYLES[position % len(REFERENCE_STYLES)]
        chart.lines.append(
            Line(
                label,
                color,
                dash,
                segments_of(values, steps=True),
                legend_top + LEGEND_LINE * (len(series) + position),
                is_reference=True,
            )
        )
    return chart


# --- Horizontal bar charts (a distribution: one bar per answer level) ------------------------

BAR_HEIGHT = 22
BAR_GAP = 6
BAR_LABEL_WIDTH = 230
BAR_WIDTH = 420
BAR_VALUE_WIDTH = 120


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what is written at the end of the bar ("12 (40 %)")
    y: float
    width: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 4

    @property
    def value_x(self) -> float:
        return BAR_LABEL_WIDTH + self.width + 6


@dataclass
class BarChart:
    bars: list[Bar]
    width: int = BAR_LABEL_WIDTH + BAR_WIDTH + BAR_VALUE_WIDTH
    height: float = 0
    label_x: int = BAR_LABEL_WIDTH - 8
    plot_x: int = BAR_LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    # A Pareto chart's cumulative share, one point per bar (x over the plot's width at 100 %).
    cumulative: list[tuple[float, float]] = field(default_factory=list)
    cumulative_label: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def cumulative_polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.cumulative)

    @property
    def plot_end(self) -> int:
        return BAR_LABEL_WIDTH + BAR_WIDTH

    @property
    def bars_bottom(self) -> float:
        return len(self.bars) * (BAR_HEIGHT + BAR_GAP)

    @property
    def legend_y(self) -> float:
        return self.height - 8

    @property
    def legend_line_end(self) -> int:
        return BAR_LABEL_WIDTH + 28

    @property
    def legend_text_x(self) -> int:
        return BAR_LABEL_WIDTH + 34

    @property
    def legend_text_y(self) -> float:
        return self.legend_y + 4


def bar_chart(bars: Sequence[tuple[str, Number, str]], *, maximum: Number | None = None) -> BarChart:
    """Horizontal bars, one per (label, value, text), scaled to the largest value, or to
    `maximum` when the values have a ceiling of their own (the top of a scale); drawn by
    `core/_bar_chart.html`."""
    largest = float(maximum) if maximum else max((float(value) for _label, value, _text in bars), default=0.0) or 1.0
    placed = [
        Bar(
            label=label if len(label) <= 34 else label[:33] + "…",
            value=float(value),
            text=text,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=round(BAR_WIDTH * float(value) / largest, 1),
        )
        for index, (label, value, text) in enumerate(bars)
    ]
    return BarChart(bars=placed, height=len(placed) * (BAR_HEIGHT + BAR_GAP))


def pareto_chart(
    bars: Sequence[tuple[str, Number, str]],
    *,
    cumulative_label: str,
    rest: tuple[str, Number, str] | None = None,
) -> BarChart:
    """A Pareto chart: the bars from the largest down, and a line through each bar's
    cumulative share of the whole (its x at the share of the plot's width), so the few
    causes making most of the whole stand out. `bars` are (label, value, text); the text
    is written at the bar's end as given; `rest`, the bar gathering the smaller ones, comes
    last whatever its size."""
    ordered = sorted(bars, key=lambda bar: -float(bar[1])) + ([rest] if rest else [])
    chart = bar_chart(ordered)
    whole = sum(float(value) for _label, value, _text in ordered)
    running = 0.0
    for bar in chart.bars:
        running += bar.value
        share = running / whole if whole else 0.0
        chart.cumulative.append((BAR_LABEL_WIDTH + BAR_WIDTH * share, bar.y + BAR_HEIGHT / 2))
    chart.cumulative_label = cumulative_label
    if chart.bars:
        chart.height += 20  # the legend of the cumulative line
    return chart


# --- A figure: a chart with its numbers as a table --------------------------------------------


@dataclass
class Figure:
    """One chart of a figures page with the numbers it draws, drawn by `core/_figure.html`:
    the chart, then its table (folded under the chart on screen, printed in the PDF), so a
    screen reader, a copy-paste or a reader of the PDF gets the numbers as text."""

    key: str
    title: str
    chart: LineChart | BarChart
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""

    @property
    def is_line(self) -> bool:
        return isinstance(self.chart, LineChart)

    @property
    def is_empty(self) -> bool:
        return self.chart.is_empty
