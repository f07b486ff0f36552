"""``--tiles`` and ``--offline`` of ``geomap map``, ``demo`` and ``extract --map`` (#13)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from geomap.cli import cli
from geomap.resources import layer_path

EXAMPLE = str(layer_path("incidents/algeria_mali.csv"))


def _standalone(text: str) -> bool:
    return not re.search(r'<(script|link)[^>]+(src|href)="', text) and "L.CircleMarker" in text


def test_unknown_tiles_are_a_bad_parameter_with_close_names(tmp_path):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["map", EXAMPLE, "--tiles", "OpenStreetMap.Mapnk",
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert "--tiles" in result.output and "OpenStreetMap.Mapnik" in result.output
    assert not out.exists()


def test_offline_with_named_tiles_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["map", EXAMPLE, "--offline", "--tiles", "OpenTopoMap",
                                      "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 2 and "--offline" in result.output


def test_map_tiles_modes(tmp_path):
    pages = {}
    for name, flags in {"default": [], "none": ["--tiles", "none"], "offline": ["--offline"],
                        "topo": ["--tiles", "OpenTopoMap"]}.items():
        out = tmp_path / f"{name}.html"
        result = CliRunner().invoke(cli, ["map", EXAMPLE, "-q", "-o", str(out), *flags])
        assert result.exit_code == 0, result.output
        pages[name] = out.read_text(encoding="utf-8")
        assert _standalone(pages[name]), name
    assert "tile.openstreetmap.org" in pages["default"]
    assert "L.tileLayer" not in pages["none"] and "L.tileLayer" not in pages["offline"]
    assert "tile.opentopomap.org" in pages["topo"]


def test_demo_is_standalone(tmp_path):
    out = tmp_path / "demo.html"
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _standalone(out.read_text(encoding="utf-8"))
