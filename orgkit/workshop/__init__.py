"""Workshops and roles: `model` (a workshop as everyone may see it, codes, PIN throttling) and
`service` (create, unlock as facilitator, join as participant, open a team map)."""
