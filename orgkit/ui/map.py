"""Streamlit pieces of the relationship map: level tables, the one-entry form, links, actions,
next steps, import/export, the printable worksheet, the guide's checklist and question bank, and
the facilitator's map list.

Every write goes through orgkit.map.service / orgkit.map.transfer, which check the role and
validate; these helpers only gather widget values and show the answer (errors via ui.show_error).

Conflict guard in the UI: a table keeps the rows (ids and versions) it was loaded with in session
state until it is saved or reloaded, and the one-entry form keeps the version it was opened at. A
save therefore always names the version this person saw, and the core refuses it if it moved.
"""
from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import streamlit as st

from ..domain import (ACTION_KINDS, ACTION_STATUSES, CODE_TYPED_MAX, LEVELS, LINK_KINDS,
                      MAP_CODE_LENGTH, STAGES, STRENGTHS, OrgKitError)
from ..map import model as map_model
from ..map import power, worksheet
from ..map import service as maps
from ..map import transfer
from ..spreadsheet import UPLOAD_MAX_MB
from ..workshop import model as workshop_model
from ..workshop import service as workshops
from . import Context, escape, mirrored, page_url, show_error, submission_key
from .board import qr_image

DM = map_model.DECISION_MAKER
FLAG_COLUMNS = tuple(map_model.FLAGS)
INTEGER_COLUMNS = ("stance", "influence")


def _state(ctx: Context, name: str) -> str:
    """A session-state key scoped to this map."""
    return f"map{ctx.map['id']}_{name}"


def _flash(ctx: Context, message: str) -> None:
    st.session_state[_state(ctx, "flash")] = message


def show_flash(ctx: Context) -> None:
    """The confirmation of the last save, shown once after the rerun.

    Always one container, so the elements below keep their place and the selected tab stays."""
    message = st.session_state.pop(_state(ctx, "flash"), None)
    slot = st.container()
    if message:
        slot.success(message)


def load(ctx: Context) -> map_model.MapView:
    """The map page's one read of its map (maps.load_map: one access check); ctx.map becomes the
    row read with it. Every section below takes this view instead of reading again."""
    try:
        view = maps.load_map(ctx.store, ctx.actor, ctx.map["id"])
    except OrgKitError as exc:
        show_error(exc)
        st.stop()
    ctx.map = view.map
    return view


def header(ctx: Context, view: map_model.MapView) -> None:
    """The map's name, issue and counts against its targets."""
    st.title(escape(ctx.map["name"]))
    if ctx.map["issue"]:
        st.caption(escape(ctx.map["issue"]))
    entries = view.entries
    goals = map_model.targets(ctx.map)
    for column, (level, label) in zip(st.columns(len(LEVELS)), LEVELS.items()):
        count = sum(e["level"] == level for e in entries)
        column.metric(label, count, help=f"Target: {goals[level]}" if goals[level] else None)


def targets_form(ctx: Context) -> None:
    """The team's own per-level targets (how many entries it aims for), collapsed by default."""
    goals = map_model.targets(ctx.map)
    form = _state(ctx, "targets")
    with st.expander("Targets per level", key=_state(ctx, "targets_panel")):
        with st.form(form):
            raw = _target_inputs(lambda label: label, form, goals)
            if st.form_submit_button("Save targets", key=f"{form}_submit"):
                try:
                    maps.set_targets(ctx.store, ctx.actor, ctx.map["id"], raw)
                except OrgKitError as exc:
                    show_error(exc)
                else:
                    _flash(ctx, "Targets saved.")
                    st.rerun()


def _target_inputs(label_of, key: str, values: dict[str, int] | None = None) -> dict[str, int]:
    """A row of number inputs, one per level (labelled label_of(level label)), for a map's
    per-level targets: 0..TARGET_MAX, starting at `values` (else 0). Each key carries the value
    it starts from, so a target saved elsewhere is shown, not the number typed before it."""
    values = values or {}
    return {level: column.number_input(label_of(label), min_value=0, max_value=map_model.TARGET_MAX,
                                       value=values.get(level, 0), step=1,
                                       key=f"{key}_{level}_{values.get(level, 0)}")
            for column, (level, label) in zip(st.columns(len(LEVELS)), LEVELS.items())}


