"""Readers of gazetteer sources, each yielding :class:`geomap.index.PlaceRecord`.

* :mod:`geomap.sources.default`: the embedded default (GeoNames cities >= 500,
  countries, curated places);
* :mod:`geomap.sources.geonames`: GeoNames dumps (``allCountries.txt``, ``ML.txt``,
  their ``.zip``), streamed;
* :mod:`geomap.sources.usercsv`: user CSV gazetteers.

:mod:`geomap.importer` picks the reader for a file and loads it into the index.
"""
