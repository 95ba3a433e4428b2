"""How fast the pages answer on a small server (issue 15): a measurement, not a test.

    make bench                                        # this, after the search benchmark
    .venv/bin/python -m bench.pages                   # SQLite, 10 s of load per page
    .venv/bin/python -m bench.pages --seconds 5       # a quicker look
    scripts/with-postgres.sh .venv/bin/python -m bench.pages   # PostgreSQL (its URL is read
                                                      # from KENES_TEST_DATABASE_URL)

A page's requests a second depend on the machine and on what else runs on it, so each page is
measured as a share of a bare Flask "hello" (`bench/hello.py`) served by the same gunicorn with
the same settings, measured right before it, in the same run — the issue's targets are such
ratios: signed-in pages at least 15 % of hello, anonymous public pages at least 35 %.

In one run it:

1. makes a throwaway database (a SQLite file in a temporary directory, or a new database on the
   PostgreSQL server of `--database-url`) with the schema the migrations make;
2. seeds a large portal through the services, as staff and members would have written it: 50
   published open consultations, one of them of 20 sections with 300 comments (one in three a
   reply, half showing their pseudonym) and two open decisions of 200 secret ballots each, cast
   through `ballot_box.cast` one transaction at a time; 30 recommendations, 300 generated
   advisory records (`bench.advice`) and 10 written by staff that quote the comments; then the
   search index, built as `flask search reindex` builds it;
3. serves it with gunicorn as `make run` does (`gunicorn -c gunicorn.conf.py wsgi:app`, two
   sync workers) with production settings on a free loopback port, and the hello app beside it;
4. signs a member in over HTTP (the sign-in form and its CSRF token) and keeps the cookie, as
   a browser would after visiting the signed-in pages once;
5. for each page — in Kazakh, the site's default and the member's language — checks it answers
   200 (a redirect to the sign-in page would measure the wrong thing), weighs it as a phone
   receives it (gzip level 6, with the stylesheets and scripts it links, as
   tests/web/test_page_weight.py does), counts the SQL statements one view runs (in this
   process, on the same database, with the same cookie), then loads hello and the page in turn
   with Debian's `wrk -t2 -c16` and reads the requests a second, p50 and p99;
6. reads the resident memory of each gunicorn worker after those thousands of requests;
7. prints one table with each target met or missed, and removes everything — servers,
   database, temporary files — also when it fails.

`--profile N` then profiles N renders of the consultation page in this process (cProfile, top
25 by cumulative time, then by own time): what the time of the slowest page goes to.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import http.client
import os
import pstats
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from secrets import token_hex
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from bench.advice import add_records, vocabulary
from bench.advice import text as generated
from bench.throwaway import (
    app_on,
    database_url_option,
    load,
    machine,
    settings,
    throwaway_database,
    upgrade,
)
from consultations.models import (
    Comment,
    Consultation,
    DecisionKind,
    Member,
    Priority,
    Region,
    Role,
    Stance,
)
from consultations.models.comment import MAX_COMMENTS_PER_DAY
from consultations.services import (
    comments,
    consultations,
    decisions,
    members,
    recommendations,
    records,
)
from portal import ballot_box, searching
from portal.accounts import credentials
from portal.extensions import db
from portal.security import tokens

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The targets.
SIGNED_IN_SHARE = 0.15  # of hello's requests a second
PUBLIC_SHARE = 0.35
MAX_STATEMENTS = 8
MAX_WEIGHT = 25 * 1024  # bytes gzipped, with the page's CSS and JS (tests/web/test_page_weight)
MAX_RSS = 150 * 1000 * 1000  # bytes, per worker

# The seeded portal.
CONSULTATIONS = 50
SECTIONS = 20
BALLOTS = 200
RECOMMENDATIONS = 30
GENERATED_RECORDS = 300
WRITTEN_RECORDS = 10
AUTHORS = 20  # at least: the comments rotate over them
SEARCHED = "балаларға көмек"

# Statements that are not the page's own queries (tests/web/test_consultation_pages.py).
NOT_QUERIES = ("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")


# --------------------------------------------------------------------------- seeding


@dataclass
class Portal:
    """What the pages are measured on: the addresses that exist only once seeded."""

    pseudonym: str
    passphrase: str
    consultation: str  # the big one's public id
    record: str  # the number of a record written by staff
    comments: int
    seconds: float = 0.0


class Words:
    """Generated text in each language (`bench.advice`): real words among Zipf-distributed
    pseudo-words, so the pages weigh and compress as written text does, not as "Comment 17"."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabularies = {locale: vocabulary(locale, 2_000, rng) for locale in LANGUAGES}
        self.weights = [1 / (rank + 1) for rank in range(2_000)]

    def __call__(self, locale: str, length: int) -> str:
        return generated(self.vocabularies[locale], self.weights, length, self.rng)

    def title(self, locale: str, length: int = 5) -> str:
        return self(locale, length).rstrip(".")


