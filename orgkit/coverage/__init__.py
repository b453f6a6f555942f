"""Coverage: `model` (the analytics and the gap finder, pure functions of a map's rows),
`figures` (plotly charts of their results, PNGs through one Chromium), `report` (the review
report and the gap list a lead downloads) and `service` (each map's and the workshop's analysis,
cached per revision for every session)."""
