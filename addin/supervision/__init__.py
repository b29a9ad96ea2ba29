"""Supervision: validate a folder of submissions, keep their history in SQLite, review them,
compare versions and build a dashboard across programmes (the supervisor's tool)."""
