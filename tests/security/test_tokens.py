"""Random tokens and typed codes: enough entropy, no look-alikes, forgiving normalization."""

import base64
import math
import re

import pytest

from portal.security import tokens
from portal.security.tokens import INVITE_ALPHABET

CODE_SHAPE = re.compile(rf"^[{INVITE_ALPHABET}]{{4}}(-[{INVITE_ALPHABET}]{{4}}){{4}}$")
CODE_MAKERS = [tokens.new_invite_code, tokens.new_reset_code]


def test_alphabet_has_20_distinct_capitals_without_look_alikes():
    assert len(INVITE_ALPHABET) == len(set(INVITE_ALPHABET)) == 20
    assert INVITE_ALPHABET.isascii()
    assert INVITE_ALPHABET.isupper()
    assert INVITE_ALPHABET.isalpha()
    assert not set(INVITE_ALPHABET) & set("BILOSZ0123456789")


def test_codes_carry_at_least_80_bits():
    assert tokens.CODE_BITS >= 80
    assert tokens.CODE_LETTERS * math.log2(len(INVITE_ALPHABET)) == tokens.CODE_BITS


@pytest.mark.parametrize("make", CODE_MAKERS)
def test_codes_are_five_groups_of_four(make):
    code = make()
    assert CODE_SHAPE.match(code), code
    assert len(tokens.normalize_code(code)) == 20


@pytest.mark.parametrize("make", CODE_MAKERS)
def test_codes_do_not_repeat(make):
    codes = {make() for _ in range(1000)}
    assert len(codes) == 1000


def test_codes_use_the_whole_alphabet():
    letters = set("".join(tokens.new_invite_code() for _ in range(200)).replace("-", ""))
    assert letters == set(INVITE_ALPHABET)


def test_recovery_codes():
    codes = tokens.new_recovery_codes()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(CODE_SHAPE.match(code) for code in codes)
    assert len(tokens.new_recovery_codes(3)) == 3


def test_session_tokens_are_long_and_new():
    token = tokens.new_session_token()
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert len({tokens.new_session_token() for _ in range(1000)}) == 1000


def test_ballot_tokens_are_128_bits_of_hex():
    token = tokens.new_ballot_token()
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert len({tokens.new_ballot_token() for _ in range(1000)}) == 1000


def test_token_hash_is_stable_and_distinct():
    token = tokens.new_session_token()
    assert tokens.token_hash(token) == tokens.token_hash(token)
    assert tokens.token_hash(token) != tokens.token_hash(tokens.new_session_token())
    assert re.fullmatch(r"[0-9a-f]{64}", tokens.token_hash(token))
    assert token not in tokens.token_hash(token)


@pytest.mark.parametrize(
    "typed",
    [
        "KDMF-QXTA-RCPH-WYEJ-NUVG",
        "kdmf qxta-rcph wyej-nuvg",
        "  KDMFQXTARCPHWYEJNUVG\n",
        "kdmf\u00a0qxta\u2013rcph.wyej/nuvg",  # no-break space, en dash, dot, slash
        "ＫＤＭＦ－ＱＸＴＡ－ＲＣＰＨ－ＷＹＥＪ－ＮＵＶＧ",  # full-width
        # Cyrillic look-alikes, upper and lower case: К М Р С Т Х Е У А Н
        "КDМF-QХТА-RСРН-WУЕJ-NUVG",
        "кdмf-qхта-rсрн-wуеj-nuvg",
        "КDМF-QХТА-RСРН-WҮЕJ-NUVG",  # Kazakh Ү for Y
    ],
)
def test_normalize_code_gives_the_canonical_form(typed):
    assert tokens.normalize_code(typed) == "KDMFQXTARCPHWYEJNUVG"


def test_normalize_code_maps_every_cyrillic_twin():
    assert tokens.normalize_code("АВЕКМНОРСТУХ") == "ABEKMHOPCTYX"
    assert tokens.normalize_code("авекмнорстух") == "ABEKMHOPCTYX"


def test_normalize_code_keeps_what_it_cannot_read():
    # A Cyrillic letter with no Latin twin stays, so the code matches nothing.
    assert tokens.normalize_code("ФDMF-QXTA") == "ФDMFQXTA"
    assert tokens.normalize_code("") == ""


def test_a_new_code_survives_normalization():
    code = tokens.new_invite_code()
    assert tokens.normalize_code(code) == code.replace("-", "")
    assert tokens.normalize_code(code.lower()) == code.replace("-", "")
