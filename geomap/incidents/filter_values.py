"""Filter values the data does not hold: an error that lists the data's values.

``--type Battle`` on data whose type is "Battles" would keep nothing and write an empty
map. :func:`require_matches` refuses such a value before any filtering: each value of a
named criterion (:data:`CHOICES`) must keep at least one incident on its own, by the very
rule of :func:`~geomap.incidents.filters.filter_incidents` (:data:`CRITERIA
<geomap.incidents.filters.CRITERIA>`). The error names the value, the closest value of
the data ("did you mean", RapidFuzz's WRatio on name keys, at least
:data:`SUGGESTION_SCORE`) and the data's values (:data:`MAX_LISTED` of them at most).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"event_type": ["Battles", "Riots", "Battles"]})
>>> require_matches(t, event_types=["battles"])
>>> try:
...     require_matches(t, event_types=["Battle"])
... except FilterError as err:
...     print(str(err).partition("; ")[2])
did you mean 'Battles'? (event types in the data: Battles, Riots)
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from rapidfuzz import fuzz, process

from geomap.errors import FilterError
from geomap.gazetteer.normalize import name_key
from geomap.incidents.filters import ACTOR_FILTER_COLUMNS, AREA_COLUMNS, CRITERIA

__all__ = ["CHOICES", "MAX_LISTED", "SUGGESTION_SCORE", "data_values", "require_matches"]

#: Criterion of :func:`~geomap.incidents.filters.filter_incidents` -> what a message calls
#: one value and several, and the columns whose values the data offers.
CHOICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "countries": ("country", "countries", ("country_code",)),
    "event_types": ("event type", "event types", ("event_type",)),
    "admin1": ("admin1", "admin1 names", AREA_COLUMNS[:1]),
    "areas": ("area", "admin1-3 names", AREA_COLUMNS),
    "actors": ("actor", "actors", ACTOR_FILTER_COLUMNS),
}
#: The least RapidFuzz WRatio (0-100) for the closest value to be suggested.
SUGGESTION_SCORE = 70.0
#: How many of the data's values a message lists at most.
MAX_LISTED = 12


def data_values(incidents: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The distinct non-empty values of ``columns``, one spelling per name key, sorted.

    Examples
    --------
    >>> t = pd.DataFrame({"admin1": ["Ménaka", "Kidal"], "admin2": ["Menaka", ""]})
    >>> data_values(t, ["admin1", "admin2"])
    ['Kidal', 'Ménaka']
    """
    present = [incidents[c] for c in columns if c in incidents.columns]
    if not present:
        return []
    values = pd.concat(present, ignore_index=True).dropna().astype(str).str.strip()
    distinct = pd.Series(values[values.ne("")].unique(), dtype=object)
    keys = distinct.map(name_key)
    kept = distinct[keys.ne("") & ~keys.duplicated()]
    return sorted(kept, key=lambda v: (name_key(v), v))


def _message(what: str, plural: str, value: str, offered: list[str]) -> str:
    best = process.extractOne(value, offered, scorer=fuzz.WRatio, processor=name_key,
                              score_cutoff=SUGGESTION_SCORE) if offered else None
    listed = ", ".join(offered[:MAX_LISTED]) or "none"
    if len(offered) > MAX_LISTED:
        listed += f", ... ({len(offered)} in all)"
    hint = f"; did you mean {best[0]!r}?" if best else ""
    return f"{what} {value!r} matches no event in the data{hint} ({plural} in the data: {listed})"


def require_matches(incidents: pd.DataFrame, **criteria: Sequence[str] | None) -> None:
    """Refuse a value of a :data:`CHOICES` criterion that keeps no incident of the table.

    Parameters
    ----------
    incidents : DataFrame
        The whole table, before any filtering. An empty table has nothing to match.
    **criteria : sequence of str
        ``countries``, ``event_types``, ``admin1``, ``areas``, ``actors``: the values
        given to :func:`~geomap.incidents.filters.filter_incidents`.

    Raises
    ------
    FilterError
        For the first value that matches nothing, with the closest value of the data.
    """
    if incidents.empty:
        return
    for criterion, values in criteria.items():
        what, plural, columns = CHOICES[criterion]
        for value in [values] if isinstance(values, str) else values or ():
            if not CRITERIA[criterion](incidents, [value]).any():
                raise FilterError(_message(what, plural, str(value),
                                           data_values(incidents, columns)))