# -- the level tables ------------------------------------------------------------------------

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
        label = map_model.LABELS[name]
        if name in FLAG_COLUMNS:
            config[name] = st.column_config.CheckboxColumn(label, default=False)
        elif name == "strength":
            config[name] = st.column_config.SelectboxColumn(
                label, options=list(STRENGTHS), format_func=STRENGTHS.get, default="none")
        elif name == "stage":
            config[name] = st.column_config.SelectboxColumn(
                label, options=list(STAGES), format_func=STAGES.get, default="identified")
        elif name == "next_step_on":
            config[name] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif name in INTEGER_COLUMNS:
            low, high = map_model.STANCE_RANGE if name == "stance" else map_model.INFLUENCE_RANGE
            config[name] = st.column_config.NumberColumn(label, min_value=low, max_value=high,
                                                         step=1, format="%d")
        else:
            config[name] = st.column_config.TextColumn(
                label + (" (separate with ;)" if name == "constituencies" else ""),
                required=name == "name")
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
    generation_key = _state(ctx, f"table_{level}_gen")
    generation = st.session_state.setdefault(generation_key, 0)
    key = _state(ctx, f"table_{level}_{generation}")
    loaded_key = key + "_loaded"
    revision = view.revision
    loaded = st.session_state.get(loaded_key)
    if loaded is not None and loaded["revision"] != revision and not _has_edits(
            st.session_state.get(key)):
        # Someone saved meanwhile and this person has no pending edits: show the new rows.
        st.session_state[generation_key] = generation = generation + 1
        key, loaded = _state(ctx, f"table_{level}_{generation}"), None
        loaded_key = key + "_loaded"
    if loaded is None:
        loaded = {"revision": revision, "rows": view.level(level)}
        st.session_state[loaded_key] = loaded
    columns = table_columns(level)
    st.data_editor(_frame(loaded["rows"], columns), key=key, num_rows="dynamic", hide_index=True,
                   column_config=_column_config(columns), width="stretch")
    save, reload = st.columns([1, 1])
    if save.button("Save table changes", key=key + "_save", type="primary"):
        try:
            result = maps.apply_table_edit(ctx.store, ctx.actor, map_id, level, loaded["rows"],
                                           st.session_state.get(key) or {})
        except OrgKitError as exc:
            show_error(exc)
        else:
            st.session_state[generation_key] = generation + 1
            _flash(ctx, f"Saved: {result.added} added, {result.updated} changed, "
                        f"{result.deleted} deleted.")
            st.rerun()
    if reload.button("Reload (drop my unsaved edits)", key=key + "_reload"):
        st.session_state[generation_key] = generation + 1
        st.rerun()


# -- one entry -------------------------------------------------------------------------------

def _choice(label: str, vocab: dict, value: str, key: str) -> str:
    options = list(vocab)
    return st.selectbox(label, options, index=options.index(value), format_func=vocab.get,
                        key=key)


def entry_form(ctx: Context, view: map_model.MapView) -> None:
    """Every field of one entry (new or existing), saved against the version it was opened at."""
    map_id = ctx.map["id"]
    by_id = {e["id"]: e for e in view.entries}
    chosen = st.selectbox("Entry", [None, *by_id], key=_state(ctx, "form_entry"),
                          format_func=lambda i: "New entry" if i is None else
                          f"{by_id[i]['name']} ({LEVELS[by_id[i]['level']]})")
    entry = by_id.get(chosen) or {name: None for name in map_model.ENTRY_FIELDS} | {
        "level": "impacted", "strength": "none", "stage": "identified"}
    version_key = _state(ctx, f"form_version_{chosen}")
    version = st.session_state.setdefault(version_key, entry.get("version"))
    if chosen is not None and version != entry["version"]:
        st.warning("Someone else changed this entry since you opened it. Reload to see it.")
        if st.button("Reload this entry", key=_state(ctx, "form_reload")):
            del st.session_state[version_key]
            st.rerun()
    level = _choice("Level", LEVELS, entry["level"], _state(ctx, f"form_level_{chosen}"))
    # A new entry's form starts empty again after each add: its key counts the adds.
    added = st.session_state.get(_state(ctx, "form_added"), 0)
    form = _state(ctx, f"form_{chosen}_{version}_{added}")
    with st.form(form):
        raw = _entry_fields(entry, level, form)
        submitted = st.form_submit_button("Save entry", type="primary", key=f"{form}_submit")
    if submitted:
        try:
            if chosen is None:
                maps.create_entry(ctx.store, ctx.actor, map_id, raw)
                st.session_state[_state(ctx, "form_added")] = added + 1
                _flash(ctx, "Entry added.")
            else:
                st.session_state[version_key] = maps.update_entry(
                    ctx.store, ctx.actor, map_id, chosen, version, raw)
                _flash(ctx, "Entry saved.")
        except OrgKitError as exc:
            show_error(exc)
        else:
            st.rerun()
    if chosen is not None:
        _extra_fields(entry)
        _power(entry, by_id, view.links)
        if st.button("Delete this entry", key=_state(ctx, "form_delete")):
            try:
                maps.delete_entry(ctx.store, ctx.actor, map_id, chosen, version)
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.session_state.pop(_state(ctx, "form_entry"), None)
                _flash(ctx, "Entry deleted.")
                st.rerun()


