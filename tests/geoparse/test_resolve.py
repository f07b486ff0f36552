"""Tests for geomap.geoparse.resolve: each mention resolved with the whole text as context."""

from __future__ import annotations

from geoparse_cases import ACCEPTANCE, spans

from geomap.geoparse import Mention, extract_events, resolve_mentions, resolve_text


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


def test_an_institution_keeps_the_area_it_is_named_after():
    # the part that names the institution's area holds even far from the text's
    # other places; a part that is only a word of the name ("Centre") does not
    text = ("Students from Parkland, Florida, met researchers of the University of "
            "California at the Farmers Service Centre in Parkland.")
    res = resolve_mentions(text, spans(text, ["Parkland", "Florida",
                                               "University of California",
                                               "Farmers Service Centre"]))
    uc, centre = res[2], res[3]
    assert (uc.method, uc.place.name, uc.place.feature_code) == \
        ("partial", "California", "ADM1")
    assert centre.method == "context" and centre.place.country_code == "US"


def test_postal_and_press_abbreviations_of_provinces_and_states():
    text = "Fires near Nelson, B.C., reached Kelowna, BC, on Monday."
    res = resolve_mentions(text, spans(text, ["Nelson", "B.C.", "Kelowna", "BC"]))
    assert [(r.mention.text, r.place.name) for r in res] == [
        ("Nelson", "Nelson"), ("B.C.", "British Columbia"), ("Kelowna", "Kelowna"),
        ("BC", "British Columbia")]
    # "WA" is Washington or Western Australia: the text's other places tell
    perth = "Bushfires near Perth, WA, reached Fremantle."
    seattle = "Rain in Seattle, WA, and Tacoma."
    assert resolve_mentions(perth, spans(perth, ["Perth", "WA", "Fremantle"]))[1] \
        .place.name == "Western Australia"
    assert resolve_mentions(seattle, spans(seattle, ["Seattle", "WA", "Tacoma"]))[1] \
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
    res = resolve_mentions(text, spans(text, ["Aleppo", "Idlib", "Middle East"]))
    region = res[2]
    assert (region.method, region.place.country_code) == ("context", "SY")
    assert region.alternatives[0].country_code == "US"
    # and a span placed only by context makes no event of its own
    assert [e.location for e in extract_events(text)] == ["Aleppo", "Idlib"]


def test_a_province_stands_at_the_centre_of_its_territory():
    # British Columbia's point is the centre of the province, not the mean of its towns
    # (which leans south, where people live); its towns stay themselves around it
    text = "Wildfires near Nelson, BC, forced evacuations; BC officials said Creston was safe."
    res = resolve_mentions(text, spans(text, ["Nelson", "BC", "BC", "Creston"]))
    bc = res[1].place
    assert bc.name == "British Columbia" and 53 < bc.lat < 56 and -127 < bc.lon < -122
    assert [(r.place.name, r.method) for r in (res[0], res[3])] == [
        ("Nelson", "gazetteer"), ("Creston", "gazetteer")]


def test_a_generic_province_name_needs_its_country_in_the_text():
    # "Western" is a province of Rwanda, Uganda, Kenya...: not in a text about Libya
    text = "Western diplomats flew from Tunis to Misrata and Tripoli."
    res = resolve_mentions(text, spans(text, ["Western", "Tunis", "Misrata", "Tripoli"]))
    assert res[0].method == "context" and res[0].place.country_code in ("LY", "TN")
    assert res[0].alternatives[0].feature_code == "ADM1"
    # with its country named, the province keeps its reading
    text = "Drones hit Dammam, in Saudi Arabia's Eastern Province, and Riyadh."
    res = resolve_mentions(text, spans(text, ["Dammam", "Saudi Arabia", "Eastern Province",
                                               "Riyadh"]))
    assert (res[2].place.country_code, res[2].place.feature_code) == ("SA", "ADM1")


def test_gold_spans_without_candidates_take_the_text_main_place():
    text = "Smoke rose over Frobnitz Plaza in Niamey, Niger."
    spans = [Mention(16, 29, "Frobnitz Plaza"), Mention(33, 39, "Niamey")]
    res = resolve_mentions(text, spans)
    assert res[1].place.name == "Niamey"
    assert res[0].place == res[1].place and res[0].method == "context"


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


def test_importance_ranks_are_the_gazetteer_enum():
    import re

    from geomap.gazetteer.features import Importance
    from geomap.geoparse import default_lexicon
    from geomap.geoparse.priors import RANK_PRIOR, rank_of

    # the prior table covers every class, with the weights it always had
    assert [RANK_PRIOR[i] for i in sorted(Importance, reverse=True)] == [
        8.0, 8.5, 6.5, 4.5, 4.0, 2.0, 1.0, 0.0]
    assert type(default_lexicon().entry("Bamako").rank) is Importance
    assert default_lexicon().entry("Malian").rank is Importance.COUNTRY
    gao = resolve_text("Troops entered Gao.")[0]
    assert isinstance(rank_of(gao.place), Importance)
    # rule texts still give the class as its number
    assert re.search(r"importance \d, population \d+$", gao.rule), gao.rule
