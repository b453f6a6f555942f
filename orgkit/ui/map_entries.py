"""A map's entries: the level tables (an editable grid per level, saved in one transaction) and
one entry in full (every field, its imported extras, a decision-maker's power links).

Conflict guard: a table keeps the rows (ids and versions) it was loaded with in session state
until it is saved or reloaded, and the one-entry form keeps the version it was opened at. A save
therefore always names the version this person saw, and the core refuses it if it moved.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ..domain import LEVELS, SHORT_LEVELS, STAGES, STRENGTHS, OrgKitError
from ..i18n import _
from ..map import model as map_model
from ..map import formats, power
from ..map import service as maps
from ..markdown import escape
from .forms import show_error
from .identity import Context
from . import map_links
from .map_parts import choice, flash, save_row, state

DM = map_model.DECISION_MAKER
FLAG_COLUMNS = tuple(map_model.FLAGS)
INTEGER_COLUMNS = ("stance", "influence")


def table_columns(level: str) -> list[str]:
    """The entry fields a level's table shows (the map page is open only to the team and the
    facilitator: maps.get_map)."""
    columns = ["name", "role", "constituencies", "contact", "how_help",
               "is_gatekeeper", "gatekeeper_why", "strength", "stage", "point_person",
               "next_step", "next_step_on"]
    if level == "impacted":
        columns += ["willing_to_speak", "trained"]
    if level == DM:
        columns += [*map_model.DECISION_MAKER_TEXT]
    if level in map_model.POWER_LEVELS:
        columns += ["stance", "influence"]
    return columns + ["notes"]


def _column_config(columns: list[str]) -> dict:
    config = {}
    for name in columns:
        label = _(map_model.LABELS[name])
        if name in FLAG_COLUMNS:
            config[name] = st.column_config.CheckboxColumn(label, default=False)
        elif name == "strength":
            config[name] = st.column_config.SelectboxColumn(
                label, options=list(STRENGTHS), format_func=lambda k: _(STRENGTHS[k]),
                default="none")
        elif name == "stage":
            config[name] = st.column_config.SelectboxColumn(
                label, options=list(STAGES), format_func=lambda k: _(STAGES[k]),
                default="identified")
        elif name == "next_step_on":
            config[name] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif name in INTEGER_COLUMNS:
            low, high = map_model.STANCE_RANGE if name == "stance" else map_model.INFLUENCE_RANGE
            config[name] = st.column_config.NumberColumn(label, min_value=low, max_value=high,
                                                         step=1, format="%d")
        else:
            config[name] = st.column_config.TextColumn(
                _("{label} (separate with ;)", label=label) if name == "constituencies"
                else label, required=name == "name")
    return config


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    data = {}
    for name in columns:
        values = [row[name] for row in rows]
        if name in FLAG_COLUMNS:
            data[name] = pd.Series([bool(v) for v in values], dtype="bool")
        elif name == "next_step_on":
            data[name] = pd.Series([dt.date.fromisoformat(v) if v else None for v in values],
                                   dtype="object")
        elif name in INTEGER_COLUMNS:
            data[name] = pd.Series(values, dtype="Int64")
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data, columns=columns)


def _has_edits(delta: object) -> bool:
    return isinstance(delta, dict) and any(delta.get(part) for part in
                                           ("edited_rows", "added_rows", "deleted_rows"))


def level_table(ctx: Context, view: map_model.MapView, level: str) -> None:
    """A fast editable table of one level's entries, saved in one transaction."""
    map_id = ctx.map["id"]
    generation_key = state(ctx, f"table_{level}_gen")
    generation = st.session_state.setdefault(generation_key, 0)
    key = state(ctx, f"table_{level}_{generation}")
    loaded_key = key + "_loaded"
    revision = view.revision
    loaded = st.session_state.get(loaded_key)
    if loaded is not None and loaded["revision"] != revision and not _has_edits(
            st.session_state.get(key)):
        # Someone saved meanwhile and this person has no pending edits: show the new rows.
        st.session_state[generation_key] = generation = generation + 1
        key, loaded = state(ctx, f"table_{level}_{generation}"), None
        loaded_key = key + "_loaded"
    if loaded is None:
        loaded = {"revision": revision, "rows": view.level(level)}
        st.session_state[loaded_key] = loaded
    columns = table_columns(level)
    st.data_editor(_frame(loaded["rows"], columns), key=key, num_rows="dynamic", hide_index=True,
                   column_config=_column_config(columns), width="stretch")
    with save_row(ctx, f"table_{level}"):
        if st.button(_("Save table changes"), key=key + "_save", type="primary"):
            try:
                result = maps.apply_table_edit(ctx.store, ctx.actor, map_id, level,
                                               loaded["rows"], st.session_state.get(key) or {})
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.session_state[generation_key] = generation + 1
                flash(ctx, _("Saved: {added} added, {updated} changed, {deleted} deleted.",
                             added=result.added, updated=result.updated,
                             deleted=result.deleted), f"table_{level}")
                st.rerun()
        if st.button(_("Reload (drop my unsaved edits)"), key=key + "_reload"):
            st.session_state[generation_key] = generation + 1
            st.rerun()


