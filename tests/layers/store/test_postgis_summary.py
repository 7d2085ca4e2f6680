"""``info`` on a database project: SQL aggregates that say what opening the project shows."""

from __future__ import annotations

from collections import Counter

import psycopg
import pytest

from layers.model.changes import StoreError
from layers.store import open_project, save_as
from layers.store.postgis import split_url
from layers.store.summary import summarise_project
from tests.conftest import BUNDLED

pytestmark = pytest.mark.postgres


def _as_opened(url: str) -> tuple[list[tuple[str, int, str]], Counter, Counter]:
    """What a planner sees after opening the whole project."""
    project = open_project(url)
    layers = [(layer.name, len(layer),
               ", ".join(sorted(set(layer.frame.geom_type.dropna()))) or "empty")
              for layer in reversed(project.layers)]
    frame = project.facilities.frame
    categories = Counter(frame["category"].where(frame["category"].notna(), None).tolist())
    precisions = Counter(frame["location_precision"].where(
        frame["location_precision"].notna(), None).tolist())
    return layers, categories, precisions


def test_info_counts_match_the_opened_project(postgis_url):
    save_as(open_project(BUNDLED), postgis_url)
    conninfo, schema = split_url(postgis_url)
    with psycopg.connect(conninfo) as con:  # edits made in QGIS or psql
        con.execute(f"UPDATE {schema}.facilities SET category = NULL, "
                    "location_precision = NULL WHERE id = (SELECT min(id) FROM "
                    f"{schema}.facilities)")
        con.execute(f"UPDATE {schema}.facilities SET geom = 'SRID=4326;POINT EMPTY' "
                    f"WHERE id = (SELECT max(id) FROM {schema}.facilities)")
        con.execute(f"UPDATE {schema}.communities SET geom = NULL")
    summary = summarise_project(postgis_url)
    layers, categories, precisions = _as_opened(postgis_url)
    assert [(s.name, s.count, s.geometry) for s in summary.layers] == layers
    assert layers[-1] == ("communities", 14, "empty")
    assert summary.categories == categories and summary.categories[None] == 1
    assert summary.precisions == precisions
    assert sum(summary.categories.values()) == 23


def test_info_on_a_schema_without_a_project_says_so(postgis_url):
    with pytest.raises(StoreError, match="has no layer 'facilities'"):
        summarise_project(postgis_url)
