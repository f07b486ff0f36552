"""Tests of geomap.map.assets: Leaflet linked or inlined, and geomap's own page runtime."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import make_borders, render_html

from geomap.errors import RenderError
from geomap.map import assets
from geomap.map.page import MapOptions, build_map

# --------------------------------------------------------------------------- offline


def _offline_or_skip(incidents, tmp_path: Path, **kwargs) -> str:
    if len(assets.local_asset_files()) < len(assets.ASSETS):
        pytest.skip("web assets not installed (npm install --no-package-lock)")
    return render_html(incidents, tmp_path, offline=True, **kwargs)


def test_offline_page_references_nothing_outside(incidents, tmp_path):
    html = _offline_or_skip(incidents, tmp_path, borders=make_borders())
    assert not re.search(r'<(script|link)[^>]+(src|href)="', html)
    assert "tile.openstreetmap.org" not in html
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, re.DOTALL))
    assert "leaflet-control-layers-toggle" in styles
    assert re.search(r"url\((?!data:|#)", styles) is None
    assert "L.CircleMarker" in html


def test_offline_without_assets_says_how_to_fix(incidents, monkeypatch, tmp_path):
    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "nothing"))
    with pytest.raises(RenderError, match="npm install") as info:
        build_map(incidents, MapOptions(offline=True))
    assert "\n" not in str(info.value)
    with pytest.raises(RenderError, match="npm install"):  # every page inlines them
        build_map(incidents)


def test_cli_offline_without_assets_is_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from geomap.cli import cli
    from geomap.resources import layer_path

    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "empty"))
    out = tmp_path / "offline.html"
    result = CliRunner().invoke(
        cli, ["map", str(layer_path("incidents/algeria_mali.csv")), "--offline", "-o", str(out)]
    )
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "npm install" in lines[0], result.output
    assert not out.exists()



def test_inlining_looks_each_file_up_once(monkeypatch):
    if len(assets.local_asset_files()) < len(assets.ASSETS):
        pytest.skip("web assets not installed (npm install --no-package-lock)")
    looked_up = []
    real = assets.asset_file

    def counting(asset):
        looked_up.append(asset.name)
        return real(asset)

    monkeypatch.setattr(assets, "asset_file", counting)
    inlined = assets.page_assets(assets.AssetMode.INLINE)
    assert looked_up == [a.name for a in assets.ASSETS]
    assert [name for name, _ in inlined] == [a.name for a in assets.ASSETS]


# --------------------------------------------------------------------------- the runtime


def test_runtime_files_are_small_and_share_one_namespace():
    for name in assets.RUNTIME_SCRIPTS:
        text = assets.runtime_text(name)
        assert len(text.splitlines()) < 450, name
        body = text[text.index("(function (ns, global) {"):].rstrip()
        assert body.endswith("})(ns, global);"), name
        assert '"use strict";' in body, name


def test_runtime_is_one_script_in_order(incidents, tmp_path):
    script = assets.runtime_script()
    starts = [script.index(assets.runtime_text(name)) for name in assets.RUNTIME_SCRIPTS]
    assert starts == sorted(starts)
    html = render_html(incidents, tmp_path)
    assert html.count(script) == 1
    assert html.count("geomapInit(") == 2  # the definition and the one call


def test_runtime_refuses_a_closing_script_tag(monkeypatch):
    monkeypatch.setattr(assets, "runtime_text", lambda name: "/* </script> */")
    with pytest.raises(RenderError, match="</script>"):
        assets.runtime_script()
    with pytest.raises(RenderError, match="closing"):
        assets.script_safe("x = '</SCRIPT >'", "test")
