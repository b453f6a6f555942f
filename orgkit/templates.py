"""The HTML documents we hand out (the printable worksheet, the coverage review, the board
summary) are Jinja2 templates, each beside its capability (`orgkit/<capability>/templates/`).

One Environment per process, built on import: a template is compiled on first use and kept
(no reload checks: the files change only with a new release). Autoescape is on for every
template, so each value is escaped where it is written into the page, in text or in an attribute,
and a document cannot forget one; data never becomes template source, so `{{ ... }}` typed by a
person stays text. StrictUndefined turns a misspelt name in a template into an error instead of a
silently empty cell, and None prints as nothing (a field left empty), never as "None".

Template text is marked for the catalog with `{% trans %}` and `{{ _("...") }}` (Jinja2's i18n
extension, newstyle: values are escaped as they are filled in), translated through orgkit.i18n.
A Message carrying user text is rendered by the module that fills the template, never passed to
`_()`: the extension trusts what gettext returns as markup.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import i18n


def _blank_none(value: object) -> object:
    return "" if value is None else value


ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=True,
                          undefined=StrictUndefined, finalize=_blank_none, auto_reload=False,
                          trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
ENVIRONMENT.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=lambda text: i18n.render(text),
    ngettext=lambda singular, plural, n: i18n.render(i18n.nmsg(singular, plural, n)),
    newstyle=True)


def render(template: str, /, **context: object) -> str:
    """The template at `template` (relative to orgkit/, e.g. "map/templates/worksheet.html")
    filled in with `context`."""
    return ENVIRONMENT.get_template(template).render(context)
