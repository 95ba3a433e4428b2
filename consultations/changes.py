"""A consultation's change stamp (`Consultation.change_stamp`): a new random value in the same
transaction as every change to what its page shows all readers alike, so a part of the page
rendered once and kept (portal/web/consultations/fragments.py) is known stale by every worker
on every host the moment the change commits — the page reads the stamp in its first query.
Random, not counted: a database restored from a backup counts nothing twice.

It is noted here, at the flush, from what the unit of work holds — a comment written,
edited, deleted, approved, hidden or removed; a version made or published; a decision or the
consultation (or its texts in other languages) changed; a member renamed or erased — rather
than by each service remembering to: a service added later cannot forget. A statement that
passes the unit of work by (`session.execute(update(Comment)…)`, an erasure's) stamps every
consultation anew: coarse, and rare. The stamps are written at the commit, last of all the
transaction's writes (see `_before_commit`).

A ballot never changes it: the ballot's transaction writes ballots and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from consultations.models.comment import Comment
from consultations.models.consultation import (
    Consultation,
    ConsultationTranslation,
    DocumentVersion,
    new_stamp,
)
from consultations.models.decision import Decision
from consultations.models.member import Member

# What a member row carries onto a consultation page: the pseudonym beside their comments.
_SHOWN_OF_A_MEMBER = ("pseudonym",)
# Tables whose rows a kept part shows, for statements past the unit of work. Not `decision`:
# the decisions are rendered for each reader, never kept, and every membership change updates
# the open decisions' electorate in bulk (a flushed change to a decision still stamps its
# consultation, as the issue asks).
_COUNTED = (Comment, DocumentVersion, ConsultationTranslation, Consultation, Member)


def bump(session: Session, consultations: Iterable[int] | None) -> None:
    """A new stamp for these consultations (None: every one)."""
    statement = update(Consultation).values(change_stamp=new_stamp())
    if consultations is not None:
        chosen = sorted(set(consultations))
        if not chosen:
            return
        statement = statement.where(Consultation.id.in_(chosen))
    session.connection().execute(statement)


def _changed(instance: object, names: Iterable[str]) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched(session: Session) -> tuple[set[int], bool]:
    """The consultations the flush changes, and whether it changes every one."""
    ids: set[int] = set()
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, Comment | DocumentVersion | Decision | ConsultationTranslation):
            ids.add(instance.consultation_id)
        elif isinstance(instance, Consultation):
            if instance in session.new:
                continue  # nothing of it is cached yet
            changed = [a.key for a in inspect(instance).attrs if a.history.has_changes()]
            if any(name != "change_stamp" for name in changed) or instance in session.deleted:
                ids.add(instance.id)
        elif (
            isinstance(instance, Member)
            and instance not in session.new  # a new member has written nothing yet
            and (instance in session.deleted or _changed(instance, _SHOWN_OF_A_MEMBER))
        ):
            return ids, True
    return ids, False


_PENDING = "kenes.stamps"  # session.info: the consultations to stamp at commit (None: all)


def _note(session: Session, ids: set[int] | None) -> None:
    if ids is None:
        session.info[_PENDING] = None
    elif _PENDING not in session.info:
        session.info[_PENDING] = set(ids)
    elif session.info[_PENDING] is not None:
        session.info[_PENDING] |= ids


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    ids, everything = _touched(session)
    if everything or ids:
        _note(session, None if everything else ids)


def _after_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if any(mapper.class_ in _COUNTED for mapper in state.all_mappers):
        _note(state.session, None)


def _before_commit(session: Session) -> None:
    """The stamps are written last, just before COMMIT: a transaction takes a consultation's row
    lock after every other lock it takes, so two transactions cannot each hold what the other
    waits for (a decision's edit, a member joining: each locks decisions first)."""
    session.flush()
    if _PENDING in session.info:
        bump(session, session.info.pop(_PENDING))


def _forget(session: Session, transaction: object) -> None:
    if getattr(transaction, "parent", None) is None:
        session.info.pop(_PENDING, None)


def track() -> None:
    """Note the changes at every flush, and at every statement that writes past the unit of
    work, of every session, and stamp them at its commit (called once, on importing the
    models)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _after_bulk)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_transaction_end", _forget)
