"""What core shows but the apps know: each app registers, when Django starts (its
AppConfig.ready), its navigation section and its cards on the home page. Core asks the
registry and imports no domain app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NavigationItems = Callable[[Any], "list[tuple[Any, str]]"]
HomeCardBuilder = Callable[[Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    build: Callable[[Any], Any]
    template_name: str = ""


_navigation: dict[tuple[str, str], tuple[int, Any, _Entry]] = {}
_home_cards: dict[str, _Entry] = {}
_my_work_sections: dict[str, _Entry] = {}


def register_navigation(
    section: str, *, label: Any, order: int, name: str, items: NavigationItems, item_order: int = 0
) -> None:
    """Adds to the menu section `section` (titled `label`, placed by `order`) the entries
    `items(user)` returns — [(label, url), ...], only what the user may open. Several apps
    may add to one section, placed by `item_order`; `name` identifies the contribution."""
    _navigation[(section, name)] = (order, label, _Entry(order=item_order, name=name, build=items))


def register_home_card(name: str, *, order: int, template_name: str, build: HomeCardBuilder) -> None:
    """`build(user)` returns the card's context, or None to leave the card out."""
    _home_cards[name] = _Entry(order=order, name=name, build=build, template_name=template_name)


def register_my_work_section(name: str, *, order: int, template_name: str, build: HomeCardBuilder) -> None:
    """A section of the "My work" page from another app (the page is improvement's, which
    imports no app above it): `build(user)` returns the section's context, or None to leave
    it out. The template reads it as `card`, so that one template may serve a home card too."""
    _my_work_sections[name] = _Entry(order=order, name=name, build=build, template_name=template_name)


def my_work_sections_for(user: Any) -> list[dict[str, Any]]:
    sections = []
    for entry in sorted(_my_work_sections.values(), key=lambda entry: (entry.order, entry.name)):
        context = entry.build(user)
        if context is not None:
            sections.append({"template_name": entry.template_name, **context})
    return sections