LANGUAGES = ("kk", "ru", "en")


def draft(words: Words, locale: str, sections: int) -> str:
    """A procedure of `sections` sections with explicit keys, so every language's section `sN`
    is the same section."""
    parts = [words(locale, 40)]
    for n in range(sections):
        parts.append(f"## {words.title(locale)} {{#s{n}}}\n\n{words(locale, 45)}")
        parts.append(words(locale, 35))
    return "\n\n".join(parts)


def publish_consultation(
    session: Session,
    staff: Member,
    words: Words,
    *,
    sections: int,
    languages: tuple[str, ...],
    now: datetime,
) -> Consultation:
    """A consultation written in `languages` (the first the main one), published, open for a
    month."""
    main, *others = languages
    consultation = consultations.create(
        session,
        consultations.Details(
            title=words.title(main, 6),
            summary=words(main, 30),
            main_locale=main,
            content_note="",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            premoderation=False,
            translations={
                locale: {"title": words.title(locale, 6), "summary": words(locale, 30)}
                for locale in others
            },
        ),
        actor=staff,
        now=now,
    )
    version = consultations.working_copy(session, consultation)
    consultations.save_draft(
        session, version, {locale: draft(words, locale, sections) for locale in languages}
    )
    consultations.publish(
        session, consultation, version, changelog=words(main, 10), actor=staff, now=now
    )
    return consultation


def write_comments(
    session: Session,
    consultation: Consultation,
    authors: list[Member],
    words: Words,
    *,
    count: int,
    sections: int,
    now: datetime,
) -> list[Comment]:
    """`count` comments through the comments service, spread over the sections: one in three
    a reply to its section's latest comment, half showing their pseudonym, one in seven
    quotable, of 12 to 61 words (37 on average), most in Kazakh, one in four in Russian; each
    section's comments by several authors, with every stance."""
    tops: dict[str, Comment] = {}
    written = []
    stances = list(Stance)
    for n in range(count):
        key = f"s{n % sections}"
        turn = n + n // sections  # so that a section's comments differ in all but the section
        parent = tops.get(key) if n % 3 == 2 else None
        comment = comments.add(
            session,
            consultation,
            author=authors[turn % len(authors)],
            text=words("ru" if turn % 4 == 3 else "kk", 12 + (n * 7) % 50),
            stance=stances[turn % len(stances)],
            section_key=key,
            parent=parent,
            show_pseudonym=turn % 2 == 0,
            quotable=n % 7 == 0,
            now=now,
        )
        if parent is None:
            tops[key] = comment
        written.append(comment)
    return written


# The two decisions: a kind, its number of options, at most how many a ballot may choose.
DECISIONS = ((DecisionKind.SINGLE, 3, None), (DecisionKind.MULTIPLE, 4, 2))


