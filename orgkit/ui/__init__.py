"""The only part of OrgKit that imports streamlit: one module per screen, and the small modules
they share.

Every page starts with `ctx = ui.page(N_("Title"))` (orgkit.ui.setup: config, store, who is
looking, navigation), then guard clauses, then one call into its screen module:

- screens: home, phone (the participant's board), projector, facilitate (with moderate: the
  facilitator's board tools), map_page (with map_entries, map_links and map_import), coverage
  (with charts), guide; each draws a view its service built and knows no rule and no SQL;
- shared: setup (page set-up, navigation), identity (who is looking, decided by
  orgkit.identity.who_is_looking), links (addresses and QR codes for phones), forms (join and PIN
  forms, errors, idempotency and mirrored keys), board_parts (the board shown, its controls),
  map_parts (a map page's session state), handouts, backups.

Every text a screen draws is marked for the catalog (orgkit.i18n): `_()` on a literal, a marked
id or a core Message, `ngettext()` for a count.
"""
from ..markdown import escape
from .forms import (client_source, error_text, join_form, mirrored, show_error, submission_key,
                    unlock_form)
from .identity import Context, device, is_unlocked, resolve, unlock_here
from .setup import PAGES, page, store

__all__ = ["PAGES", "Context", "client_source", "device", "error_text", "escape", "is_unlocked",
           "join_form", "mirrored", "page", "resolve", "show_error", "store", "submission_key",
           "unlock_form", "unlock_here"]
