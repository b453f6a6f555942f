"""A map's exports: our own CSV/XLSX (every field, for the map's team and the facilitator) and a
Kumu workbook. Each reads the map once through the map service (maps.load_map: its access check).

Our own files carry every field under our field names, so they import back unchanged. The Kumu
workbook is for a file that leaves our tool: no contact details or notes; Kumu's own columns
(ID, Label, Type: the level, Description: the long text, Tags), then every other field (the
role, the Type an entry came with from another tool) as a custom field and the extra fields.
Its columns are looked up by our stable field keys and only headed by a label when written
(KUMU_ELEMENTS, map_model.LABELS), so headers in another language leave the round trip
OrgKit -> Kumu workbook -> OrgKit (orgkit.map.imports) working: the import knows a column by its
key or its label. Text cells that begin with = + - or @ are neutralised (a leading apostrophe).
"""
from __future__ import annotations

import csv
import io
from collections import Counter

from ..domain import LEVELS, LINK_KINDS, STAGES, STRENGTHS, Actor
from ..i18n import DEFAULT_LANGUAGE, render
from ..spreadsheet import neutralise
from ..storage import Store
from . import model as map_model
from . import service as maps
from .formats import (ACTION_COLUMNS, ENTRY_COLUMNS, KINDS, LINK_COLUMNS, PIPE, TYPE_LABEL,
                      extra_fields, normal_name)

# Kumu's own columns, in order: our key, and Kumu's name for it. Kumu reads these names in every
# language; they are not text of ours, so never translated.
KUMU_ELEMENTS = [("id", "ID"), ("name", "Label"), ("level", "Type"),
                 ("description", "Description"), ("constituencies", "Tags")]
KUMU_CONNECTIONS = [("from", "From"), ("to", "To"), ("kind", "Type")]
# Every other field we hold, as a Kumu custom field headed by the label the page shows, and the
# Type the entry came with from another tool (Type itself carries the level, so it comes back).
KUMU_CUSTOM = [*(f for f in map_model.ENTRY_FIELDS if f not in (
    "name", "level", "description", "constituencies", *map_model.PRIVATE_FIELDS)), "source_type"]
CUSTOM_LABELS = {**map_model.LABELS, "source_type": TYPE_LABEL}


def _kumu_value(entry: dict, name: str, language: str) -> object:
    value = entry[name]
    if name in map_model.FLAGS:
        return "yes" if value else "no"
    if name == "stage":
        return render(STAGES[value], language)
    if name == "strength":
        return render(STRENGTHS[value], language)
    return "" if value is None else value


def kumu_workbook(store: Store, actor: Actor, map_id: int,
                  language: str = DEFAULT_LANGUAGE) -> bytes:
    """The map as a Kumu workbook: Elements (ID, Label, Type, Description, Tags, then every other
    field and the extra fields as custom fields) and Connections (From, To, Type). No contact
    details or notes: the file leaves our tool. A connection names an entry by its ID when two
    entries share its name or the name holds a | (Kumu's list separator).

    Written in the exporter's `language`: the custom fields' headers and the Type, stage,
    strength and connection Type values are what the workbook's readers read (the import reads
    them back in any of our languages: orgkit.i18n.spellings)."""
    view = maps.load_map(store, actor, map_id)
    entries = view.entries
    ids = {e["id"]: e.get("external_id") or f"orgkit-{e['id']}" for e in entries}
    counts = Counter(normal_name(e["name"]) for e in entries)
    ends = {e["id"]: e["name"] if counts[normal_name(e["name"])] == 1 and PIPE not in e["name"]
            else ids[e["id"]] for e in entries}
    header = [name for _, name in KUMU_ELEMENTS] + [render(CUSTOM_LABELS[f], language)
                                                    for f in KUMU_CUSTOM]
    taken = {normal_name(c) for c in header}
    extra_columns = list(dict.fromkeys(k for e in entries for k in extra_fields(e)
                                       if normal_name(k) not in taken))
    elements = []
    for e in entries:
        own = {"id": ids[e["id"]], "name": e["name"],
               "level": render(LEVELS[e["level"]], language),
               "description": e["description"], "constituencies": PIPE.join(map_model.tags(e))}
        elements.append([*(own[key] for key, _ in KUMU_ELEMENTS),
                         *(_kumu_value(e, f, language) for f in KUMU_CUSTOM),
                         *(extra_fields(e).get(k, "") for k in extra_columns)])
    connections = [[ends[l["source_id"]], ends[l["target_id"]],
                    render(LINK_KINDS[l["kind"]], language)] for l in view.links]
    return _xlsx({"Elements": [header + extra_columns, *elements],
                  "Connections": [[name for _, name in KUMU_CONNECTIONS], *connections]})


# -- our own files ---------------------------------------------------------------------------

def export_rows(store: Store, actor: Actor, map_id: int, kind: str) -> list[list[object]]:
    """Header plus rows for one kind, every field (only the team and the facilitator get here)."""
    return _rows(maps.load_map(store, actor, map_id), kind)


def _rows(view: map_model.MapView, kind: str) -> list[list[object]]:
    entries = view.entries
    names = {e["id"]: e["name"] for e in entries}
    if kind == "entries":
        columns = ENTRY_COLUMNS
        extra_columns = list(dict.fromkeys(k for e in entries for k in extra_fields(e)
                                           if k not in columns))
        body = [[e[c] for c in columns] + [extra_fields(e).get(k, "") for k in extra_columns]
                for e in entries]
        columns = columns + extra_columns
    elif kind == "links":
        columns = LINK_COLUMNS
        body = [[names[l["source_id"]], l["kind"], names[l["target_id"]]]
                for l in view.links]
    else:
        columns = ACTION_COLUMNS
        body = [[a[c] for c in columns[:-1]] + [map_model.TAG_SEPARATOR.join(
            names[i] for i in a["entry_ids"])] for a in view.actions]
    return [columns, *body]


def export_csv(store: Store, actor: Actor, map_id: int, kind: str) -> bytes:
    """One kind as UTF-8 CSV (with a BOM, so Excel reads accents right), every cell neutralised
    once (as _xlsx does for a workbook)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows([neutralise(v) for v in row]
                              for row in export_rows(store, actor, map_id, kind))
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(store: Store, actor: Actor, map_id: int) -> bytes:
    """Entries, links and actions as three sheets of one workbook, from one read of the map."""
    view = maps.load_map(store, actor, map_id)
    return _xlsx({kind.capitalize(): _rows(view, kind) for kind in KINDS})


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            # Written as plain strings (never formulas): openpyxl would treat a leading "=" as one.
            sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