def open_decisions(
    session: Session, consultation: Consultation, staff: Member, words: Words, now: datetime
) -> list[str]:
    """The two decisions, open, their results hidden until they close; their public ids."""
    made = []
    for kind, options, most in DECISIONS:
        decision = decisions.create(
            session,
            consultation,
            decisions.DecisionDetails(
                question=words.title("kk", 10) + "?",
                explanation=words("kk", 40),
                kind=kind,
                options=[f"{words.title('kk', 3)} {n + 1}" for n in range(options)],
                max_choices=most,
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=14),
                quorum=None,
                live_results=False,
                translations={
                    locale: {"question": words.title(locale, 10) + "?"} for locale in ("ru", "en")
                },
                option_translations={
                    locale: [f"{words.title(locale, 3)} {n + 1}" for n in range(options)]
                    for locale in ("ru", "en")
                },
            ),
            actor=staff,
            now=now,
        )
        made.append(decision.public_id)
    return made


def choices_of(kind: DecisionKind, options: int, n: int) -> list[int]:
    """The n-th voter's choices: spread over the options, two of them where two are allowed."""
    if kind == DecisionKind.MULTIPLE:
        return sorted({n % options, (n * 7 + 1) % options})
    return [n % options]


def cast_ballots(app: Flask, public_id: str, voters_of: dict[str, list[int]]) -> None:
    """Each voter's ballot through the ballot box, as the ballot page casts it: a transaction
    of its own, every ballot of the decision rewritten in key order, the log cleaned after."""
    keys = app.extensions["kenes.ballot_keys"]
    clock = app.extensions["kenes.clock"]
    for (decision, voters), (kind, options, _most) in zip(
        voters_of.items(), DECISIONS, strict=True
    ):
        for n, voter_id in enumerate(voters):
            consultation = consultations.get(db.session, public_id)
            voter = db.session.get_one(Member, voter_id)
            refused = ballot_box.cast(
                consultation,
                decisions.get(db.session, consultation, decision),
                choices_of(kind, options, n),
                voter=voter,
                key_for=keys.for_token(voter.ballot_token),
                clock=clock,
                paper=None,
            )
            if refused is not None:
                raise RuntimeError(f"a seeded ballot was refused: {refused}")


def publish_advice(
    session: Session,
    consultation: Consultation,
    quotable: list[Comment],
    staff: Member,
    words: Words,
    now: datetime,
) -> str:
    """Recommendations to three bodies, generated records in bulk (as `bench.advice` writes
    them for the search benchmark), then records written by staff, each quoting comments of
    the big consultation and linking recommendations. The number of the last."""
    bodies = [
        recommendations.add_addressee(
            session,
            {locale: f"{words.title(locale, 4)} {n}" for locale in LANGUAGES},
            actor=staff,
            now=now,
        )
        for n in range(3)
    ]
    regions = list(Region)
    published = []
    for n in range(RECOMMENDATIONS):
        locale = LANGUAGES[n % 3]
        recommendation = recommendations.create(
            session,
            recommendations.Draft(
                title=words.title(locale, 8),
                text=words(locale, 80),
                locale=locale,
                addressee_id=bodies[n % 3].id,
                priority=list(Priority)[n % 3],
                regions=[regions[n % len(regions)], regions[(n + 5) % len(regions)]],
            ),
            actor=staff,
            now=now,
        )
        recommendations.publish(session, recommendation, actor=staff, now=now)
        published.append(recommendation.id)
    add_records(session, GENERATED_RECORDS, words=300, now=now, year=now.year)
    number = ""
    for n in range(WRITTEN_RECORDS):
        texts = records.Texts(words.title("kk", 8), words("kk", 50), words("kk", 250))
        record = records.create(
            session, locale="kk", consultation=consultation, texts=texts, actor=staff, now=now
        )
        chosen = quotable[2 * n : 2 * n + 2]
        records.save_draft(
            session,
            record,
            texts,
            add_quotes=[records.NewQuote(comment.id) for comment in chosen],
            recommendation_ids=published[n % RECOMMENDATIONS :][:2],
            actor=staff,
            now=now,
        )
        number = records.publish(session, record, actor=staff, now=now)
    return number


