"""Organizing guide: two definitions, the seminar's steps as a per-map checklist, forum
questions."""
from orgkit import ui
from orgkit.i18n import N_
from orgkit.ui import guide

ctx = ui.page(N_("Organizing guide"), layout="centered")

guide.screen(ctx)