def navigation_for(user: Any) -> list[dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    ordered = sorted(_navigation.items(), key=lambda pair: (pair[1][0], pair[0][0], pair[1][2].order, pair[0][1]))
    for (section, _name), (_order, label, entry) in ordered:
        items = entry.build(user)
        if items:
            sections.setdefault(section, {"label": label, "items": []})["items"].extend(items)
    return list(sections.values())


@dataclass(frozen=True)
class HomeCount:
    """One line of a counts card: how many rows `queryset` holds (what waits on the person),
    `label(count)` saying what they are (plural-aware), linked to `url`, the list filtered to
    exactly those rows; `tone` is a Bootstrap colour (danger: late, warning: due soon,
    primary: waiting on a decision)."""

    label: Callable[[int], Any]
    queryset: Any
    url: str
    tone: str
    testid: str


HomeCountsBuilder = Callable[[Any], "list[HomeCount]"]


@dataclass(frozen=True)
class _CountsEntry:
    order: int
    name: str
    title: Any
    icon: str
    build: HomeCountsBuilder


_home_counts: dict[str, _CountsEntry] = {}


def register_home_counts(name: str, *, order: int, title: Any, icon: str, build: HomeCountsBuilder) -> None:
    """A card of counts on the home page (core/_home_counts.html): `build(user)` returns its
    lines, unevaluated. The counts of every such card are asked in one SQL query together
    (core.counts.count_each); a line at zero is left out, and a card whose lines all are."""
    _home_counts[name] = _CountsEntry(order=order, name=name, title=title, icon=icon, build=build)


def _home_count_cards(user: Any) -> list[tuple[int, str, dict[str, Any]]]:
    from .counts import count_each

    built = [(entry, entry.build(user)) for entry in _home_counts.values()]
    lines = {f"count_{index}": line for index, line in enumerate(line for _entry, lines in built for line in lines)}
    counted = count_each(**{key: line.queryset for key, line in lines.items()})
    by_line = {id(line): counted[key] for key, line in lines.items()}
    cards = []
    for entry, entry_lines in built:
        rows = [
            {
                "count": by_line[id(line)],
                "label": line.label(by_line[id(line)]),
                "url": line.url,
                "tone": line.tone,
                "testid": line.testid,
            }
            for line in entry_lines
            if by_line[id(line)]
        ]
        if rows:
            card = {"template_name": "core/_home_counts.html", "title": entry.title, "icon": entry.icon}
            cards.append((entry.order, entry.name, {**card, "testid": f"home-{entry.name}", "rows": rows}))
    return cards


def home_cards_for(user: Any) -> list[dict[str, Any]]:
    cards = _home_count_cards(user)
    for entry in _home_cards.values():
        context = entry.build(user)
        if context is not None:
            cards.append((entry.order, entry.name, {"template_name": entry.template_name, **context}))
    return [card for _order, _name, card in sorted(cards, key=lambda card: (card[0], card[1]))]


# Management review inputs (ISO 9001 9.3.2) -----------------------------------------------
#
# Each domain app compiles, from its own records, the inputs of a management review it
# knows about (indicators: process performance; improvement: nonconformities; audits: audit
# results; ...). The reviews app asks the registry, so it never reaches into another app's
# tables, and an app added later brings its own input.
#
# `compile(starts_on, ends_on)` returns a JSON-serialisable snapshot, frozen in the review
# when it is compiled, in this shape (every key optional). Its texts are written with
# core.frozen_text (`gettext_frozen` as `_`, `choice_text`, `display`): the review stores
# their message ids and parameters and shows them in each reader's language; a plain string
# (a name, a reference) is data, shown as it is:
#
#     {
#         "figures": [{"label": str, "value": str | int | float, "unit": str, "note": str}],
#         "tables": [{"title": str, "columns": [str, ...], "rows": [[str | int | float, ...]]}],
#         "charts": [{"title": str, "kind": "bar" | "line", "labels": [str, ...],
#                     "series": [{"name": str, "values": [int | float | None, ...]}]}],
#         "summary": str,
#     }

ReviewInputCompiler = Callable[[Any, Any], "dict[str, Any]"]


@dataclass(frozen=True)
class ReviewInput:
    key: str
    order: int
    clause: str
    title: Any
    compile: ReviewInputCompiler


_review_inputs: dict[str, ReviewInput] = {}


def register_review_input(key: str, *, order: int, clause: str, title: Any, compile: ReviewInputCompiler) -> None:
    """Registers the input `key` of the management review (`clause` names its item of ISO
    9001 9.3.2, e.g. "9.3.2 c) 6)"); `compile(starts_on, ends_on)` returns its snapshot for
    the period (dates, both included). Several apps may register several keys."""
    _review_inputs[key] = ReviewInput(key=key, order=order, clause=clause, title=title, compile=compile)


def review_inputs() -> list[ReviewInput]:
    return sorted(_review_inputs.values(), key=lambda entry: (entry.order, entry.key))


# Survey populations ------------------------------------------------------------------------
#
# A survey campaign is sent to a population read from the records. Some populations live in
# an app the surveys app may not import (a sibling of its layer, such as the students' records
# of the graduates): that app registers the population here, and the surveys app asks for it
# by its key. `build(academic_year_id=, department_id=, programme_id=)` returns, in a stable
# order, one dict per person: {"email": str, "person_id": int | None, "department_id": int |
# None, "programme_id": int | None}; department and programme narrow the population when given.

SurveyPopulationBuilder = Callable[..., "list[dict[str, Any]]"]

_survey_populations: dict[str, SurveyPopulationBuilder] = {}


def register_survey_population(key: str, build: SurveyPopulationBuilder) -> None:
    _survey_populations[key] = build


def survey_population(key: str) -> SurveyPopulationBuilder:
    try:
        return _survey_populations[key]
    except KeyError as error:
        raise LookupError(f"No app registered the survey population {key!r}.") from error


# Related records ------------------------------------------------------------------------
#
# A record of a lower app may have been made from a record of a higher one (an improvement
# item raised from an audit finding, an action decided at a management review). The lower
# app's page cannot import the higher app to show where the record came from; the higher
# app registers, for the lower model, a function `build(user, record)` that returns the
# lines to show — only what the user may see, the links only where the user may follow them
# — and the page includes `{% related_records record %}` (core_related).
#
# Each line is a dict: {"heading": str, "text": SafeString (built with format_html),
# "testid": str}. The function runs a fixed number of queries whatever the data.

RelatedRecordsBuilder = Callable[[Any, Any], "list[dict[str, Any]]"]


@dataclass(frozen=True)
class _RelatedEntry:
    order: int
    name: str
    build: RelatedRecordsBuilder


_related_records: dict[str, dict[str, _RelatedEntry]] = {}


def register_related_records(model_label: str, *, name: str, order: int, build: RelatedRecordsBuilder) -> None:
    """Adds to the page of each record of `model_label` ("app_label.modelname", lower case)
    the lines `build(user, record)` returns; `name` identifies the contribution."""
    _related_records.setdefault(model_label.lower(), {})[name] = _RelatedEntry(order=order, name=name, build=build)


def related_records_for(user: Any, record: Any) -> list[dict[str, Any]]:
    entries = _related_records.get(record._meta.label_lower, {})
    lines: list[dict[str, Any]] = []
    for entry in sorted(entries.values(), key=lambda entry: (entry.order, entry.name)):
        lines.extend(entry.build(user, record))
    return lines
