"""Migrations (issue 2 acceptance 6): the head builds exactly the models' schema, the history is
linear, and every revision upgrades and downgrades — on SQLite and on PostgreSQL."""

import re

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from portal.extensions import configure_sqlite
from portal.schema import metadata
from tests.migrations.conftest import migration_app
from tests.migrations.harness import REVISIONS

pytestmark = pytest.mark.postgres


def _schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, metadata)


def _sqlite_master(engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                "AND name NOT IN ('alembic_version', 'sqlite_sequence')"
            )
        ).all()
    return {name: _canonical_ddl(sql) for name, sql in rows}


def _canonical_ddl(sql: str) -> str:
    """The CREATE statement with whitespace folded and its column and constraint clauses in a
    stable order: the order Alembic and create_all list constraints in is not a difference.
    Anything after the closing parenthesis (WITHOUT ROWID, STRICT) is kept as is; the table's
    name is compared unquoted."""
    sql = re.sub(r"\s+", " ", sql).strip()
    if "(" not in sql:
        return sql
    head, rest = sql.split("(", 1)
    head = head.replace('"', "")  # batch mode quotes the name of a table it rebuilds
    depth, clauses, current, tail = 0, [], "", ""
    for index, char in enumerate(rest):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                tail = rest[index + 1 :].strip()
                break
            depth -= 1
        if char == "," and depth == 0:
            clauses.append(current.strip())
            current = ""
        else:
            current += char
    clauses.append(current.strip())
    return f"{head.strip()} ({', '.join(sorted(clauses))}) {tail}".strip()


def test_upgrade_to_head_gives_exactly_the_models_schema(empty_database_url, tmp_path):
    with migration_app(empty_database_url, tmp_path) as (app, config):
        command.upgrade(config, "head")
    engine = create_engine(empty_database_url)
    try:
        assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
        assert _schema_differences(engine) == []
        if engine.dialect.name == "sqlite":
            # Alembic's comparison misses table options such as WITHOUT ROWID; the stored
            # CREATE statements do not.
            reference = create_engine(f"sqlite:///{tmp_path / 'from-models.db'}")
            configure_sqlite(reference)
            metadata.create_all(reference)
            assert _sqlite_master(engine) == _sqlite_master(reference)
            reference.dispose()
    finally:
        engine.dispose()


def test_history_is_linear(tmp_path):
    from alembic.config import Config

    from tests.migrations.conftest import MIGRATIONS

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_bases()) == 1
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        assert not revision.is_merge_point, revision.revision
        assert not revision.is_branch_point, revision.revision


def test_every_revision_upgrades_and_downgrades(empty_database_url, tmp_path):
    with migration_app(empty_database_url, tmp_path) as (app, config):
        script = ScriptDirectory.from_config(config)
        revisions = list(reversed(list(script.walk_revisions())))
        assert revisions
        for revision in revisions:
            command.upgrade(config, revision.revision)
            assert _current(empty_database_url) == revision.revision
        for revision in reversed(revisions):
            command.downgrade(config, revision.down_revision or "base")
            assert _current(empty_database_url) == revision.down_revision
        # Back at the base nothing of ours is left, and the head can be reached again.
        leftover = set(inspect_tables(empty_database_url)) - {"alembic_version"}
        assert leftover == set()
        command.upgrade(config, "head")
        assert _current(empty_database_url) == script.get_current_head()


def _current(url: str):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def inspect_tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_issue_9_revisions_carry_the_data_over(empty_database_url, tmp_path):
    """Data loaded before the issue-9 revisions, checked after: used invitations go (unused ones
    stay); pseudonym keys are recomputed with the wider look-alike groups, and two members
    whose names now look alike both keep an account and a distinct key."""
    from consultations.pseudonyms import skeleton

    with migration_app(empty_database_url, tmp_path) as (app, config):
        command.upgrade(config, "a3d28617ac07")
        engine = create_engine(empty_database_url)
        with engine.begin() as connection:
            for n, (name, key) in enumerate(
                [("Тыныш Өзен", "old-1"), ("Тыныш Ѳзен", "old-2"), ("Quiet River", "old-3")], 1
            ):
                connection.execute(
                    text(
                        "INSERT INTO member (id, pseudonym, pseudonym_key, role, locale, "
                        "created_on, disabled, ballot_token) VALUES (:id, :name, :key, 'member', "
                        "'kk', '2026-11-30', false, :token)"
                    ),
                    {"id": n, "name": name, "key": key, "token": f"{n:032x}"},
                )
            for n, used in ((1, True), (2, False)):
                connection.execute(
                    text(
                        "INSERT INTO invite (id, code_hash, role, created_at, expires_at, used, "
                        "revoked) VALUES (:id, :hash, 'member', '2026-11-30 10:00:00+00', "
                        "'2026-12-30 10:00:00+00', :used, false)"
                    ),
                    {"id": n, "hash": f"{n:064x}", "used": used},
                )
        engine.dispose()
        command.upgrade(config, "head")
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            keys = dict(connection.execute(text("SELECT id, pseudonym_key FROM member")).all())
            invites = [row[0] for row in connection.execute(text("SELECT id FROM invite"))]
    finally:
        engine.dispose()
    assert keys == {
        1: skeleton("Тыныш Өзен"),
        2: skeleton("Тыныш Өзен") + "#2",
        3: skeleton("Quiet River"),
    }
    assert invites == [2]


@pytest.mark.parametrize("case", REVISIONS, ids=str)
def test_each_revision_carries_its_data(empty_database_url, tmp_path, case):
    """The harness (tests/migrations/harness.py): rows loaded at the parent revision, checked
    after the upgrade and again after the downgrade, on both engines."""
    with migration_app(empty_database_url, tmp_path) as (_app, config):
        script = ScriptDirectory.from_config(config)
        parent = script.get_revision(case.revision).down_revision
        command.upgrade(config, parent)
        engine = create_engine(empty_database_url)
        try:
            with engine.begin() as connection:
                case.load(connection)
            command.upgrade(config, case.revision)
            with engine.begin() as connection:
                case.check_upgraded(connection)
            command.downgrade(config, parent)
            with engine.begin() as connection:
                case.check_downgraded(connection)
        finally:
            engine.dispose()
