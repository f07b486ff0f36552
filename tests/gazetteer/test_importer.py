"""Importing gazetteer files: GeoNames dumps (plain and zipped), user CSV, the CLI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.errors import GazetteerError, InputFileError, RowError
from geomap.gazetteer.importer import UnknownSourceError, import_file, list_sources, remove_source
from geomap.gazetteer.lookup import Gazetteer
from geomap.gazetteer.sources.geonames import GeoNamesDump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "geonames_mini.txt"
USER_CSV = FIXTURES / "user_gazetteer.csv"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
ML_TXT = SHARED / "geonames_ML" / "ML.txt"


@pytest.fixture
def gaz(tmp_path: Path) -> Gazetteer:
    """An empty private index (no embedded default: fast)."""
    return Gazetteer(tmp_path / "index.sqlite", ensure_default=False)


def place_rows(gaz: Gazetteer) -> int:
    return gaz.index.place_count()


def zipped(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


# -- GeoNames dumps --------------------------------------------------------------------
def test_geonames_import_counts_dates_and_admin_names(gaz: Gazetteer) -> None:
    info = import_file(MINI, gazetteer=gaz, progress=False)
    assert (info.name, info.kind, info.count) == ("geonames_mini.txt", "geonames", 10)
    assert info.modified == "2022-06-14"
    assert info.fingerprint.startswith(f"{MINI.stat().st_size}:")
    assert gaz.index.admin_name("ML.21") == "Adrar Nord Region"
    assert gaz.index.admin_name("ML.21.99100002") == "Tin Amassine Cercle"
    place = gaz.lookup("Tinamassine").place
    assert place.id == "geonames:99100003"
    assert (place.admin1, place.admin2) == ("ML.21", "ML.21.99100002")
    assert place.feature_code == "PPLA2" and place.population == 12_000


def test_geonames_reader_keeps_names_and_streams(tmp_path: Path) -> None:
    seen: list[int] = []
    dump = GeoNamesDump(MINI, on_bytes=seen.append)
    records = list(dump.records())
    assert sum(seen) == MINI.stat().st_size
    accented = next(r for r in records if r.ext_id == "geonames:99100008")
    assert accented.name == "Ségué Kanda"
    assert "Segue Kanda" in accented.alternate_names  # the ascii name is an alias too
    assert dump.admin_names == [("ML.21", "Adrar Nord Region"),
                                ("ML.21.99100002", "Tin Amassine Cercle")]


def test_reimport_replaces_never_doubles(gaz: Gazetteer) -> None:
    first = import_file(MINI, gazetteer=gaz, progress=False)
    second = import_file(MINI, gazetteer=gaz, progress=False)
    assert first.count == second.count == place_rows(gaz) == 10
    assert [s.name for s in list_sources(gazetteer=gaz)] == ["geonames_mini.txt"]
    assert len(gaz.candidates("Aghabo")) == 1


def test_import_under_another_name_adds_a_source(gaz: Gazetteer) -> None:
    import_file(MINI, gazetteer=gaz, progress=False)
    import_file(MINI, gazetteer=gaz, name="copy", progress=False)
    assert {s.name for s in list_sources(gazetteer=gaz)} == {"geonames_mini.txt", "copy"}
    # the same GeoNames id in two sources is still one place to the gazetteer
    assert len(gaz.candidates("Aghabo")) == 1


def test_zip_import(gaz: Gazetteer, tmp_path: Path) -> None:
    archive = zipped(tmp_path, "MINI.zip", {"readme.txt": b"GeoNames readme\n",
                                            "MINI.txt": MINI.read_bytes()})
    info = import_file(archive, gazetteer=gaz, progress=False)
    assert (info.name, info.kind, info.count, info.modified) == (
        "MINI.zip", "geonames", 10, "2022-06-14")
    assert gaz.lookup("Ibdaquen").place.id == "geonames:99100004"


def test_zip_without_a_table_is_an_input_error(gaz: Gazetteer, tmp_path: Path) -> None:
    archive = zipped(tmp_path, "odd.zip", {"a.txt": b"x\n", "b.txt": b"y\n"})
    with pytest.raises(InputFileError, match="odd.txt, the zip holds a.txt, b.txt"):
        import_file(archive, gazetteer=gaz, progress=False)


def test_bad_geonames_line_names_file_line_and_column(gaz: Gazetteer, tmp_path: Path) -> None:
    lines = MINI.read_text(encoding="utf-8").splitlines()
    fields = lines[4].split("\t")
    fields[4] = "19,12x"
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join([*lines[:4], "\t".join(fields), *lines[5:]]) + "\n",
                   encoding="utf-8")
    import_file(MINI, gazetteer=gaz, name="bad.txt", progress=False)
    with pytest.raises(RowError, match=r"bad.txt: row 5, column 'latitude': '19,12x'"):
        import_file(bad, gazetteer=gaz, progress=False)
    # the failed import left the earlier source of that name as it was
    assert place_rows(gaz) == 10


def test_short_geonames_line(gaz: Gazetteer, tmp_path: Path) -> None:
    lines = MINI.read_text(encoding="utf-8").splitlines()
    short = tmp_path / "short.txt"
    short.write_text("\n".join([*lines[:2], lines[2].rsplit("\t", 1)[0]]) + "\n",
                     encoding="utf-8")
    with pytest.raises(RowError, match="row 3.*18 tab-separated columns"):
        import_file(short, gazetteer=gaz, name="x.txt", progress=False)


# -- removal ---------------------------------------------------------------------------
def test_remove_source(gaz: Gazetteer) -> None:
    import_file(MINI, gazetteer=gaz, progress=False)
    assert gaz.lookup("Aghabo").resolved
    removed = remove_source("geonames_mini.txt", gazetteer=gaz)
    assert removed.count == 10
    assert list_sources(gazetteer=gaz) == [] and place_rows(gaz) == 0
    assert not gaz.lookup("Aghabo").resolved  # no stale memoised answer


def test_remove_unknown_lists_known_sources(gaz: Gazetteer) -> None:
    import_file(MINI, gazetteer=gaz, progress=False)
    with pytest.raises(UnknownSourceError, match="'nope'.*holds: geonames_mini.txt") as err:
        remove_source("nope", gazetteer=gaz)
    assert isinstance(err.value, LookupError)


def test_default_names_are_reserved(gaz: Gazetteer) -> None:
    with pytest.raises(GazetteerError, match="embedded default"):
        import_file(MINI, gazetteer=gaz, name="curated", progress=False)


def test_unknown_extension(gaz: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "places.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InputFileError, match="cannot import '.xlsx'"):
        import_file(path, gazetteer=gaz, progress=False)


# -- user CSV --------------------------------------------------------------------------
def test_user_csv_import(gaz: Gazetteer) -> None:
    info = import_file(USER_CSV, gazetteer=gaz, progress=False)
    assert (info.kind, info.count, info.modified) == ("csv", 3, "")
    camp = gaz.lookup("Tessit-Sud").place
    assert (camp.name, camp.country_code, camp.feature_code) == ("Camp Tessit Sud", "ML", "PPL")
    assert camp.id == "user_gazetteer.csv:1"
    well = gaz.lookup("Puits Inekar Ouest").place
    assert (well.feature_class, well.feature_code, well.population) == ("H", "WLL", 0)
    north = gaz.lookup("Menaka-Nord").place  # comma-separated aliases, alpha-3 country
    assert (north.country_code, north.population) == ("ML", 1200)


def test_user_csv_wins_over_a_dump_for_the_same_geonames_id(gaz: Gazetteer,
                                                             tmp_path: Path) -> None:
    import_file(MINI, gazetteer=gaz, progress=False)
    fix = tmp_path / "fixes.csv"
    fix.write_text("geonameid;name;lat;lon;cc\n99100004;Ibdakane;19.20;1.40;ML\n",
                   encoding="utf-8")
    import_file(fix, gazetteer=gaz, progress=False)
    place = gaz.lookup("Ibdakane", country="ML").place
    assert (place.id, place.lat, place.source) == ("geonames:99100004", 19.20, "fixes.csv")


@pytest.mark.parametrize(
    ("row", "pattern"),
    [
        ("Aguelhok,95,1.1,ML", r"row 1, column 'latitude': '95' is outside \[-90, 90\]"),
        ("Aguelhok,19.4,east,ML", r"row 1, column 'longitude': 'east' is not a number"),
        ("Aguelhok,19.4,1.1,Mali", r"row 1, column 'country_code': 'MALI' is not an ISO"),
        (",19.4,1.1,ML", r"row 1, column 'name': empty"),
    ],
)
def test_user_csv_row_errors(gaz: Gazetteer, tmp_path: Path, row: str, pattern: str) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(f"name,lat,lon,cc\n{row}\n", encoding="utf-8")
    with pytest.raises(RowError, match=f"mine.csv: {pattern}"):
        import_file(path, gazetteer=gaz, progress=False)


def test_user_csv_bad_feature_and_population(gaz: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,lat,lon,cc,feature,population\nA,19,1,ML,P.PPL,12\n"
                    "B,19,1,ML,XYZ,1\n", encoding="utf-8")
    with pytest.raises(RowError, match="row 2, column 'feature': 'XYZ'.*feature class"):
        import_file(path, gazetteer=gaz, progress=False)
    path.write_text("name,lat,lon,cc,population\nA,19,1,ML,many\n", encoding="utf-8")
    with pytest.raises(RowError, match="column 'population': 'many'"):
        import_file(path, gazetteer=gaz, progress=False)


def test_user_csv_missing_column(gaz: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,lat,country\nA,19,ML\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"missing column longitude \(longitude or lon"):
        import_file(path, gazetteer=gaz, progress=False)


# -- the command line ------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_import_info_reimport_remove(private_home: Path, tmp_path: Path) -> None:
    archive = zipped(tmp_path, "MINI.zip", {"MINI.txt": MINI.read_bytes()})
    result = run("gazetteer", "import", str(MINI), str(archive), str(USER_CSV))
    assert result.exit_code == 0, result.output
    assert "imported geonames_mini.txt: 10 places (geonames, modified 2022-06-14)" \
        in result.stderr
    run("gazetteer", "import", str(MINI))  # again: replaces
    info = run("gazetteer", "info")
    assert info.exit_code == 0
    lines = info.stdout.splitlines()
    assert lines[0].split() == ["source", "kind", "places", "imported", "modified"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["geonames_mini.txt"][1:3] == ["geonames", "10"]
    assert rows["MINI.zip"][1:3] == ["geonames", "10"]
    assert rows["user_gazetteer.csv"][1:3] == ["csv", "3"]
    assert rows["geonames-cities500"][1] == "default"
    assert sum(line.startswith("geonames_mini.txt") for line in lines) == 1
    removed = run("gazetteer", "remove", "MINI.zip")
    assert removed.exit_code == 0 and "removed MINI.zip (10 places)" in removed.stderr
    assert "MINI.zip" not in run("gazetteer", "info").stdout


def test_cli_remove_unknown_source(private_home: Path) -> None:
    result = run("gazetteer", "remove", "allCountries.txt")
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message
    assert "no gazetteer source named 'allCountries.txt'" in message
    assert "geonames-cities500" in message


def test_cli_import_bad_file(private_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,lat,lon,cc\nA,95,1,ML\n", encoding="utf-8")
    result = run("gazetteer", "import", str(path))
    assert result.exit_code == 2
    assert "row 1, column 'latitude'" in result.stderr


# -- the real GeoNames dump for Mali ---------------------------------------------------
@pytest.mark.skipif(not ML_TXT.is_file(), reason=f"{ML_TXT} is absent (../shared/data is "
                    "not part of a fresh clone)")
def test_real_ml_dump(gaz: Gazetteer) -> None:
    info = import_file(ML_TXT, gazetteer=gaz, progress=False)
    assert (info.count, info.modified) == (24_312, "2023-10-22")
    assert gaz.index.admin_name("ML.10") == "Kidal Region"
    (town,) = [p for p in gaz.index.places_of("ML.txt") if p.id == "geonames:2476086"]
    assert (town.name, town.lat, town.lon, town.country_code, town.admin1) == (
        "Ti-n-Zaouâtene", 19.95427, 2.96732, "ML", "ML.10")
    again = import_file(ML_TXT, gazetteer=gaz, progress=False)
    assert again.count == place_rows(gaz) == 24_312
