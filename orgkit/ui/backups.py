"""The facilitator's backups: download the workshop, restore a file or an automatic backup.

Rules (only the facilitator, a file of this workshop only, all or nothing) are in
orgkit.backup.service; this draws the widgets and shows its answers."""
from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from ..backup import service as restores
from ..workshop import backups
from ..domain import OrgKitError
from ..i18n import _, format_moment
from ..markdown import escape
from ..spreadsheet import UPLOAD_MAX_MB
from .forms import show_error
from .identity import Context


def backup_section(ctx: Context) -> None:
    with st.expander(_("Backups"), icon=":material/backup:", key="backups"):
        st.write(_("A backup file holds everything in this workshop, contact details and "
                   "private links included: keep it as safely as the PIN."))
        st.download_button(_("Download a backup of this workshop"), key="backup_download",
                           data=functools.partial(backups.workshop_backup, ctx.store, ctx.actor),
                           file_name=backups.backup_filename(ctx.workshop.title),
                           mime="application/json", on_click="ignore")
        upload = st.file_uploader(_("Restore from a backup file"), type=["json"],
                                  key="backup_upload", max_upload_size=UPLOAD_MAX_MB)
        if upload is not None and st.button(_("Restore this file (replaces the workshop as it "
                                              "is now)"), key="backup_restore_file"):
            _restore(restores.restore_workshop, ctx, upload.getvalue())
        autos = backups.automatic_backups(ctx.store, ctx.actor)
        if not autos:
            st.caption(_("Automatic backups are kept before an import, a vote reset or a "
                         "board deletion; there are none yet."))
            return
        chosen = st.selectbox(_("Automatic backups (the last few are kept)"), autos,
                              key="backup_auto", format_func=_describe)
        if st.button(_("Restore this automatic backup"), key="backup_restore_auto"):
            _restore(restores.restore_automatic, ctx, chosen["id"])


def _describe(row: dict) -> str:
    when = format_moment(dt.datetime.fromtimestamp(row["created_at"]))
    # A selectbox option is plain text, never Markdown; the reason is a message, read in the
    # reader's language.
    return _("{when}: {reason}", when=when, reason=row["reason"])


def _restore(restore, ctx: Context, source) -> None:
    try:
        notes = restore(ctx.store, ctx.actor, source)
    except OrgKitError as exc:
        show_error(exc)
    else:
        st.cache_data.clear()  # cached boards and maps were read before the restore
        st.success(escape(_("Restored. Everything in this workshop is as the backup had it.")))
        for note in notes:  # a code another workshop here holds was replaced
            st.info(escape(_(note)))
