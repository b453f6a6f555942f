"""Putting a backup back: a workshop from its file or an automatic copy, and the operator's whole
database (`service`), with the operator's command line (`python -m orgkit.backup`, __main__).
Taking a workshop's copies is orgkit.workshop.backups."""
