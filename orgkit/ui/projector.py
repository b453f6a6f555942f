"""The projector screen: the live board in large type, with the join code and QR code.

It polls once a second. A poll is one indexed read (revision and participant count); the board's
HTML comes from the board service's cache shared by every session, keyed by (store, board,
revision, participants, join link, language, window class), so a poll costs that read plus two
small elements. It shows nothing that is not for the room: the facilitator's controls are on the
Facilitate page only.

The pages are packed for the window's class (orgkit.board.view.wall_for), so a large window
uses the room it has: a tiny script puts the window's size in the `wall` parameter, reloading
the page once when it opens and again when the window settles at another size (moved to the
projector, full screen). A fragment's poll does not carry the address's parameters to the
server; a reload does, and a projector has nothing to lose by one. Until then, and for a size
that fits no class, the pages fit every window.
"""
from __future__ import annotations

import streamlit as st

from ..board import service as boards
from ..board.model import Board
from ..bidi import isolate
from ..board.view import PROJECTOR_CSS, Join
from ..board.wall import wall_named
from ..i18n import DEFAULT_LANGUAGE, _, render
from ..markdown import escape
from .board_parts import chosen_board
from . import room
from .identity import Context
from .links import join_url, qr_image


def screen(ctx: Context) -> None:
    """The room's step while the facilitator runs the session (orgkit.ui.room); otherwise the
    workshop's chosen board, or its join code while it has none."""
    board = chosen_board(ctx)
    st.html(PROJECTOR_CSS)
    st.html(WALL_JS, unsafe_allow_javascript=True)
    _live(ctx, board, None if board is None else join_block(ctx, board))


# The window's size in the address (the `wall` parameter): set when the page opens and when the
# window has kept a new size for half a second, each by one reload; one listener per document.
WALL_JS = """<script>(() => {
  if (window.okWall) return;
  window.okWall = true;
  const say = () => {
    const url = new URL(location.href), size = innerWidth + "x" + innerHeight;
    if (url.searchParams.get("wall") !== size) {
      url.searchParams.set("wall", size);
      location.replace(url.href);
    }
  };
  let settle;
  addEventListener("resize", () => { clearTimeout(settle); settle = setTimeout(say, 500); });
  say();
})();</script>"""


def join_block(ctx: Context, board: Board | None) -> Join:
    """The join link of exactly this board (None: of the workshop, whose phones follow the
    room's step), its QR, and a warning when no phone can reach it."""
    # A Spanish workshop's link suggests Spanish to phones that have not chosen; an English
    # one's says nothing, so each phone's own browser language decides.
    hint = {} if ctx.workshop.language == DEFAULT_LANGUAGE else {"lang": ctx.workshop.language}
    shown = {} if board is None else {"board": str(board.id)}
    url, reachable = join_url(code=ctx.workshop.join_code, **shown, **hint)
    warning = None if reachable else _(
        "Phones cannot open this address: it names this computer itself. Open OrgKit at this "
        "computer's network address (the Network URL that `streamlit run` prints), or set "
        "ORGKIT_PUBLIC_URL to the address phones use.")
    return Join(url, qr_image(url, _("QR code of the join link")), warning)


@st.fragment(run_every=room.PROJECTOR_POLL_S)
def _live(ctx: Context, board: Board | None, join: Join | None) -> None:
    if room.on_projector(ctx):
        return
    if board is None:
        st.title(escape(isolate(ctx.workshop.title)))
        st.markdown(_("## Join code **{code}**", code=ctx.workshop.join_code))
        st.info(_("No board yet. The facilitator creates one on the Facilitate page."))
        return
    live_board(ctx, board.id, join)


def live_board(ctx: Context, board_id: int, join: Join, *, first_page: bool = False) -> None:
    """The board's projector block at its live revision, and its timer (a step's screen too),
    in the reader's language, or in both with the workshop's bilingual projector. `first_page`
    holds the board's first page instead of turning them (the reveal step: its points lead it)."""
    language = ctx.workshop.projector_language(ctx.language)
    rendered = boards.projector_screen(ctx.store, board_id, join, language=language,
                                       wall=wall_named(st.query_params.get("wall")),
                                       held=first_page)
    if rendered is None:
        st.warning(_("This board was deleted."))
        return
    block, board = rendered
    st.html(block)
    if timer := board.timer_text(labelled=False):
        # The projector's clock is big: the time alone, without the phones' "Timer:" word.
        st.html(f'<div class="ok-timer" role="timer">{render(timer, language)}</div>')