def _entry_fields(entry: dict, level: str, form: str) -> dict:
    """The form's inputs, pre-filled from the entry; returns the raw values. Each key is the
    form's (which names the entry and its version) and the field's."""
    def text(name: str, area: bool = False) -> str:
        label = map_model.ENTRY_TEXT.get(name, (map_model.LABELS[name],))[0]
        if area:
            return st.text_area(label, value=entry.get(name) or "", key=f"{form}_{name}")
        return st.text_input(label, value=entry.get(name) or "", key=f"{form}_{name}")

    raw = {"level": level, "name": text("name")}
    left, right = st.columns(2)
    with left:
        raw["role"] = text("role")
        raw["constituencies"] = st.text_input(
            "Constituencies (separate with ;)", value=entry.get("constituencies") or "",
            key=f"{form}_constituencies")
        raw["contact"] = text("contact")
        raw["how_help"] = text("how_help", area=True)
        raw["is_gatekeeper"] = st.checkbox("Gatekeeper", value=bool(entry.get("is_gatekeeper")),
                                           key=f"{form}_is_gatekeeper")
        raw["gatekeeper_why"] = text("gatekeeper_why")
    with right:
        raw["strength"] = _choice("Relationship strength", STRENGTHS, entry["strength"],
                                  f"{form}_strength")
        raw["stage"] = _choice("Stage", STAGES, entry["stage"], f"{form}_stage")
        raw["point_person"] = text("point_person")
        raw["next_step"] = text("next_step")
        raw["next_step_on"] = st.date_input(
            "Next step date", value=dt.date.fromisoformat(entry["next_step_on"])
            if entry.get("next_step_on") else None, key=f"{form}_next_step_on")
        raw["willing_to_speak"] = st.checkbox("Willing to speak publicly",
                                              value=bool(entry.get("willing_to_speak")),
                                              key=f"{form}_willing_to_speak")
        raw["trained"] = st.checkbox("Trained in leadership or self-advocacy",
                                     value=bool(entry.get("trained")), key=f"{form}_trained")
    if level == DM:
        left, right = st.columns(2)
        with left:
            for name in ("office", "jurisdiction"):
                raw[name] = text(name)
            st.caption("Who funds them and whom they answer to: draw a “funds” or “answers "
                       "to” link in the Links tab (shown below and on the worksheet).")
        with right:
            raw["agenda"] = text("agenda", area=True)
            raw["issues"] = text("issues", area=True)
    if level in map_model.POWER_LEVELS:  # placed on the coverage page's power grid
        low, high = map_model.STANCE_RANGE
        stances = [None, *range(low, high + 1)]
        raw["stance"] = st.selectbox(
            f"Stance on our issue ({map_model.stance_label(low)} … "
            f"{map_model.stance_label(high)})", stances,
            index=stances.index(entry.get("stance")), format_func=map_model.stance_label,
            key=f"{form}_stance")
        low, high = map_model.INFLUENCE_RANGE
        influences = [None, *range(low, high + 1)]
        raw["influence"] = st.selectbox(f"Influence ({low} to {high})", influences,
                                        index=influences.index(entry.get("influence")),
                                        format_func=lambda v: "unknown" if v is None else str(v),
                                        key=f"{form}_influence")
    raw["notes"] = text("notes", area=True)
    return raw


def _extra_fields(entry: dict) -> None:
    """Columns an import brought that no field of ours holds, kept on the entry as they came."""
    extra = transfer.extra_fields(entry)
    if extra:
        st.markdown("**From an imported file:**  \n" + "  \n".join(
            f"{escape(name)}: {escape(value)}" for name, value in extra.items()))


def _power(entry: dict, by_id: dict, links: list[dict]) -> None:
    """For a decision-maker: their inner circle, funders and whom they answer to, from links."""
    if entry["level"] != DM:
        return
    names = {i: e["name"] for i, e in by_id.items()}
    circle = ", ".join(names[i] for i in power.sources_of(links, "inner_circle").get(
        entry["id"], []) if i in names) or power.NOBODY
    funders, bosses = power.funders_and_bosses(links, names)(entry["id"])
    for label, text in (("Inner circle", circle), ("Funded by", funders), ("Answers to", bosses)):
        st.markdown(f"**{label}:** {escape(text)}")