def seed(app: Flask, count: int) -> Portal:
    """The whole portal; commits."""
    started = time.perf_counter()
    session = db.session
    now = app.extensions["kenes.clock"].now()
    words = Words(random.Random(15))  # noqa: S311 - the same text every run, not a secret

    def member(pseudonym: str, role: Role = Role.MEMBER) -> Member:
        return members.register(
            session,
            pseudonym=pseudonym,
            role=role,
            locale="kk",
            ballot_token=tokens.new_ballot_token(),
            now=now,
        )

    staff = member("Bench Staff", Role.STAFF)
    voters = [member(f"Bench Voter {n}") for n in range(BALLOTS)]
    passphrase = token_hex(16)  # this run's only: the database is dropped after it
    reader = credentials.create_account(
        session,
        pseudonym="Bench Reader",
        role=Role.MEMBER,
        locale="kk",
        passphrase=passphrase,
        now=now,
    )
    # The reader wrote a few of the comments: the page shows them their own controls. Enough
    # writers that none reaches the day's limit of comments.
    writers = max(AUTHORS, (count + 4 * CONSULTATIONS) // (MAX_COMMENTS_PER_DAY // 2))
    authors = voters[: writers - 1] + [reader]
    for n in range(CONSULTATIONS - 1):
        small = publish_consultation(
            session, staff, words, sections=3, languages=("kk",), now=now - timedelta(hours=n)
        )
        turn = 4 * n % len(authors)
        write_comments(
            session, small, authors[turn:] + authors[:turn], words, count=4, sections=3, now=now
        )
    big = publish_consultation(
        session, staff, words, sections=SECTIONS, languages=LANGUAGES, now=now
    )
    written = write_comments(session, big, authors, words, count=count, sections=SECTIONS, now=now)
    questions = open_decisions(session, big, staff, words, now)
    number = publish_advice(session, big, [c for c in written if c.quotable], staff, words, now)
    session.commit()
    public_id, reader_id = big.public_id, reader.id
    voter_ids = [v.id for v in voters]
    # The reader has voted in the first decision: the page shows their own ballot.
    cast_ballots(
        app,
        public_id,
        {
            questions[0]: voter_ids[: BALLOTS - 1] + [reader_id],
            questions[1]: voter_ids,
        },
    )
    searching.index().rebuild(db.session, app.extensions["kenes.clock"].now())
    db.session.remove()
    return Portal(
        "Bench Reader", passphrase, public_id, number, count, time.perf_counter() - started
    )


# --------------------------------------------------------------------------- servers


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> list[int]:
        """The worker processes: the master's children."""
        master = self.process.pid
        try:
            listed = Path(f"/proc/{master}/task/{master}/children").read_text()
            return sorted(int(pid) for pid in listed.split())
        except OSError:
            pass
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The command may hold spaces and parentheses: the fields follow its last ")".
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
        return sorted(children)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextmanager
def gunicorn(wsgi_app: str, env: dict[str, str], log: Path, ready: str) -> Iterator[Server]:
    """gunicorn as `make run` starts it — the project's gunicorn.conf.py, from the project's
    folder — on a free loopback port; stopped (SIGTERM, then SIGKILL) when the block ends."""
    port = free_port()
    with open(log, "wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", wsgi_app],
            cwd=PROJECT_ROOT,
            env={**env, "KENES_BIND": f"127.0.0.1:{port}", "KENES_WORKERS": "2"},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Server(f"http://127.0.0.1:{port}", process, log)
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{wsgi_app} exited with {process.returncode}:\n{tail(log)}")
            try:
                if fetch(server.url, ready).status == 200 and len(server.workers()) == 2:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{wsgi_app} did not answer in 60 s:\n{tail(log)}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def server_env(config: dict[str, str]) -> dict[str, str]:
    """The servers' environment: ours without any KENES_/FLASK_ setting of the developer's,
    then the bench's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KENES_", "FLASK_"))}
    return env | config


# --------------------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    cookies: list[str]  # the Set-Cookie headers
    body: bytes


def fetch(base: str, path: str, *, cookie: str = "", form: dict[str, str] | None = None) -> Answer:
    """One request, redirects not followed. `http.client` rather than a cookie jar: the
    production cookie is `Secure` and `__Host-`, which a jar keeps from plain http."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        if form is None:
            connection.request("GET", path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", path, body=urlencode(form), headers=headers)
        response = connection.getresponse()
        return Answer(
            response.status,
            response.getheader("Location", ""),
            response.headers.get_all("Set-Cookie") or [],
            response.read(),
        )
    finally:
        connection.close()


class Cookies:
    """What a browser would send back, from the Set-Cookie headers it was given."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def take(self, answer: Answer) -> bool:
        """Keep what `answer` set; whether it changed anything."""
        before = dict(self.values)
        for header in answer.cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            gone = not value or re.search(r"(?i)max-age=0|expires=thu, 01 jan 1970", header)
            if gone:
                self.values.pop(name.strip(), None)
            else:
                self.values[name.strip()] = value.strip()
        return self.values != before

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.values.items())


def csrf_token(body: bytes) -> str:
    found = re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body)
    if found is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    return found.group(1).decode()


def sign_in(base: str, pseudonym: str, passphrase: str, settle_on: list[str]) -> str:
    """Sign in through the form, as a person would, and return the Cookie header a browser
    would then send. The pages in `settle_on` are visited first, as the browser would: a page
    with a form adds its CSRF token to the session, and a cookie without it would make every
    measured request start a new one."""
    cookies = Cookies()
    page = fetch(base, "/auth/login")
    cookies.take(page)
    answer = fetch(
        base,
        "/auth/login",
        cookie=cookies.header(),
        form={
            "pseudonym": pseudonym,
            "passphrase": passphrase,
            "csrf_token": csrf_token(page.body),
        },
    )
    if answer.status != 303:
        raise RuntimeError(f"signing in answered {answer.status}, not 303")
    cookies.take(answer)
    for _ in range(3):
        changed = [cookies.take(fetch(base, path, cookie=cookies.header())) for path in settle_on]
        if not any(changed):
            return cookies.header()
    raise RuntimeError("the session cookie keeps changing from one page to the next")


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    signed_in: bool

    @property
    def share(self) -> float:
        """The target: its requests a second as a share of hello's."""
        return SIGNED_IN_SHARE if self.signed_in else PUBLIC_SHARE


@dataclass(frozen=True)
class Load:
    """What `wrk --latency` reported."""

    per_second: float
    p50: float  # milliseconds
    p99: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors (timeouts included)


@dataclass
class Measured:
    page: Page
    gzipped: int = 0  # bytes, with its CSS and JS
    raw: int = 0  # bytes, the page alone
    statements: tuple[int, int] = (0, 0)  # fewest and most over a few views
    hello: Load | None = None
    load: Load | None = None

    @property
    def ratio(self) -> float:
        if self.hello is None or self.load is None:
            raise ValueError(f"{self.page.label}: not measured yet")
        return self.load.per_second / self.hello.per_second

    def missed(self) -> list[str]:
        missed = []
        if self.ratio < self.page.share:
            missed.append(f"ratio < {self.page.share:.0%}")
        if self.statements[1] > MAX_STATEMENTS:
            missed.append(f"> {MAX_STATEMENTS} statements")
        if self.gzipped > MAX_WEIGHT:
            missed.append(f"> {MAX_WEIGHT // 1024} KB")
        return missed


def weigh(base: str, page: Page, cookie: str) -> tuple[int, int]:
    """(gzip level 6 of the page plus each stylesheet and script it links, the page's raw
    bytes), as tests/web/test_page_weight.py weighs them; refuses a page that is not a 200."""
    answer = fetch(base, page.path, cookie=cookie if page.signed_in else "")
    if answer.status != 200:
        where = f" (to {answer.location})" if answer.location else ""
        raise RuntimeError(f"{page.label}: {page.path} answered {answer.status}{where}, not 200")
    total = len(gzip.compress(answer.body, compresslevel=6))
    linked = set(re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', answer.body))
    for asset in sorted(linked):
        total += len(gzip.compress(fetch(base, asset.decode()).body, compresslevel=6))
    return total, len(answer.body)


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The statements the app's engine runs in the block, transaction control left out (as
    the query-count test counts them)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(NOT_QUERIES):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_of(app: Flask, page: Page, cookie: str) -> tuple[int, int]:
    """The fewest and the most statements of three views of the page, after one to warm up,
    in this process on the same database, with the same cookie as the load."""
    client = app.test_client(use_cookies=False)
    headers = {"Cookie": cookie} if page.signed_in else {}
    client.get(page.path, headers=headers).close()
    seen = []
    for _ in range(3):
        with counted(app) as statements:
            response = client.get(page.path, headers=headers)
            status = response.status_code
            response.close()
        if status != 200:
            raise RuntimeError(f"{page.label}: {status} in this process, not 200")
        seen.append(len(statements))
    return min(seen), max(seen)


MILLISECONDS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def wrk(url: str, seconds: float, cookie: str = "") -> Load:
    """Debian's wrk: two threads, sixteen connections, for `seconds`. Its timeout is raised to
    gunicorn's own (30 s), so a slow page counts as slow, not as lost."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds:g}s", "--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - wrk, with our own arguments
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout

    def number(pattern: str) -> float:
        found = re.search(pattern, out, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    def percentile(cut: int) -> float:
        found = re.search(rf"^\s+{cut}%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.MULTILINE)
        if found is None:
            raise RuntimeError(f"no {cut}% line in wrk's output:\n{out}")
        return float(found.group(1)) * MILLISECONDS[found.group(2)]

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return Load(
        per_second=number(r"^Requests/sec:\s+([\d.]+)"),
        p50=percentile(50),
        p99=percentile(99),
        requests=int(number(r"^\s+(\d+) requests in")),
        errors=int(number(r"Non-2xx or 3xx responses:\s+(\d+)"))
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    )


@dataclass(frozen=True)
class Memory:
    """A process's memory, in bytes."""

    rss: int  # resident now: what the target is about
    peak: int  # the most it was resident at once (VmHWM)
    private: int  # of the resident, what is its own, not shared with the master (copy-on-write)


def memory(pid: int) -> Memory:
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    private = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1]) * 1024
    except OSError:
        pass
    return Memory(
        int(status["VmRSS"].split()[0]) * 1024,
        int(status["VmHWM"].split()[0]) * 1024,
        private,
    )


