"""The live brainstorm board: `model` (the board, items, snapshot, limits and pure rules),
`service` (every read and write through the store, with the role rules, and the per-revision read
models every screen shares), `view` (the projector's screens and the phone's vote list, as HTML
and labels) and `export` (CSV, XLSX and the HTML summary)."""
