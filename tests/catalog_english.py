"""What the Spanish tests look for: runs of English words that only the English side of the
catalog has. A catalog id counts when its translation differs from it; its literal runs between
placeholders and markup, of at least three words, that the translation does not also hold, must
not show on a Spanish page or in a Spanish document (beyond what people typed)."""
import re

from babel.messages.pofile import read_po

from orgkit import i18n

SPLIT = re.compile(r"\{[^{}]*\}|%\([^)]*\)s|%\{[^}]*\}|[*#“”—→·:;()\[\]\n]|\\\.")


def english_runs() -> dict[str, str]:
    """{an English run of words that only the English side of the catalog has: its id}."""
    with i18n.catalog_path("es").open("rb") as po:
        catalog = read_po(po, locale="es")
    runs = {}
    for entry in catalog:
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for english, spanish in zip(ids, strings):
            if not english or english == spanish:
                continue
            for run in SPLIT.split(english):
                run = run.strip(" ,.?!'")
                if len(run.split()) >= 3 and run not in spanish:
                    runs[run] = english
    return runs


RUNS = english_runs()


def english_in(text: str, typed: list[str] = ()) -> list[str]:
    """The catalog's English runs in `text`, once each text people typed is taken out."""
    for value in sorted(typed, key=len, reverse=True):
        text = text.replace(value, "")
    return sorted(f"{run!r} (from {RUNS[run]!r})" for run in RUNS if run in text)
