"""The relationship map's service: every read and write of a map, through the store.

Every path that writes a map (the one-entry form, the table editor, imports) comes through here, so
the limits (orgkit.map.model), the role checks and the conflict guard hold whatever the page does:

- An entry carries a `version`. An update names the version the editor loaded; when it moved, the
  save is refused with Conflict instead of overwriting someone else's change.
- A table edit from `st.data_editor` (rows by position) is mapped to stable entry ids and applied
  in one transaction: one bad row and nothing is saved, with the row number in the message.
  What is stored of a row is what map_model.clean_entry returns: the entry's fields and nothing
  else the editor (or a hostile client) sent.
- A map is read and written only by its own team (its private link) and the facilitator of its
  workshop: get_map refuses everyone else, and every function here that returns entries calls it
  first. That is the one privacy rule for a map's contents: whoever passes it sees every field,
  contact details and notes included. Shared screens and the guide get counts only
  (map_checklist, the coverage module), never entries.
- Every write here is `recorded`: the store appends what changed to the map's history in the
  write's transaction, as by this actor (storage.history).
"""
from __future__ import annotations

import functools

from .. import security
from ..domain import (ID_MAX, LEVELS, LINK_KINDS, TITLE_MAX, Actor, Conflict, NotFound,
                      PermissionDenied, Role, ValidationError, require_facilitator)
from ..i18n import Message, N_, msg
from ..storage import Store
from ..validation import clean_choice, clean_int, clean_key, clean_text, clean_token
from ..workshop import backups
from ..workshop import service as workshops
from ..workshop.model import Workshop, clean_map_code, format_map_code
from .model import (ISSUE_MAX, PRIVATE_FIELDS, ChecklistItem, MapView, TableResult, blank,
                    check_link, checklist, clean_action, clean_entry, clean_targets, loaded_row,
                    merge_changes, require_subject, row_errors, shared_row, taken_links)

def author_of(store: Store, actor: Actor) -> tuple[str, str]:
    """Who a write is by, for the map history: the role, and a display name where there is one
    (a participant's)."""
    return actor.role.value, workshops.display_name(store, actor.participant_id)


def recorded(write):
    """A service that writes a map's content, (store, actor, ...): its writes enter the map's
    history as by `actor`."""
    @functools.wraps(write)
    def by_actor(store: Store, actor: Actor, *args, **kwargs):
        with store.acting(*author_of(store, actor)):
            return write(store, actor, *args, **kwargs)
    return by_actor


# -- maps ------------------------------------------------------------------------------------


@recorded
def create_map(store: Store, actor: Actor, name: object, issue: object = "",
               targets: dict | None = None, idempotency_key: object = None) -> dict:
    """The facilitator creates a team map with a fresh private link token and short code; the
    same idempotency key again (a double click on Create) returns the first map."""
    require_facilitator(actor, msg("Only the facilitator can create team maps."))
    name = clean_text(name, N_("Team name"), max_len=TITLE_MAX, required=True)
    issue = clean_text(issue, N_("Issue"), max_len=ISSUE_MAX, multiline=True)
    map_id = store.maps.create(actor.workshop_id, name, security.new_token(), issue=issue,
                               targets=clean_targets(targets), short_code=_free_code(store),
                               idempotency_key=clean_key(idempotency_key))
    return store.maps.get(map_id)


def _free_code(store: Store) -> str:
    for _ in range(20):  # 31^8 codes: one collision is rare, twenty in a row impossible
        code = security.new_map_code()
        if not store.maps.short_code_taken(code):
            return code
    raise Conflict(msg("Could not find a free map code; try again."))


def handout(store: Store, actor: Actor, map_id: int) -> dict:
    """What the facilitator hands a team at its table: the map row with its short code, given
    here to a map that has none (a database from before short codes keeps its maps)."""
    if not actor.is_facilitator:
        raise PermissionDenied(msg("Only the facilitator hands out team maps."))
    row = get_map(store, actor, map_id)
    if row["short_code"] is None:
        store.maps.set_short_code(map_id, _free_code(store))
        row = store.maps.get(map_id)
    return row


@recorded
def set_targets(store: Store, actor: Actor, map_id: int, targets: dict) -> None:
    """Change a map's per-level targets (its team or the facilitator)."""
    get_map(store, actor, map_id)
    store.maps.set_targets(map_id, clean_targets(targets))


def _in_workshop(store: Store, actor: Actor, map_id: int) -> dict:
    row = store.maps.get(map_id)
    if row is None or actor.workshop_id is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound(msg("That map does not exist in this workshop."))
    return row


