"""``geomap check``: options reach the QA and its report goes to stdout or a file.

The QA itself is tested in tests/incidents/test_qa.py.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import geomap.incidents.qa as qa


@pytest.fixture
def seen(monkeypatch) -> dict:
    calls: dict = {}
    report = SimpleNamespace(issues=pd.DataFrame({"row": [3], "issue": ["far"]}),
                             summary=lambda: "a.csv: checked 1 of 1 rows", hint="",
                             rejected=pd.DataFrame())

    def check_coordinates(path, *, threshold_km, include_unresolved, on_bad_rows="strict"):
        calls.update(path=path, threshold_km=threshold_km, unresolved=include_unresolved)
        return report

    def write_report(got, output, *, raw_csv=False):
        calls["written"] = (got is report, output)
        calls["raw_csv"] = raw_csv

    monkeypatch.setattr(qa, "check_coordinates", check_coordinates)
    monkeypatch.setattr(qa, "write_report", write_report)
    return calls


def test_check_to_stdout_with_defaults(run, seen) -> None:
    result = run("check", "a.csv")
    assert result.exit_code == 0, result.output
    assert seen == {"path": "a.csv", "threshold_km": 50.0, "unresolved": False}
    assert result.stdout == "row,issue\n3,far\n"
    assert result.stderr == "a.csv: checked 1 of 1 rows\n"


def test_check_to_a_file(run, seen, tmp_path: Path) -> None:
    out = str(tmp_path / "r.csv")
    result = run("check", "a.csv", "-o", out, "--threshold-km", "7.5", "--unresolved")
    assert result.exit_code == 0, result.output
    assert (seen["threshold_km"], seen["unresolved"], seen["written"]) == (7.5, True, (True, out))
    assert result.stdout == ""


def test_check_rejects_a_bad_threshold(run, seen) -> None:
    result = run("check", "a.csv", "--threshold-km", "0")
    assert result.exit_code == 2 and "--threshold-km" in result.stderr and not seen


def test_the_command_default_threshold_is_qas() -> None:
    from geomap.cli.check import DEFAULT_THRESHOLD_KM
    from geomap.incidents import qa

    assert DEFAULT_THRESHOLD_KM == qa.DEFAULT_THRESHOLD_KM
