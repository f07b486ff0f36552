"""Tests of geomap.map.payload: incidents, layers and labels encoded for the page, packing."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from support import decode, make_incidents

from geomap.map.payload import (
    EVENT_GROUPS,
    MONTH_NAMES,
    encode_incidents,
    event_group_index,
    format_event_date,
    pack,
    page_labels,
    to_escaped_json,
    unpack,
)
from geomap.place import PRECISION_LABELS

# --------------------------------------------------------------------------- the data


def test_text_is_dictionary_encoded(incidents):
    events = encode_incidents(incidents)
    country = events["text"]["country"]
    assert country["v"] == ["Mali", "Algeria", "United States"]
    assert decode(country) == list(incidents["country"])
    assert decode(events["text"]["actor2"])[2] is None


def test_dates_and_precision(incidents):
    events = encode_incidents(incidents)
    assert "date" not in events["text"]  # the page formats labels from day + precision
    assert events["day"][0] == (pd.Timestamp("2023-12-05") - pd.Timestamp("1970-01-01")).days
    assert events["time_precision"][:3] == [1, 3, 1]  # ACLED's codes: 3 is a month


#: ACLED rows coded 14 August 2024 with each time precision, and a year-only date.
ACLED_DATES = pd.DataFrame({
    "event_id_cnty": ["E1", "E2", "E3", "E4"],
    "event_date": ["14 August 2024", "14 August 2024", "14 August 2024", "2024"],
    "time_precision": ["1", "2", "3", ""],
    "location": ["Gao"] * 4, "latitude": [16.27, 16.28, 16.29, 16.30],
    "longitude": [-0.04] * 4,
})


def test_acled_precision_reaches_the_popup_as_acled_means_it():
    from geomap.incidents import filter_incidents, load_incidents

    incidents = load_incidents(ACLED_DATES).incidents
    events = encode_incidents(incidents)
    assert events["time_precision"] == [1, 2, 3, 4]
    epoch = pd.Timestamp("1970-01-01")
    shown = [format_event_date(epoch + pd.Timedelta(days=day), precision)
             for day, precision in zip(events["day"], events["time_precision"], strict=True)]
    assert shown == ["2024-08-14", "around 14 August 2024 (week)", "August 2024", "2024"]
    # the page reads the same periods: a week around the coded day, the month, the year
    kept = filter_incidents(incidents, start="2024-08-16", end="2024-08-20")
    assert kept["event_id_cnty"].tolist() == ["E2", "E3", "E4"]


def test_format_event_date_missing():
    assert format_event_date(None) is None
    assert format_event_date(pd.NaT, 2) is None
    assert format_event_date(pd.Timestamp("2024-02-29"), 7) == "2024-02-29"


def test_rows_without_coordinates_are_left_out(caplog):
    frame = make_incidents()
    frame.loc[2, "geometry"] = None
    events = encode_incidents(frame)
    assert len(events["lat"]) == len(frame) - 1
    assert "MLI3" not in decode(events["text"]["event_id_cnty"])
    assert "without usable coordinates" in caplog.text


def test_plain_dataframe_uses_lat_lon_columns():
    frame = pd.DataFrame(make_incidents().drop(columns="geometry"))
    events = encode_incidents(frame)
    assert events["lat"][3] == 1_265_000


def test_projected_geometry_is_reprojected():
    frame = make_incidents().to_crs("EPSG:3857")
    events = encode_incidents(frame)
    assert events["lat"][0] == pytest.approx(1_995_000, abs=10)
    assert events["lon"][0] == pytest.approx(295_000, abs=10)


# --------------------------------------------------------------------------- escaping


def test_escaped_json_characters():
    text = to_escaped_json(["<>&\u2028\u2029`\\1${x}"])
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == ["<>&\u2028\u2029`\\1${x}"]


def test_escaped_json_refuses_nan():
    with pytest.raises(ValueError):
        to_escaped_json([float("nan")])


# --------------------------------------------------------------------------- links


def test_only_http_links(incidents):
    text = encode_incidents(incidents)["text"]
    links = decode(text["source_link"])
    others = decode(text["source_url"])
    assert links[0] == "https://example.org/a"
    assert links[2] == "http://example.com/k"
    assert links[1] is None and others[1] == "javascript:alert(1)"
    assert links[5] is None and others[5] == "ftp://example.net/x"
    assert all(link is None or re.match(r"https?://", link) for link in links)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "https://",
        "http:/relative",
        "https://exa mple.org/",
        "//example.org/x",
    ],
)
def test_non_web_urls_are_never_links(url):
    frame = make_incidents()
    frame.loc[0, "source_url"] = url
    assert decode(encode_incidents(frame)["text"]["source_link"])[0] is None


# --------------------------------------------------------------------------- groups, legend


def test_event_groups():
    assert [g.label for g in EVENT_GROUPS[:6]] == [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Riots",
        "Protests",
        "Strategic developments",
    ]
    assert len({g.color for g in EVENT_GROUPS}) == len(EVENT_GROUPS)
    assert event_group_index("violence  AGAINST civilians") == 2
    assert event_group_index(None) == len(EVENT_GROUPS) - 1


def test_pack_in_pieces_is_one_stream():
    import random

    rng = random.Random(1)
    big = {"notes": ["".join(rng.choice("abcdefgh <>&\u00e9") for _ in range(200))
                     for _ in range(30_000)]}  # > 4 MB of JSON: several pieces
    assert unpack(pack(big)) == big


# --------------------------------------------------------------------------- labels


def test_labels_python_knows_are_sent():
    labels = page_labels()
    assert labels["geo_precision"] == {str(k): v for k, v in PRECISION_LABELS.items()}
    assert labels["months"] == list(MONTH_NAMES)
    assert labels["time_precision"] == {"1": "day", "2": "week", "3": "month", "4": "year"}
    assert labels["week"] == {"label": "around {day} (week)", "half_days": 3}
    json.dumps(labels, allow_nan=False)  # JSON as it is


@pytest.mark.parametrize("month", range(1, 13))
def test_month_labels_come_from_the_one_table(month):
    stamp = pd.Timestamp(year=2024, month=month, day=1)
    assert format_event_date(stamp, 3) == f"{MONTH_NAMES[month - 1]} 2024"
    assert MONTH_NAMES[month - 1] == stamp.month_name()

