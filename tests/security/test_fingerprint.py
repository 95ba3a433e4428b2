"""The app refuses to start with a ballot secret other than the database's (checklist 41)."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.security.fingerprint import (
    BALLOT_SECRET,
    SecretFingerprint,
    SecretMismatchError,
    fingerprint,
)
from tests.conftest import TEST_SECRETS

pytestmark = pytest.mark.postgres


def test_first_start_records_the_fingerprint(app):
    with app.app_context():
        stored = db.session.scalar(select(SecretFingerprint.fingerprint))
    assert stored == fingerprint(TEST_SECRETS["KENES_BALLOT_SECRET"])
    assert TEST_SECRETS["KENES_BALLOT_SECRET"] not in stored


def test_same_secret_starts_again(app, app_factory):
    assert app_factory().config["KENES"].ballot_secret == TEST_SECRETS["KENES_BALLOT_SECRET"]


def test_another_secret_is_refused(app, app_factory):
    with pytest.raises(SecretMismatchError) as caught:
        app_factory(KENES_BALLOT_SECRET="d4" * 32)
    message = str(caught.value)
    assert "KENES_BALLOT_SECRET" in message
    assert "d4d4" not in message
    assert "\n" not in message


def test_fingerprint_is_keyed_and_stable():
    assert fingerprint("a" * 64) == fingerprint("a" * 64)
    assert fingerprint("a" * 64) != fingerprint("b" * 64)
    assert len(fingerprint("a" * 64)) == 64
    assert BALLOT_SECRET == "ballot_secret"
