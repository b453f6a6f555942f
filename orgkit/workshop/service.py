"""The workshop service: create, unlock as facilitator, join as participant, the forum questions.

These functions are where the role rules live; pages only call them and show their answers.
"""
from __future__ import annotations

import time

from .. import security
from ..domain import (DISPLAY_NAME_MAX, TITLE_MAX, UNLOCK_LOCKOUT_SECONDS,
                      UNLOCK_REMEMBER_SECONDS, WORKSHOP_UNLOCK_CHECKS, Actor, Locked, NotFound,
                      PermissionDenied, Role, ValidationError, require_facilitator)
from ..i18n import (DEFAULT_LANGUAGE, LANGUAGES, N_, LocalText, dump_texts, load_texts, msg, nmsg,
                    normalise_language, pick_text, render)
from ..storage import Store
from ..validation import (check_same_lines, clean_date, clean_join_code, clean_key,
                          clean_local_text, clean_pin, clean_text, clean_token, text_lines)
from .model import (QUESTION_MAX, QUESTIONS_MAX, WORKSHOP_LANGUAGE, Workshop, unlock_delay,
                    whole_seconds)


def create_workshop(store: Store, title: object, held_on: object, pin: object,
                    idempotency_key: object = None, language: object = DEFAULT_LANGUAGE
                    ) -> Workshop:
    """Validate and create a workshop with a fresh unique join code; the same idempotency key
    again (a double click on Create) returns the first workshop instead of a second one.
    `language` is the workshop's default language (its links suggest it to new devices)."""
    title = clean_text(title, N_("Workshop title"), max_len=TITLE_MAX, required=True)
    held_on = clean_date(held_on, N_("Date"))
    pin = clean_pin(pin)
    language = clean_language(language)
    key = clean_key(idempotency_key)
    if key and (row := store.workshops.by_key(key)) is not None:
        return Workshop.from_row(row)  # skip hashing the PIN again for a repeat
    pin_hash = security.hash_pin(pin)
    # 31^6 codes: a collision is rare, twenty in a row is impossible in practice.
    for _ in range(20):
        code = security.new_join_code()
        if not store.workshops.code_taken(code):
            break
    workshop_id = store.workshops.create(title=title, held_on=held_on, join_code=code,
                                         pin_hash=pin_hash, idempotency_key=key,
                                         language=language)
    return get_workshop(store, workshop_id)


def clean_language(value: object) -> str:
    """One of our languages ("es", "es-MX" -> "es"), or a message naming the field."""
    language = normalise_language(value)
    if language is None:
        raise ValidationError(WORKSHOP_LANGUAGE, msg("choose one of: {kinds}.",
                                                     kinds=", ".join(LANGUAGES)))
    return language


def set_workshop_language(store: Store, actor: Actor, language: object) -> Workshop:
    """The facilitator changes the language the workshop's links suggest."""
    require_facilitator(actor)
    store.workshops.set_language(actor.workshop_id, clean_language(language))
    return get_workshop(store, actor.workshop_id)


def set_bilingual_projector(store: Store, actor: Actor, on: bool) -> Workshop:
    """The facilitator turns the bilingual projector on or off."""
    require_facilitator(actor)
    store.workshops.set_bilingual_projector(actor.workshop_id, bool(on))
    return get_workshop(store, actor.workshop_id)


def remembered_language(store: Store, device: str | None) -> str | None:
    """The language this browser chose (by its device cookie), if it ever chose one."""
    if not device:
        return None
    return normalise_language(store.workshops.device_language(security.token_digest(device)))


def remember_language(store: Store, device: str, language: object) -> str:
    """Keep a browser's chosen language for its next visit, in every workshop."""
    language = clean_language(language)
    store.workshops.remember_language(security.token_digest(device), language)
    return language


def get_workshop(store: Store, workshop_id: int) -> Workshop:
    row = store.workshops.get(workshop_id)
    if row is None:
        raise NotFound(msg("That workshop no longer exists."))
    return Workshop.from_row(row)


