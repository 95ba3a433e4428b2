"""Atom feeds of the records and the register (issue 13)."""
