"""The HTML documents we hand out (the printable worksheet, the coverage review, the board
summary) are Jinja2 templates, each beside its capability (`orgkit/<capability>/templates/`).

One Environment per process, built on import: a template is compiled on first use and kept
(no reload checks: the files change only with a new release). Autoescape is on for every
template, so each value is escaped where it is written into the page, in text or in an attribute,
and a document cannot forget one; data never becomes template source, so `{{ ... }}` typed by a
person stays text. StrictUndefined turns a misspelt name in a template into an error instead of a
silently empty cell, and None prints as nothing (a field left empty), never as "None".

Our own words in a template are message ids (orgkit.i18n), in the reader's language:

- The caller chooses the language per document: `render(template, language=..., **context)`
  (default `orgkit.i18n.DEFAULT_LANGUAGE`); the template sees it as `language` (for
  `<html lang="{{ language }}">`). The i18n extension's callables look each id up in that
  language's catalog (`orgkit.i18n.translations`, loaded once per process) at render time, so
  nothing is installed for the whole process: two documents in two languages can be rendered at
  the same time by one Environment.
- Text written in the template: `{% trans %}Reference points{% endtrans %}`, with values
  `{% trans n=count %}...{{ n }}...{% endtrans %}` and plurals `{% trans count=n %}one
  {% pluralize %}many{% endtrans %}`, or `{{ _("Level") }}` (jinja2.ext.i18n, newstyle gettext:
  `{{ _("%(n)s items", n=3) }}`, so a literal % is written %%). Values are escaped.
- Text the core made (a `Message`, a marked id such as `LEVELS[level]`): `{{ value|text }}`,
  rendered in the same language and then escaped like any value. Never `_()` on a value: the
  i18n extension marks what `_()` returns as safe HTML, which is right for a literal id only.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from . import i18n


def _blank_none(value: object) -> object:
    return "" if value is None else value


@pass_context
def _gettext(context: Context, text: str) -> str:
    return i18n.render(text, context["language"])


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    # No values: the extension fills %(num)s and the block's own names after the translation.
    return i18n.render(i18n.Message(singular, {}, plural, n), context["language"])


@pass_context
def _text(context: Context, value: i18n.Message | str | None) -> str:
    return i18n.render(value, context["language"])


ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=True,
                          undefined=StrictUndefined, finalize=_blank_none, auto_reload=False,
                          trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
ENVIRONMENT.install_gettext_callables(_gettext, _ngettext, newstyle=True)
ENVIRONMENT.filters["text"] = _text


def render(template: str, /, *, language: str = i18n.DEFAULT_LANGUAGE, **context: object) -> str:
    """The template at `template` (relative to orgkit/, e.g. "map/templates/worksheet.html")
    filled in with `context`, our words in `language`."""
    return ENVIRONMENT.get_template(template).render(context, language=language)