def find_by_code(store: Store, code: object) -> Workshop:
    """The workshop a typed or scanned join code names; a clear message when there is none."""
    code = clean_join_code(code)
    row = store.workshops.by_code(code)
    if row is None:
        raise NotFound(msg("No workshop has the join code {code}. Check the code on the screen.",
                           code=code))
    return Workshop.from_row(row)


def unlock(store: Store, workshop_id: int, pin: object, *, source: str,
           device: str | None = None, now: float | None = None) -> Actor:
    """Check a facilitator PIN typed from `source` (the remembered browser or client address).

    A guesser slows down per source, so someone in the room typing wrong PINs never pauses the
    facilitator's own device; the workshop-wide ceiling holds many sources at once, except for
    a browser (`device`, its cookie) that unlocked this workshop before (the one that created
    it included): a flood from 20 browsers does not keep the facilitator waiting. The attempt
    is counted before the PIN is checked, so parallel guesses cannot all slip through."""
    now = time.time() if now is None else now
    row = store.workshops.get(workshop_id)
    if row is None:
        raise NotFound(msg("That workshop no longer exists."))
    source_key = security.source_key(source)
    known = bool(device) and store.workshops.unlocked_before(workshop_id,
                                                            security.token_digest(device))
    with store.atomic():
        if not known and not store.workshops.reserve_unlock_attempt(workshop_id, now=now,
                                                      max_failures=WORKSHOP_UNLOCK_CHECKS,
                                                      lockout_s=UNLOCK_LOCKOUT_SECONDS):
            wait = store.workshops.get(workshop_id)["unlock_blocked_until"] - now
            raise Locked(nmsg("Too many wrong PINs for this workshop. Try again in {n} second.",
                              "Too many wrong PINs for this workshop. Try again in {n} seconds.",
                              whole_seconds(wait)))
        wait = store.workshops.reserve_source_attempt(workshop_id, source_key, now=now,
                                                      delay=unlock_delay)
        if wait > 0:
            raise Locked(nmsg("Too many wrong PINs from this device. Try again in {n} second.",
                              "Too many wrong PINs from this device. Try again in {n} seconds.",
                              whole_seconds(wait)))
    if not security.verify_pin(clean_pin(pin), row["pin_hash"]):
        raise PermissionDenied(msg("That PIN is not right for this workshop."))
    store.workshops.clear_unlock_attempts(workshop_id, source_key)
    return Actor(Role.FACILITATOR, workshop_id)


def display_name(store: Store, participant_id: int | None) -> str:
    """A participant's display name ("" for none, or for no participant)."""
    row = store.workshops.participant(participant_id) if participant_id else None
    return (row or {}).get("display_name", "")


def participant(store: Store, workshop: Workshop, *, device: str | None = None,
                token: object = None) -> dict | None:
    """Who this browser is in the workshop: by its remembered device first, then by the token
    kept in the URL (the fallback for a browser without cookies). A URL token never overrides
    the browser's own participant, so a shared link does not make one phone another's; a browser
    arriving by its token for the first time is remembered for that participant."""
    digest = security.token_digest(device) if device else None
    if digest and (row := store.workshops.participant_by_device(workshop.id, digest)):
        return row
    if not token:
        return None
    try:
        row = store.workshops.participant_by_token(clean_token(token, N_("Participant link")))
    except ValidationError:  # a mangled token: no identity from it
        return None
    if row is None or row["workshop_id"] != workshop.id:
        return None
    if digest and row["device_hash"] is None:
        store.workshops.claim_participant(row["id"], digest)
    return row


def join(store: Store, code: object, *, device: str | None = None,
         display_name: object = "") -> tuple[Workshop, Actor, str]:
    """Join by code: the browser's participant if it has one here, else a fresh identity
    (remembered for the browser); returns the token to keep in the URL."""
    workshop = find_by_code(store, code)
    name = clean_text(display_name, N_("Display name"), max_len=DISPLAY_NAME_MAX)
    row = participant(store, workshop, device=device)
    if row is None:
        token = security.new_token()
        digest = security.token_digest(device) if device else None
        participant_id = store.workshops.add_participant(workshop.id, token, name, digest)
        if participant_id is not None:
            actor = Actor(Role.PARTICIPANT, workshop.id, participant_id=participant_id)
            return workshop, actor, token
        row = participant(store, workshop, device=device)  # the other tab's, made just now
    if name and name != row["display_name"]:
        store.workshops.rename_participant(row["id"], name)
    return workshop, Actor(Role.PARTICIPANT, workshop.id, participant_id=row["id"]), row["token"]


