"""No column is named for an address, agent, e-mail or phone (issue 2 acceptance 4;
checklist 32) — checked on the schema the migrations actually build, not only on the models."""

import re

import pytest
from sqlalchemy import create_engine, inspect

from portal.schema import metadata

pytestmark = pytest.mark.postgres

SUSPICIOUS = re.compile(
    r"(^|_)(ip|ips|ipv4|ipv6|addr|address|agent|ua|email|e_mail|mail|phone|"
    # "addressee": the body a recommendation is addressed to (issue 12), not anyone's address.
    r"mobile|tel|forwarded)(_|$)|addr(?!essee)|agent|email|phone",
    re.IGNORECASE,
)


def suspicious_columns(engine) -> list[str]:
    inspector = inspect(engine)
    return [
        f"{table}.{column['name']}"
        for table in inspector.get_table_names()
        for column in inspector.get_columns(table)
        if SUSPICIOUS.search(column["name"]) or SUSPICIOUS.search(table)
    ]


def test_no_identifying_column_in_the_database(database_url):
    engine = create_engine(database_url)
    try:
        assert inspect(engine).get_table_names(), "the check must see the real tables"
        assert suspicious_columns(engine) == []
    finally:
        engine.dispose()


def test_no_identifying_column_in_the_models():
    names = [f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns]
    assert names
    assert [n for n in names if SUSPICIOUS.search(n.split(".")[1])] == []


@pytest.mark.parametrize(
    "name", ["ip", "client_ip", "remote_addr", "user_agent", "email", "phone_number", "ua"]
)
def test_the_pattern_catches_identifying_names(name):
    assert SUSPICIOUS.search(name)


@pytest.mark.parametrize(
    "name", ["pseudonym", "created_on", "stance", "description", "quip", "addressee_id"]
)
def test_the_pattern_spares_ordinary_names(name):
    assert not SUSPICIOUS.search(name)
