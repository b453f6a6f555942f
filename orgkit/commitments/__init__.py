"""Commitments: what each person in the room says they will do next (model, service, ics)."""
