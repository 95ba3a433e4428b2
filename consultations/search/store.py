"""The index on disk and how it keeps in step with the database (issue 14, docs/search.md).

Layout of the search directory (one per host; never shared between hosts):
    current            a symbolic link to the index in use
    index-<random>/    Whoosh's files; the index's own state is a document in it
    .build.lock        held while an index is built from the database and swapped in

**Catch-up.** Every change to what is public writes an outbox row in its own transaction
(`consultations.services.publishing.announce`). Before a search answers, its process reads
the outbox rows the index has not applied — those above its *position*, and the *gaps* below
it — and, if there are any, applies them under Whoosh's writer lock: each row names a record or
a recommendation, whose document is read again from the database as it stands and replaced (or
deleted: withdrawn, unknown). Applying a row twice changes nothing, so the order rows arrive in
does not matter, and the rows are read before the documents, so the documents are at least as
new as the rows. The new position and gaps are a document of the same commit: the index and
its state cannot part. If another process holds the lock for longer than `lock_wait`, this one
answers from the index as it is — a second or so behind — instead of failing.

**Gaps.** On PostgreSQL a sequence hands out ids before their transactions commit, so a lower
id can become visible after a higher one was applied. Every id between the old and the new
position that was not seen is remembered, with when it was first missed, and asked for again
at every catch-up until it is older than `gap_horizon` — longer than any transaction that
writes the outbox can last (a web request is killed after gunicorn's 30 s timeout, and its
transaction with it). An id that never appears was a rolled-back transaction's.

**Removal.** When a catch-up deletes a document or applies a redaction or a withdrawal, it
merges the index into one segment (`optimize`): the old segment files, which still hold the
removed words, are deleted, so the words leave the directory's files, not only the results.

**Rebuild.** `rebuild` reads the database alone into a new directory and swaps the `current`
link in one rename; the old directory is deleted once no writer holds it. A process that had
the old one open finds the link changed on its next search and opens the new one.

The index holds only public text, but Whoosh unpickles its table of contents on opening, so the
directory must be writable by the portal's user alone (it is created 0700).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from secrets import token_hex

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import FileIndex, LockError
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from consultations.languages import LOCALES
from consultations.models import Action, OutboxEntry, Published
from consultations.search import analysis, documents
from consultations.search.documents import Document

# Raised when the fields or their analysis change: an index of another version is rebuilt.
SCHEMA_VERSION = 2
LANGUAGES = LOCALES
STATE_KEY = "_state"
GAP_HORIZON = timedelta(minutes=10)
LOCK_WAIT = 0.5  # seconds a catch-up waits for another process's writer
OLD_INDEX_WAIT = 10.0  # seconds a rebuild waits for a writer of the index it replaces
TITLE_BOOST = 3.0
NUMBER_BOOST = 5.0
REMOVING = frozenset({Action.REDACT, Action.WITHDRAW})
# One compound file per segment, opened whole when a searcher opens: a searcher kept between
# searches must not find, later, that another process's merge deleted a segment file it had
# not opened yet (separate files are opened lazily: the stored fields vanished under the
# consistency test). Opening copies the parts into memory, once per searcher, which is kept.
COMPOUND_SEGMENTS = True


def schema() -> Schema:
    fields: dict[str, object] = {
        "key": ID(unique=True, stored=True),
        "kind": ID(stored=True, sortable=True),
        "number": ID(stored=True),
        "number_text": TEXT(
            analyzer=analysis.number(), field_boost=NUMBER_BOOST, multitoken_query="and"
        ),
        "revision": STORED(),
        "status": ID(stored=True, sortable=True),
        "addressee": KEYWORD(),
        "region": KEYWORD(),
        "year": ID(sortable=True),
        "language": ID(sortable=True),
        "date": DATETIME(sortable=True),
        "state": STORED(),
    }
    for code in LANGUAGES:
        make = analysis.ANALYZERS[code]
        # A word the Kazakh analyzer reads two ways is either of its stems.
        multitoken = "or" if code == "kk" else "default"
        fields[f"title_{code}"] = TEXT(
            analyzer=make(), field_boost=TITLE_BOOST, multitoken_query=multitoken
        )
        fields[f"body_{code}"] = TEXT(analyzer=make(), multitoken_query=multitoken)
    return Schema(**fields)


def fields_for(document: Document) -> dict[str, object]:
    values: dict[str, object] = {
        "key": document.key,
        "kind": document.kind.value,
        "number": document.number,
        "number_text": document.number,
        "revision": document.revision,
        "addressee": " ".join(str(i) for i in sorted(document.addressees)),
        "region": " ".join(sorted(document.regions)),
        "year": str(document.year),
        "language": document.locale,
        "date": document.published.replace(tzinfo=None),
        f"title_{document.locale}": document.title,
    }
    if document.status is not None:
        values["status"] = document.status.value
    for code, texts in document.texts.items():
        values[f"body_{code}"] = "\n".join(texts)
    return values


# --------------------------------------------------------------------------- the state


@dataclass(frozen=True)
class State:
    """Where the index stands in the outbox: every id up to `position` is applied except the
    `gaps`, each with when it was first missed."""

    position: int = 0
    gaps: dict[int, datetime] = field(default_factory=dict)
    version: int = SCHEMA_VERSION

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "position": self.position,
                "gaps": {str(i): at.isoformat() for i, at in sorted(self.gaps.items())},
            }
        )

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        return cls(
            position=int(data["position"]),
            gaps={int(i): datetime.fromisoformat(at) for i, at in data["gaps"].items()},
            version=int(data.get("version", 0)),
        )

    def expired(self, now: datetime, horizon: timedelta) -> bool:
        return any(now - at > horizon for at in self.gaps.values())

    def after(self, seen: set[int], now: datetime, horizon: timedelta) -> State:
        """The state once the rows `seen` are applied: the position at the highest, the ids
        skipped below it remembered, the old gaps seen or expired forgotten."""
        position = max([self.position, *seen])
        gaps = {i: at for i, at in self.gaps.items() if i not in seen and now - at <= horizon}
        gaps.update(
            {i: now for i in range(self.position + 1, position) if i not in seen and i not in gaps}
        )
        return State(position, gaps)


def state_of(searcher: Searcher) -> State:
    stored = searcher.document(key=STATE_KEY)
    return State.from_json(stored["state"]) if stored else State(version=0)


def _state_fields(state: State) -> dict[str, object]:
    return {"key": STATE_KEY, "kind": STATE_KEY, "state": state.to_json()}


def pending(session: Session, state: State) -> list[OutboxEntry]:
    """The outbox rows the index has not applied: above its position, or in its gaps."""
    wanted = OutboxEntry.id > state.position
    if state.gaps:
        wanted = or_(wanted, OutboxEntry.id.in_(state.gaps))
    return list(session.scalars(select(OutboxEntry).where(wanted).order_by(OutboxEntry.id)))


# --------------------------------------------------------------------------- writing


def _apply(writer: IndexWriter, found: dict[str, Document | None]) -> int:
    """Replace or delete each document; the number deleted."""
    deleted = 0
    for key, document in found.items():
        if document is None:
            deleted += writer.delete_by_term("key", key)
        else:
            writer.update_document(**fields_for(document))
    return deleted


def _keys_of(session: Session, rows: list[OutboxEntry]) -> set[tuple[Published, str]]:
    keys = {(row.kind, row.number) for row in rows}
    changed = [number for kind, number in keys if kind == Published.RECOMMENDATION]
    keys |= {(Published.RECORD, n) for n in documents.records_making(session, changed)}
    return keys


@dataclass(frozen=True)
class CatchUp:
    applied: int  # outbox rows applied
    busy: bool = False  # another process held the writer: answered from the index as it was


@dataclass(frozen=True)
class Status:
    documents: int
    position: int
    gaps: int
    lag: int  # outbox rows not yet applied
    oldest_unapplied: datetime | None
    directory: Path


class SearchIndex:
    """The index of one host's search directory."""

    def __init__(
        self,
        root: Path,
        *,
        gap_horizon: timedelta = GAP_HORIZON,
        lock_wait: float = LOCK_WAIT,
    ) -> None:
        self.root = root
        self.gap_horizon = gap_horizon
        self.lock_wait = lock_wait
        self._opened: dict[Path, FileIndex] = {}
        self._local = threading.local()  # each thread's searcher, kept between searches
        self._kept: set[Searcher] = set()  # every thread's, to close them all at the end
        self._kept_lock = threading.Lock()

    # ---------------------------------------------------------------- the directory

    @property
    def link(self) -> Path:
        return self.root / "current"

    def directory(self) -> Path | None:
        try:
            return self.root / os.readlink(self.link)
        except FileNotFoundError:
            return None

    def open(self, session: Session, now: datetime) -> FileIndex:
        """The index in use, built from the database first if there is none (or it is of
        another schema version)."""
        for _attempt in range(3):
            path = self.directory()
            if path is None:
                self.rebuild(session, now, only_if_missing=True)
                continue
            ix = self._opened.get(path)
            try:
                if ix is None:
                    ix = whoosh_index.open_dir(str(path))
                    with ix.searcher() as first:
                        version = state_of(first).version
                    if version != SCHEMA_VERSION:
                        self.rebuild(session, now, replacing=path)
                        continue
                    self._opened = {path: ix}
                return ix
            except (OSError, whoosh_index.EmptyIndexError):
                # Swapped and deleted by a rebuild since the link was read.
                self._opened.pop(path, None)
        raise RuntimeError(f"the search index in {self.root} could not be opened")

    def searcher(self, session: Session, now: datetime) -> Searcher:
        """This thread's searcher of the index in use, brought up to its latest commit. Kept
        between searches: opening one reads the table of contents (a pickle) and maps every
        segment file, which cost more than most searches."""
        ix = self.open(session, now)
        kept: Searcher | None = getattr(self._local, "searcher", None)
        fresh = kept is not None and kept._ix is ix and kept.up_to_date()  # no public handle
        if not fresh:
            # A new one, not `refresh()`: a refreshed searcher reuses the readers of segments
            # it knew, with the deletions they had then (a replaced document seen twice).
            if kept is not None:
                self._let_go(kept)
            kept = ix.searcher()
            with self._kept_lock:
                self._kept.add(kept)
        self._local.searcher = kept
        return kept

    def _let_go(self, searcher: Searcher) -> None:
        with self._kept_lock:
            self._kept.discard(searcher)
        searcher.close()

    def close(self) -> None:
        """Close every thread's kept searcher (an app being disposed: its files are let go
        now, not whenever the garbage collector gets to them)."""
        with self._kept_lock:
            kept, self._kept = self._kept, set()
        for searcher in kept:
            searcher.close()
        self._local = threading.local()

    # ---------------------------------------------------------------- catch-up

    def catch_up(
        self, session: Session, now: datetime, *, lock_wait: float | None = None
    ) -> CatchUp:
        """Apply the outbox rows the index has not (see the module's docstring)."""
        state = state_of(self.searcher(session, now))
        if not pending(session, state) and not state.expired(now, self.gap_horizon):
            return CatchUp(0)
        ix = self.open(session, now)
        try:
            writer = ix.writer(
                timeout=lock_wait or self.lock_wait, delay=0.02, compound=COMPOUND_SEGMENTS
            )
        except (LockError, OSError):
            return CatchUp(0, busy=True)
        try:
            # Another process may have applied some meanwhile: its state, read afresh.
            with ix.searcher() as latest:
                state = state_of(latest)
            rows = pending(session, state)
            found = documents.load(session, _keys_of(session, rows))
            deleted = _apply(writer, found)
            writer.update_document(
                **_state_fields(state.after({row.id for row in rows}, now, self.gap_horizon))
            )
            removing = deleted > 0 or any(row.action in REMOVING for row in rows)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=removing)
        return CatchUp(len(rows))

    # ---------------------------------------------------------------- rebuild

    @contextlib.contextmanager
    def _building(self) -> Iterator[None]:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.root / ".build.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def rebuild(
        self,
        session: Session,
        now: datetime,
        *,
        progress: Callable[[int, int], None] | None = None,
        only_if_missing: bool = False,
        replacing: Path | None = None,
    ) -> Path:
        """Build an index of everything published from the database alone, in a new directory,
        and swap it in. `progress(done, total)` after each batch."""
        with self._building():
            old = self.directory()
            if old is not None and (only_if_missing or (replacing and old != replacing)):
                return old  # another process built one while this one waited
            target = self.root / f"index-{token_hex(8)}"
            target.mkdir(mode=0o700)
            try:
                self._build(target, session, now, progress)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            swap = self.root / f".current-{token_hex(4)}"
            os.symlink(target.name, swap)
            os.replace(swap, self.link)
            if old is not None:
                self._remove(old)
            return target

    def _build(
        self,
        target: Path,
        session: Session,
        now: datetime,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        ix = whoosh_index.create_in(str(target), schema())
        # The outbox first: the documents read after are at least as new as its rows.
        state = settled(session, now, self.gap_horizon)
        keys = documents.published_keys(session)
        writer = ix.writer(limitmb=128, compound=COMPOUND_SEGMENTS)
        try:
            done = 0
            for start in range(0, len(keys), documents.BATCH):
                batch = keys[start : start + documents.BATCH]
                for document in documents.load(session, batch).values():
                    if document is not None:
                        writer.add_document(**fields_for(document))
                done += len(batch)
                if progress is not None:
                    progress(done, len(keys))
            writer.add_document(**_state_fields(state))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=True)
        if progress is not None and not keys:
            progress(0, 0)

    def _remove(self, old: Path) -> None:
        """Delete a replaced index once no writer holds it (or after `OLD_INDEX_WAIT`)."""
        self._opened.pop(old, None)
        lock_file = old / "MAIN_WRITELOCK"
        deadline = time.monotonic() + OLD_INDEX_WAIT
        try:
            with open(lock_file, "a") as lock:
                while True:
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.05)
                shutil.rmtree(old, ignore_errors=True)
        except FileNotFoundError:
            shutil.rmtree(old, ignore_errors=True)

    # ---------------------------------------------------------------- status

    def status(self, session: Session, now: datetime) -> Status:
        searcher = self.searcher(session, now)
        state = state_of(searcher)
        waiting = pending(session, state)
        return Status(
            documents=searcher.doc_count() - 1,  # less the state
            position=state.position,
            gaps=len(state.gaps),
            lag=len(waiting),
            oldest_unapplied=min((row.created_at for row in waiting), default=None),
            directory=self.directory() or self.root,
        )


def settled(session: Session, now: datetime, horizon: timedelta) -> State:
    """The state of an index built from the database now: its position the newest outbox row,
    and as gaps the ids missing above the newest row older than `horizon` (below it, every
    transaction that could still commit one has ended)."""
    floor = session.scalar(
        select(func.coalesce(func.max(OutboxEntry.id), 0)).where(
            OutboxEntry.created_at < now - horizon
        )
    )
    recent = set(session.scalars(select(OutboxEntry.id).where(OutboxEntry.id > floor)))
    if not recent:
        return State(position=floor or 0)
    position = max(recent)
    return State(position, {i: now for i in range(floor + 1, position) if i not in recent})