# --------------------------------------------------------------------------- the run


def pages_of(portal: Portal) -> list[Page]:
    return [
        Page("`/` anonymous", "/", signed_in=False),
        Page("`/` signed in", "/", signed_in=True),
        Page("`/consultations` signed in", "/consultations", signed_in=True),
        Page(
            f"consultation: {SECTIONS} sections, {portal.comments} comments, "
            f"2 decisions × {BALLOTS} ballots, signed in",
            f"/consultations/{portal.consultation}",
            signed_in=True,
        ),
        Page("`/account` signed in", "/account", signed_in=True),
        Page("a record page, anonymous", f"/records/{portal.record}", signed_in=False),
        Page("the records list, anonymous", "/records", signed_in=False),
        Page(f"a search («{SEARCHED}»), anonymous", f"/search?{urlencode({'q': SEARCHED})}", False),
    ]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=10, help="seconds of load per page and per hello (10)"
    )
    database_url_option(parser)
    parser.add_argument(
        "--comments", type=int, default=300, help="comments on the big consultation (300)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=20,
        default=0,
        metavar="N",
        help="then profile N renders of the consultation page in this process (N: 20)",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (Debian's package wrk)")
    # A SIGTERM (a timeout, a CI stop) unwinds like Ctrl-C: the servers and database go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    directory = Path(tempfile.mkdtemp(prefix="kenes-bench-pages-"))
    try:
        with throwaway_database(args.database_url, directory) as url:
            bench(args, url, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def bench(args: argparse.Namespace, url: str, directory: Path) -> None:
    # Production settings, as a deployment has them: this run's own random secrets (the
    # seeding app and the servers must share them: the ballot secret's fingerprint is checked).
    config = settings(
        url,
        directory,
        KENES_ENV="production",
        KENES_SECRET_KEY=token_hex(32),
        KENES_BALLOT_SECRET=token_hex(32),
    )
    with app_on(config) as app:
        with app.app_context():
            upgrade()
            engine = db.engine.dialect.name
            if engine == "postgresql":
                engine = "PostgreSQL " + str(db.session.scalar(text("SHOW server_version")))
            else:
                engine = f"SQLite {sqlite3.sqlite_version}"
            db.session.remove()
            print("Kenes pages benchmark (issue 15)")
            print(f"  machine:  {machine()}")
            print(f"  load:     {load()} (before the run: other work skews the figures)")
            print(f"  database: {engine}")
            sys.stdout.flush()
            portal = seed(app, args.comments)
        print(
            f"  seeded:   {CONSULTATIONS} open consultations (one of {SECTIONS} sections, "
            f"{portal.comments} comments, 2 open decisions of {BALLOTS} ballots), "
            f"{RECOMMENDATIONS} recommendations, {GENERATED_RECORDS + WRITTEN_RECORDS} records, "
            f"the search index: {portal.seconds:.1f} s"
        )
        sys.stdout.flush()
        env = server_env(config)
        with (
            gunicorn("wsgi:app", env, directory / "kenes.out", "/healthz") as kenes,
            gunicorn("bench.hello:app", env, directory / "hello.out", "/") as hello,
        ):
            measured, cookie, warmed = measure(
                app, args.seconds, pages_of(portal), portal, kenes, hello
            )
            served = sum(m.load.requests for m in measured if m.load)
            workers = {
                "Kenes": {pid: memory(pid) for pid in kenes.workers()},
                "hello": {pid: memory(pid) for pid in hello.workers()},
            }
        print(f"  load:     {load()} (after the run)")
        print()
        report(measured, warmed, workers, served, args.seconds)
        if args.profile:
            big = next(m.page for m in measured if m.page.path.endswith(portal.consultation))
            profile(app, big, cookie, args.profile)


def measure(
    app: Flask, seconds: float, pages: list[Page], portal: Portal, kenes: Server, hello: Server
) -> tuple[list[Measured], str, dict[int, Memory]]:
    """Each page's weight and statements, then the load: a short warm-up of every page (each
    worker's first requests load templates and open the index), then hello and the page in
    turn. Returns the figures, the signed-in member's Cookie header and the Kenes workers'
    memory after the warm-up."""
    cookie = sign_in(
        kenes.url, portal.pseudonym, portal.passphrase, [p.path for p in pages if p.signed_in]
    )
    measured = [Measured(page) for page in pages]
    for figures in measured:
        figures.gzipped, figures.raw = weigh(kenes.url, figures.page, cookie)
        figures.statements = statements_of(app, figures.page, cookie)
    warm = min(2.0, seconds)
    wrk(f"{hello.url}/", warm)
    for figures in measured:
        wrk(kenes.url + figures.page.path, warm, cookie if figures.page.signed_in else "")
    warmed = {pid: memory(pid) for pid in kenes.workers()}
    for figures in measured:
        figures.hello = wrk(f"{hello.url}/", seconds)
        figures.load = wrk(
            kenes.url + figures.page.path, seconds, cookie if figures.page.signed_in else ""
        )
        print(
            f"  measured: {figures.page.label}: {figures.load.per_second:,.1f} req/s, "
            f"hello {figures.hello.per_second:,.0f} ({figures.ratio:.1%})",
            flush=True,
        )
    return measured, cookie, warmed


def report(
    measured: list[Measured],
    warmed: dict[int, Memory],
    workers: dict[str, dict[int, Memory]],
    served: int,
    seconds: float,
) -> None:
    """The table (Markdown, to paste into docs/benchmarks.md) and the workers' memory."""
    print(
        f"  wrk -t2 -c16 -d{seconds:g}s --timeout 30s --latency against gunicorn (2 sync "
        "workers, production settings) on loopback; hello measured right before each page"
    )
    print()
    print(
        "| page | gzip KB | raw KB | statements | req/s | p50 ms | p99 ms "
        "| hello req/s | ratio to hello | target met |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for figures in measured:
        if figures.hello is None or figures.load is None:
            continue
        fewest, most = figures.statements
        missed = figures.missed()
        print(
            f"| {figures.page.label} | {figures.gzipped / 1024:.1f} | {figures.raw / 1024:.0f} "
            f"| {fewest if fewest == most else f'{fewest}–{most}'} "
            f"| {figures.load.per_second:,.1f} | {figures.load.p50:,.1f} "
            f"| {figures.load.p99:,.1f} | {figures.hello.per_second:,.0f} "
            f"| {figures.ratio:.1%} | {'yes' if not missed else 'no: ' + ', '.join(missed)} |"
        )
    print()
    print(
        f"  targets: signed in ≥ {SIGNED_IN_SHARE:.0%} of hello, anonymous ≥ {PUBLIC_SHARE:.0%}; "
        f"≤ {MAX_STATEMENTS} statements (BEGIN, PRAGMA, SAVEPOINT, RELEASE not counted; the "
        f"fewest–most of 3 views); ≤ {MAX_WEIGHT // 1024} KB gzipped with CSS and JS"
    )
    failed = [f for f in measured if f.load and f.load.errors] + [
        f for f in measured if f.hello and f.hello.errors
    ]
    for figures in failed:
        print(
            f"  errors: {figures.page.label}: {figures.load.errors if figures.load else 0} "
            f"(hello before it: {figures.hello.errors if figures.hello else 0}) non-2xx/3xx "
            "answers or socket errors"
        )
    print()
    print(
        f"  worker memory after {served:,} measured requests to Kenes "
        f"(target ≤ {MAX_RSS / 1e6:.0f} MB each):"
    )
    for name, listed in workers.items():
        for pid, used in listed.items():
            verdict = ""
            if name == "Kenes":
                verdict = " — met" if used.rss <= MAX_RSS else " — MISSED"
                if pid in warmed:
                    verdict += (
                        f" (after the warm-up: RSS {warmed[pid].rss / 1e6:.1f} MB, "
                        f"peak {warmed[pid].peak / 1e6:.1f} MB)"
                    )
            print(
                f"    {name} worker {pid}: RSS {used.rss / 1e6:.1f} MB, of which "
                f"{used.private / 1e6:.1f} MB its own; peak {used.peak / 1e6:.1f} MB{verdict}"
            )
    print(
        "  (a worker shares what the master loaded before forking — gunicorn.conf.py imports "
        "the portal — so hello's workers are no lighter than that)"
    )


def profile(app: Flask, page: Page, cookie: str, renders: int) -> None:
    """cProfile of `renders` views of `page` in this process, top 25 by cumulative time."""
    client = app.test_client(use_cookies=False)
    headers = {"Cookie": cookie} if page.signed_in else {}
    client.get(page.path, headers=headers).close()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        client.get(page.path, headers=headers).close()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\n  cProfile, {renders} views of {page.path} in this process, by cumulative time:")
    stats.sort_stats("cumulative").print_stats(25)
    print("  … and by own time (where the cumulative time is finally spent):")
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
