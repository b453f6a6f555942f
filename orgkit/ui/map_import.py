"""The import wizard: it draws what the import service returns and passes the person's choices
back. Per run: imports.inspect_upload reads the files and proposes a mapping; the person's
choices (which table is which, columns → fields, Types → levels, connection types → link kinds,
and the level of a name the file gives two) go into one imports.preview_mapped; its preview
(every change, or every bad row) is drawn, and "Import all" applies it whole or not at all.
"""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from ..domain import LEVELS, LINK_KINDS, OrgKitError
from ..i18n import N_, _, ngettext
from ..map import formats, imports, matching
from ..markdown import escape
from ..spreadsheet import UPLOAD_MAX_MB
from .forms import mirrored, show_error, shown
from .identity import Context
from .map_parts import flash, state

IMPORT_KINDS = {"entries": N_("People and connections (Kumu, LittleSis/Oligrapher, spreadsheets)"),
                "links": N_("Links (our own links file)"), "actions": N_("Actions (our own file)")}
MAPPED_CHOICES_MAX = 60  # Types / connection types offered one by one; the rest keep the guess


def import_section(ctx: Context) -> None:
    """Upload files, map what they hold onto our fields, levels and link kinds, preview every
    change or bad row, and apply it whole or not at all."""
    kind = st.radio(_("What the file holds"), list(IMPORT_KINDS),
                    format_func=lambda k: _(IMPORT_KINDS[k]), horizontal=True,
                    key=state(ctx, "import_kind"))
    # A new key after each import empties the uploader: the file just applied would otherwise
    # be previewed again.
    applied = st.session_state.get(state(ctx, "imports"), 0)
    uploads = st.file_uploader(_("CSV, XLSX or JSON files, or an Oligrapher map's web page (a "
                                 "Kumu pair of CSVs may go together)"),
                               type=["csv", "xlsx", "json", "html", "htm"],
                               accept_multiple_files=True,
                               key=state(ctx, f"import_file_{applied}"),
                               max_upload_size=UPLOAD_MAX_MB)
    if not uploads:
        return
    map_id = ctx.map["id"]
    try:
        if kind == "entries":
            inspection = imports.inspect_upload(ctx.store, ctx.actor, map_id,
                                                 [(u.name, u.getvalue()) for u in uploads])
            mapping = _mapping_step(ctx, inspection)
            # The names this upload gave two levels so far, and the level the person chose.
            asked = st.session_state.setdefault(mirrored(
                state(ctx, f"two_levels_{inspection.shape}"),
                [(u.name, u.size) for u in uploads]), {})
            mapping.name_levels.update(_chosen_levels(ctx, inspection, asked))
            preview = imports.preview_mapped(ctx.store, ctx.actor, map_id, inspection, mapping)
            asked.update(list(preview.two_levels.items())[:MAPPED_CHOICES_MAX])
            if asked:
                _two_levels(ctx, inspection, asked)
        else:
            preview = imports.preview_import(ctx.store, ctx.actor, map_id, uploads[0].name,
                                              uploads[0].getvalue(), kind)
    except OrgKitError as exc:
        show_error(exc)
        return
    _show_preview(ctx, preview, applied)


# An underscore between two letters or digits can neither open nor close emphasis (CommonMark's
# flanking rules), so escape's backslash before it is dropped from a label: a select's
# accessible name is its label as written ("acteur_mefsin", not "acteur\\_mefsin").
_INERT_UNDERSCORE = re.compile(r"(?<=[^\W_])\\_(?=[^\W_])")


def _select(label: str, options: list, key: str, **kwargs):
    """A select for a value of the file (a column, a Type), labelled with it as written (escaped
    Markdown; see _INERT_UNDERSCORE). Keyed by the value it maps (`key` carries a digest of
    it), so a choice stays with what it maps, not with its place in the list."""
    return st.selectbox(_INERT_UNDERSCORE.sub("_", escape(label)), options, key=key, **kwargs)


