"""Lays out the process map as SVG geometry: three bands (management on top, realisation
in the middle, support below, as ISO process maps are usually drawn), boxes in rows, and
an arrow for each interaction from edge to edge. The page and its printout show the same
SVG, drawn by the application itself (no system binary, no script)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import ProcessKind

BOX_WIDTH = 190
BOX_HEIGHT = 64
GAP_X = 40
GAP_Y = 36
BAND_PADDING = 36
BAND_TITLE = 26
MAX_COLUMNS = 6
BAND_ORDER = [ProcessKind.MANAGEMENT, ProcessKind.REALISATION, ProcessKind.SUPPORT]
BAND_TITLES = {
    ProcessKind.MANAGEMENT: _("Management processes"),
    ProcessKind.REALISATION: _("Realisation processes"),
    ProcessKind.SUPPORT: _("Support processes"),
}


@dataclass
class Box:
    process: Any
    x: float
    y: float
    lines: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def code_position(self) -> tuple[float, float]:
        return self.x + 10, self.y + 18

    @property
    def center(self) -> tuple[float, float]:
        return self.x + BOX_WIDTH / 2, self.y + BOX_HEIGHT / 2

    def edge_point(self, towards: tuple[float, float]) -> tuple[float, float]:
        """Where the line from the centre towards `towards` leaves the box."""
        cx, cy = self.center
        dx, dy = towards[0] - cx, towards[1] - cy
        if dx == 0 and dy == 0:
            return cx, cy
        scale_x = (BOX_WIDTH / 2) / abs(dx) if dx else float("inf")
        scale_y = (BOX_HEIGHT / 2) / abs(dy) if dy else float("inf")
        scale = min(scale_x, scale_y)
        return cx + dx * scale, cy + dy * scale


@dataclass
class Band:
    kind: str
    label: str
    y: float
    height: float

    @property
    def label_y(self) -> float:
        return self.y + 22


@dataclass
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float
    title: str


@dataclass
class Diagram:
    width: float
    height: float
    bands: list[Band]
    boxes: list[Box]
    arrows: list[Arrow]

    @property
    def inner_width(self) -> float:
        return self.width - 8


def _wrap(text: str, width: int = 24) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], (lines[1] + " " + " ".join(lines[2:]))[: width - 1] + "…"]
    return lines


def layout(processes: Sequence[Any], interactions: Sequence[Any]) -> Diagram:
    by_kind: dict[str, list[Any]] = {kind: [] for kind in BAND_ORDER}
    for process in processes:
        by_kind.setdefault(process.kind, []).append(process)
    columns = max(1, min(MAX_COLUMNS, max((len(items) for items in by_kind.values()), default=1)))
    width = BAND_PADDING * 2 + columns * BOX_WIDTH + (columns - 1) * GAP_X
    bands, boxes, y = [], {}, 0.0
    for kind in BAND_ORDER:
        items = by_kind.get(kind, [])
        rows = max(1, -(-len(items) // columns))
        height = BAND_TITLE + BAND_PADDING + rows * BOX_HEIGHT + (rows - 1) * GAP_Y + BAND_PADDING / 2
        bands.append(Band(kind=kind, label=str(BAND_TITLES[kind]), y=y, height=height))
        for index, process in enumerate(items):
            row, column = divmod(index, columns)
            in_row = min(columns, len(items) - row * columns)
            # Centre a short row within the band.
            offset = (columns - in_row) * (BOX_WIDTH + GAP_X) / 2
            x = BAND_PADDING + offset + column * (BOX_WIDTH + GAP_X)
            box_y = y + BAND_TITLE + BAND_PADDING / 2 + row * (BOX_HEIGHT + GAP_Y)
            boxes[process.pk] = Box(process=process, x=x, y=box_y)
        y += height + 12
    arrows = []
    for interaction in interactions:
        source, target = boxes.get(interaction.source_id), boxes.get(interaction.target_id)
        if source is None or target is None:
            continue
        start = source.edge_point(target.center)
        end = target.edge_point(source.center)
        title = f"{source.process.code} → {target.process.code}"
        if interaction.description:
            title += f": {interaction.description}"
        arrows.append(Arrow(start[0], start[1], end[0], end[1], title))
    for box in boxes.values():
        box.lines = [(box.x + 10, box.y + 36 + 15 * index, line) for index, line in enumerate(_wrap(box.process.name))]
    return Diagram(width=width, height=y, bands=bands, boxes=list(boxes.values()), arrows=arrows)
