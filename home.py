"""Home: create a workshop, join one by code, or open the demo. Nothing else."""
from orgkit import ui
from orgkit.i18n import N_
from orgkit.ui import home

ctx = ui.page(N_("Home"), layout="centered")

home.screen(ctx)
