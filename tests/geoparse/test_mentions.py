"""Tests for geomap.geoparse.mentions: which spans of a text name places."""

from __future__ import annotations

from geoparse_cases import ACCEPTANCE, mention_texts

from geomap.geoparse import find_mentions, resolve_text


def test_mentions_offsets_point_into_the_text():
    for m in find_mentions(ACCEPTANCE):
        assert ACCEPTANCE[m.start:m.end] == m.text
    assert mention_texts(ACCEPTANCE) == ["Tin Zaouatine", "Algeria", "Bamako", "Malian",
                                         "Algiers"]


def test_common_words_that_are_place_names_are_not_mentions():
    text = "The Police said in May that the Street and University were closed."
    assert mention_texts(text) == []


def test_lowercase_words_are_never_mentions():
    assert mention_texts("we walked from gao to kidal") == []


def test_people_are_not_places():
    text = "President Obama met Chiquita Raquel Henry in Bamako."
    assert mention_texts(text) == ["Bamako"]


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
    assert mention_texts("He flew to New York on Monday.") == ["New York"]
