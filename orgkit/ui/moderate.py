"""The facilitator's moderation of one board: items from the floor (typed for someone without a
phone), the approval queue, grouping items into themes
(picked or typed, and the suggested groups), one item's tools (hide, pin, theme, merge, promote
into a team map), undoing a merge, and the themes themselves. Drawn from the facilitate screen's
snapshot; every action runs through board_parts.act (or tell), and what it did, or why it was
refused, shows beside the control clicked (board_parts.said), never a traceback."""
from __future__ import annotations

import streamlit as st

from ..bidi import isolate
from ..board import model as board_model
from ..board import service as boards
from ..board.model import Snapshot
from ..domain import LEVELS, OrgKitError
from ..i18n import _, ngettext
from ..map import service as maps
from ..markdown import escape
from .board_parts import ITEM_STATUS, act, act_on, cut, said, tell
from .forms import error_text, submission_key
from .identity import Context


def _label(item: board_model.Item, limit: int = 70) -> str:
    # Selectbox options are drawn as plain text (unlike their labels, radio and pills options), so
    # user text needs no Markdown escaping here: escaping would show the backslashes.
    label = _("{text} ({votes}, {status})", text=cut(item.text, limit),
              votes=_(board_model.vote_count(item.votes)), status=_(ITEM_STATUS[item.status]))
    if item.from_floor:
        return _("{item} · {mark}", item=label, mark=_(board_model.FROM_FLOOR))
    return label


# -- from the floor ------------------------------------------------------------------------------

def _floor_keys(board_id: int) -> tuple[str, str]:
    return f"floor_text_{board_id}", f"floor_said_by_{board_id}"


def _add_from_floor(ctx: Context, board_id: int) -> None:
    """Post what was typed (read when Add is pressed); the fields empty only once it is on."""
    text_key, said_key = _floor_keys(board_id)
    text, said_by = st.session_state.get(text_key, ""), st.session_state.get(said_key, "")
    key = submission_key(f"floor_{board_id}", (text, said_by))
    try:
        boards.add_from_floor(ctx.store, ctx.actor, board_id, text, said_by, key)
    except OrgKitError as exc:
        tell(f"floor_{board_id}", error_text(exc), ok=False)
        return
    st.session_state[text_key] = st.session_state[said_key] = ""
    tell(f"floor_{board_id}", _("On the board, marked as from the floor."))


def from_floor(ctx: Context, snap: Snapshot) -> None:
    """Add an item for someone without a phone (said aloud, or on a card): typed here or on a
    second laptop unlocked as the facilitator, marked as from the floor, counted like any item."""
    board = snap.board
    if board.closed_note() is not None:
        return
    floor = sum(item.from_floor for item in snap.shown())
    with st.expander(_("Add from the floor ({n} so far)", n=floor), key=f"fac_floor_{board.id}"):
        text_key, said_key = _floor_keys(board.id)
        with st.form(f"floor_{board.id}", border=False):
            st.text_area(_("What was said"), key=text_key, height=80)
            st.text_input(_("Said by (optional: only if they want their name on it)"),
                          key=said_key,
                          disabled=board.anonymous,
                          help=_("This board is anonymous: no name is kept.")
                          if board.anonymous else None)
            st.form_submit_button(_("Add to the board"), type="primary", on_click=_add_from_floor,
                                  args=(ctx, board.id), key=f"floor_{board.id}_submit")
        said(f"floor_{board.id}")


def queue(ctx: Context, snap: Snapshot) -> None:
    """Items waiting for approval, each with Approve and Hide."""
    waiting = snap.with_status(board_model.PENDING)
    if snap.board.moderation != "approval" and not waiting:
        return
    st.markdown(_("**Waiting for approval: {n}**", n=len(waiting)))
    slot = f"queue_{snap.board.id}"
    for item in waiting:
        text_col, approve_col, hide_col = st.columns([4, 1, 1], vertical_alignment="center")
        text_col.text(item.text)
        approve_col.button(_("Approve"), key=f"approve_{item.id}", on_click=act,
                           args=(boards.approve_item, ctx.store, ctx.actor, item.id),
                           kwargs={"slot": slot, "done": _("Approved: it is on the board.")})
        hide_col.button(_("Hide"), key=f"qhide_{item.id}", on_click=act,
                        args=(boards.hide_item, ctx.store, ctx.actor, item.id),
                        kwargs={"slot": slot, "done": _("Hidden.")})
    said(slot)


