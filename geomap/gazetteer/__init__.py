"""The gazetteer: a place name as people write it -> a :class:`~geomap.place.Match`.

The flow inside: :mod:`~geomap.gazetteer.normalize` turns a name into lookup keys;
:mod:`~geomap.gazetteer.index` (the only module that speaks SQL) holds the places of every
source (:mod:`~geomap.gazetteer.sources`, loaded by :mod:`~geomap.gazetteer.importer`) and
answers with the named records of :mod:`~geomap.gazetteer.records`;
:mod:`~geomap.gazetteer.lookup` finds the candidates of one name with its
:class:`~geomap.place.Hints` (:mod:`~geomap.gazetteer.fuzzy` for typos,
:mod:`~geomap.gazetteer.area` for the hinted area) and
:mod:`~geomap.gazetteer.ranking` orders them and words the rule;
:mod:`~geomap.gazetteer.doubt` says when the best is only a guess (ambiguous, a loose
spelling where it says nothing) and what precision it earns;
:mod:`~geomap.gazetteer.features` says what a feature is worth;
:mod:`~geomap.gazetteer.batch` resolves many names once each, then, when asked,
:mod:`~geomap.gazetteer.coherence` lets a dataset's certain places locate its doubtful
ones (coherence calls lookup, never the reverse).

Examples
--------
>>> from geomap.gazetteer import default_gazetteer
>>> default_gazetteer().lookup("Bamakó").place.name
'Bamako'
"""

from geomap.gazetteer.lookup import Gazetteer, default_gazetteer

__all__ = ["Gazetteer", "default_gazetteer"]
