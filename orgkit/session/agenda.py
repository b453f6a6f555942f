"""The agenda's pure rules: its limits, the agenda file (export, import, templates and the default
agenda are all this one format), the step clock and the neighbours Next and Back go to.

The file is JSON: `{"orgkit": "agenda", "version": 1, "steps": [{"kind", "title", "text",
"duration_min", "content"}]}`, title and text one string per language (`{"en": ..., "es": ...}`).
A step's content holds its kind's settings as the same shapes only (text per language, a list
of such objects, a whole number or a flag), so a kind added later needs no change here; ids
that belong to one workshop (`INTERNAL_CONTENT`, e.g. a brainstorm step's board) never leave it.
Reading a file checks everything before anything is kept, and the first problem names the step,
the field and the limit.

Pure: nothing here touches the store or streamlit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import ValidationError
from ..i18n import LANGUAGES, N_, Message, msg
from ..validation import clean_text
from .model import STEP_KINDS, Step

STEPS_MAX = 40
STEP_TITLE_MAX = 120
STEP_TEXT_MAX = 4000
STEP_MINUTES_MAX = 240
AGENDA_FILE_MAX = 256_000  # bytes: forty long steps in two languages fit several times over
CONTENT_KEYS_MAX = 12
CONTENT_LIST_MAX = 20
TEMPLATE_NAME_MAX = 80
FORMAT = {"orgkit": "agenda", "version": 1}
INTERNAL_CONTENT = frozenset({"board_id"})
DEFAULT_AGENDA = Path(__file__).with_name("default_agenda.json")  # the seminar, from the seeds

AGENDA_FILE = N_("Agenda file")
STEP_TITLE = N_("Step title")
STEP_TEXT = N_("Step text")
STEP_KIND = N_("Step kind")
DURATION = N_("Duration (minutes)")
TEMPLATE_NAME = N_("Template name")
CONTENT = N_("Step content")


@dataclass(frozen=True)
class Room:
    """Where the room is: the workshop's revision, its current step (None: the guided session
    has not started) and when that step began."""

    revision: int
    step_id: int | None
    started_at: float | None

    @classmethod
    def from_row(cls, row: dict) -> "Room":
        return cls(int(row["revision"]), row["current_step_id"], row["step_started_at"])


@dataclass(frozen=True)
class Clock:
    """A step's time: seconds since it began, and seconds left (negative: overrun)."""

    elapsed_s: int
    remaining_s: int | None  # None: the step has no duration

    def text(self) -> Message:
        if self.remaining_s is None:
            return msg("{time} on this step", time=_mmss(self.elapsed_s))
        if self.remaining_s >= 0:
            return msg("{time} left", time=_mmss(self.remaining_s))
        return msg("{time} over time", time=_mmss(-self.remaining_s))