# -- grouping: a pick per item, a theme per group ------------------------------------------------

def _group_keys(board_id: int) -> tuple[str, str]:
    return f"group_items_{board_id}", f"group_theme_{board_id}"


def _group(ctx: Context, board_id: int, item_ids: tuple[int, ...] | None = None,
           theme: str | None = None) -> None:
    """File the picked items (or a suggestion's) under the theme picked or typed."""
    items_key, theme_key = _group_keys(board_id)
    if item_ids is None:
        item_ids, theme = st.session_state.get(items_key) or [], st.session_state.get(theme_key)
    try:
        boards.group_items(ctx.store, ctx.actor, board_id, list(item_ids), theme)
    except OrgKitError as exc:
        tell(f"group_{board_id}", error_text(exc), ok=False)
        return
    st.session_state[items_key], st.session_state[theme_key] = [], ""
    tell(f"group_{board_id}", _("Grouped {n} under “{theme}”.", n=len(item_ids),
                                theme=theme.strip()))


def _edit_suggestion(board_id: int, group: board_model.SuggestedGroup) -> None:
    items_key, theme_key = _group_keys(board_id)
    st.session_state[items_key], st.session_state[theme_key] = list(group.item_ids), group.name


def grouping(ctx: Context, snap: Snapshot) -> None:
    """Pick several items, then one theme (picked or typed): one action per item and two per
    group, on a laptop and on a phone alike. Suggested groups take one tap to accept."""
    shown = snap.shown()
    if not shown:
        return
    board_id = snap.board.id
    themes = dict(snap.themes)
    # Ungrouped first; the label has no vote count, so a vote elsewhere does not change it
    # while the list is open.
    ordered = sorted(shown, key=lambda i: i.theme_id is not None)
    label = {i.id: _("{text} · in {theme}", text=cut(i.text), theme=isolate(themes[i.theme_id]))
             if i.theme_id in themes else cut(i.text) for i in ordered}
    loose = sum(i.theme_id is None for i in shown)
    st.markdown(_("**Group items into themes** · {loose} of {n} not in a theme", loose=loose,
                  n=len(shown)))
    items_key, theme_key = _group_keys(board_id)
    picked = st.session_state.get(items_key) or []
    if any(i not in label for i in picked):  # drop picks that left the board meanwhile
        st.session_state[items_key] = [i for i in picked if i in label]
    with st.form(f"group_{board_id}", border=False):
        st.multiselect(_("Items"), list(label), format_func=label.get, key=items_key,
                       placeholder=_("Pick the items that belong together"))
        # Typed, not picked: Enter sends the form, so a group costs its picks and three
        # actions (tap, type, Enter). An existing theme's name (any case) files there.
        st.text_input(_("Theme for these items"), key=theme_key,
                      placeholder=_("Type a new theme or an existing one's name"),
                      help=_("Themes so far: {themes}",
                             themes=", ".join(escape(isolate(t)) for t in themes.values()))
                      if themes else None)
        # Not "Group": that is a phase's button above.
        st.form_submit_button(_("Put the items in this theme"), type="primary", on_click=_group,
                              args=(ctx, board_id), key=f"group_{board_id}_submit")
    said(f"group_{board_id}")
    suggestions = board_model.suggest_groups(snap)
    if suggestions:
        with st.expander(_("Suggested groups ({n}): items that share a word", n=len(suggestions)),
                         expanded=True, key=f"fac_suggest_{board_id}"):
            texts = {i.id: i.text for i in shown}
            for group in suggestions:
                text_col, accept_col, edit_col = st.columns([4, 1, 1], vertical_alignment="center")
                text_col.markdown(f"**{escape(isolate(group.name))}** · " + " · ".join(
                    escape(cut(texts[i], 40)) for i in group.item_ids))
                key = f"suggest_{board_id}_{group.name}_{'_'.join(map(str, group.item_ids))}"
                accept_col.button(_("Accept"), key=key + "_ok", on_click=_group,
                                  args=(ctx, board_id, group.item_ids, group.name),
                                  width="stretch")
                edit_col.button(_("Edit"), key=key + "_edit", on_click=_edit_suggestion,
                                args=(board_id, group), width="stretch")


# -- one item ------------------------------------------------------------------------------------