def get_map(store: Store, actor: Actor, map_id: int) -> dict:
    """A map this actor may open: its own team (by the link) or the facilitator of its workshop.

    Reads are as private as writes: a map names individuals, their roles and how they can help."""
    row = _in_workshop(store, actor, map_id)
    if not actor.can_edit_map(map_id):
        raise PermissionDenied(msg("Only this map's team (by its link) or the facilitator can "
                                   "open it."))
    return row


def history(store: Store, actor: Actor, map_id: int) -> list[dict]:
    """A map's history, oldest first (storage.history), for those who may open the map."""
    get_map(store, actor, map_id)
    return store.maps.changes(map_id)


def team_maps(store: Store, actor: Actor) -> list[dict]:
    """The workshop's team maps, oldest first, as anyone in the workshop may know them: id, name
    and revision, never the private link (maps.handout gives that to the facilitator)."""
    if actor.workshop_id is None:
        return []
    return [{"id": m["id"], "name": m["name"], "revision": m["revision"]}
            for m in store.maps.for_workshop(actor.workshop_id)]


def workshop_rows(store: Store, actor: Actor) -> tuple[list[dict], list[dict], list[dict]]:
    """What the workshop's shared coverage view is built from, for anyone in the workshop: its
    maps (id, name, revision, targets and wanted communities, never the private link), every
    entry's shareable columns (MapRepo.shared_rows: no contact details or notes; a name only
    where a shared screen may show it, model.shared_row) and the done actions counted per kind
    and day."""
    if actor.workshop_id is None:
        return [], [], []
    kept = ("id", "name", "revision", "wanted_constituencies",
            *(f"target_{level}" for level in LEVELS))
    return ([{key: m[key] for key in kept} for m in store.maps.for_workshop(actor.workshop_id)],
            [shared_row(row) for row in store.maps.shared_rows(actor.workshop_id)],
            store.maps.shared_actions_done(actor.workshop_id))


def room_contents(store: Store, actor: Actor) -> list[MapView]:
    """Every team map of the actor's workshop, for anyone in it, without the private fields
    (model.PRIVATE_FIELDS) and the map's link and code: only for the room's counting views
    (orgkit.coverage.room), which keep no name of a person; never for a screen to draw."""
    if actor.workshop_id is None:
        return []
    views = [_contents(store, row) for row in store.maps.for_workshop(actor.workshop_id)]
    return [MapView({k: value for k, value in v.map.items() if k not in SECRET_MAP_FIELDS},
                    v.revision, [{**e, **dict.fromkeys(PRIVATE_FIELDS, "")} for e in v.entries],
                    v.links, v.actions)
            for v in views]


SECRET_MAP_FIELDS = ("link_token", "short_code")  # each opens the map and its contact details


def load_map(store: Store, actor: Actor, map_id: int) -> MapView:
    """Everything the map page shows, read once with one access check (get_map)."""
    return _contents(store, get_map(store, actor, map_id))


def _contents(store: Store, map_row: dict) -> MapView:
    """A map's entries, links and actions (each with `entry_ids`), read beside a row that
    get_map already allowed. The revision comes with the row, before the entries: any write
    after it makes the view stale."""
    map_id = map_row["id"]
    return MapView(map=map_row, revision=int(map_row["revision"]),
                   entries=store.maps.entries(map_id), links=store.maps.links(map_id),
                   actions=_actions(store, map_id))


# -- a team member arrives -------------------------------------------------------------------------


def open_map_by_code(store: Store, short_code: object) -> tuple[Workshop, dict, Actor]:
    """A team member arrives by typing (or scanning) their map's short code."""
    row = _by_handout(store, short_code)
    return open_map(store, row["link_token"])


def _by_handout(store: Store, short_code: object, workshop_id: int | None = None) -> dict:
    """The map a handout code names (in `workshop_id`, when given), while its handout is open."""
    code = clean_map_code(short_code)
    row = store.maps.by_short_code(code)
    if row is None or workshop_id not in (None, row["workshop_id"]):
        raise NotFound(msg("No team map has the code {code}. Check it with your facilitator.",
                           code=format_map_code(code)))
    if not row["handout_open"]:
        raise PermissionDenied(msg("The facilitator has closed the tables' codes. Ask your "
                                   "team's lead for the map's link."))
    return row


# -- the tables step: a phone joins its table's map by the handout --------------------------------


