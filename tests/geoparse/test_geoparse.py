"""Tests for geomap.geoparse: mentions, resolution, dates, events, the CLI and the API."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.errors import InputFileError
from geomap.geoparse import (
    Mention,
    events_frame,
    extract_events,
    find_dates,
    find_mentions,
    geoparse,
    mentions_frame,
    resolve_mentions,
    resolve_text,
)
from geomap.geoparse.command import read_article

ACCEPTANCE = ("On August 25, 2024, a drone strike near Tin Zaouatine, on the border with "
              "Algeria, killed about twenty people, Bamako said. The Malian army said it hit "
              "terrorists. Algiers condemned the strike.")
DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "geoparse"


def _texts(text: str) -> list[str]:
    return [m.text for m in find_mentions(text)]


# -- mention finding --------------------------------------------------------------------
def test_mentions_offsets_point_into_the_text():
    for m in find_mentions(ACCEPTANCE):
        assert ACCEPTANCE[m.start:m.end] == m.text
    assert _texts(ACCEPTANCE) == ["Tin Zaouatine", "Algeria", "Bamako", "Malian", "Algiers"]


def test_common_words_that_are_place_names_are_not_mentions():
    text = "The Police said in May that the Street and University were closed."
    assert _texts(text) == []


def test_lowercase_words_are_never_mentions():
    assert _texts("we walked from gao to kidal") == []


def test_people_are_not_places():
    text = "President Obama met Chiquita Raquel Henry in Bamako."
    assert _texts(text) == ["Bamako"]


def test_demonyms_and_codes_are_country_mentions():
    ms = find_mentions("Malian and Algerian troops met U.S. officials; Malians protested.")
    assert [(m.text, m.kind, m.country) for m in ms] == [
        ("Malian", "demonym", "ML"), ("Algerian", "demonym", "DZ"), ("U.S.", "code", "US")]


def test_a_divided_countrys_bare_name_is_its_more_populous_part():
    ms = find_mentions("Korean diplomats flew from Korea; South African and African "
                       "leaders met.")
    assert [(m.text, m.country) for m in ms if m.kind == "demonym"] == [
        ("Korean", "KR"), ("South African", "ZA"), ("African", "@AF")]
    korea = next(r for r in resolve_text("Korean diplomats flew from Korea to Japan.")
                 if r.mention.text == "Korea")
    assert korea.place.country_code == "KR"


def test_longest_match_wins():
    assert _texts("He flew to New York on Monday.") == ["New York"]


# -- resolution --------------------------------------------------------------------------
def test_acceptance_mentions_resolve():
    got = {r.mention.text: (r.place.name, r.place.country_code)
           for r in resolve_text(ACCEPTANCE)}
    assert got["Malian"] == ("Mali", "ML")
    assert got["Bamako"] == ("Bamako", "ML")
    assert got["Algiers"] == ("Algiers", "DZ")
    assert got["Tin Zaouatine"][0] == "Tin Zaouatine"


def test_country_context_picks_the_reading():
    plain = resolve_text("Troops entered Gao.")[0]
    assert plain.place.country_code == "ML"
    hinted = resolve_text("In Burkina Faso, troops entered Gao. Burkina Faso said so.")
    gao = next(r for r in hinted if r.mention.text == "Gao")
    assert gao.place.country_code == "BF"
    assert any(a.country_code == "ML" for a in gao.alternatives)


def test_spatial_context_picks_the_nearby_reading():
    text = "A fire in Alexandria was investigated by Rapides Parish deputies."
    alexandria = resolve_text(text)[0]
    assert alexandria.place.country_code == "US"
    assert alexandria.place.admin1 == "US.LA"
    assert alexandria.alternatives  # the rejected readings are reported


def test_a_named_state_outvotes_namesakes_clustered_in_another():
    # Springfield, Jackson and Columbia all exist in Missouri, near each other; the text
    # names Tennessee, which holds a town of each name.
    text = ("Power failed in Springfield, Jackson and Columbia on Monday. Officials in "
            "Tennessee said crews were at work.")
    found = {r.mention.text: r for r in resolve_text(text)}
    assert {found[n].place.admin1 for n in ("Springfield", "Jackson", "Columbia")} == {"US.TN"}
    assert "inside an area the text names" in found["Columbia"].rule
    # ...but a named state never turns a country into a town of that state.
    text = ("Refiners in Houston, Texas, shipped more fuel to China this year, a Texas "
            "trade group said.")
    china = next(r for r in resolve_text(text) if r.mention.text == "China")
    assert china.place.country_code == "CN" and china.place.feature_code.startswith("PCL")


def test_a_formal_names_last_part_is_a_reading_of_its_country():
    # "United States of America": a span "America" is the country, not a town named so.
    text = "Farmers across America felt the tariffs."
    start = text.index("America")
    found = resolve_mentions(text, [Mention(start, start + 7, "America", "name", 0)])
    assert (found[0].place.country_code, found[0].place.feature_code[:3]) == ("US", "PCL")
    # ...but never a reason to find "America" inside a region's name: "Latin America"
    # is the region, not the United States
    found = resolve_text("Migrants from Latin America reached Mexico.")
    assert [(r.mention.text, r.place.feature_code) for r in found] == [
        ("Latin America", "RGN"), ("Mexico", "PCLI")]


def test_a_span_ending_in_an_area_word_keeps_its_far_part():
    text = "Gunmen attacked Bamako and Kati. Later, in Sokoto State, police said."
    spans = [("Bamako", 0), ("Kati", 0), ("Sokoto State", 1)]
    mentions = [Mention(text.index(n), text.index(n) + len(n), n, "name", s) for n, s in spans]
    sokoto = resolve_mentions(text, mentions)[2]
    assert (sokoto.method, sokoto.place.country_code) == ("partial", "NG")


def test_an_abbreviated_name_is_as_good_as_the_name_written_out():
    # "St." is "Saint": the Russian city's preferred name is "Saint Petersburg".
    text = "Diplomats from the US and Russia met in St. Petersburg on Friday."
    found = {r.mention.text: r.place for r in resolve_text(text)}
    assert found["St. Petersburg"].country_code == "RU"


def test_a_county_named_as_such_holds_its_town():
    text = ("Vandals painted graffiti on buildings in Athens, and the Henderson County "
            "sheriff asked for help.")
    athens = resolve_text(text)[0]
    assert (athens.mention.text, athens.place.country_code, athens.place.admin1) == \
        ("Athens", "US", "US.TX")
    assert "inside an area the text names" in athens.rule


def _spans(text: str, names: list[str]) -> list[Mention]:
    out, at = [], 0
    for name in names:
        start = text.index(name, at)
        out.append(Mention(start, start + len(name), name, "name", 0))
        at = start + len(name)
    return out


def test_an_institution_keeps_the_area_it_is_named_after():
    # the part that names the institution's area holds even far from the text's
    # other places; a part that is only a word of the name ("Centre") does not
    text = ("Students from Parkland, Florida, met researchers of the University of "
            "California at the Farmers Service Centre in Parkland.")
    res = resolve_mentions(text, _spans(text, ["Parkland", "Florida",
                                               "University of California",
                                               "Farmers Service Centre"]))
    uc, centre = res[2], res[3]
    assert (uc.method, uc.place.name, uc.place.feature_code) == \
        ("partial", "California", "ADM1")
    assert centre.method == "context" and centre.place.country_code == "US"


def test_postal_and_press_abbreviations_of_provinces_and_states():
    text = "Fires near Nelson, B.C., reached Kelowna, BC, on Monday."
    res = resolve_mentions(text, _spans(text, ["Nelson", "B.C.", "Kelowna", "BC"]))
    assert [(r.mention.text, r.place.name) for r in res] == [
        ("Nelson", "Nelson"), ("B.C.", "British Columbia"), ("Kelowna", "Kelowna"),
        ("BC", "British Columbia")]
    # "WA" is Washington or Western Australia: the text's other places tell
    perth = "Bushfires near Perth, WA, reached Fremantle."
    seattle = "Rain in Seattle, WA, and Tacoma."
    assert resolve_mentions(perth, _spans(perth, ["Perth", "WA", "Fremantle"]))[1] \
        .place.name == "Western Australia"
    assert resolve_mentions(seattle, _spans(seattle, ["Seattle", "WA", "Tacoma"]))[1] \
        .place.name == "Washington"


def test_seas_are_mentions_and_resolve_to_the_water():
    text = "Forty migrants drowned in the Mediterranean off Zuwara, Libya, on Sunday."
    found = {r.mention.text: r.place for r in resolve_text(text)}
    assert found["Mediterranean"].name == "Mediterranean Sea"
    assert found["Zuwara"].country_code == "LY"


def test_world_regions_are_mentions_with_their_own_point():
    text = "Jihadist groups spread across West Africa and North Africa, the UN said."
    found = {r.mention.text: r.place for r in resolve_text(text)}
    west, north = found["West Africa"], found["North Africa"]
    assert (west.name, west.feature_code, west.precision) == ("Western Africa", "RGN", 3)
    # the point lies among its countries (the Sahel), not at Africa's centre
    assert 8 < west.lat < 20 and -12 < west.lon < 8
    assert north.name == "Northern Africa" and north.lat > 20
    # "South Africa" stays the country, "Southern Africa" is the region
    found = {r.mention.text: r.place for r in resolve_text(
        "Drought hit Southern Africa, and South Africa declared a disaster.")}
    assert found["South Africa"].feature_code.startswith("PCL")
    assert found["Southern Africa"].feature_code == "RGN"


def test_a_lone_hamlet_far_from_the_text_gives_way_to_its_main_place():
    # the gazetteer's only "Middle East" is a US hamlet; in an article on Syria the
    # text's main place is the better guess, and the hamlet is kept as the alternative
    text = "Shelling hit Aleppo and Idlib, the worst in the Middle East this year."
    res = resolve_mentions(text, _spans(text, ["Aleppo", "Idlib", "Middle East"]))
    region = res[2]
    assert (region.method, region.place.country_code) == ("context", "SY")
    assert region.alternatives[0].country_code == "US"
    # and a span placed only by context makes no event of its own
    assert [e.location for e in extract_events(text)] == ["Aleppo", "Idlib"]


def test_a_province_stands_at_the_centre_of_its_territory():
    # British Columbia's point is the centre of the province, not the mean of its towns
    # (which leans south, where people live); its towns stay themselves around it
    text = "Wildfires near Nelson, BC, forced evacuations; BC officials said Creston was safe."
    res = resolve_mentions(text, _spans(text, ["Nelson", "BC", "BC", "Creston"]))
    bc = res[1].place
    assert bc.name == "British Columbia" and 53 < bc.lat < 56 and -127 < bc.lon < -122
    assert [(r.place.name, r.method) for r in (res[0], res[3])] == [
        ("Nelson", "gazetteer"), ("Creston", "gazetteer")]


def test_a_generic_province_name_needs_its_country_in_the_text():
    # "Western" is a province of Rwanda, Uganda, Kenya...: not in a text about Libya
    text = "Western diplomats flew from Tunis to Misrata and Tripoli."
    res = resolve_mentions(text, _spans(text, ["Western", "Tunis", "Misrata", "Tripoli"]))
    assert res[0].method == "context" and res[0].place.country_code in ("LY", "TN")
    assert res[0].alternatives[0].feature_code == "ADM1"
    # with its country named, the province keeps its reading
    text = "Drones hit Dammam, in Saudi Arabia's Eastern Province, and Riyadh."
    res = resolve_mentions(text, _spans(text, ["Dammam", "Saudi Arabia", "Eastern Province",
                                               "Riyadh"]))
    assert (res[2].place.country_code, res[2].place.feature_code) == ("SA", "ADM1")


def test_gold_spans_without_candidates_take_the_text_main_place():
    text = "Smoke rose over Frobnitz Plaza in Niamey, Niger."
    spans = [Mention(16, 29, "Frobnitz Plaza"), Mention(33, 39, "Niamey")]
    res = resolve_mentions(text, spans)
    assert res[1].place.name == "Niamey"
    assert res[0].place == res[1].place and res[0].method == "context"


# -- dates -------------------------------------------------------------------------------
def test_date_forms():
    text = ("On August 25, 2024 a strike; on 25 August 2024 again; in January 2024 talks; "
            "in December a visit; last week a protest.")
    got = [(d.first.isoformat(), d.precision)
           for d in find_dates(text, published=dt.date(2025, 1, 10))]
    assert got == [("2024-08-25", 1), ("2024-08-25", 1), ("2024-01-01", 2),
                   ("2024-12-01", 2), ("2024-12-30", 1)]


def test_relative_dates_need_a_publication_date():
    assert find_dates("last week and in December") == []


def test_date_attaches_to_sentence_then_paragraph():
    text = ("On 3 March 2024, fighting hit Kidal. Later, troops reached Gao.\n"
            "Protesters gathered in Niamey.")
    events = extract_events(text, published=dt.date(2024, 3, 20))
    got = {e.location: (str(e.event_date), e.date_source) for e in events}
    assert got["Kidal"] == ("2024-03-03", "sentence")
    assert got["Gao"] == ("2024-03-03", "paragraph")
    assert got["Niamey"] == ("2024-03-20", "publication")


def test_a_dateline_does_not_date_the_event_it_precedes():
    # the dateline and the lead share a sentence: the mention takes the nearer date
    text = ("BAMAKO, August 27, 2024 - On August 25, 2024, a drone strike near "
            "Tin Zaouatine killed about twenty people.")
    events = extract_events(text)
    assert [(e.location, str(e.event_date)) for e in events] == \
        [("Tin Zaouatine", "2024-08-25")]


# -- events and the API ------------------------------------------------------------------
def test_acceptance_event():
    events = extract_events(ACCEPTANCE)
    assert [(e.location, str(e.event_date), e.time_precision) for e in events] == [
        ("Tin Zaouatine", "2024-08-25", 1)]
    event = events[0]
    assert abs(event.latitude - 19.955) < 0.2 and abs(event.longitude - 2.967) < 0.2
    assert event.notes.startswith("On August 25, 2024") and 0 < event.confidence <= 1


def test_frames_have_the_incident_and_mention_columns():
    g = geoparse(ACCEPTANCE)
    mentions = mentions_frame(g.resolutions)
    assert {"start", "end", "text", "name", "latitude", "longitude", "country_code",
            "score"} <= set(mentions.columns)
    events = events_frame(extract_events(ACCEPTANCE))
    assert {"event_date", "time_precision", "location", "country", "latitude", "longitude",
            "geo_precision", "notes", "confidence"} <= set(events.columns)


# -- CLI ---------------------------------------------------------------------------------
def test_cli_extract_writes_events_csv(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ACCEPTANCE, encoding="utf-8")
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(cli, ["extract", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame["location"]) == ["Tin Zaouatine"]
    assert list(frame["event_date"]) == ["2024-08-25"]


def test_cli_extract_mentions_from_stdin():
    result = CliRunner().invoke(cli, ["extract", "-", "--mentions"], input=ACCEPTANCE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("start,end,text,name,latitude,longitude,country_code,score")
    assert any(",Malian,Mali," in line for line in lines)


def test_cli_extract_relative_dates_with_date_option():
    text = "Last week, gunmen attacked a market in Gao."
    result = CliRunner().invoke(cli, ["extract", "-", "--date", "2024-08-26"], input=text)
    assert result.exit_code == 0, result.output
    assert "2024-08-19" in result.stdout


def test_cli_extract_rejects_bad_date_and_missing_file(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["extract", "-", "--date", "26/08/2024"], input="x")
    assert bad.exit_code != 0
    missing = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt" in missing.output


def test_read_article_rejects_binary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputFileError, match="a.txt"):
        read_article(str(path))


def test_cli_extract_map(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ACCEPTANCE, encoding="utf-8")
    html = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["extract", str(article), "--map", str(html),
                                      "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 0, result.output
    # the page embeds its data in the renderer's own encoding: check the page exists
    # and that the events it was drawn from hold the place
    assert html.exists() and "<html" in html.read_text(encoding="utf-8")
    assert "Tin Zaouatine" in (tmp_path / "e.csv").read_text(encoding="utf-8")


def test_cli_extract_offline_map_references_nothing_outside(tmp_path):
    from geomap.map import assets

    if len(assets.local_asset_files()) < len(assets.ASSETS):
        pytest.skip("web assets not installed (npm install --no-package-lock)")
    article = tmp_path / "article.txt"
    article.write_text(ACCEPTANCE, encoding="utf-8")
    html = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["extract", str(article), "--map", str(html),
                                      "--offline", "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="', page)
    assert "tile.openstreetmap.org" not in page


# -- corpora (skipped when the shared data is absent) ------------------------------------
@pytest.mark.skipif(not (DATA / "GWN.xml").exists() or os.environ.get("GEOMAP_SKIP_CORPUS"),
                    reason="GeoWebNews corpus not available")
def test_gwn_sample_beats_geotext():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import geoparse as bench

    articles = bench.load_gwn(DATA / "GWN.xml")[:25]
    ours = bench.score(articles, [bench.run_article(("geomap", a)) for a in articles])
    base = bench.score(articles, [bench.run_article(("geotext", a)) for a in articles])
    assert ours["exact"][2] > base["exact"][2]
    assert ours["acc161"] > 0.6


def test_state_abbreviations_and_one_sense_per_text():
    text = "Police in Alexandria, Va., said Alexandria schools were closed."
    spans = [Mention(10, 20, "Alexandria"), Mention(22, 25, "Va."),
             Mention(32, 42, "Alexandria")]
    res = resolve_mentions(text, spans)
    assert res[1].place.name == "Virginia" and res[1].place.feature_code == "ADM1"
    assert {r.place.admin1 for r in (res[0], res[2])} == {"US.VA"}


def test_gold_demonym_span_means_its_country_not_a_namesake_hamlet():
    # "Canadian" is also a small town's name in GeoNames; as a span it means Canada,
    # as it does for mention finding
    text = "The Canadian team arrived in Toronto."
    res = resolve_mentions(text, [Mention(4, 12, "Canadian"), Mention(29, 36, "Toronto")])
    assert res[0].place.country_code == "CA" and res[0].method == "country"
    assert res[0].place.feature_code.startswith("PCL")


def test_country_point_midpoint_unless_the_conventions_are_far_apart():
    from geomap.geoparse.regions import (
        FAR_APART_KM,
        _countryinfo,
        country_point,
        default_regions,
    )
    from geomap.geoparse.resolve import haversine_km

    # close conventions: the midpoint, within half their disagreement of each
    near = country_point((38.0, -97.0), (39.87, -98.83))
    assert float(haversine_km(*near, 38.0, -97.0)) < 150
    assert float(haversine_km(*near, 39.87, -98.83)) < 150
    # far apart (a country spanning a continent): the Factbook point
    assert country_point((60.0, 100.0), (65.55, 94.97)) == (60.0, 100.0)
    # the table applies the rule: each point is the Factbook point or lies within half
    # the threshold of it
    _, factbook = _countryinfo()
    points = default_regions().country_points
    assert len(points) > 200
    assert all(points[c] == factbook[c]
               or float(haversine_km(*points[c], *factbook[c])) <= FAR_APART_KM / 2 + 1
               for c in factbook)
