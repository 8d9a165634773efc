"""SQLite, with write transactions queued on a lock instead of in SQLite's busy handler."""
