"""Follow-up after the seminar: `model` (a map rebuilt as of any moment from its history, what is
due, what moved, the numbers over time; pure), `figures` (the charts over time) and `service`
(the lead's "This week" view and reviews, over the store)."""
