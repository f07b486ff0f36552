"""geomap.pipeline: prepare, make_map and export on a file and on a table in memory."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from support import payload_of

import geomap.pipeline as pipeline
from geomap.errors import PlaceNotFound, RenderError
from geomap.pipeline import Filters, Report, export, make_map, prepare
from geomap.resources import layer_path

EXAMPLE = layer_path("incidents/algeria_mali.csv")

# two rows of one ACLED event (monadic export), a row to filter out, an unknown place
MIXED = ("event_id_cnty,event_date,event_type,actor1,location,latitude,longitude\n"
         "MLI1,25 August 2024,Battles,Military Forces of Mali,Kidal,18.4,1.4\n"
         "MLI1,25 August 2024,Battles,JNIM,Kidal,18.4,1.4\n"
         "MLI2,26 August 2024,Riots,Civilians (Mali),Gao,16.3,0.0\n"
         "MLI3,27 August 2024,Battles,JNIM,Qwxzvbn,,\n"
         "MLI4,28 August 2024,Battles,JNIM,Gao,,\n")


def _records(path: Path) -> pd.DataFrame:
    """A file's rows as a user would hold them in memory: a plain table of strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _same_but_path(a: Report, b: Report) -> bool:
    return dataclasses.replace(a, path="") == dataclasses.replace(b, path="")


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    return path


# ------------------------------------------------------------------ prepare


def test_prepare_a_path_and_a_frame_alike() -> None:
    from_file = prepare(EXAMPLE)
    from_frame = prepare(_records(EXAMPLE))
    assert _same_but_path(from_file.report(), from_frame.report())
    assert from_file.report().path == str(EXAMPLE)
    columns = ["event_id_cnty", "latitude", "longitude", "country_code", "border_pair"]
    pd.testing.assert_frame_equal(from_file.incidents[columns].reset_index(drop=True),
                                  from_frame.incidents[columns].reset_index(drop=True))
    assert from_frame.incidents.crs.to_epsg() == 4326


def test_prepare_takes_a_geodataframe() -> None:
    table = prepare(EXAMPLE).incidents
    records = table[["event_id_cnty", "event_date", "location", "latitude", "longitude"]].copy()
    records["event_date"] = records["event_date"].dt.strftime("%Y-%m-%d")
    frame = gpd.GeoDataFrame(records, geometry=gpd.points_from_xy(records["longitude"],
                                                                  records["latitude"]), crs=4326)
    again = prepare(frame)
    assert again.report().rows_read == len(frame) == again.report().mapped
    assert again.incidents["border_distance_km"].round(3).tolist() == \
        table["border_distance_km"].round(3).tolist()


def test_report_accounts_for_every_row(mixed: Path) -> None:
    report = prepare(mixed, Filters(event_types=("Battles",))).report()
    assert (report.rows_read, report.merged, report.unresolved) == (5, 1, 1)
    assert report.filtered_out == 1 and report.mapped == 2
    assert report.rows_read == report.mapped + report.filtered_out + report.unresolved \
        + report.merged


def test_rows_sharing_an_id_but_not_the_event_are_kept_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,actor1,location,latitude,longitude,fatalities\n"
        "MLI9,14 August 2024,Battles,JNIM,Gao,16.27,-0.04,3\n"
        "MLI9,14 August 2024,Battles,Military Forces of Mali,Gao,16.27,-0.04,3\n"
        "MLI9,14 August 2024,Battles,JNIM,Kidal,18.44,1.41,40\n"
        "MLI9,14 August 2024,Riots,Wagner Group,Bamako,12.65,-8.0,100\n", encoding="utf-8")
    report = prepare(path, Filters(event_types=("Battles",))).report()
    assert (report.rows_read, report.mapped, report.filtered_out, report.merged,
            report.conflicts) == (4, 2, 1, 1, 3)
    assert report.rows_read == report.mapped + report.filtered_out + report.unresolved \
        + report.merged
    assert report.summary() == (
        f"{path}: 4 rows read, 2 mapped, 1 filtered out, 0 unresolved, 1 merged into their "
        "event (one row per actor), 3 rows share an event id with different date, place or "
        "fatalities: kept apart")


def test_report_has_no_notes_field() -> None:
    assert "notes" not in {f.name for f in dataclasses.fields(Report)}


# ------------------------------------------------------------------ filters


def test_filters_dates_countries_types() -> None:
    assert len(prepare(EXAMPLE, Filters(start=dt.date(2025, 1, 1))).incidents) == 3
    assert len(prepare(EXAMPLE, Filters(end="2015-12-31")).incidents) < 11
    mali = prepare(EXAMPLE, Filters(countries=("ML",))).incidents
    assert set(mali["country_code"]) == {"ML"}
    both = prepare(EXAMPLE, Filters(countries=("ML",), event_types=("strategic developments",)))
    assert len(both.incidents) == 5


def test_filters_resolve_country_names() -> None:
    assert Filters(countries=("Mali", "DZA", "bf")).resolved().countries == ("ML", "DZ", "BF")
    empty = Filters(start="2024-01-01")
    assert empty.resolved() is empty
    with pytest.raises(PlaceNotFound, match="unknown country 'Atlantis'"):
        Filters(countries=("ML", "Atlantis")).resolved()


