"""Word matching on a board: which item raised a reference point, which items group together.

A text is read as a set of features, each a thing two texts can share:

- words: folded (case and accents: "Líderes" meets "lideres"), common words of its language
  dropped ("the", "de"), stemmed by Snowball ("forums" meets "forum", "candidatos" meets
  "candidato"), and tagged with the language they were stemmed in, so an English word never
  meets a Spanish one by looking alike ("once");
- phrases: two neighbouring words ("business owners"), which say more than either word alone;
- concepts: an entry of the glossary (orgkit/board/glossary.csv: English and Spanish ways of
  saying one organizing thing, "candidate forum" = "foro de candidatos"). Across languages, this
  is the only way two texts meet; the longest entry wins ("credit union" is not a union).

A text's language is told by its common words, its accents and the glossary's words; a text that
says nothing either way ("Pastor Ruiz") is read in both. Some words name no group on their own
(WEAK: "local" for business owners, a union and the press): they count a little toward a match
and in phrases, never as a group by themselves.

Pure and bounded: features are cached per text and stems per word, a reveal costs points x items
set intersections, and suggested groups one pass over the items' features (1,000 items read
afresh: about 0.15 s of CPU, benchmarks/matching.py).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

GLOSSARY_FILE = Path(__file__).with_name("glossary.csv")
LANGUAGES = ("en", "es")
_STEMMERS = {"en": snowballstemmer.stemmer("english"), "es": snowballstemmer.stemmer("spanish")}

# Common words in each language, folded (no accents): they say nothing about what a text is about.
STOP = {
    "en": frozenset("""a about above after again all also am an and any are as at be been before
        being below between both but by can could did do does doing down during each few for from
        further had has have having he her here hers him his how i if in into is it its just me
        more most my no nor not now of off on once one only or other our ours out over own same
        she should so some such than that the their theirs them then there these they this those
        through to too under until up very was we were what when where which while who whom whose
        why will with would you your yours st ask asking get make want need""".split()),
    "es": frozenset("""a al algo algun alguna algunas alguno algunos ante antes como con contra
        cual cuales cuando de del desde donde durante e el ella ellas ellos en entre era eran es
        esa esas ese eso esos esta estan estas este esto estos fue fueron ha han hasta hay la las
        le les lo los mas me mi mis mucho muy nada ni no nos nosotros o os otra otras otro otros
        para pero poco por porque que quien quienes se ser si sin sobre son su sus tambien tan te
        tiene tienen todo todos todas toda tu tus un una uno unos unas usted ustedes y ya yo
        hacer hara puede pueden""".split()),
}
# Words that name no group on their own and count little toward a match, folded.
WEAK = {
    "en": frozenset("""local new city community people group groups public big small main
        street avenue area east west north south side other many every everyone person
        thing things""".split()),
    "es": frozenset("""local locales nuevo nueva ciudad comunidad gente personas persona grupo
        grupos publico publica grande pequeno calle avenida zona oeste norte sur lado
        cosa cosas""".split()),
}
_WEAK_FEATURES = frozenset(f"{language}:{_STEMMERS[language].stemWord(word)}"
                           for language in LANGUAGES for word in WEAK[language])
_SPANISH_MARKS = re.compile("[ñáéíóúü¿¡]")
_TOKEN = re.compile(r"[^\W_]+")
MATCH_MIN = 1.0  # the score an item needs to be offered for a reference point
WEAK_WEIGHT = 0.25


def fold(word: str) -> str:
    """Lower case without accents: "Líderes" -> "lideres", "Dueños" -> "duenos"."""
    lowered = word.lower()
    if lowered.isascii():  # most words: no decomposition to do
        return lowered
    return "".join(c for c in unicodedata.normalize("NFKD", lowered)
                   if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Token:
    stem: str
    stop: bool
    start: int
    end: int


@lru_cache(maxsize=65536)
def _stem(language: str, word: str) -> str:
    # Cached: a room's words repeat, and Snowball costs tens of microseconds a word.
    return _STEMMERS[language].stemWord(word)


def _words(text: str) -> list[tuple[str, int, int]]:
    """The text's words folded, with their places in the text; not the "s" of "senator's"."""
    return [(word, match.start(), match.end()) for match in _TOKEN.finditer(text)
            if len(word := fold(match.group())) > 1 or word.isdigit()]