def remember_unlock(store: Store, actor: Actor, device: str, *, now: float | None = None) -> None:
    """Keep a facilitator's unlock for this browser (every tab, reloads) for a working day."""
    require_facilitator(actor, msg("Only an unlocked facilitator is remembered."))
    now = time.time() if now is None else now
    store.workshops.remember_unlock(actor.workshop_id, security.token_digest(device),
                                    now + UNLOCK_REMEMBER_SECONDS)


def unlocked_on(store: Store, workshop_id: int, device: str, *, now: float | None = None) -> bool:
    """Whether this browser unlocked the workshop within the working day and has not locked."""
    return store.workshops.unlocked_on(workshop_id, security.token_digest(device),
                                       time.time() if now is None else now)


def forget_unlock(store: Store, workshop_id: int, device: str) -> None:
    """"Lock facilitator tools": the unlock ends for this browser, in every tab."""
    store.workshops.forget_unlock(workshop_id, security.token_digest(device))


def set_display_name(store: Store, actor: Actor, display_name: object) -> str:
    """A participant names themself (optional; blank means anonymous)."""
    if actor.participant_id is None:
        raise PermissionDenied(msg("Only a participant who joined has a display name."))
    name = clean_text(display_name, N_("Display name"), max_len=DISPLAY_NAME_MAX)
    store.workshops.rename_participant(actor.participant_id, name)
    return name


# -- the candidate-forum question bank -------------------------------------------------------


def forum_questions(store: Store, actor: Actor, language: str | None = None) -> list[str]:
    """The workshop's candidate-forum questions, for anyone in it: each in `language` when the
    facilitator wrote it in several (falling back to another), else as written."""
    if actor.workshop_id is None:
        return []
    rows = store.workshops.forum_questions(actor.workshop_id)
    if language is None:
        return [q["text"] for q in rows]
    return [pick_text(load_texts(q["texts"]) or {DEFAULT_LANGUAGE: q["text"]}, language)
            for q in rows]


def forum_question_texts(store: Store, actor: Actor) -> LocalText:
    """The bank as the facilitator's form holds it: one question a line, by language ({} when
    written in one language only)."""
    if actor.workshop_id is None:
        return {}
    rows = [(q["text"], load_texts(q["texts"]))
            for q in store.workshops.forum_questions(actor.workshop_id)]
    languages = dict.fromkeys(language for _, texts in rows for language in texts)
    return {language: "\n".join(texts.get(language) or text for text, texts in rows)
            for language in languages}


def _questions(text: str) -> list[str]:
    questions = [clean_text(line, render(msg("Question {n}", n=n)), max_len=QUESTION_MAX)
                 for n, line in enumerate(text_lines(text), start=1)]
    if len(questions) > QUESTIONS_MAX:
        raise ValidationError(N_("Questions"), msg("there are {n}; the limit is {limit}.",
                                                   n=len(questions), limit=QUESTIONS_MAX))
    return questions


def save_forum_questions(store: Store, actor: Actor, text: object) -> list[str]:
    """The facilitator replaces the workshop's question bank (one question per line): a text,
    or language -> text (the form's first field first), question n on line n of each."""
    require_facilitator(actor, msg("Only the facilitator can edit the question bank."))
    first, texts = clean_local_text(text, N_("Questions"), max_len=QUESTION_MAX * QUESTIONS_MAX,
                                    multiline=True)
    check_same_lines(texts, N_("Questions"))
    questions = _questions(first)
    by_language = {language: _questions(written) for language, written in texts.items()}
    local = [dump_texts({language: lines[n] for language, lines in by_language.items()})
             for n in range(len(questions))]
    store.workshops.replace_forum_questions(actor.workshop_id, questions, local)
    return questions