# -- one entry -------------------------------------------------------------------------------

def entry_form(ctx: Context, view: map_model.MapView, suggested: str | None = None) -> None:
    """One entry (new or existing), saved against the version it was opened at: the fields a
    phone needs first (level, name, office, how well we know them, stance and influence), the
    rest folded under "More details"; under it, a link from this entry (map_links.link_from)."""
    map_id = ctx.map["id"]
    by_id = {e["id"]: e for e in view.entries}
    asked = st.query_params.get("entry", "")  # a link from "This week" opens that entry
    if asked.isdigit() and int(asked) in by_id and state(ctx, "form_entry") not in st.session_state:
        st.session_state[state(ctx, "form_entry")] = int(asked)
    # Its label hidden (a screen reader still reads it): "New entry" says what it is.
    chosen = st.selectbox(_("Entry"), [None, *by_id], key=state(ctx, "form_entry"),
                          label_visibility="collapsed",
                          format_func=lambda i: _("New entry") if i is None else
                          _("{name} ({level})", name=by_id[i]["name"],
                            level=_(LEVELS[by_id[i]["level"]])))
    entry = by_id.get(chosen) or {name: None for name in map_model.ENTRY_FIELDS} | {
        "level": suggested or "impacted", "strength": None, "stage": "identified"}
    version_key = state(ctx, f"form_version_{chosen}")
    version = st.session_state.setdefault(version_key, entry.get("version"))
    if chosen is not None and version != entry["version"]:
        st.warning(_("Someone else changed this entry since you opened it. Reload to see it."))
        if st.button(_("Reload this entry"), key=state(ctx, "form_reload")):
            del st.session_state[version_key]
            st.rerun()
    # One tap, not a list to open; a new entry starts at the level to add next (its key carries
    # it, so the suggestion moves on once that level's target is met).
    level = st.pills(
        _("Level"), list(LEVELS), format_func=lambda k: _(SHORT_LEVELS[k]),
        default=entry["level"], key=state(ctx, f"form_level_{chosen}_{entry['level']}")
    ) or entry["level"]
    # A new entry's form starts empty again after each add: its key counts the adds.
    added = st.session_state.get(state(ctx, "form_added"), 0)
    form = state(ctx, f"form_{chosen}_{version}_{added}")
    with st.form(form):
        raw = _entry_fields(entry, level, form)
        with save_row(ctx, "entry"):
            if st.form_submit_button(_("Save entry"), type="primary", key=f"{form}_submit"):
                _save(ctx, chosen, version, version_key, added, raw)
    just_added = by_id.get(st.session_state.get(state(ctx, "just_added")))
    if chosen is None and just_added is not None:
        map_links.link_from(ctx, view, just_added)
    if chosen is not None:
        map_links.link_from(ctx, view, entry)
        _extra_fields(entry)
        _power(entry, by_id, view.links)
        if st.button(_("Delete this entry"), key=state(ctx, "form_delete")):
            try:
                maps.delete_entry(ctx.store, ctx.actor, map_id, chosen, version)
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.session_state.pop(state(ctx, "form_entry"), None)
                flash(ctx, _("Entry deleted."), "entry")
                st.rerun()


def _save(ctx: Context, chosen: int | None, version: int | None, version_key: str, added: int,
          raw: dict) -> None:
    """Add or save the entry; the answer shows beside the button (a refusal right there)."""
    try:
        if chosen is None:
            new_id = maps.create_entry(ctx.store, ctx.actor, ctx.map["id"], raw)
            st.session_state[state(ctx, "form_added")] = added + 1
            st.session_state[state(ctx, "just_added")] = new_id
            flash(ctx, _("Entry added."), "entry")
        else:
            st.session_state[version_key] = maps.update_entry(
                ctx.store, ctx.actor, ctx.map["id"], chosen, version, raw)
            flash(ctx, _("Entry saved."), "entry")
    except OrgKitError as exc:
        show_error(exc)
    else:
        st.rerun()