def item_tools(ctx: Context, snap: Snapshot) -> None:
    """Pick an item; hide or unhide, pin, file under a theme, merge into another, promote."""
    items = [item for item in snap.items if item.status in (board_model.SHOWN, board_model.HIDDEN)]
    st.markdown(_("**Items: {shown} shown, {hidden} hidden**", shown=len(snap.shown()),
                  hidden=len(snap.with_status(board_model.HIDDEN))))
    _merged(ctx, snap)
    if not items:
        return
    by_id = {item.id: item for item in items}
    chosen = st.selectbox(_("Item to moderate"), list(by_id),
                          format_func=lambda i: _label(by_id[i]), key=f"mod_item_{snap.board.id}")
    item = by_id[chosen]
    store, actor = ctx.store, ctx.actor
    slot = f"mod_{snap.board.id}"
    hide_col, pin_col = st.columns(2)
    # Keys carry the item and its state: a button drawn for one item and state acts on them only.
    state = f"{item.id}_{item.status}_{item.pinned}"
    if item.status == board_model.HIDDEN:
        hide_col.button(_("Unhide"), key=f"mod_unhide_{state}", on_click=act,
                        args=(boards.unhide_item, store, actor, item.id),
                        kwargs={"slot": slot, "done": _("Shown on the board again.")})
    else:
        hide_col.button(_("Hide"), key=f"mod_hide_{state}", on_click=act,
                        args=(boards.hide_item, store, actor, item.id),
                        kwargs={"slot": slot, "done": _("Hidden from the board.")})
    pin_col.button(_("Unpin") if item.pinned else _("Pin"), key=f"mod_pin_{state}", on_click=act,
                   args=(boards.pin_item, store, actor, item.id, not item.pinned),
                   kwargs={"slot": slot, "done": _("Unpinned.") if item.pinned else _("Pinned.")})
    said(slot)
    themes = {None: _("(no theme)"), **{t: isolate(name) for t, name in snap.themes}}
    theme_col, theme_btn = st.columns([3, 1], vertical_alignment="bottom")
    # Keyed by the item and its theme: another item, or this one filed elsewhere, starts from
    # its own current theme instead of the last one picked.
    theme_key = f"mod_theme_{item.id}_{item.theme_id}"
    theme_col.selectbox(_("Theme"), list(themes), format_func=themes.get,
                        index=list(themes).index(item.theme_id), key=theme_key)
    theme_btn.button(_("Put in theme"), key=f"mod_theme_go_{item.id}", on_click=act_on,
                     args=(theme_key, boards.assign_theme, store, actor, item.id),
                     kwargs={"slot": f"{slot}_theme", "done": _("Theme saved.")})
    said(f"{slot}_theme")
    others = [other for other in items if other.id != item.id]
    if others:
        merge_col, merge_btn = st.columns([3, 1], vertical_alignment="bottom")
        merge_col.selectbox(_("Merge this item into (votes combine)"), [o.id for o in others],
                            key=f"mod_merge_{item.id}", format_func=lambda i: _label(by_id[i]))
        merge_btn.button(_("Merge"), key=f"mod_merge_go_{item.id}", on_click=act_on,
                         args=(f"mod_merge_{item.id}", boards.merge_items, store, actor, item.id),
                         kwargs={"slot": f"{slot}_merge", "done": _("Merged; votes combined.")})
        said(f"{slot}_merge")
    _promotion(ctx, item)


def _merged(ctx: Context, snap: Snapshot) -> None:
    """Undo a merge: the merged items, each with the item it went into."""
    merged = snap.with_status(board_model.MERGED)
    if not merged:
        return
    texts = {item.id: item.text for item in snap.items}
    with st.expander(_("Merged items ({n}): undo a merge", n=len(merged)),
                     key=f"fac_merged_{snap.board.id}"):
        for item in merged:
            text_col, undo_col = st.columns([4, 1], vertical_alignment="center")
            text_col.text(_("{item} → into {other}", item=cut(item.text, 50),
                            other=cut(texts.get(item.merged_into, ""), 50)))
            undo_col.button(_("Undo merge"), key=f"unmerge_{item.id}", on_click=act,
                            args=(boards.unmerge_item, ctx.store, ctx.actor, item.id))


def _promote(ctx: Context, item_id: int, keys: tuple[str, str, str]) -> None:
    """Add the item to the map with the name and level shown in the fields (read when clicked)."""
    map_id, level, name = (st.session_state.get(k) for k in keys)
    slot = f"promote_{item_id}"
    try:
        boards.promote_item(ctx.store, ctx.actor, item_id, map_id, level, name)
    except OrgKitError as exc:
        tell(slot, error_text(exc), ok=False)
        return
    tell(slot, _("Added “{name}” to the map as a new entry.", name=name.strip()))