# -- links -----------------------------------------------------------------------------------

def links_section(ctx: Context, view: map_model.MapView) -> None:
    """Add a link between two entries; list and remove links."""
    map_id = ctx.map["id"]
    names = {e["id"]: e["name"] for e in view.entries}
    if len(names) < 2:
        st.info("Add at least two entries to link them.")
        return
    form = _state(ctx, "link_form")
    with st.form(form, clear_on_submit=True):
        source, kind, target = st.columns(3)
        source_id = source.selectbox("From", list(names), format_func=names.get,
                                     key=f"{form}_source")
        link_kind = kind.selectbox("Relationship", list(LINK_KINDS), format_func=LINK_KINDS.get,
                                   key=f"{form}_kind")
        target_id = target.selectbox("To", list(names), format_func=names.get, index=1,
                                     key=f"{form}_target")
        if st.form_submit_button("Add link", key=f"{form}_submit"):
            try:
                maps.add_link(ctx.store, ctx.actor, map_id, source_id, target_id, link_kind)
            except OrgKitError as exc:
                show_error(exc)
            else:
                _flash(ctx, "Link added.")
                st.rerun()
    links = view.links
    if not links:
        return
    described = {l["id"]: f"{names[l['source_id']]} {LINK_KINDS[l['kind']]} "
                          f"{names[l['target_id']]}" for l in links}
    st.dataframe(pd.DataFrame({"Link": list(described.values())}), hide_index=True,
                 width="stretch")
    doomed = st.selectbox("Remove a link", [None, *described], key=_state(ctx, "link_remove"),
                          format_func=lambda i: "—" if i is None else described[i])
    if doomed is not None and st.button("Remove link", key=_state(ctx, "link_remove_go")):
        maps.delete_link(ctx.store, ctx.actor, map_id, doomed)
        _flash(ctx, "Link removed.")
        st.rerun()


# -- actions and next steps ------------------------------------------------------------------

def actions_section(ctx: Context, view: map_model.MapView) -> None:
    """Plan an action, update one, and see the upcoming and overdue next steps."""
    map_id = ctx.map["id"]
    names = {e["id"]: e["name"] for e in view.entries}
    actions = view.actions
    upcoming, overdue = map_model.next_steps(view.entries, actions)
    left, right = st.columns(2)
    for column, title, steps in ((left, "Upcoming", upcoming), (right, "Overdue", overdue)):
        column.subheader(f"{title} ({len(steps)})")
        if steps:
            column.dataframe(pd.DataFrame([{"Date": s.on, "Step": s.what, "Who": s.who}
                                           for s in steps]), hide_index=True, width="stretch")
    st.subheader("Plan an action")
    form = _state(ctx, "action_form")
    with st.form(form, clear_on_submit=True):
        kind, title, due = st.columns([2, 3, 1])
        raw = {"kind": kind.selectbox("Action", list(ACTION_KINDS), format_func=ACTION_KINDS.get,
                                      key=f"{form}_kind"),
               "title": title.text_input("Title", key=f"{form}_title",
                                         help="Say what it is, or choose the entries involved."),
               "due_on": due.date_input("Date", value=None, key=f"{form}_due_on")}
        status, turnout = st.columns(2)
        raw["status"] = status.selectbox("Status", list(ACTION_STATUSES),
                                         format_func=ACTION_STATUSES.get, key=f"{form}_status")
        raw["turnout"] = turnout.number_input("Turnout", min_value=0, max_value=map_model.TURNOUT_MAX,
                                              step=1, key=f"{form}_turnout")
        involved = st.multiselect("Entries involved", list(names), format_func=names.get,
                                  key=f"{form}_entries")
        raw["outcome"] = st.text_area("Outcome", key=f"{form}_outcome")
        if st.form_submit_button("Add action", key=f"{form}_submit"):
            try:
                maps.create_action(ctx.store, ctx.actor, map_id, raw, involved)
            except OrgKitError as exc:
                show_error(exc)
            else:
                _flash(ctx, "Action added.")
                st.rerun()
    if actions:
        _actions_list(ctx, actions, names)