def _tokens(words: list[tuple[str, int, int]], language: str) -> list[_Token]:
    """The words stemmed in `language`."""
    stop = STOP[language]
    return [_Token(word if word.isdigit() else _stem(language, word), word in stop, start, end)
            for word, start, end in words]


@dataclass(frozen=True)
class _Entry:
    concept: int
    stems: tuple[str, ...]
    stops_only: bool  # "uno a uno": matched on every word, not on the words that are not stop


@lru_cache(maxsize=1)
def _glossary() -> dict[str, dict[str, tuple[_Entry, ...]]]:
    """The glossary per language, indexed by an entry's first word."""
    entries: dict[str, dict[str, list[_Entry]]] = {language: {} for language in LANGUAGES}
    with open(GLOSSARY_FILE, newline="", encoding="utf-8") as handle:
        for concept, row in enumerate(csv.DictReader(handle)):
            for language in LANGUAGES:
                for phrase in row[language].split("|"):
                    tokens = _tokens(_words(phrase.strip()), language)
                    content = tuple(t.stem for t in tokens if not t.stop)
                    entry = _Entry(concept, content or tuple(t.stem for t in tokens), not content)
                    entries[language].setdefault(entry.stems[0], []).append(entry)
    return {language: {first: tuple(found) for first, found in index.items()}
            for language, index in entries.items()}


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    """Words that say a text's language: each language's stop words and glossary words that the
    other language does not share."""
    words = {language: set(STOP[language]) for language in LANGUAGES}
    with open(GLOSSARY_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for language in LANGUAGES:
                words[language].update(fold(w) for w in _TOKEN.findall(row[language]))
    en, es = words["en"], words["es"]
    return {"en": frozenset(en - es), "es": frozenset(es - en)}


def languages(text: str, words: list[tuple[str, int, int]] | None = None) -> tuple[str, ...]:
    """The language(s) a text is read in: the one its words point to, or both when they do not."""
    lexicon = _lexicon()
    words = [word for word, _, _ in (_words(text) if words is None else words)]
    # A plural of a glossary word counts ("tenants"): no stemmer yet, the language is unknown.
    words += [word[:-1] for word in words if word.endswith("s")]
    es = sum(w in lexicon["es"] for w in words) + len(_SPANISH_MARKS.findall(text.lower()))
    en = sum(w in lexicon["en"] for w in words) + text.lower().count("'s")
    if es == en:
        return LANGUAGES
    return ("es",) if es > en else ("en",)


@dataclass(frozen=True)
class Reading:
    """What one text offers to be matched on: feature -> the words that spell it in the text, and
    the weight of the features that do not count 1 (a weak word, a glossary phrase of n words)."""

    features: dict[str, str]
    weights: dict[str, float]

    def weight(self, feature: str) -> float:
        return self.weights.get(feature, 1.0)


@lru_cache(maxsize=16384)
def read(text: str) -> Reading:
    """The features of a text (cached: an item is read once, not on every redraw of its board)."""
    features: dict[str, str] = {}
    weights: dict[str, float] = {}
    lowered = text.lower()
    words = _words(text)
    for language in languages(text, words):
        tokens = _tokens(words, language)
        content = [t for t in tokens if not t.stop]
        for token in content:
            feature = f"{language}:{token.stem}"
            features.setdefault(feature, lowered[token.start:token.end])
            if feature in _WEAK_FEATURES:
                weights[feature] = WEAK_WEIGHT
        for first, second in zip(content, content[1:]):
            features.setdefault(f"{language}:{first.stem} {second.stem}",
                                text[first.start:second.end])
        for entry, spelled in _concepts(text, tokens, content, language):
            features.setdefault(f"glossary:{entry.concept}", spelled)
            if len(entry.stems) > 1:  # "one on one" says more than "meeting"
                weights[f"glossary:{entry.concept}"] = float(len(entry.stems))
    return Reading(features, weights)


def _concepts(text: str, tokens: list[_Token], content: list[_Token],
              language: str) -> list[tuple[_Entry, str]]:
    """The glossary's concepts in a text, longest first; a word belongs to one concept at most."""
    index = _glossary()[language]
    found = []  # (entry, its words in the text)
    for words in (content, tokens):
        stems = [t.stem for t in words]
        for at, stem in enumerate(stems):
            for entry in index.get(stem, ()):
                if (entry.stops_only == (words is tokens)
                        and tuple(stems[at:at + len(entry.stems)]) == entry.stems):
                    found.append((entry, words[at:at + len(entry.stems)]))
    found.sort(key=lambda match: -len(match[0].stems))
    used: set[int] = set()  # places (start) of words already taken by a longer entry
    concepts = []
    for entry, span in found:
        if not any(t.start in used for t in span):
            used.update(t.start for t in span)
            concepts.append((entry, text[span[0].start:span[-1].end]))
    return concepts


def score(point: Reading, item: Reading) -> float:
    """How much a reference point and an item share (0: nothing that counts)."""
    return sum(item.weight(f) for f in point.features.keys() & item.features.keys())


def best_match(point: str, items: list[tuple[int, str]]) -> int | None:
    """The id of the item (id, text) that shares most with `point`, if it shares enough; on a
    tie, the first."""
    wanted = read(point)
    best, best_id = MATCH_MIN - 1e-9, None
    for item_id, text in items:
        shared = score(wanted, read(text))
        if shared > best:
            best, best_id = shared, item_id
    return best_id


def _group_key(feature: str) -> bool:
    """Whether a feature may name a group: not a word too weak to stand alone."""
    return feature not in _WEAK_FEATURES


def groups(items: list[tuple[int, str]], themes: list[str], most: int,
           ) -> list[tuple[str, tuple[int, ...]]]:
    """Groups of items (id, text) that share a feature, as (name, item ids), biggest first.

    Each item is offered once, under the feature it shares with the most other items; on a tie,
    a feature that names an existing theme (which then gives the group its name, and may take a
    single item), then the one whose items share the most features ("campaign" and "funders"
    over "senator" alone), then a concept or phrase before a single word. A group's name is how
    its first item spells the shared feature."""
    by_feature: dict[str, list[int]] = {}
    spelled: dict[str, str] = {}
    for item_id, text in items:
        for feature, words in read(text).features.items():
            if _group_key(feature):
                spelled.setdefault(feature, words)
                by_feature.setdefault(feature, []).append(item_id)
    named = {}
    for name in themes:
        for feature in read(name).features:
            named.setdefault(feature, name)
    by_feature = {feature: ids for feature, ids in by_feature.items()
                  if len(ids) > 1 or feature in named}
    # How many features the same items share: a tight group before one word that crosses others.
    support = Counter(frozenset(ids) for ids in by_feature.values())

    def order(feature: str) -> tuple:
        ids = by_feature[feature]
        phrase = feature.startswith("glossary:") or " " in feature
        return (-len(ids), feature not in named, -support[frozenset(ids)], not phrase, feature)

    taken: set[int] = set()
    offered = []
    for feature in sorted(by_feature, key=order):
        ids = tuple(i for i in dict.fromkeys(by_feature[feature]) if i not in taken)
        if len(ids) < (1 if feature in named else 2):  # one item may join an existing theme
            continue
        taken.update(ids)
        words = spelled[feature]
        offered.append((named.get(feature) or words[:1].upper() + words[1:], ids))
        if len(offered) == most:
            break
    return offered
