"""Passphrases: argon2id, the same work for unknown pseudonyms, length and strength (checklist
14 and 18)."""

import re
import unicodedata

import pytest
from argon2 import PasswordHasher

from portal.security import passwords
from portal.security.passwords import (
    MAX_PASSPHRASE_CHARS,
    PRODUCTION,
    TESTING,
    Argon2Parameters,
    Passphrases,
    PassphraseTooLong,
    strength_problems,
)

PASSPHRASE = "correct horse battery staple kettle"
HASH_PREFIX = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


@pytest.fixture(scope="module")
def hasher() -> Passphrases:
    return Passphrases(TESTING)


@pytest.fixture
def argon2_calls(monkeypatch):
    """Records every PasswordHasher.hash and .verify call, still doing the real work."""
    calls = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def spy_hash(self, password, *, salt=None):
        calls.append(("hash", None))
        return real_hash(self, password, salt=salt)

    def spy_verify(self, stored, password):
        calls.append(("verify", stored))
        return real_verify(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "hash", spy_hash)
    monkeypatch.setattr(PasswordHasher, "verify", spy_verify)
    return calls


def test_hash_is_argon2id_with_the_given_parameters(hasher):
    stored = hasher.hash(PASSPHRASE)
    match = HASH_PREFIX.match(stored)
    assert match
    assert match.groups() == ("8", "1", "1")
    assert PASSPHRASE not in stored


def test_each_hash_has_its_own_salt(hasher):
    assert hasher.hash(PASSPHRASE) != hasher.hash(PASSPHRASE)


def test_production_parameters_meet_owasp_minimum():
    # OWASP's argon2id floor: 19 MiB of memory with two passes.
    assert PRODUCTION.memory_cost_kib >= 19 * 1024
    assert PRODUCTION.time_cost >= 2
    assert PRODUCTION.parallelism >= 1
    assert TESTING != PRODUCTION


def test_verify_right_and_wrong(hasher):
    stored = hasher.hash(PASSPHRASE)
    assert hasher.verify(stored, PASSPHRASE) is True
    assert hasher.verify(stored, PASSPHRASE + " ") is False
    assert hasher.verify(stored, "") is False


@pytest.mark.parametrize("stored", ["", "not a hash", "$argon2id$v=19$m=8,t=1,p=1$garbage"])
def test_verify_never_raises_on_a_bad_stored_hash(hasher, stored):
    assert hasher.verify(stored, PASSPHRASE) is False


def test_verify_refuses_an_unencodable_passphrase(hasher):
    assert hasher.verify(hasher.hash(PASSPHRASE), "\ud800 lone surrogate") is False


def test_unknown_pseudonym_does_the_same_argon2_work(hasher, argon2_calls):
    stored = hasher.hash(PASSPHRASE)
    argon2_calls.clear()

    assert hasher.verify(None, PASSPHRASE) is False
    assert hasher.verify(stored, "wrong passphrase entirely") is False

    assert [kind for kind, _ in argon2_calls] == ["verify", "verify"]
    dummy, real = argon2_calls[0][1], argon2_calls[1][1]
    assert dummy is not None
    assert dummy != real
    # Same algorithm and cost: the unknown pseudonym's check takes as long as a real one.
    assert HASH_PREFIX.match(dummy).groups() == HASH_PREFIX.match(real).groups()


def test_unknown_pseudonym_reuses_one_dummy_hash(hasher, argon2_calls):
    hasher.verify(None, "first attempt here")
    hasher.verify(None, "second attempt here")
    assert [kind for kind, _ in argon2_calls] == ["verify", "verify"]  # nothing hashed anew
    assert argon2_calls[0][1] == argon2_calls[1][1]


def test_unknown_pseudonym_is_refused_even_with_the_dummy_secret(hasher):
    assert hasher.verify(None, "") is False


def test_over_long_passphrase_is_refused_before_hashing(hasher, argon2_calls):
    stored = hasher.hash(PASSPHRASE)
    argon2_calls.clear()
    too_long = "x" * (MAX_PASSPHRASE_CHARS + 1)

    with pytest.raises(PassphraseTooLong):
        hasher.hash(too_long)
    assert hasher.verify(stored, too_long) is False
    assert hasher.verify(None, too_long) is False

    assert argon2_calls == []


def test_longest_passphrase_is_accepted(hasher):
    longest = ("кітап " * 30)[:MAX_PASSPHRASE_CHARS]
    assert len(longest) == MAX_PASSPHRASE_CHARS
    stored = hasher.hash(longest)
    assert hasher.verify(stored, longest) is True


def test_needs_rehash_when_parameters_change(hasher):
    stored = hasher.hash(PASSPHRASE)
    assert hasher.needs_rehash(stored) is False
    stronger = Passphrases(Argon2Parameters(time_cost=2, memory_cost_kib=16, parallelism=1))
    assert stronger.needs_rehash(stored) is True
    # The old hash still verifies under the new parameters, so sign-in can upgrade it.
    assert stronger.verify(stored, PASSPHRASE) is True
    assert stronger.needs_rehash(stronger.hash(PASSPHRASE)) is False


# --------------------------------------------------------------------------- strength


def test_short_passphrase_is_too_short():
    assert strength_problems("short words", []) == ["too_short"]


def test_over_long_passphrase_is_too_long_without_scoring(monkeypatch):
    def no_scoring(*args, **kwargs):
        raise AssertionError("zxcvbn must not see an over-long passphrase")

    monkeypatch.setattr(passwords, "zxcvbn", no_scoring)
    assert strength_problems("x" * (MAX_PASSPHRASE_CHARS + 1), []) == ["too_long"]


def test_long_passphrases_are_scored_past_zxcvbns_default_limit():
    # zxcvbn's default max_length of 72 raises on longer input.
    hundred = "the kettle sings while grey herons wait by the frozen river at dawn " * 2
    hundred = hundred[:100]
    assert len(hundred) == 100
    assert strength_problems(hundred, []) == []
    longest = ("an old map of almaty folded in four " * 4)[:MAX_PASSPHRASE_CHARS]
    assert strength_problems(longest, []) == []


def test_common_password_is_too_weak():
    assert strength_problems("password1234", []) == ["too_weak"]


def test_random_words_are_acceptable():
    assert strength_problems(PASSPHRASE, []) == []


def test_no_composition_rules():
    # Lower case letters and spaces only, and strong: no digit or symbol is demanded.
    assert strength_problems("velvet lanterns drift over quiet hills", []) == []


def test_the_pseudonym_counts_against_the_passphrase():
    passphrase = "SilverFalcon2024!"
    assert strength_problems(passphrase, []) == []
    assert strength_problems(passphrase, ["SilverFalcon", "kenes"]) == ["too_weak"]


def test_cyrillic_passphrases_are_scored():
    assert strength_problems("корова молоко собака кошка дом", []) == []
    assert strength_problems("жасыл шәйнек өзен үстінде ұшады", []) == []
    assert strength_problems("парольпароль", []) == ["too_weak"]


def test_composed_and_decomposed_letters_are_the_same_passphrase():
    from portal.security.passwords import TESTING, Passphrases

    hasher = Passphrases(TESTING)
    composed = "тыныш өзен жайлы таң күн й"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert hasher.verify(hasher.hash(composed), decomposed)
