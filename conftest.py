"""Test-wide set-up: every test (doctests included) uses a private gazetteer index."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def geomap_home(tmp_path_factory: pytest.TempPathFactory):
    """Point ``GEOMAP_HOME`` at a session-wide temporary folder (built once)."""
    home = tmp_path_factory.mktemp("geomap_home")
    old = os.environ.get("GEOMAP_HOME")
    os.environ["GEOMAP_HOME"] = str(home)
    from geomap.gazetteer.lookup import default_gazetteer

    default_gazetteer.cache_clear()
    yield home
    default_gazetteer.cache_clear()
    if old is None:
        os.environ.pop("GEOMAP_HOME", None)
    else:
        os.environ["GEOMAP_HOME"] = old
