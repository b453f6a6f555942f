"""The projector screen: the live board in large type, with the join code and QR code.

It polls once a second. A poll is one indexed read (revision and participant count); the board's
HTML comes from the board service's cache shared by every session, keyed by (store, board,
revision, participants, join link), so a poll costs that read plus two small elements. It shows
nothing that is not for the room: the facilitator's controls are on the Facilitate page only.
"""
from __future__ import annotations

import streamlit as st

from ..board import service as boards
from ..board.model import Board
from ..bidi import isolate
from ..board.view import PROJECTOR_CSS, Join
from ..i18n import DEFAULT_LANGUAGE, _, render
from ..markdown import escape
from ..stores import Store
from .board_parts import chosen_board
from .identity import Context
from .links import join_url, qr_image


def screen(ctx: Context) -> None:
    """The workshop's chosen board on the projector, or its join code while it has none."""
    board = chosen_board(ctx)
    if board is None:
        st.title(escape(isolate(ctx.workshop.title)))
        st.markdown(_("## Join code **{code}**", code=ctx.workshop.join_code))
        st.info(_("No board yet. The facilitator creates one on the Facilitate page."))
        return
    st.html(PROJECTOR_CSS)
    _live(ctx.store, board.id, join_block(ctx, board),
          ctx.workshop.projector_language(ctx.language))


def join_block(ctx: Context, board: Board) -> Join:
    """The join link of exactly this board, its QR, and a warning when no phone can reach it."""
    # A Spanish workshop's link suggests Spanish to phones that have not chosen; an English
    # one's says nothing, so each phone's own browser language decides.
    hint = {} if ctx.workshop.language == DEFAULT_LANGUAGE else {"lang": ctx.workshop.language}
    url, reachable = join_url(code=ctx.workshop.join_code, board=str(board.id), **hint)
    warning = None if reachable else _(
        "Phones cannot open this address: it names this computer itself. Open OrgKit at this "
        "computer's network address (the Network URL that `streamlit run` prints), or set "
        "ORGKIT_PUBLIC_URL to the address phones use.")
    return Join(url, qr_image(url, _("QR code of the join link")), warning)


@st.fragment(run_every=1)
def _live(store: Store, board_id: int, join: Join, language: str) -> None:
    rendered = boards.projector_screen(store, board_id, join, language=language)
    if rendered is None:
        st.warning(_("This board was deleted."))
        return
    block, board = rendered
    st.html(block)
    if timer := board.timer_text(labelled=False):
        # The projector's clock is big: the time alone, without the phones' "Timer:" word.
        st.html(f'<div class="ok-timer" role="timer">{render(timer, language)}</div>')