def _actions_list(ctx: Context, actions: list[dict], names: dict) -> None:
    st.subheader("Actions")
    st.dataframe(pd.DataFrame([{
        "Date": a["due_on"] or "", "Action": ACTION_KINDS[a["kind"]], "Title": a["title"],
        "Status": ACTION_STATUSES[a["status"]], "Turnout": a["turnout"], "Outcome": a["outcome"],
        "Entries": ", ".join(names[i] for i in a["entry_ids"] if i in names)} for a in actions]),
        hide_index=True, width="stretch")
    by_id = {a["id"]: a for a in actions}
    described = {i: f"{a['due_on'] or 'no date'} · {a['title'] or ACTION_KINDS[a['kind']]}"
                 for i, a in by_id.items()}
    chosen = st.selectbox("Update an action", [None, *by_id], key=_state(ctx, "action_pick"),
                          format_func=lambda i: "—" if i is None else described[i])
    if chosen is None:
        return
    action = by_id[chosen]
    form = _state(ctx, f"action_update_{chosen}")
    # The fields' keys carry the action as stored: saved elsewhere, it is shown anew.
    field = mirrored(form, action["status"], action["outcome"], action["turnout"])
    with st.form(form):
        status = _choice("Status", ACTION_STATUSES, action["status"], f"{field}_status")
        outcome = st.text_area("Outcome", value=action["outcome"], key=f"{field}_outcome")
        turnout = st.number_input("Turnout", min_value=0, max_value=map_model.TURNOUT_MAX,
                                  value=action["turnout"], step=1, key=f"{field}_turnout")
        save = st.form_submit_button("Save action", key=f"{form}_save")
        delete = st.form_submit_button("Delete action", key=f"{form}_delete")
    try:
        if save:
            maps.update_action(ctx.store, ctx.actor, ctx.map["id"], chosen,
                               {"status": status, "outcome": outcome, "turnout": turnout})
        elif delete:
            maps.delete_action(ctx.store, ctx.actor, ctx.map["id"], chosen)
            st.session_state.pop(_state(ctx, "action_pick"), None)
    except OrgKitError as exc:
        show_error(exc)
    else:
        if save or delete:
            _flash(ctx, "Action saved." if save else "Action deleted.")
            st.rerun()


# -- import, export, print -------------------------------------------------------------------

def export_section(ctx: Context) -> None:
    """Download buttons for CSV, XLSX and Kumu; each file is built only when its button is
    clicked (a callable, not bytes), so a rerun of the page builds none of them."""
    map_id, stem = ctx.map["id"], f"map-{ctx.map['id']}"

    def build(export, *args):
        return functools.partial(export, ctx.store, ctx.actor, map_id, *args)

    columns = st.columns(5)
    for column, kind in zip(columns, transfer.KINDS):
        column.download_button(f"{kind.capitalize()} (CSV)", key=_state(ctx, f"csv_{kind}"),
                               data=build(transfer.export_csv, kind),
                               file_name=f"{stem}-{kind}.csv", mime="text/csv", on_click="ignore")
    columns[3].download_button("All (XLSX)", key=_state(ctx, "xlsx"),
                               data=build(transfer.export_xlsx), file_name=f"{stem}.xlsx",
                               on_click="ignore")
    columns[4].download_button("Kumu (XLSX)", key=_state(ctx, "kumu"),
                               data=build(transfer.kumu_workbook), file_name=f"{stem}-kumu.xlsx",
                               on_click="ignore")


IMPORT_KINDS = {"entries": "People and connections (Kumu, LittleSis/Oligrapher, spreadsheets)",
                "links": "Links (our own links file)", "actions": "Actions (our own file)"}
MAPPED_CHOICES_MAX = 60  # Types / connection types offered one by one; the rest keep the guess


def import_section(ctx: Context) -> None:
    """Upload files, map what they hold onto our fields, levels and link kinds, preview every
    change or bad row, and apply it whole or not at all."""
    kind = st.radio("What the file holds", list(IMPORT_KINDS), format_func=IMPORT_KINDS.get,
                    horizontal=True, key=_state(ctx, "import_kind"))
    # A new key after each import empties the uploader: the file just applied would otherwise
    # be previewed again.
    imports = st.session_state.get(_state(ctx, "imports"), 0)
    uploads = st.file_uploader("CSV, XLSX or JSON files (a Kumu pair of CSVs may go together)",
                               type=["csv", "xlsx", "json"], accept_multiple_files=True,
                               key=_state(ctx, f"import_file_{imports}"),
                               max_upload_size=UPLOAD_MAX_MB)
    if not uploads:
        return
    try:
        if kind == "entries":
            inspection = transfer.inspect_upload(ctx.store, ctx.actor, ctx.map["id"],
                                               [(u.name, u.getvalue()) for u in uploads])
            mapping = _mapping_step(ctx, inspection)
            preview = transfer.preview_mapped(ctx.store, ctx.actor, ctx.map["id"], inspection,
                                            mapping)
            if preview.two_levels and _resolve_two_levels(ctx, inspection, preview, mapping):
                preview = transfer.preview_mapped(ctx.store, ctx.actor, ctx.map["id"],
                                                inspection, mapping)
        else:
            preview = transfer.preview_import(ctx.store, ctx.actor, ctx.map["id"], uploads[0].name,
                                            uploads[0].getvalue(), kind)
    except OrgKitError as exc:
        show_error(exc)
        return
    _show_preview(ctx, preview, imports)


