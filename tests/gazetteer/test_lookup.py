"""The embedded gazetteer resolves names as people write them."""

from __future__ import annotations

import math

import pytest

from geomap.errors import GazetteerError
from geomap.gazetteer.lookup import default_gazetteer


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine), good enough for a 15 km tolerance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


EXPECTED = {
    "Tin Zaouatine": ("DZ", 19.955, 2.967),
    "Tinzaouaten": ("ML", 19.95427, 2.96732),
    "Tin-Zaouatene": ("ML", 19.95427, 2.96732),
    "Ti-n-Zaouâtene": ("ML", 19.95427, 2.96732),
    "Bamako": ("ML", 12.65, -8.0),
    "Bamakó": ("ML", 12.65, -8.0),
    "Algiers": ("DZ", 36.75, 3.04),
    "Alger": ("DZ", 36.75, 3.04),
    "Kidal": ("ML", 18.44111, 1.40778),
    "Tamanrasset": ("DZ", 22.785, 5.5228),
    "Niamey": ("NE", 13.5137, 2.1098),
    "New York": ("US", 40.7143, -74.006),
    "Gao": ("ML", 16.27167, -0.04472),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_resolves_within_15_km(name: str) -> None:
    cc, lat, lon = EXPECTED[name]
    match = default_gazetteer().lookup(name)
    assert match.resolved, match.rule
    assert match.place.country_code == cc
    assert km(match.place.lat, match.place.lon, lat, lon) <= 15
    assert match.precision == 1
    assert match.rule


def test_country_hint_picks_the_namesake() -> None:
    gaz = default_gazetteer()
    assert gaz.lookup("Gao").place.country_code == "ML"
    bf = gaz.lookup("Gao", country="BF")
    assert bf.place.country_code == "BF"
    assert "BF" in bf.rule
    assert gaz.lookup("Gao", country="Burkina Faso").place == bf.place
    assert any(a.country_code == "ML" for a in bf.alternatives)


def test_prior_of_the_data_countries() -> None:
    gaz = default_gazetteer()
    assert gaz.lookup("Gao", prefer=("BF",)).place.country_code == "BF"


def test_match_reports_method_and_alternatives() -> None:
    match = default_gazetteer().lookup("Alger")
    assert match.method == "alias"
    assert match.place.name == "Algiers"
    assert "capital" in match.rule
    assert any(a.country_code == "US" for a in match.alternatives)


def test_airport_codes_are_not_names() -> None:
    # GeoNames lists "GAO" among Guantánamo's alternate names: it must not win.
    assert default_gazetteer().lookup("Gao").place.country_code != "CU"


def test_countries_are_places_of_precision_3() -> None:
    match = default_gazetteer().lookup("Mali")
    assert match.place.feature_code == "PCLI"
    assert match.precision == 3


def test_named_seas_and_oceans() -> None:
    gaz = default_gazetteer()
    med = gaz.lookup("Mediterranean")
    assert (med.place.name, med.place.feature_code, med.precision) == \
        ("Mediterranean Sea", "SEA", 3)
    # the point lies in the water between Sicily and Libya, not on a coast
    assert 33 < med.place.lat < 38 and 15 < med.place.lon < 22
    aden = gaz.lookup("Gulf of Aden").place
    assert 11 < aden.lat < 14.5 and 44 < aden.lon < 51
    # an ocean outranks the towns that share its name, unless the data are about them
    assert gaz.lookup("Atlantic").place.feature_code == "OCN"
    assert gaz.lookup("Baltic").place.name == "Baltic Sea"
    # in the US three small towns share the name: none is picked at random
    towns = gaz.lookup("Baltic", country="US")
    assert towns.rule.startswith("ambiguous") and len(towns.alternatives) >= 2
    assert {a.country_code for a in towns.alternatives} == {"US"}
    # "Indian" stays India's demonym: the ocean is only its full name
    assert gaz.lookup("Indian Ocean").place.feature_code == "OCN"


def test_unresolved_names_carry_a_reason() -> None:
    gaz = default_gazetteer()
    miss = gaz.lookup("Qwxzvbn")
    assert not miss.resolved and "Qwxzvbn" in miss.rule
    wrong_country = gaz.lookup("Tinzaouaten", country="NE")
    assert not wrong_country.resolved
    assert "ML" in wrong_country.rule
    assert wrong_country.alternatives[0].country_code == "ML"


def test_unknown_country_hint_is_an_error() -> None:
    with pytest.raises(GazetteerError, match="Atlantis"):
        default_gazetteer().lookup("Gao", country="Atlantis")


def test_country_codes() -> None:
    gaz = default_gazetteer()
    assert gaz.country_code("MLI") == "ML"
    assert gaz.country_code("Ivory Coast") == "CI"
    assert gaz.country_code("dz") == "DZ"
    assert gaz.country_code("") is None


def test_index_is_reused_across_instances(geomap_home) -> None:
    from geomap.gazetteer.lookup import Gazetteer

    gaz = Gazetteer()  # must not rebuild: fingerprints match
    names = {s.name for s in gaz.index.sources()}
    assert {"geonames-cities500", "countries", "curated"} <= names
    assert (geomap_home / "gazetteer.sqlite").exists()
