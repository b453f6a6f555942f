"""The workshop's model: a workshop as every role may see it, and the pure rules of its codes
and of the facilitator's PIN throttling (how long a source waits after wrong PINs).

Nothing here touches the store or streamlit; orgkit.workshop.service applies these rules.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..domain import (CODE_TYPED_MAX, JOIN_CODE_ALPHABET, MAP_CODE_LENGTH, UNLOCK_DELAY_MAX_S,
                      UNLOCK_DELAY_START_S, UNLOCK_FREE_TRIES, ValidationError)
from ..i18n import DEFAULT_LANGUAGE, N_, both, msg, normalise_language

MAP_CODE = N_("Map code")
WORKSHOP_LANGUAGE = N_("Workshop language")

# The candidate-forum question bank: one question's length, and how many a workshop keeps.
QUESTION_MAX = 400
QUESTIONS_MAX = 50


@dataclass(frozen=True)
class Workshop:
    """A workshop as every role may see it: no PIN hash, no unlock bookkeeping."""

    id: int
    title: str
    held_on: str | None
    join_code: str
    is_demo: bool
    language: str = DEFAULT_LANGUAGE  # suggested to a device that has not chosen one
    # The shared screens (the projector) write our words in every language at once.
    bilingual_projector: bool = False

    @classmethod
    def from_row(cls, row: dict) -> "Workshop":
        return cls(id=row["id"], title=row["title"], held_on=row["held_on"],
                   join_code=row["join_code"], is_demo=bool(row["is_demo"]),
                   language=normalise_language(row.get("language")) or DEFAULT_LANGUAGE,
                   bilingual_projector=bool(row.get("bilingual_projector")))

    def projector_language(self, reader: str) -> str:
        """The language the projector writes our words in for a reader of `reader`: theirs,
        and with the bilingual projector every language, theirs first ("es+en")."""
        return both(reader) if self.bilingual_projector else reader


def unlock_delay(failures: int) -> float:
    """Seconds a source waits after its `failures`-th wrong PIN in a row: none for the first
    few, then 5 s, 10 s, 20 s ... up to 15 minutes."""
    if failures < UNLOCK_FREE_TRIES:
        return 0.0
    return float(min(UNLOCK_DELAY_MAX_S,
                     UNLOCK_DELAY_START_S * 2 ** (failures - UNLOCK_FREE_TRIES)))


def whole_seconds(wait: float) -> int:
    return max(1, math.ceil(wait))


def clean_map_code(value: object) -> str:
    """Normalise a typed map code (case, spaces, dashes) and check its form."""
    text = str(value or "")
    wrong = ValidationError(MAP_CODE, msg("must be {n} letters and digits (no 0, O, 1, I or L), "
                                          "like K7PX-3MQR.", n=MAP_CODE_LENGTH))
    if len(text) > CODE_TYPED_MAX:  # bounded work before the per-character clean-up
        raise wrong
    text = re.sub(r"[\s-]", "", text).upper()
    if not text:
        raise ValidationError(MAP_CODE, msg("is required."))
    if len(text) != MAP_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in text):
        raise wrong
    return text


def format_map_code(code: str) -> str:
    """A map code as a person reads it out and types it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"