def _roles(ctx: Context, inspection: formats.Inspection, prefix: str) -> formats.Mapping:
    """Which table holds the elements and which the connections: guessed, for the person to
    change (a relationship table is connections only; its two ends are chosen below)."""
    names = [None, *inspection.tables]

    def shown_name(table: str | None) -> str:
        return _("(none)") if table is None else table

    left, right = st.columns(2)
    elements = left.selectbox(_("Table of elements (people, organizations)"), names,
                              index=names.index(inspection.mapping.elements),
                              format_func=shown_name, key=f"{prefix}_elements_table")
    connections = right.selectbox(_("Table of connections (two ends each)"), names,
                                  index=names.index(inspection.mapping.connections),
                                  format_func=shown_name, key=f"{prefix}_connections_table")
    if (elements, connections) == (inspection.mapping.elements, inspection.mapping.connections):
        return inspection.mapping
    if elements is not None and elements == connections:
        st.warning(_("One table cannot hold both; choose another for one of them."))
        return inspection.mapping
    return formats.with_roles(inspection, elements, connections)


def _mapping_step(ctx: Context, inspection: formats.Inspection) -> formats.Mapping:
    """What the file holds, and a choice for each table's role, column, Type and connection
    type (starting at the remembered or guessed mapping). Returns the mapping as the person
    set it."""
    prefix = state(ctx, f"mapping_{inspection.shape}")
    st.markdown(_("**What the file holds** (the mapping you used last time for a file like "
                  "this)") if inspection.remembered else _("**What the file holds**"))
    mapping = _roles(ctx, inspection, prefix)
    roles = {mapping.elements: _("elements"), mapping.connections: _("connections")}
    for table in inspection.tables.values():
        role = roles.get(table.name, _("not imported"))
        st.caption(escape(_("{table} ({role}): {n} rows; columns: {columns}", table=table.name,
                            role=role, n=len(table.rows), columns=", ".join(table.header))))
    for table_name, targets in ((mapping.elements, formats.ELEMENT_TARGETS),
                                (mapping.connections, formats.CONNECTION_TARGETS)):
        if not table_name:
            continue
        with st.expander(escape(_("Columns of {table} → our fields", table=table_name)),
                         expanded=True, key=f"{prefix}_columns_{table_name}"):
            columns = st.columns(3)
            for n, (column, target) in enumerate(mapping.columns[table_name].items()):
                options = list(targets)
                with columns[n % 3]:
                    mapping.columns[table_name][column] = _select(
                        column or _("(blank header)"), options,
                        mirrored(f"{prefix}_col", table_name, column, n, targets is
                                 formats.CONNECTION_TARGETS),
                        format_func=lambda t, targets=targets: _(targets[t]),
                        index=options.index(target) if target in options else 0)
    types = inspection.types(mapping)
    with st.expander(_("Types → levels ({n} distinct)", n=len(types)), expanded=True,
                     key=f"{prefix}_levels"):
        columns = st.columns(2)
        for n, (type_text, count) in enumerate(types.most_common(MAPPED_CHOICES_MAX)):
            guessed = mapping.levels.get(type_text) or formats.guess_level(type_text)
            with columns[n % 2]:
                mapping.levels[type_text] = _select(
                    _("{type} ({n})", type=type_text or _("(blank Type)"), n=count),
                    list(LEVELS), mirrored(f"{prefix}_level", type_text),
                    format_func=lambda lv: _(LEVELS[lv]), index=list(LEVELS).index(guessed))
        _more(len(types))
    kinds = inspection.connection_types(mapping)
    if kinds:
        with st.expander(_("Connection types → link kinds ({n} distinct)", n=len(kinds)),
                         expanded=True, key=f"{prefix}_kinds"):
            columns = st.columns(2)
            for n, (type_text, count) in enumerate(kinds.most_common(MAPPED_CHOICES_MAX)):
                guessed = mapping.kinds.get(type_text) or formats.guess_kind(type_text)
                with columns[n % 2]:
                    mapping.kinds[type_text] = _select(
                        _("{type} ({n})", type=type_text or _("(blank type)"), n=count),
                        list(LINK_KINDS), mirrored(f"{prefix}_kind", type_text),
                        format_func=lambda k: _(LINK_KINDS[k]),
                        index=list(LINK_KINDS).index(guessed))
            _more(len(kinds))
    return mapping


