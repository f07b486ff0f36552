"""geomap works from a built wheel installed elsewhere, not only from the clone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling (test extra) builds the wheel")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    return next(out.glob("geomap-*.whl"))


def test_wheel_ships_the_layers_the_code_needs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("geomap/_layers/borders/ne_10m_borders.gpkg.zip",
                   "geomap/_layers/gazetteer/curated.csv",
                   "geomap/_layers/gazetteer/countries.csv",
                   "geomap/_layers/incidents/algeria_mali.csv"):
        assert needed in names


def test_installed_wheel_runs_outside_the_clone(wheel: Path, tmp_path: Path,
                                                geomap_home: Path) -> None:
    # Install the wheel alone into a folder that comes first on the path: the
    # dependencies come from this environment, geomap from the wheel.
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(target), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "GEOMAP_HOME": str(geomap_home), "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import geomap; print(geomap.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True)
    assert where.stdout.startswith(str(target))  # the wheel's copy, not the clone's
    geomap_cmd = [str(target / "bin" / "geomap")]
    found = subprocess.run([*geomap_cmd, "geocode", "Tinzaouaten", "--json"],
                           cwd=work, env=env, check=True, capture_output=True, text=True)
    assert json.loads(found.stdout)[0]["country_code"] == "ML"
    subprocess.run([*geomap_cmd, "demo"], cwd=work, env=env, check=True, capture_output=True)
    assert (work / "output" / "algeria_mali.html").stat().st_size > 10_000