def _promotion(ctx: Context, item: board_model.Item) -> None:
    """Promote the item into a team map: the entry's name (editable) and level (suggested by
    the item's words, or left for the facilitator to choose), and what will be created."""
    team_maps = {m["id"]: m["name"] for m in maps.team_maps(ctx.store, ctx.actor)}
    if not team_maps:
        return
    st.markdown(_("**Promote this item to a team map**"))
    keys = (f"promote_map_{item.id}", f"promote_level_{item.id}", f"promote_name_{item.id}")
    map_col, level_col = st.columns(2)
    map_id = map_col.selectbox(_("Team map"), list(team_maps), format_func=team_maps.get,
                               key=keys[0])
    suggested = board_model.suggest_level(item.text)
    level = level_col.selectbox(
        _("Level"), list(LEVELS), format_func=lambda lv: _(LEVELS[lv]), key=keys[1],
        index=None if suggested is None else list(LEVELS).index(suggested),
        placeholder=_("Choose a level"))
    name = st.text_input(_("Entry name"), value=board_model.entry_name_for(item.text),
                         key=keys[2])
    if level is None:
        st.caption(_("The item's words suggest no level: choose one."))
    else:
        st.caption(_("Will add “{name}” to {map} as {level} (stage: identified).",
                     name=escape(name.strip()), map=escape(team_maps[map_id]),
                     level=_(LEVELS[level])))
    st.button(_("Add to the map"), key=f"promote_go_{item.id}", on_click=_promote,
              args=(ctx, item.id, keys), disabled=level is None or not name.strip())
    said(f"promote_{item.id}")  # right under the button, not at the top of the page


# -- themes --------------------------------------------------------------------------------------

def themes(ctx: Context, snap: Snapshot) -> None:
    """Create, rename, un-group and delete the board's themes."""
    counts = {theme_id: 0 for theme_id, _name in snap.themes}
    for item in snap.shown():
        if item.theme_id in counts:
            counts[item.theme_id] += 1
    with st.expander(_("Themes ({n}): create, rename, un-group, delete", n=len(snap.themes)),
                     key=f"fac_themes_{snap.board.id}"):
        with st.form(f"new_theme_{snap.board.id}", clear_on_submit=True, border=False):
            name = st.text_input(_("New theme"), key=f"new_theme_{snap.board.id}_name")
            if st.form_submit_button(_("Create theme"), key=f"new_theme_{snap.board.id}_submit"):
                act(boards.create_theme, ctx.store, ctx.actor, snap.board.id, name,
                    slot=f"new_theme_{snap.board.id}", done=_("Theme created."))
                st.rerun()
        said(f"new_theme_{snap.board.id}")
        args = (ctx.store, ctx.actor, snap.board.id)
        for theme_id, current in snap.themes:
            # The name is in the key: a rename made elsewhere redraws the field with it.
            field = f"theme_{theme_id}_{current}"
            name_col, rename_col, ungroup_col, delete_col = st.columns(
                [3, 1, 1, 1], vertical_alignment="bottom")
            name_col.text_input(ngettext("Theme name ({n} item)", "Theme name ({n} items)",
                                         counts[theme_id]), value=current, key=field)
            slot = {"slot": f"theme_{theme_id}"}
            rename_col.button(_("Rename"), key=f"rename_{theme_id}", on_click=act_on,
                              args=(field, boards.rename_theme, *args, theme_id),
                              kwargs={**slot, "done": _("Renamed.")})
            ungroup_col.button(_("Un-group"), key=f"ungroup_{theme_id}", on_click=act,
                               args=(boards.ungroup_theme, *args, theme_id),
                               kwargs={**slot, "done": _("Its items are out of the theme.")},
                               disabled=not counts[theme_id])
            delete_col.button(_("Delete"), key=f"delete_theme_{theme_id}", on_click=act,
                              args=(boards.delete_theme, *args, theme_id),
                              kwargs={"slot": f"themes_{snap.board.id}",
                                      "done": _("Theme deleted.")})
            said(f"theme_{theme_id}")
        said(f"themes_{snap.board.id}")  # a deleted theme's row is gone: said under the list
