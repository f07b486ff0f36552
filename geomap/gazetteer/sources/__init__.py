"""Readers of gazetteer sources, each yielding :class:`geomap.gazetteer.records.PlaceRecord`.

* :mod:`geomap.gazetteer.sources.default`: the embedded default (GeoNames cities >= 500,
  countries, curated places);
* :mod:`geomap.gazetteer.sources.geonames`: GeoNames dumps (``allCountries.txt``, ``ML.txt``,
  their ``.zip``), streamed;
* :mod:`geomap.gazetteer.sources.usercsv`: user CSV gazetteers.

:mod:`geomap.gazetteer.importer` picks the reader for a file and loads it into the index.
"""

__all__ = ["default", "geonames", "usercsv"]
