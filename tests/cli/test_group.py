"""The ``geomap`` group: errors handled once, fast help, the console script entry."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import click
from click.testing import CliRunner

import geomap.cli
from geomap.cli import EXIT_ERROR, GeomapGroup, cli
from geomap.errors import GeomapError, RowError

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "geopandas", "shapely", "pyproj", "folium", "pyogrio")


def _group() -> click.Group:
    @click.group(cls=GeomapGroup)
    def top() -> None:
        """A stand-in for the real group."""

    @top.command()
    def fails() -> None:
        raise RowError("a.csv", 3, "event_date", "'x' is not a date")

    @top.group()
    def sub() -> None:
        """A nested group: its commands run inside the top group too."""

    @sub.command()
    def deep() -> None:
        raise GeomapError("deep trouble")

    @top.command()
    def other() -> None:
        raise ValueError("a bug stays a bug")

    return top


def test_a_geomap_error_is_one_line_and_status_2() -> None:
    result = CliRunner().invoke(_group(), ["fails"], catch_exceptions=False)
    assert result.exit_code == EXIT_ERROR == 2
    assert result.stderr == "geomap: error: a.csv: row 3, column 'event_date': 'x' is not a date\n"
    assert result.stdout == ""


def test_errors_of_nested_groups_are_handled_by_the_top_group() -> None:
    result = CliRunner().invoke(_group(), ["sub", "deep"], catch_exceptions=False)
    assert result.exit_code == 2 and result.stderr == "geomap: error: deep trouble\n"


def test_other_exceptions_are_not_swallowed() -> None:
    result = CliRunner().invoke(_group(), ["other"])
    assert isinstance(result.exception, ValueError)


def test_every_command_is_registered() -> None:
    assert sorted(cli.commands) == ["check", "demo", "export", "extract", "gazetteer",
                                    "geocode", "map"]
    assert sorted(cli.commands["gazetteer"].commands) == ["download", "import", "info", "remove"]


def test_help_imports_nothing_heavy() -> None:
    code = ("import sys\nfrom geomap.cli import main\nsys.argv = ['geomap', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "Commands:" in out.stdout


def test_version_and_short_help(run) -> None:
    assert run("--version").exit_code == 0
    result = run("-h")
    assert result.exit_code == 0 and "geocode" in result.stdout


def test_console_script_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["geomap"] == "geomap.cli:main"
    assert callable(geomap.cli.main)
