"""The search index in the website (issue 14): one `SearchIndex` per app, on the directory of
`KENES_SEARCH_DIR`, and the catch-up a removal cannot wait for.

A search catches the index up before it answers (`consultations.search.find`). But a
redaction or a withdrawal takes words out of what is public, and a seized server must not keep
them in the index until the next visitor happens to search: so, as with the SQLite log
(`portal.extensions.watch_removals`), the website's session is watched, and after a commit
that wrote such an outbox row the index is caught up at once — merged, so the words leave its
files (`consultations.search.store`). If that fails the action still stands (it is committed);
the next search applies it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from consultations.models import OutboxEntry
from consultations.search import SearchIndex
from consultations.search.store import REMOVING
from portal import clock
from portal.config import Settings
from portal.extensions import db

log = logging.getLogger(__name__)
# A removal waits longer than a search for another process's writer: it must not be skipped.
REMOVAL_LOCK_WAIT = 10.0


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions["kenes.search"] = SearchIndex(settings.search_dir)
    session_class = db.session.session_factory.class_
    if event.contains(session_class, "after_flush", _note_removal):
        return
    event.listen(session_class, "after_flush", _note_removal)
    event.listen(session_class, "after_commit", _committed)
    event.listen(session_class, "after_rollback", _forget)
    event.listen(session_class, "after_transaction_end", _after_transaction)


def index() -> SearchIndex:
    index: SearchIndex = current_app.extensions["kenes.search"]
    return index


def _note_removal(session: Any, _context: Any = None) -> None:
    if any(isinstance(o, OutboxEntry) and o.action in REMOVING for o in session.new):
        session.info["kenes.search_removal"] = True


def _committed(session: Any) -> None:
    if session.info.pop("kenes.search_removal", False):
        session.info["kenes.search_due"] = True


def _forget(session: Any) -> None:
    session.info.pop("kenes.search_removal", None)


def _after_transaction(session: Any, transaction: Any) -> None:
    if transaction.parent is None and session.info.pop("kenes.search_due", False):
        catch_up_now()


def catch_up_now() -> None:
    """Apply what the outbox holds, on a session of its own (the request's has ended its
    transaction, and may be in the middle of ending it)."""
    try:
        with Session(db.engine) as own:
            index().catch_up(own, clock.now(), lock_wait=REMOVAL_LOCK_WAIT)
            own.rollback()
    except Exception:  # the removal is committed; the next search applies it
        log.exception("the search index could not apply a removal now; the next search will")