def _mapping_step(ctx: Context, inspection: transfer.Inspection) -> transfer.Mapping:
    """What the file holds, and a choice for each column, Type and connection type (starting
    at the remembered or guessed mapping). Returns the mapping as the person set it."""
    mapping = inspection.mapping
    prefix = _state(ctx, f"mapping_{inspection.shape}")
    st.markdown("**What the file holds**" + (" (the mapping you used last time for a file "
                                              "like this)" if inspection.remembered else ""))
    for table in inspection.tables.values():
        role = ("elements" if table.name == mapping.elements else
                "connections" if table.name == mapping.connections else "not imported")
        st.caption(escape(f"{table.name} ({role}): {len(table.rows)} rows; columns: "
                          f"{', '.join(table.header)}"))
    for table_name, targets in ((mapping.elements, transfer.ELEMENT_TARGETS),
                                (mapping.connections, transfer.CONNECTION_TARGETS)):
        if not table_name:
            continue
        with st.expander(escape(f"Columns of {table_name} → our fields"), expanded=True,
                         key=f"{prefix}_columns_{table_name}"):
            columns = st.columns(3)
            for n, (column, target) in enumerate(mapping.columns[table_name].items()):
                options = list(targets)
                mapping.columns[table_name][column] = columns[n % 3].selectbox(
                    escape(column) if column else "(blank header)", options,
                    format_func=targets.get,
                    index=options.index(target) if target in options else 0,
                    key=f"{prefix}_col_{table_name}_{n}")
    types = inspection.types(mapping)
    with st.expander(f"Types → levels ({len(types)} distinct)", expanded=True,
                     key=f"{prefix}_levels"):
        columns = st.columns(2)
        for n, (type_text, count) in enumerate(types.most_common(MAPPED_CHOICES_MAX)):
            guessed = mapping.levels.get(type_text) or transfer.guess_level(type_text)
            mapping.levels[type_text] = columns[n % 2].selectbox(
                f"{escape(type_text) if type_text else '(blank Type)'} ({count})", list(LEVELS),
                format_func=LEVELS.get, index=list(LEVELS).index(guessed),
                key=f"{prefix}_level_{n}")
    kinds = inspection.connection_types(mapping)
    if kinds:
        with st.expander(f"Connection types → link kinds ({len(kinds)} distinct)",
                         expanded=True, key=f"{prefix}_kinds"):
            columns = st.columns(2)
            for n, (type_text, count) in enumerate(kinds.most_common(MAPPED_CHOICES_MAX)):
                guessed = mapping.kinds.get(type_text) or transfer.guess_kind(type_text)
                mapping.kinds[type_text] = columns[n % 2].selectbox(
                    f"{escape(type_text) if type_text else '(blank type)'} ({count})",
                    list(LINK_KINDS),
                    format_func=LINK_KINDS.get, index=list(LINK_KINDS).index(guessed),
                    key=f"{prefix}_kind_{n}")
    return mapping


def _resolve_two_levels(ctx: Context, inspection: transfer.Inspection,
                        preview: transfer.ImportPreview, mapping: transfer.Mapping) -> bool:
    """A choice of level for each name the file gives two levels; True when one was chosen."""
    st.warning("Some names appear at two levels. Choose one level for each:")
    chosen = False
    for n, (name, levels) in enumerate(list(preview.two_levels.items())[:MAPPED_CHOICES_MAX]):
        level = st.selectbox(escape(name), [None, *levels], key=_state(
            ctx, f"mapping_{inspection.shape}_two_{n}"),
            format_func=lambda v: "choose…" if v is None else LEVELS[v])
        if level:
            mapping.name_levels[name] = level
            chosen = True
    return chosen


