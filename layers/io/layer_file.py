"""Writing one layer to a file of its own: GeoPackage or GeoJSON, chosen by the suffix."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd

from layers.io.atomic import atomic_path, atomic_write_text

#: Suffixes a layer can be written as.
LAYER_FILE_SUFFIXES = (".gpkg", ".geojson", ".json")


def write_layer_file(frame: gpd.GeoDataFrame, out: str | os.PathLike, layer: str) -> Path:
    """Write a layer's features to ``out`` atomically; the suffix picks the format.

    Parameters
    ----------
    frame : GeoDataFrame
        The features (EPSG:4326).
    out : path-like
        A ``.gpkg``, ``.geojson`` or ``.json`` file; an existing one is replaced whole.
    layer : str
        The layer's name inside a GeoPackage.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ValueError
        For another suffix.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".gpkg":
        import pyogrio

        with atomic_path(out) as tmp:
            pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG",
                                    promote_to_multi=True, use_arrow=True)
        return out
    if suffix in (".geojson", ".json"):
        return atomic_write_text(out, frame.to_json(ensure_ascii=False, drop_id=True))
    raise ValueError(f"cannot write {out.name}: use .gpkg or .geojson")