def join_by_handout(store: Store, actor: Actor, short_code: object) -> dict:
    """A participant's phone joins its table's map by the code (or QR) on the map's handout,
    the only way a phone becomes a member of a map (a map holds contact details). The phone
    stays a member of that map for the workshop (one map per phone: a new code moves it).
    Returns the map's id and name."""
    if actor.role is not Role.PARTICIPANT or actor.participant_id is None:
        raise PermissionDenied(msg("Join the workshop with its code first, then type your "
                                   "table's code."))
    row = _by_handout(store, short_code, actor.workshop_id)
    store.maps.add_member(actor.participant_id, row["id"])
    return {"id": row["id"], "name": row["name"]}


def member_of(store: Store, actor: Actor) -> dict | None:
    """The map this participant's phone joined by its handout (id, name, revision and whether
    its handout is still open), or None."""
    if actor.participant_id is None:
        return None
    row = store.maps.membership(actor.participant_id)
    if row is None or row["workshop_id"] != actor.workshop_id:
        return None
    return row


def as_member(store: Store, actor: Actor) -> Actor | None:
    """Who a participant is on the map they joined by its handout: that map's team member (it
    reads and edits the map) while the handout is open; None otherwise (never joined, or the
    facilitator has ended the handouts)."""
    row = member_of(store, actor)
    if row is None or not row["handout_open"]:
        return None
    return Actor(Role.TEAM_MEMBER, actor.workshop_id, participant_id=actor.participant_id,
                 map_id=row["id"])


_ENTRY_NAMES: dict[tuple, list[dict]] = {}
_ENTRY_NAMES_KEPT = 256  # maps' lists kept; the oldest go first


def entry_choices(store: Store, actor: Actor) -> list[dict]:
    """The entries (id, name, level) of the map a team member may read, as a picker lists them:
    read once per map revision and shared by every phone at that table."""
    map_row = get_map(store, actor, actor.map_id)
    key = (store.url, map_row["id"], map_row["revision"])
    if key not in _ENTRY_NAMES:
        while len(_ENTRY_NAMES) >= _ENTRY_NAMES_KEPT:
            _ENTRY_NAMES.pop(next(iter(_ENTRY_NAMES)))
        _ENTRY_NAMES[key] = store.maps.entry_names(map_row["id"])
    return _ENTRY_NAMES[key]


def set_handouts_open(store: Store, actor: Actor, is_open: bool) -> int:
    """The facilitator ends (or opens again) every table's handout access at once: its code
    and QR no longer open the map nor make a phone its member, and the phones that joined by it
    no longer see it. Each map's private link, which its team's lead keeps, still works.
    Returns how many maps changed."""
    require_facilitator(actor, msg("Only the facilitator can open or close the tables' codes."))
    return store.maps.set_handouts_open(actor.workshop_id, bool(is_open))


def open_handouts(store: Store, actor: Actor) -> tuple[int, int]:
    """(maps whose handout is open, maps) in the facilitator's workshop."""
    require_facilitator(actor, msg("Only the facilitator can open or close the tables' codes."))
    rows = store.maps.for_workshop(actor.workshop_id)
    return sum(bool(m["handout_open"]) for m in rows), len(rows)


def open_map(store: Store, link_token: object) -> tuple[Workshop, dict, Actor]:
    """A team member arrives by a map's private link."""
    row = store.maps.by_token(clean_token(link_token, N_("Map link")))
    if row is None:
        raise NotFound(msg("This map link is not valid. Ask your facilitator for the current "
                           "link."))
    workshop = workshops.get_workshop(store, row["workshop_id"])
    return workshop, row, Actor(Role.TEAM_MEMBER, workshop.id, map_id=row["id"])



# -- entries ---------------------------------------------------------------------------------



@recorded
def create_entry(store: Store, actor: Actor, map_id: int, raw: dict) -> int:
    """Validate and add one entry; returns its id."""
    get_map(store, actor, map_id)
    return store.maps.insert_entry(map_id, clean_entry(raw))


def _changed_elsewhere(name: str) -> Conflict:
    return Conflict(msg("'{name}' was changed by someone else since you loaded it — reload to "
                        "see their change, then edit again.", name=name))


def _update(store: Store, map_id: int, entry_id: int, version: object, changes: dict) -> int:
    current = store.maps.entry(entry_id)
    if current is None or current["map_id"] != map_id:
        raise Conflict(msg("That entry was deleted by someone else — reload the map."))
    fields = clean_entry(merge_changes(current, changes))
    if store.maps.update_entry(map_id, entry_id, int(version), fields) == 0:
        raise _changed_elsewhere(current["name"])
    return int(version) + 1


