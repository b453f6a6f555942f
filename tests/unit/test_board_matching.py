"""The board's word matching (orgkit.board.matching): the reveal's suggestions and the suggested
groups, on the examples of issue 22 and the rules that make them come out right (folding, stop
words per language, stems, phrases over weak words, the glossary as the only bridge between
languages). How good it is overall is measured by benchmarks/matching.py."""
import csv

import pytest

from orgkit.board import matching
from orgkit.board.model import suggest_groups, suggest_matches
from tests.unit.test_board_rules import make_item, make_snapshot


def best(point, *texts):
    """The text the reveal offers for `point` among `texts` (None: none)."""
    (pick,) = suggest_matches([point], [make_item(n, t) for n, t in enumerate(texts, start=1)])
    return None if pick is None else texts[pick - 1]


def offered(*texts, themes=()):
    items = [make_item(n, t) for n, t in enumerate(texts, start=1)]
    return {group.name: sorted(texts[i - 1] for i in group.item_ids)
            for group in suggest_groups(make_snapshot(items, themes=themes))}


@pytest.mark.parametrize("point, items, expected", [
    # The examples, each way round and in either order.
    ("Campaign funders", ("Union local endorses the rep", "Who funds the senator's campaign"),
     "Who funds the senator's campaign"),
    ("Campaign funders", ("Who funds the senator's campaign", "Union local endorses the rep"),
     "Who funds the senator's campaign"),
    ("Who funds the senator's campaign", ("Union local endorses the rep", "Campaign funders"),
     "Campaign funders"),
    ("Candidate forums", ("Candidatos a la alcaldía", "Foro de candidatos"), "Foro de candidatos"),
    ("Foro de candidatos", ("Candidate forums",), "Candidate forums"),
    # Stems: plurals and verb forms meet, in each language.
    ("Candidate forum", ("Candidate forums",), "Candidate forums"),
    ("Sindicatos", ("Sindicato de trabajadores del hotel",), "Sindicato de trabajadores del hotel"),
    # Accents folded: typed with or without them.
    ("Líderes religiosos", ("lideres religiosos de la parroquia",),
     "lideres religiosos de la parroquia"),
    # "one-on-one" is all common words, and still a phrase the glossary knows, in both languages.
    ("One-on-one meetings", ("Reuniones uno a uno con vecinos", "Junta de vecinos"),
     "Reuniones uno a uno con vecinos"),
    ("One-on-one meetings with leaders", ("Meet the mayor's chief of staff",
                                          "Hold one-on-ones with the block captains"),
     "Hold one-on-ones with the block captains"),
    # The longest glossary entry wins: a credit union is not a union.
    ("Sindicatos", ("Credit union on Main", "Hotel workers' union"), "Hotel workers' union"),
])
def test_the_reveal_offers_the_item_that_raised_the_point(point, items, expected):
    assert best(point, *items) == expected


@pytest.mark.parametrize("point, items", [
    # Only common words in common ("de la", "the"), in either language.
    ("Preguntas de la comunidad", ("Dueños de la tienda",)),
    ("Who is on the list", ("What is the plan",)),
    # A weak word alone is not a match.
    ("Local businesses", ("Union Local 1199", "Local press and radio")),
    # Across languages only through the glossary: "familias" and "families" look alike, and the
    # glossary does not say they are one thing, so they do not meet.
    ("Familias del barrio", ("Families in the neighborhood",)),
])
def test_the_reveal_offers_nothing_when_nothing_that_counts_is_shared(point, items):
    assert best(point, *items) is None


def test_local_is_not_offered_as_a_group_for_business_owners_a_union_and_the_press():
    groups = offered("Local business owners on Main St", "Union Local 1199",
                     "Local press and radio", "Small businesses on 5th Avenue",
                     "Teachers' union")
    assert "Local" not in groups
    assert sorted(groups.values()) == [
        ["Local business owners on Main St", "Small businesses on 5th Avenue"],
        ["Teachers' union", "Union Local 1199"]]


def test_suggested_groups_gather_one_thing_said_in_two_languages():
    groups = offered("Foro de candidatos", "Candidate forums", "Reuniones uno a uno",
                     "One-on-one meetings with leaders")
    assert sorted(groups.values()) == [
        ["Candidate forums", "Foro de candidatos"],
        ["One-on-one meetings with leaders", "Reuniones uno a uno"]]


def test_a_group_is_the_tight_one_when_two_words_tie():
    # "senator" and "campaign" each reach three items; the funding items share more.
    groups = offered("Who funds the senator's campaign", "Campaign funders",
                     "Big donors to the campaign", "Senator Ortiz's chief of staff",
                     "State senator Ortiz")
    assert sorted(groups.values()) == [
        ["Big donors to the campaign", "Campaign funders", "Who funds the senator's campaign"],
        ["Senator Ortiz's chief of staff", "State senator Ortiz"]]


def test_a_group_is_named_as_its_first_item_spells_it_or_by_the_theme_it_joins():
    assert offered("Negocios locales de la calle 5", "Asociación de negocios latinos") == {
        "Negocios": ["Asociación de negocios latinos", "Negocios locales de la calle 5"]}
    assert offered("Iglesia San José", themes=[(4, "Churches")]) == {
        "Churches": ["Iglesia San José"]}


@pytest.mark.parametrize("text, expected", [
    ("Preguntas para el foro de candidatos", ("es",)),
    ("¿Quién financia la campaña?", ("es",)),
    ("Who funds the senator's campaign", ("en",)),
    ("Tenants", ("en",)),  # a glossary word says the language of a text of one word
    ("Pastor Ruiz", ("en", "es")),  # nothing says which: read in both
])
def test_a_text_is_read_in_the_language_its_words_point_to(text, expected):
    assert matching.languages(text) == expected


def test_folding_drops_case_and_accents():
    assert matching.fold("Líderes Dueños ÁRBOL") == "lideres duenos arbol"


def test_the_glossary_pairs_at_least_thirty_organizing_terms_each_readable_in_both_languages():
    with open(matching.GLOSSARY_FILE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 30
    for row in rows:
        for language in matching.LANGUAGES:
            phrases = row[language].split("|")
            assert all(phrase.strip() for phrase in phrases), row
    # Every phrase is found in itself once read: none is lost to stop words or stems.
    for concept, row in enumerate(rows):
        for language in matching.LANGUAGES:
            for phrase in row[language].split("|"):
                assert f"glossary:{concept}" in matching.read(phrase).features, phrase
