"""Who is looking, decided from what a browser brought (orgkit.ui.identity gathers it): a map's
private link, a workshop's join code, the participant this browser is, an unlock.

It sits above the workshop and map services because it asks both (a map's link is the map
service's, a join code and a participant the workshop service's), and the map service already
asks the workshop service: here neither has to ask the other back.
"""
from __future__ import annotations

from collections.abc import Callable

from .domain import Actor, OrgKitError, Role
from .i18n import choose_language
from .map import service as maps
from .storage import Store
from .workshop import service as workshops
from .workshop.model import Workshop


def who_is_looking(store: Store, *, map_token: str | None, code: str | None,
                   participant_token: str | None, device: str | None,
                   unlocked: Callable[[int], bool]
                   ) -> tuple[Workshop | None, dict | None, Actor, str | None, list]:
    """Who is looking, from what their browser brought: a map's private link makes a team
    member; a join code a visitor of that workshop, or the participant this browser (its device
    cookie, else the URL's token) already is; `unlocked(workshop_id)` (this browser or session
    unlocked the facilitator tools) makes the facilitator. Returns (workshop, map, actor,
    participant token, problems): a bad link or code is a problem (a Message) to show, and the
    page still opens, as a visitor."""
    workshop, map_row, token, problems = None, None, None, []
    actor = Actor(Role.VISITOR)
    try:
        if map_token:
            workshop, map_row, actor = maps.open_map(store, map_token)
        elif code:
            workshop = workshops.find_by_code(store, code)
            actor = Actor(Role.VISITOR, workshop.id)
            row = workshops.participant(store, workshop, device=device, token=participant_token)
            if row is not None:
                token = row["token"]
                actor = Actor(Role.PARTICIPANT, workshop.id, participant_id=row["id"])
    except OrgKitError as exc:
        problems.append(exc.message)
    if workshop is not None and unlocked(workshop.id):
        actor = Actor(Role.FACILITATOR, workshop.id)
    return workshop, map_row, actor, token, problems


def reader_language(store: Store, *, device: str | None, chosen: str | None, link: str | None,
                    browser: str | None, workshop: Workshop | None) -> str:
    """The language this person reads, by i18n.choose_language's order: their remembered choice
    (this browser's, kept against its device cookie; else `chosen` in this session, for a browser
    without the cookie), the link's `lang` hint, the browser's language, the workshop's default."""
    remembered = workshops.remembered_language(store, device) or chosen
    return choose_language(remembered=remembered, link=link, browser=browser,
                           workshop=workshop.language if workshop is not None else None)