# ------------------------------------------------------------------ export and make_map


def test_export_a_path_and_a_frame_alike(tmp_path: Path) -> None:
    a = export(EXAMPLE, tmp_path / "a.csv", Filters(countries=("DZ",)))
    b = export(_records(EXAMPLE), tmp_path / "b.csv", Filters(countries=("DZ",)))
    assert _same_but_path(dataclasses.replace(a, output=""), dataclasses.replace(b, output=""))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert a.output == str(tmp_path / "a.csv") and a.unresolved_file == ""


def test_make_map_a_path_and_a_frame_alike(tmp_path: Path) -> None:
    a = make_map(EXAMPLE, tmp_path / "a.html", title="Rift")
    b = make_map(_records(EXAMPLE), tmp_path / "b.html", title="Rift")
    assert _same_but_path(dataclasses.replace(a, output=""), dataclasses.replace(b, output=""))
    pages = [payload_of((tmp_path / name).read_text(encoding="utf-8")) for name in ("a.html",
                                                                                  "b.html")]
    assert pages[0] == pages[1]
    assert pages[0]["title"] == "Rift" and pages[0]["events"]["n"] == 11


def test_map_title_defaults(tmp_path: Path) -> None:
    make_map(EXAMPLE, tmp_path / "a.html")
    make_map(_records(EXAMPLE), tmp_path / "b.html")
    titles = [payload_of((tmp_path / n).read_text(encoding="utf-8"))["title"]
              for n in ("a.html", "b.html")]
    assert titles == ["algeria mali", pipeline.FRAME_TITLE]


def test_unresolved_rows_go_to_a_companion_file(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "mixed.geojson"
    out.parent.mkdir()
    report = export(mixed, out)
    companion = out.with_name("mixed.unresolved.csv")
    assert report.unresolved_file == str(companion)
    text = companion.read_text(encoding="utf-8")
    assert "Qwxzvbn" in text and "Kidal" not in text
    assert report.summary().endswith(f"-> {out} (unresolved rows: {companion})")
    from_frame = export(_records(mixed), tmp_path / "frame.geojson")
    assert Path(from_frame.unresolved_file).read_text(encoding="utf-8") == text


def test_no_companion_file_when_every_row_is_placed(tmp_path: Path) -> None:
    report = export(EXAMPLE, tmp_path / "x.gpkg")
    assert report.unresolved_file == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gpkg"]


def test_offline_map_fails_before_any_work(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "empty"))

    def no_work(*args, **kwargs):
        raise AssertionError("the assets are checked before the incidents are loaded")

    monkeypatch.setattr(pipeline, "prepare", no_work)
    with pytest.raises(RenderError, match="npm install"):
        make_map(EXAMPLE, tmp_path / "m.html", offline=True)
    assert not (tmp_path / "m.html").exists()


# ------------------------------------------------------------------ the analysts' filters, bad rows

FILTERS = Path(__file__).resolve().parent / "fixtures" / "incidents_filters.csv"


def test_the_analysts_filters_in_the_python_api() -> None:
    from geomap.incidents.filters import BBox

    kept = prepare(FILTERS, Filters(countries=("Mali",), areas=("menaka", "Tessalit"),
                                    actors=("jnim", "wagner"), bbox=(0, 15, 5, 21),
                                    within_km_of_border=10.0))
    assert kept.incidents["event_id_cnty"].tolist() == ["F1"]
    report = kept.report()
    assert (report.rows_read, report.mapped, report.filtered_out) == (5, 1, 4)
    assert Filters(bbox=[0, 15, 5, 21]).bbox == BBox(0, 15, 5, 21)
    assert prepare(FILTERS, Filters(min_fatalities=3, admin1=("Centre",))).incidents[
        "event_id_cnty"].tolist() == ["F4"]


def test_filters_refuse_what_the_data_lacks_and_bad_numbers() -> None:
    from geomap.errors import FilterError

    with pytest.raises(FilterError, match="did you mean 'Battles'"):
        prepare(FILTERS, Filters(event_types=("Battle",)))
    with pytest.raises(FilterError, match="within_km_of_border must be a number >= 0"):
        Filters(within_km_of_border=-1)
    with pytest.raises(FilterError, match="north 95 is outside"):
        Filters(bbox=(0, 0, 5, 95))


def test_skipped_rows_are_counted_and_written_next_to_the_output(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(MIXED + "MLI5,the 32nd,Battles,JNIM,Gao,16.3,0.0\n", encoding="utf-8")
    report = export(path, tmp_path / "out.geojson", Filters(event_types=("Battles",)),
                    on_bad_rows="skip")
    assert (report.rows_read, report.rejected) == (6, 1)
    assert report.rows_read == report.mapped + report.filtered_out + report.unresolved \
        + report.merged + report.rejected
    assert report.rejected_file == str(tmp_path / "out.rejected.csv")
    assert report.summary().endswith(f"; 1 rejected -> {tmp_path / 'out.rejected.csv'}")
    rejected = pd.read_csv(report.rejected_file, dtype=str)
    assert rejected[["row", "column"]].values.tolist() == [["6", "event_date"]]
