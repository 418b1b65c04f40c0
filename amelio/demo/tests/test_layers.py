"""The demo app is the top layer: no other app imports it, and its builders write only
through the services."""

from __future__ import annotations

import ast
from pathlib import Path

import amelio

AMELIO = Path(amelio.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_app_imports_the_demo() -> None:
    offenders = [
        str(path.relative_to(AMELIO))
        for path in AMELIO.rglob("*.py")
        if "demo" not in path.relative_to(AMELIO).parts[:1]
        and any(name == "amelio.demo" or name.startswith("amelio.demo.") for name in _imports(path))
    ]
    assert offenders == []


def test_core_does_not_hold_the_demo() -> None:
    assert not (AMELIO / "core" / "demo.py").exists()
    assert not any(
        name.startswith(("amelio.improvement", "amelio.internships", "amelio.partners", "amelio.processes"))
        for path in (AMELIO / "core").glob("*.py")
        if path.name != "context_processors.py"  # the navigation: registered by the apps in issue 9
        for name in _imports(path)
    )