def _show_preview(ctx: Context, preview: transfer.ImportPreview, imports: int) -> None:
    for note in preview.notes:
        st.info(escape(note))  # notes quote the file's own header names
    if not preview.ok:
        st.error(f"{len(preview.problems)} problems: nothing will be imported until they are "
                 "fixed (in the file, or in the mapping above).")
        st.dataframe(pd.DataFrame([{"Sheet": p.sheet, "Row": p.row, "Column": p.field,
                                    "Problem": p.reason} for p in preview.problems]),
                     hide_index=True, width="stretch")
        return
    st.write(f"Ready to import {preview.summary()}.")
    changes = [{"Change": "added", "Name": e["name"], "Level": LEVELS[e["level"]],
                "Fields that change": ""} for e in preview.entries[:200]]
    changes += [{"Change": "updated", "Name": u.name, "Level": LEVELS[u.fields["level"]],
                 "Fields that change": ", ".join(u.changed)} for u in preview.updates[:200]]
    if changes:
        st.dataframe(pd.DataFrame(changes), hide_index=True, width="stretch")
    if preview.unchanged or preview.links_unchanged:
        st.caption(f"Unchanged: {preview.unchanged} entries, {preview.links_unchanged} links "
                   "already on the map.")
    if st.button("Import all", type="primary", key=_state(ctx, "import_go")):
        try:
            summary = transfer.apply_import(ctx.store, ctx.actor, ctx.map["id"], preview)
        except OrgKitError as exc:
            show_error(exc)
        else:
            st.session_state[_state(ctx, "imports")] = imports + 1
            _flash(ctx, f"Imported {summary}.")
            st.rerun()


def _worksheet(ctx: Context, view: map_model.MapView | None = None) -> str:
    """The printable worksheet of this page run's view, or (for a download, built when clicked)
    of a fresh read of the map."""
    view = view or maps.load_map(ctx.store, ctx.actor, ctx.map["id"])
    return worksheet.render(view.map, view.entries, view.links)


def print_section(ctx: Context, view: map_model.MapView) -> None:
    """The printable worksheet: a download and an on-page view with a print button, each built
    only when asked for."""
    st.download_button("Download the worksheet (HTML, prints cleanly)",
                       data=functools.partial(_worksheet, ctx), on_click="ignore",
                       file_name=f"map-{ctx.map['id']}-worksheet.html", mime="text/html",
                       key=_state(ctx, "worksheet"))
    if st.toggle("Show the printable worksheet", key=_state(ctx, "worksheet_show")):
        # Our own markup with every value escaped (worksheet.render), so an iframe is safe here.
        st.iframe(_worksheet(ctx, view), height=900)


# -- the guide -------------------------------------------------------------------------------

TICK, CROSS = "✔", "✘"


def step_line(step: map_model.ChecklistItem) -> str:
    """One step as plain text: a tick or a cross, the step and its count."""
    return f"{TICK if step.done else CROSS} {step.label} — {step.detail}"


def checklist(ctx: Context, map_row: dict) -> None:
    """The seminar's steps for one map, ticked from its data (counts only: safe for anyone).

    Plain text at full contrast, one block per map: it is read off a projector, where disabled
    checkboxes' pale grey labels fade; the tick or cross says it without relying on colour."""
    steps = maps.map_checklist(ctx.store, ctx.actor, map_row["id"])
    st.markdown("  \n".join([f"**{escape(map_row['name'])}**",
                             *(escape(step_line(step)) for step in steps)]))


def forum_questions(ctx: Context) -> None:
    """The candidate-forum question bank; the facilitator can edit it."""
    questions = maps.forum_questions(ctx.store, ctx.actor)
    for number, question in enumerate(questions, start=1):
        st.markdown(f"{number}\\. {escape(question)}")
    if not questions:
        st.caption("No questions yet.")
    if not ctx.actor.is_facilitator:
        return
    with st.form("forum_questions"):
        # The key carries the questions as stored: saved (and cleaned) here or elsewhere, the
        # field shows them anew.
        text = st.text_area("Edit the questions (one per line)", value="\n".join(questions),
                            height=240, key=mirrored("forum_questions_text", questions))
        if st.form_submit_button("Save questions", key="forum_questions_save"):
            try:
                maps.save_forum_questions(ctx.store, ctx.actor, text)
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.rerun()


