"""``geomap extract --map``: the article's title, readable place names (#13, deliverable 7)."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from geomap.cli import cli
from geomap.geoparse.command import article_title, readable_places

ARTICLE = """# Attacks in central Mali

BAMAKO, 12 March 2024 - Gunmen attacked a market in Mopti on 10 March 2024, killing 12 people.
On 11 March 2024, an explosion near Gao killed three soldiers.
"""


def _payload_text(html: str) -> str:
    from geomap.map.payload import unpack

    block = re.search(r'data-encoding="deflate-raw\+base64">([A-Za-z0-9+/=]*)<', html).group(1)
    return json.dumps(unpack(block), ensure_ascii=False)


def test_extract_map_title_and_admin1_names(tmp_path):
    article = tmp_path / "report.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["extract", str(article), "--date", "2024-03-12",
                                      "--map", str(out), "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<title>Attacks in central Mali</title>" in page
    data = _payload_text(page)
    assert '"Mopti"' in data and '"Gao"' in data
    assert "ML.04" not in data and "ML.09" not in data
    assert not re.search(r'<(script|link)[^>]+(src|href)="', page)


def test_article_title_falls_back_to_the_file_name():
    assert article_title("", "a.txt") == "a.txt"
    assert article_title("Title: Niger  news \n body", "a.txt") == "Niger news"


def test_readable_places_names_codes_and_short_countries():
    import pandas as pd

    frame = pd.DataFrame({"admin1": ["ML.04", "ZZ.99", None], "country_code": ["ML", "NE", ""],
                          "country": ["Republic of Mali", "Republic of the Niger", "x"]})
    out = readable_places(frame)
    assert list(out["admin1"])[:2] == ["Mopti", "ZZ.99"]
    assert list(out["country"]) == ["Mali", "Niger", "x"]