@recorded
def update_entry(store: Store, actor: Actor, map_id: int, entry_id: int, version: object,
                 changes: dict) -> int:
    """Apply changes to an entry loaded at `version`; returns the new version (Conflict if it
    moved)."""
    get_map(store, actor, map_id)
    with store.atomic():
        return _update(store, map_id, entry_id, version, changes)


def _delete(store: Store, map_id: int, entry_id: int, version: object) -> None:
    current = store.maps.entry(entry_id)
    if current is None or current["map_id"] != map_id:
        return  # already gone: the wish is fulfilled
    if store.maps.delete_entry(map_id, entry_id, int(version)) == 0:
        raise _changed_elsewhere(current["name"])


@recorded
def delete_entry(store: Store, actor: Actor, map_id: int, entry_id: int, version: object) -> None:
    """Delete an entry (and its links) unless someone changed it since it was loaded."""
    get_map(store, actor, map_id)
    with store.atomic():
        _delete(store, map_id, entry_id, version)


@recorded
def apply_table_edit(store: Store, actor: Actor, map_id: int, level: str, loaded: list[dict],
                     delta: dict) -> TableResult:
    """Apply st.data_editor's delta (edited_rows, added_rows, deleted_rows by position) to the
    rows it was loaded with (each with id and version), all in one transaction."""
    get_map(store, actor, map_id)
    level = clean_choice(level, N_("Level"), LEVELS)
    edited = delta.get("edited_rows") or {}
    added = delta.get("added_rows") or []
    deleted = delta.get("deleted_rows") or []
    updated = 0
    with store.atomic():
        for position, changes in sorted((int(k), v) for k, v in edited.items()):
            if position in deleted or not changes:
                continue
            row = loaded_row(loaded, position)
            with row_errors(position):
                _update(store, map_id, row["id"], row["version"], changes)
            updated += 1
        for position in deleted:
            row = loaded_row(loaded, position)
            _delete(store, map_id, row["id"], row["version"])
        new_rows = []
        for offset, raw in enumerate(added):
            if all(blank(v) or v is False for v in raw.values()):
                continue  # an empty row the editor added and the person never filled
            with row_errors(len(loaded) + offset):
                new_rows.append(clean_entry({**raw, "level": raw.get("level") or level}))
        store.maps.insert_entries(map_id, new_rows)
    return TableResult(added=len(new_rows), updated=updated, deleted=len(deleted))


# -- links -----------------------------------------------------------------------------------


@recorded
def add_link(store: Store, actor: Actor, map_id: int, source_id: object, target_id: object,
             kind: object, known: dict | None = None) -> int:
    """Link two entries of the same map ('source kind target'); no self links, no duplicates.
    `known` ({entry id: strength}, for an end of this link) records how well our team knows
    that person, asked as the link is made, in the same transaction: a decision-maker's chief
    of staff linked to them counts as our way in only once we say we know the chief."""
    get_map(store, actor, map_id)
    kind = clean_choice(kind, N_("Link type"), LINK_KINDS)
    source = clean_int(source_id, N_("From"), low=1, high=ID_MAX)
    target = clean_int(target_id, N_("To"), low=1, high=ID_MAX)
    with store.atomic():
        entries = {e["id"]: e for e in store.maps.entries(map_id)}
        if source not in entries or target not in entries:
            raise ValidationError(N_("Link"), msg("both ends must be entries of this map."))
        check_link(taken_links(store.maps.links(map_id)), source, target, kind)
        for entry_id, strength in (known or {}).items():
            if entry_id not in (source, target):
                raise ValidationError(N_("Link"), msg("can only say how well we know its ends."))
            _update(store, map_id, entry_id, entries[entry_id]["version"],
                    {"strength": strength})
        return store.maps.insert_link(map_id, source, target, kind)


@recorded
def delete_link(store: Store, actor: Actor, map_id: int, link_id: int) -> None:
    """Remove a link from the map."""
    get_map(store, actor, map_id)
    store.maps.delete_link(map_id, link_id)




# -- actions ---------------------------------------------------------------------------------