def _more(distinct: int) -> None:
    """Say that the Types past the ones offered keep their guess (nothing silently)."""
    if distinct > MAPPED_CHOICES_MAX:
        st.caption(ngettext("{n} more keeps its guessed choice (the most frequent are offered).",
                            "{n} more keep their guessed choice (the most frequent are "
                            "offered).", distinct - MAPPED_CHOICES_MAX))


def _name_key(ctx: Context, inspection: formats.Inspection, name: str) -> str:
    return mirrored(state(ctx, f"mapping_{inspection.shape}_two"), name)


def _chosen_levels(ctx: Context, inspection: formats.Inspection,
                   asked: dict[str, list[str]]) -> dict[str, str]:
    """The levels the person chose (in the selects _two_levels drew) for names given two."""
    picks = {name: st.session_state.get(_name_key(ctx, inspection, name)) for name in asked}
    return {name: level for name, level in picks.items() if level}


def _two_levels(ctx: Context, inspection: formats.Inspection,
                asked: dict[str, list[str]]) -> None:
    """A choice of level for each name the file gives two levels; a choice reruns the page,
    whose preview then takes it (_chosen_levels)."""
    st.warning(_("Some names appear at two levels. Choose one level for each:"))
    for name, levels in asked.items():
        st.selectbox(escape(name), [None, *levels], key=_name_key(ctx, inspection, name),
                     format_func=lambda v: _("choose…") if v is None else _(LEVELS[v]))


def _show_preview(ctx: Context, preview: matching.ImportPreview, applied: int) -> None:
    for note in preview.notes:
        st.info(escape(shown(note)))  # notes quote the file's own header names
    if preview.left_out:  # before Import all: nothing is dropped without being listed
        st.warning(escape(_("What will not arrive:")) + "\n\n" + "\n\n".join(
            escape(shown(reason)) for reason in preview.left_out))
    if not preview.ok:
        st.error(_problems(len(preview.problems)))
        st.dataframe(pd.DataFrame([{_("Sheet"): p.sheet, _("Row"): p.row, _("Column"): p.field,
                                    _("Problem"): shown(p.reason)} for p in preview.problems]),
                     hide_index=True, width="stretch")
        return
    st.write(_("Ready to import {summary}.", summary=shown(preview.summary())))
    changes = [{_("Change"): _("added"), _("Name"): e["name"], _("Level"): _(LEVELS[e["level"]]),
                _("Fields that change"): ""} for e in preview.entries[:200]]
    changes += [{_("Change"): _("updated"), _("Name"): u.name,
                 _("Level"): _(LEVELS[u.fields["level"]]),
                 _("Fields that change"): ", ".join(u.changed)} for u in preview.updates[:200]]
    if changes:
        st.dataframe(pd.DataFrame(changes), hide_index=True, width="stretch")
    if preview.unchanged or preview.links_unchanged:
        st.caption(_("Unchanged: {entries}, {links} already on the map.",
                     entries=ngettext("{n} entry", "{n} entries", preview.unchanged),
                     links=ngettext("{n} link", "{n} links", preview.links_unchanged)))
    if st.button(_("Import all"), type="primary", key=state(ctx, "import_go")):
        try:
            summary = imports.apply_import(ctx.store, ctx.actor, ctx.map["id"], preview)
        except OrgKitError as exc:
            show_error(exc)
        else:
            st.session_state[state(ctx, "imports")] = applied + 1
            flash(ctx, _("Imported {summary}.", summary=shown(summary)))
            st.rerun()


def _problems(n: int) -> str:
    return ngettext("{n} problem: nothing will be imported until it is fixed (in the file, or "
                    "in the mapping above).", "{n} problems: nothing will be imported until they "
                    "are fixed (in the file, or in the mapping above).", n)
