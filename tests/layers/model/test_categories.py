"""The category registry is the one lexicon: import, checklists and articles read it."""

from __future__ import annotations

import pytest

from layers.articles.cleaning import clean_article
from layers.articles.extraction import FACILITY_WORDS, extract
from layers.model.categories import CATEGORIES, recognise_category


@pytest.mark.parametrize("category", [c for c in CATEGORIES if c.id != "other"],
                         ids=lambda c: c.id)
def test_every_word_of_a_category_is_recognised_as_it(category):
    for word in (category.label_zh, category.label_en, *category.synonyms,
                 *category.short_forms):
        assert recognise_category(word) == category.id, word


def test_article_extraction_reads_the_registry_synonyms():
    assert FACILITY_WORDS == {c.id: c.synonyms for c in CATEGORIES if c.synonyms}


def test_a_synonym_added_to_the_registry_is_found_in_articles():
    found = extract(clean_article("翠苑一区新建了新时代文明实践站。")).facilities
    assert [(f.category, f.community) for f in found] == [("service_station", "翠苑一区")]


def test_short_forms_are_not_picked_out_of_prose():
    assert extract(clean_article("翠苑一区调整了停车费。")).facilities == []
