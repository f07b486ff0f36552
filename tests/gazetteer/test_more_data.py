"""More data never hurts: importing a country dump keeps every answer the default gave.

A GeoNames dump may hold the embedded default's towns again (same GeoNames id) with an
empty population, next to villages of the same name elsewhere: the town must stay the
answer, not become one namesake among villages ("ambiguous") or lose to a village.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.gazetteer.batch import resolve_keys
from geomap.gazetteer.importer import import_file
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.place import Hints

#: Our own rows in GeoNames' 19-column layout: default towns again with no population,
#: and namesake villages (positions realistic, not copied from any dataset).
DUMP_ROWS = [
    ("2457763", "Fana", 12.7787, -6.9564, "PPL", "07", 0),  # the default's town, no population
    ("9900001", "Fana", 13.1849, -7.6598, "PPL", "07", 0),  # a village 85 km away
    ("2455290", "Kidal", 18.44345, 1.40921, "PPLA", "08", 0),
    ("9900002", "Kidal", 14.2000, -5.1000, "PPL", "04", 0),  # a far namesake village
    ("2453514", "Menaka", 15.91985, 2.39609, "PPLA2", "07", 0),
    ("9900003", "Menaka Region", 16.20, 2.90, "ADM1", "16", 0),
]
NAMES = [("Fana", Hints("ML")), ("Kidal", Hints("ML")), ("Menaka", Hints("ML")),
         ("Kidal", Hints("ML", "Kidal")), ("Menaka", Hints("ML", "Menaka", "Menaka", "Menaka"))]


def dump_line(gid: str, name: str, lat: float, lon: float, code: str, admin1: str,
              population: int) -> str:
    fclass = "A" if code.startswith("ADM") else "P"
    return "\t".join([gid, name, name, "", str(lat), str(lon), fclass, code, "ML", "",
                      admin1, "", "", "", str(population), "", "300", "Africa/Bamako",
                      "2024-01-01"])


@pytest.fixture
def copied(tmp_path: Path) -> Gazetteer:
    """A private copy of the default index, so the import touches no other test."""
    path = tmp_path / "index.sqlite"
    default_gazetteer().index.copy_to(path)
    return Gazetteer(path, ensure_default=False)


def test_a_dump_keeps_the_default_answers(copied: Gazetteer, tmp_path: Path) -> None:
    before = resolve_keys(copied, NAMES, coherence=True)
    assert all(m.resolved for m in before.values()), [m.rule for m in before.values()]
    dump = tmp_path / "ML.txt"
    dump.write_text("\n".join(dump_line(*row) for row in DUMP_ROWS) + "\n", encoding="utf-8")
    import_file(dump, gazetteer=copied, progress=False)
    after = resolve_keys(Gazetteer(copied.index.path, ensure_default=False), NAMES,
                         coherence=True)
    for key, match in before.items():
        assert after[key].resolved, after[key].rule
        assert after[key].place.id == match.place.id, (key, after[key].rule)
        assert after[key].place.population == match.place.population  # the largest known
