"""The seminar's definitions, the one source for every screen and document that shows them (the
guide, the printed definitions): message ids whose Markdown bold names the idea being defined."""
from __future__ import annotations

from ..i18n import N_

DEFINITIONS = (
    N_("**Transformative organizing** aims at change in the system and, along the way, in "
       "everyone doing the work: the movement grows stronger, our organizations grow more "
       "effective, the relationships between members deepen, and each of us keeps learning. It "
       "is a long-haul, whole-person approach: people on the margins develop their own "
       "leadership, learn the politics of their situation and build a shared vision from shared "
       "values."),
    N_("**Basebuilding** means people who live with an injustice coming together to build power "
       "and grow leaders, so they can change their own conditions. It goes past informing "
       "people or collecting signatures of support: it brings new people into acting on the "
       "problem themselves, and it reaches beyond those who are already organized."),
)
