"""The relationship map: `model` (an entry's fields, limits and validation, links, actions, next
steps, the checklist), `power` (what the map knows of a decision-maker's funders and bosses),
`service` (reads and writes through the store, each behind get_map's access rule),
`communities` (the communities a team wants to reach), the imports from our files and peer
tools (`formats` reads a file and proposes a mapping, `matching` checks its rows against the map,
both pure; `imports` is the service over the map service), `exports` (our files and Kumu) and
`worksheet` (the printable page)."""
