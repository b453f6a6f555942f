"""What a step prints, as download buttons on the facilitator's screen (each document is built
when clicked, in the facilitator's language: orgkit.session.printing): the agenda, the
definitions and the candidate-forum question bank. A table's worksheet with its handout code is
handouts.print_table. The agenda's screen passes its steps to `agenda`; each step kind's
facilitator function offers what its step hands out."""
from __future__ import annotations

import functools

import streamlit as st

from ..i18n import _
from ..session import printing
from ..session.model import Step
from ..workshop import service as workshops
from .identity import Context


def _download(label: str, build, file_name: str, key: str) -> None:
    st.download_button(label, data=build, mime="text/html", file_name=file_name,
                       on_click="ignore", icon=":material/print:", key=key)


def agenda(ctx: Context, steps: list[Step]) -> None:
    _download(_("Print the agenda (HTML)"),
              functools.partial(printing.agenda, ctx.workshop.title, steps, ctx.language),
              f"agenda-{ctx.workshop.join_code}.html", "print_agenda")


def definitions(ctx: Context) -> None:
    _download(_("Print the definitions (HTML)"),
              functools.partial(printing.definitions, ctx.language),
              f"definitions-{ctx.language}.html", "print_definitions")


def forum_questions(ctx: Context) -> None:
    def build() -> str:
        questions = workshops.forum_questions(ctx.store, ctx.actor)
        return printing.forum_questions(ctx.workshop.title, questions, ctx.language)

    _download(_("Print the forum-question bank (HTML)"), build,
              f"forum-questions-{ctx.workshop.join_code}.html", "print_forum_questions")