def _mmss(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def clock(step: Step, started_at: float | None, now: float) -> Clock:
    elapsed = max(0, int(now - (started_at or now)))
    remaining = None if step.duration_s is None else step.duration_s - elapsed
    return Clock(elapsed, remaining)


def neighbours(steps: list[Step], step_id: int | None) -> tuple[Step | None, Step | None]:
    """The steps Back and Next go to from `step_id` (before the session: Next is the first)."""
    ids = [step.id for step in steps]
    if step_id not in ids:
        return None, (steps[0] if steps else None)
    at = ids.index(step_id)
    return (steps[at - 1] if at else None), (steps[at + 1] if at + 1 < len(steps) else None)


def board_for(steps: list[Step] | tuple[Step, ...], step: Step) -> int | None:
    """The board a step shows: its own (a brainstorm's), else the nearest brainstorm's before
    it that has one (a reveal shows the brainstorm it follows)."""
    if board_id := step.content.get("board_id"):
        return board_id
    earlier = [s for s in steps if s.position < step.position and s.content.get("board_id")]
    return earlier[-1].content["board_id"] if earlier else None


def step_from_row(row: dict) -> Step:
    return Step(id=row["id"], position=row["position"], kind=row["kind"],
                title=row["title"] or {}, text=row["body"] or {}, duration_s=row["duration_s"],
                content=row["content"] or {})


# -- checks shared by the editor and the file ----------------------------------------------------

def clean_local_text(value: object, field: str, *, max_len: int,
                     multiline: bool = False) -> dict[str, str]:
    """Text per language: one of our languages each, within the limit; blanks dropped."""
    if value is None:
        return {}
    if isinstance(value, str):  # one text: the default language's
        value = {LANGUAGES[0]: value}
    if not isinstance(value, dict):
        raise ValidationError(field, msg("must be text per language, like {example}.",
                                         example='{"en": "...", "es": "..."}'))
    out = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            raise ValidationError(field, msg("{language} is not one of our languages ({kinds}).",
                                             language=str(language)[:8],
                                             kinds=", ".join(LANGUAGES)))
        if not isinstance(text, str):
            raise ValidationError(field, msg("must be text."))
        if cleaned := clean_text(text, field, max_len=max_len, multiline=multiline):
            out[language] = cleaned
    return out


def clean_kind(value: object) -> str:
    if not isinstance(value, str) or value not in STEP_KINDS:
        raise ValidationError(STEP_KIND, msg("'{text}' is not one of: {choices}.",
                                             text=str(value)[:40],
                                             choices=", ".join(STEP_KINDS)))
    return value


def clean_minutes(value: object) -> int | None:
    """A duration in whole minutes (blank or 0: no duration), as seconds."""
    if value in (None, "", 0):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValidationError(DURATION, _minutes_problem())
    try:
        minutes = float(value)
    except ValueError:
        raise ValidationError(DURATION, _minutes_problem()) from None
    if not minutes.is_integer() or not 0 <= minutes <= STEP_MINUTES_MAX:
        raise ValidationError(DURATION, _minutes_problem())
    return int(minutes) * 60 or None


def _minutes_problem() -> Message:
    return msg("must be a whole number from {low} to {high}.", low=0, high=STEP_MINUTES_MAX)


def clean_content(value: object) -> dict[str, Any]:
    """A kind's settings, in the shapes the file allows; this workshop's ids are dropped."""
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > CONTENT_KEYS_MAX:
        raise ValidationError(CONTENT, msg("must be an object of at most {limit} settings.",
                                           limit=CONTENT_KEYS_MAX))
    out: dict[str, Any] = {}
    for key, setting in value.items():
        if key in INTERNAL_CONTENT:
            continue
        if isinstance(setting, (bool, int)) and abs(setting) <= 10**9:
            out[key] = setting
        elif isinstance(setting, list) and len(setting) <= CONTENT_LIST_MAX and all(
                isinstance(part, dict) for part in setting):
            out[key] = [{name: clean_local_text(text, CONTENT, max_len=STEP_TEXT_MAX,
                                                multiline=True)
                         for name, text in part.items()} for part in setting]
        elif isinstance(setting, (dict, str)):
            out[key] = clean_local_text(setting, CONTENT, max_len=STEP_TEXT_MAX, multiline=True)
        else:
            raise ValidationError(CONTENT, msg(
                "{name} must be text per language, a list of at most {limit} of them, a whole "
                "number or a flag.", name=str(key)[:40], limit=CONTENT_LIST_MAX))
    return out


# -- the agenda file -----------------------------------------------------------------------------

def agenda_document(steps: list[Step]) -> dict:
    """The agenda as the file holds it (this workshop's ids left out)."""
    return {**FORMAT, "steps": [{
        "kind": step.kind, "title": step.title, "text": step.text,
        "duration_min": None if step.duration_s is None else step.duration_s // 60,
        "content": {k: v for k, v in step.content.items() if k not in INTERNAL_CONTENT}}
        for step in steps]}


def read_agenda(data: bytes | str) -> list[dict]:
    """The steps of an agenda file, each checked: a dict of the columns agenda_steps stores
    (position, kind, title, body, duration_s, content). Nothing is returned unless all are
    good; the first problem names the step and the field."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > AGENDA_FILE_MAX:
        raise ValidationError(AGENDA_FILE, msg("is {n} bytes; the limit is {limit}.",
                                               n=len(raw), limit=AGENDA_FILE_MAX))
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValidationError(AGENDA_FILE, msg("is not an agenda file (JSON) that OrgKit "
                                               "wrote.")) from None
    if not isinstance(document, dict) or document.get("orgkit") != FORMAT["orgkit"] or \
            not isinstance(document.get("steps"), list):
        raise ValidationError(AGENDA_FILE, msg("is not an agenda file (JSON) that OrgKit "
                                               "wrote."))
    steps = document["steps"]
    if not steps or len(steps) > STEPS_MAX:
        raise ValidationError(AGENDA_FILE, msg("has {n} steps; an agenda has 1 to {limit}.",
                                               n=len(steps), limit=STEPS_MAX))
    rows = []
    for number, step in enumerate(steps, start=1):
        try:
            if not isinstance(step, dict):
                raise ValidationError(CONTENT, msg("must be an object."))
            rows.append({
                "position": number - 1, "kind": clean_kind(step.get("kind")),
                "title": clean_local_text(step.get("title"), STEP_TITLE, max_len=STEP_TITLE_MAX),
                "body": clean_local_text(step.get("text"), STEP_TEXT, max_len=STEP_TEXT_MAX,
                                         multiline=True),
                "duration_s": clean_minutes(step.get("duration_min")),
                "content": clean_content(step.get("content"))})
        except ValidationError as exc:
            raise ValidationError(AGENDA_FILE, msg(
                "step {n}: {field}: {problem}", n=number, field=Message(exc.field),
                problem=exc.problem)) from None
    return rows
