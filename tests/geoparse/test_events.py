"""Tests for geomap.geoparse.events: candidate incidents, their dates and their tables."""

from __future__ import annotations

import datetime as dt

from geoparse_cases import ACCEPTANCE

from geomap.geoparse import events_frame, extract_events, geoparse, mentions_frame


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
