"""The read-only JSON API of the public advice (issue 13)."""
