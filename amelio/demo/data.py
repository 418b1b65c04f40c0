"""The scenario data of the demo school: TOML files each app keeps in its `demo/` folder
(`amelio/<app>/demo/<name>.toml`), so that the builders here hold only the logic."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps


@cache
def load(app: str, name: str) -> dict[str, Any]:
    """The content of `amelio/<app>/demo/<name>.toml`, read once."""
    path = Path(apps.get_app_config(app).path) / "demo" / f"{name}.toml"
    with path.open("rb") as file:
        return tomllib.load(file)
