"""The advisory work of the Survivors Advisory Group: plain Python and SQLAlchemy.

Nothing in this package imports Flask, Werkzeug or `portal`; what a service needs (a session,
a secret, a clock, a directory) it receives as an argument. A test enforces the direction.
"""
