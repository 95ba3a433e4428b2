"""Acceptance 4 of issue 14: `flask --app wsgi search reindex` rebuilds the index of 10,000
generated records from the database alone, showing a progress bar on a terminal, swaps the new
directory in and deletes the old; search answers the same before and after. Run as an operator
runs it: the real command, in its own process, on a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from bench.advice import add_records
from portal import searching
from portal.extensions import db
from tests.conftest import _app_config
from tests.search.helpers import find, publish_record

RECORDS = 10_000
QUERIES = (
    ("", {}),
    ("рекомендации детям", {}),
    ("балаларға мектепке", {}),
    ("referrals for children", {}),
    ("children рекомендация", {"language": "ru"}),
    ("құқықтары", {"kind": "record"}),
)


def _answers(app) -> list[tuple]:  # type: ignore[type-arg,no-untyped-def]
    answers = []
    for text, filters in QUERIES:
        results = find(app, text, **filters)
        answers.append(
            (
                results.total,
                [r.document.number for r in results.results],
                [(r.title, r.snippet) for r in results.results],
                results.facets,
            )
        )
    return answers


def _reindex_on_a_terminal(env: dict[str, str]) -> tuple[int, str]:
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "search", "reindex"],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    return process.wait(300), output.decode("utf-8", "replace")


def test_reindex_of_ten_thousand_records_shows_progress_and_answers_the_same(
    app, database_url, app_home, clock
):
    with app.app_context():
        add_records(db.session, RECORDS, words=40, now=clock.now())
        db.session.commit()
        db.session.remove()
    before = _answers(app)  # the first search builds the index
    assert before[0][0] == RECORDS
    assert all(total > 0 for total, *_ in before)
    with app.app_context():
        old = searching.index().directory()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KENES_", "FLASK_"))}
    env |= {k: str(v) for k, v in _app_config(database_url, app_home, clock).items()}

    code, output = _reindex_on_a_terminal(env)

    assert code == 0, output
    assert "Indexing" in output
    assert f"{RECORDS}/{RECORDS}" in output
    assert "100%" in output
    assert "\r" in output, "the bar is redrawn in place on a terminal"
    with app.app_context():
        new = searching.index().directory()
    assert new is not None
    assert new != old
    assert old is not None
    assert not old.exists(), "the replaced directory is deleted"
    assert _answers(app) == before


def test_status_says_how_far_behind_the_index_is(app, runner):
    find(app, "")
    publish_record(app, "en", "Unapplied", "waiting")
    waiting = runner.invoke(args=["search", "status"])
    assert waiting.exit_code == 0, waiting.output
    assert "documents: 0" in waiting.output
    assert "behind:    1 outbox row(s) not applied, the oldest from" in waiting.output
    find(app, "")
    applied = runner.invoke(args=["search", "status"])
    assert "documents: 1" in applied.output
    assert "behind:    nothing (every outbox row is applied)" in applied.output
