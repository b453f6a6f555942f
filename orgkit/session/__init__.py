"""The seminar as one guided session: a workshop's agenda of steps, the step the room is on, and
the moves that change it (model: pure rules; service: over the store)."""
