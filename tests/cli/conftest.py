"""Fixtures of the command-line tests: the command, run as a user types it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from geomap.cli import cli
from geomap.resources import layer_path

EXAMPLE = str(layer_path("incidents/algeria_mali.csv"))


@pytest.fixture
def run() -> Callable[..., Result]:
    """``run("map", "x.csv", ...)``: invoke ``geomap`` through click's runner."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def example() -> str:
    """The bundled Algeria-Mali incident file."""
    return EXAMPLE