def _entry_fields(entry: dict, level: str, form: str) -> dict:
    """The form's inputs, pre-filled from the entry; returns the raw values. Each key is the
    form's (which names the entry and its version) and the field's."""
    def text(name: str, area: bool = False) -> str:
        label = _(map_model.ENTRY_TEXT.get(name, (map_model.LABELS[name],))[0])
        if area:
            return st.text_area(label, value=entry.get(name) or "", key=f"{form}_{name}")
        return st.text_input(label, value=entry.get(name) or "", key=f"{form}_{name}")

    def flag(name: str, label: str) -> bool:
        return st.checkbox(label, value=bool(entry.get(name)), key=f"{form}_{name}")

    raw = {"level": level, "name": text("name")}
    if level == DM:
        raw["office"] = text("office")
    elif level != "impacted":  # the worksheet asks a leader's and an organization's role
        raw["role"] = text("role")
    # Asked, not assumed: nothing chosen is stored as "none" (not one of ours).
    raw["strength"] = st.segmented_control(
        _("How well do we know them?"), list(STRENGTHS),
        format_func=lambda k: _(STRENGTHS[k]), default=entry["strength"],
        key=f"{form}_strength", width="stretch")
    if level in map_model.POWER_LEVELS:  # placed on the coverage page's power grid
        raw.update(_power_fields(entry, form))
    with st.expander(_("More details: contact, communities, next step, notes"),
                     key=f"{form}_more"):
        if "role" not in raw:
            raw["role"] = text("role")
        raw["contact"] = text("contact")
        raw["constituencies"] = st.text_input(
            _("Constituencies (separate with ;)"), value=entry.get("constituencies") or "",
            key=f"{form}_constituencies")
        raw["how_help"] = text("how_help", area=True)
        raw["is_gatekeeper"] = flag("is_gatekeeper", _("Gatekeeper"))
        raw["gatekeeper_why"] = text("gatekeeper_why")
        raw["stage"] = choice(_("Stage"), STAGES, entry["stage"], f"{form}_stage")
        raw["point_person"] = text("point_person")
        raw["next_step"] = text("next_step")
        raw["next_step_on"] = st.date_input(
            _("Next step date"), value=dt.date.fromisoformat(entry["next_step_on"])
            if entry.get("next_step_on") else None, key=f"{form}_next_step_on")
        raw["willing_to_speak"] = flag("willing_to_speak", _("Willing to speak publicly"))
        raw["trained"] = flag("trained", _("Trained in leadership or self-advocacy"))
        if level == DM:
            raw["jurisdiction"] = text("jurisdiction")
            raw["agenda"] = text("agenda", area=True)
            raw["issues"] = text("issues", area=True)
            st.caption(_("Who funds them and whom they answer to: link them below once saved "
                         "(shown below and on the worksheet)."))
        raw["notes"] = text("notes", area=True)
        raw["description"] = text("description", area=True)  # not private: Kumu's Description
    return raw


def _power_fields(entry: dict, form: str) -> dict:
    """Stance and influence, for the coverage page's power grid: one tap each (tap the chosen
    one again to make it unknown)."""
    low, high = map_model.STANCE_RANGE
    stance = st.segmented_control(
        _("Stance on our issue ({low} … {high})", low=_(map_model.stance_label(low)),
          high=_(map_model.stance_label(high))), list(range(low, high + 1)),
        format_func=map_model.stance_label, default=entry.get("stance"),
        key=f"{form}_stance", width="stretch")
    low, high = map_model.INFLUENCE_RANGE
    influence = st.segmented_control(
        _("Influence ({low} to {high})", low=low, high=high), list(range(low, high + 1)),
        format_func=str, default=entry.get("influence"), key=f"{form}_influence",
        width="stretch")
    return {"stance": stance, "influence": influence}


def _extra_fields(entry: dict) -> None:
    """Columns an import brought that no field of ours holds, kept on the entry as they came."""
    extra = formats.extra_fields(entry)
    if extra:
        st.markdown(_("**From an imported file:**") + "  \n" + "  \n".join(
            f"{escape(name)}: {escape(value)}" for name, value in extra.items()))


def _names_or_nobody(text: str) -> str:
    """Names as typed, or our "nobody on the map yet" in the reader's words."""
    return _(power.NOBODY) if text == power.NOBODY else text


def _power(entry: dict, by_id: dict, links: list[dict]) -> None:
    """For a decision-maker: their inner circle, funders and whom they answer to, from links."""
    if entry["level"] != DM:
        return
    names = {i: e["name"] for i, e in by_id.items()}
    circle = ", ".join(names[i] for i in power.sources_of(links, "inner_circle").get(
        entry["id"], []) if i in names) or power.NOBODY
    funders, bosses = power.funders_and_bosses(links, names)(entry["id"])
    for label, text in ((_("Inner circle"), circle), (_("Funded by"), funders),
                        (_("Answers to"), bosses)):
        st.markdown(f"**{label}:** {escape(_names_or_nobody(text))}")
