"""Building the bundled dataset from the article texts and a curation file.

The curation file names each community and facility, its category, an
approximate position and the verbatim quotes that support it. The build cleans
every article and refuses any quote that is not in the cleaned text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import tomllib

from layers.articles.cleaning import CleanArticle, clean_article_file
from layers.geo.admin_areas import fill_admin_fields, fill_summary
from layers.io.project_file import write_project_layers
from layers.model.categories import is_category
from layers.model.numbers import Quantity, find_quantities, parse_quantity
from layers.model.schema import COMMUNITIES, FACILITIES, STORAGE_CRS
from layers.resources import data_path

DATA_DIR = data_path()
ARTICLES_DIR = DATA_DIR / "articles"
CURATION_FILE = DATA_DIR / "curation.toml"
_ID_NAMESPACE = uuid.UUID("6f1c54b2-4a0e-4a8e-9d3c-5b1f2d6e7a10")
QUOTE_SEPARATOR = "\n"


class CurationError(ValueError):
    """A curation entry the build refuses, naming the entry and the reason."""


@dataclass
class BuiltDataset:
    """The result of a dataset build."""

    communities: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    seats: dict[str, tuple[float, float]]
    quote_count: int
    #: what the bundled boundaries filled in, one line ("" for nothing)
    filled: str = ""


def source_file(source: str) -> str:
    """Return the article file name at the start of a ``source`` field.

    Parameters
    ----------
    source : str
        A value such as ``"001_x.txt 《标题》"``.

    Returns
    -------
    str
        The file name.
    """
    return (source or "").split(" ", 1)[0]


def split_quote(quote: str) -> list[str]:
    """Split a stored ``quote`` field into its verbatim passages.

    Parameters
    ----------
    quote : str
        The stored field.

    Returns
    -------
    list of str
        Non-empty passages.
    """
    return [q for q in (quote or "").split(QUOTE_SEPARATOR) if q.strip()]


def load_articles(folder: Path = ARTICLES_DIR) -> dict[str, CleanArticle]:
    """Clean every article in ``folder``.

    Parameters
    ----------
    folder : Path
        Folder of ``.txt`` or ``.html`` articles.

    Returns
    -------
    dict of str to CleanArticle
        File name to cleaned article.
    """
    return {
        p.name: clean_article_file(p)
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in (".txt", ".html", ".htm")
    }


def build_dataset(curation: Path = CURATION_FILE,
                  articles_dir: Path = ARTICLES_DIR) -> BuiltDataset:
    """Build the communities and facilities frames from the curation file.

    Parameters
    ----------
    curation : Path
        The TOML curation file.
    articles_dir : Path
        Folder holding the articles the curation cites.

    Returns
    -------
    BuiltDataset
        Frames in EPSG:4326 plus the seat reference points.

    Raises
    ------
    CurationError
        If a quote is not in its cleaned article, a category or community is
        unknown, or a number is not stated in the quote.
    """
    spec = tomllib.loads(curation.read_text(encoding="utf-8"))
    articles = load_articles(articles_dir)
    quotes = 0
    community_rows = []
    for entry in spec.get("communities", []):
        community_rows.append(_row(entry, COMMUNITIES.fields, articles, "approximate-district"))
        quotes += len(entry.get("quote", []))
    names = {r["name"] for r in community_rows}
    facility_rows = []
    for entry in spec.get("facilities", []):
        if not is_category(entry.get("category", "")):
            raise CurationError(f"{entry.get('name')}: unknown category {entry.get('category')}")
        if entry.get("community") not in names:
            raise CurationError(f"{entry.get('name')}: unknown community {entry.get('community')}")
        facility_rows.append(_row(entry, FACILITIES.fields, articles, "approximate-community"))
        quotes += len(entry.get("quote", []))
    seats = {k: (float(v[0]), float(v[1])) for k, v in spec.get("seats", {}).items()}
    communities, counts = fill_admin_fields(_frame(community_rows))
    return BuiltDataset(communities, _frame(facility_rows), seats, quotes,
                        fill_summary(counts))


def _row(entry: dict[str, Any], fields: dict[str, str], articles: dict[str, CleanArticle],
         precision: str) -> dict[str, Any]:
    name = entry.get("name", "")
    file = entry.get("source", "")
    if file not in articles:
        raise CurationError(f"{name}: article {file!r} not found")
    article = articles[file]
    passages = entry.get("quote", [])
    if isinstance(passages, str):
        passages = [passages]
    if not passages:
        raise CurationError(f"{name}: no quote")
    for passage in passages:
        if article.find(passage) < 0:
            raise CurationError(f"{name}: quote not found in cleaned {file}: {passage[:30]}…")
    joined = QUOTE_SEPARATOR.join(passages)
    numbers: dict[str, float | int] = {}
    approximate: list[str] = []
    for key in ("households", "population", "built_year", "elderly_share"):
        value = entry.get(key)
        if isinstance(value, str):  # the verbatim phrase, e.g. "近一万人口": read it
            quantity = _stated_phrase(name, key, value, joined)
            numbers[key] = quantity.whole if quantity.whole is not None else quantity.value
            if quantity.approximate:
                approximate.append(f"{key} {quantity.describe()}（原文“{quantity.text}”）")
        elif value is not None:
            if not _stated(value, joined):
                raise CurationError(f"{name}: {key}={value} is not stated in its quote")
            numbers[key] = value
    lon, lat = entry["lonlat"]
    note = "Position placed by hand, not surveyed: the article gives no coordinates."
    row: dict[str, Any] = {k: entry.get(k) for k in fields}
    row.update(numbers)
    row.update(
        id=str(uuid.uuid5(_ID_NAMESPACE, f"{file}/{name}")),
        source=f"{file} 《{article.title}》",
        quote=joined,
        location_precision=entry.get("location_precision", precision),
        notes=" ".join(x for x in (note, entry.get("notes"), *approximate) if x),
        geometry=shapely.Point(float(lon), float(lat)),
    )
    row["_seat"] = entry.get("seat")
    return row


def _number_text(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _stated(value: float | int, quote: str) -> bool:
    """Whether the quote states ``value``, in Arabic digits or in Chinese numerals."""
    if _number_text(value) in quote:
        return True
    return any(q.value == float(value) for q in find_quantities(quote))


def _stated_phrase(name: str, key: str, phrase: str, quote: str) -> Quantity:
    """Read a curated phrase such as ``"近一万人口"``; it must be in the quote."""
    if phrase not in quote:
        raise CurationError(f"{name}: {key}={phrase!r} is not in its quote")
    quantity = parse_quantity(phrase)
    if quantity is None:
        raise CurationError(f"{name}: {key}={phrase!r} is not one number")
    wanted = {"households": ("户",), "population": ("人",)}.get(key)
    if wanted and quantity.unit not in wanted:
        raise CurationError(f"{name}: {key}={phrase!r} does not count {wanted[0]}")
    return quantity


def _frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    geometry = [r.pop("geometry") for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=STORAGE_CRS)


def write_dataset(dataset: BuiltDataset, path: Path) -> None:
    """Write a built dataset as a project GeoPackage (atomically).

    Parameters
    ----------
    dataset : BuiltDataset
        The build result.
    path : Path
        Target ``.gpkg``.
    """
    from layers.model.layer import conform

    write_project_layers(
        path,
        {
            "communities": conform(dataset.communities.drop(columns="_seat"), COMMUNITIES),
            "facilities": conform(dataset.facilities.drop(columns="_seat"), FACILITIES),
        },
    )