def choose_map(ctx: Context) -> dict | None:
    """The facilitator opens any map of the workshop by choosing it, with no private link in the
    address: `m=<map id>` only preselects; the core checks the unlock and the workshop when the
    page loads the chosen map (load, maps.load_map)."""
    team_maps = {m["id"]: m["name"] for m in maps.team_maps(ctx.store, ctx.actor)}
    asked = st.query_params.get("m", "")
    options = [None, *team_maps]
    preselect = int(asked) if asked.isdigit() and int(asked) in team_maps else None
    chosen = st.sidebar.selectbox("Open a team's map", options, index=options.index(preselect),
                                  key="facilitator_map", format_func=lambda i: "—" if i is None
                                  else team_maps[i])
    if chosen is None:
        st.query_params.pop("m", None)
        return None
    st.query_params["m"] = str(chosen)  # a reload keeps the map open
    return maps.get_map(ctx.store, ctx.actor, chosen)


# -- the facilitator's maps section ----------------------------------------------------------

def facilitator_maps(ctx: Context) -> None:
    """Create a team map and hand it out at its table (facilitate page).

    Each map's handout is a QR code of its private link (one scan opens the map) and a short
    code a person can type on the map page, drawn large enough to read off a phone held up at
    the table. This screen is often mirrored to the projector: a handout stays hidden until its
    own expander is opened (lazily: a closed one sends nothing), and the facilitator's own link
    to a map carries only the map's id, which grants nothing without this session's unlock."""
    st.subheader("Team maps")
    created = st.session_state.pop("created_map", None)
    if created:
        st.success(f"Created {escape(created)}. Open its handout below to give it to the team.")
    for team_map in maps.team_maps(ctx.store, ctx.actor):
        st.page_link("pages/4_map.py", label=escape(team_map["name"]), icon=":material/hub:",
                     query_params={"code": ctx.workshop.join_code, "m": str(team_map["id"])})
        hand = st.expander("Hand out at the table: QR code and map code", on_change="rerun",
                           key=f"reveal_link_{team_map['id']}")
        if hand.open:
            with hand:
                _handout(ctx, team_map["id"])
    st.caption("Give each team its map: they scan the QR code or type the map code. Anyone "
               "with either can edit that map and see its contact details.")
    # Not clear_on_submit: the browser would empty the fields at once, and the second click of
    # a double click would send an empty name. The form gets a new key after each map instead.
    made = st.session_state.get("create_map_made", 0)
    form = f"create_map_{made}"  # its fields' keys too, so they start empty with it
    with st.form(form):
        name = st.text_input("Team name", key=f"{form}_name")
        issue = st.text_input("Their issue", key=f"{form}_issue")
        goals = _target_inputs(lambda label: f"Target: {label.lower()}", f"{form}_target")
        if st.form_submit_button("Create team map", key=f"{form}_submit"):
            try:
                created = maps.create_map(
                    ctx.store, ctx.actor, name, issue, goals,
                    submission_key("create_map", (name, issue, tuple(goals.items()))))
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.session_state["created_map"] = created["name"]
                st.session_state["create_map_made"] = made + 1
                st.rerun()


def _handout(ctx: Context, map_id: int) -> None:
    try:
        row = maps.handout(ctx.store, ctx.actor, map_id)
    except OrgKitError as exc:
        show_error(exc)
        return
    url = page_url("map", map=row["link_token"])
    code = workshop_model.format_map_code(row["short_code"])
    qr_col, code_col = st.columns([1, 1], vertical_alignment="center")
    qr_col.html(qr_image(url, alt=f"QR code of the map of {row['name']}"))
    # The code is from our own alphabet (letters, digits, a dash): nothing to escape.
    code_col.markdown(f"Map code\n# {code}")
    code_col.caption(f"Scan the QR code with the phone's camera, or open "
                     f"{escape(page_url('map'))} and type the map code.")
    st.code(url, language=None, wrap_lines=True)


def open_by_code(ctx: Context) -> None:
    """The map page without a map: a team member types their map code (or arrives by
    /map?short=CODE); the page then opens the map by its private link."""
    typed = st.query_params.get("short")
    if not typed:
        with st.form("map_code"):
            typed = st.text_input("Map code", max_chars=CODE_TYPED_MAX, key="map_code_field",
                                  placeholder="e.g. K7PX-3MQR",
                                  help=f"The {MAP_CODE_LENGTH}-character code your facilitator "
                                       "gave your team.")
            if not st.form_submit_button("Open the map", type="primary", key="map_code_submit"):
                return
    try:
        _, row, _ = workshops.open_map_by_code(ctx.store, typed)
    except OrgKitError as exc:
        show_error(exc)
        return
    st.query_params.from_dict({"map": row["link_token"]})
    st.rerun()