@recorded
def create_action(store: Store, actor: Actor, map_id: int, raw: dict,
                  entry_ids: list[int] = ()) -> int:
    """Add an engagement action involving some of the map's entries."""
    get_map(store, actor, map_id)
    fields = clean_action(raw)
    require_subject(fields, entry_ids)
    known = {e["id"] for e in store.maps.entries(map_id)}
    if any(int(i) not in known for i in entry_ids):
        raise ValidationError(N_("Entries involved"), msg("must be entries of this map."))
    return store.maps.insert_action(map_id, fields, sorted({int(i) for i in entry_ids}))


@recorded
def update_action(store: Store, actor: Actor, map_id: int, action_id: int, raw: dict) -> None:
    """Change an action's fields (status, outcome, turnout ...)."""
    get_map(store, actor, map_id)
    current = store.maps.action(action_id)
    if current is None or current["map_id"] != map_id:
        raise NotFound(msg("That action is no longer on the map."))
    fields = clean_action({**current, **raw})
    if "title" in raw:  # a status update leaves an action as it was; clearing its title may not
        require_subject(fields, store.maps.action_entries(map_id).get(action_id, []))
    store.maps.update_action(map_id, action_id, fields)


@recorded
def delete_action(store: Store, actor: Actor, map_id: int, action_id: int) -> None:
    """Remove an action."""
    get_map(store, actor, map_id)
    store.maps.delete_action(map_id, action_id)




def _actions(store: Store, map_id: int) -> list[dict]:
    involved = store.maps.action_entries(map_id)
    return [{**a, "entry_ids": involved.get(a["id"], [])} for a in store.maps.actions(map_id)]


# -- next steps and the seminar's checklist --------------------------------------------------


def map_checklist(store: Store, actor: Actor, map_id: int) -> list[ChecklistItem]:
    """The seminar's steps for one map of the actor's workshop, for anyone in it (the guide):
    ticks and counts only, never a name or a field of an entry."""
    _in_workshop(store, actor, map_id)
    return checklist(store.maps.entries(map_id), store.maps.links(map_id), _actions(store, map_id))


# -- imports (orgkit.map.imports checks the file; these read and write it) -------------------


def import_mapping(store: Store, actor: Actor, map_id: int, shape: str) -> str | None:
    """The mapping (JSON) last confirmed on this map for a file of this shape, if any."""
    get_map(store, actor, map_id)
    return store.maps.import_mapping(map_id, shape)


@recorded
def import_rows(store: Store, actor: Actor, map_id: int, checked_map: int, revision: int,
                entries: list[dict], updates: list[tuple[int, int, dict]], links: list[tuple],
                actions: list[tuple[dict, list]], remember: tuple[str, str] | None) -> None:
    """Write rows an import checked against map `checked_map` at `revision`, in one
    transaction after an automatic copy of the workshop; links and actions may name the new
    entries as "new:<n>". `remember` is the (shape, mapping JSON) to offer next time."""
    row = get_map(store, actor, map_id)
    stale = Conflict(msg("The map changed since the preview: preview the file again."))
    with store.atomic():
        # The rows were checked against this map at this revision (names resolved to ids,
        # matches and duplicates decided): once either moved, those checks no longer hold.
        if checked_map != map_id or store.maps.lock(map_id) != revision:
            raise stale
        backups.auto_backup(store, row["workshop_id"],
                            msg("before an import into {map}", map=row["name"]))
        new_ids = store.maps.insert_entries(map_id, entries)
        if store.maps.update_entries(map_id, updates) != len(updates):
            raise stale
        ref = {f"new:{i}": entry_id for i, entry_id in enumerate(new_ids)}
        store.maps.insert_links(map_id, [(ref.get(s, s), ref.get(t, t), k) for s, t, k in links])
        for fields, involved in actions:
            store.maps.insert_action(map_id, fields, [ref.get(i, i) for i in involved])
        if remember is not None:
            store.maps.remember_import_mapping(map_id, *remember)


@recorded
def add_entry_once(store: Store, actor: Actor, map_id: int, raw: dict) -> int:
    """create_entry, unless an entry of the same name (ignoring case) is already on the map:
    that one is named (Conflict) instead of doubled, as when a board item is promoted twice.
    The check and the insert hold the map's row."""
    team_map = get_map(store, actor, map_id)
    fields = clean_entry(raw)
    with store.atomic():
        store.maps.lock(map_id)
        existing = store.maps.entry_named(map_id, fields["name"])
        if existing is not None:
            raise Conflict(msg("Already on {map} as “{name}” ({level}).", map=team_map["name"],
                               name=existing["name"],
                               level=Message(LEVELS.get(existing["level"], existing["level"]))))
        return store.maps.insert_entry(map_id, fields)
