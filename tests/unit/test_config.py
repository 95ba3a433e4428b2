"""Settings: development generates and keeps its secrets; production refuses unsafe ones."""

import json
import stat

import pytest

from portal import create_app
from portal.config import ConfigError, load_settings

GOOD = "a1" * 32
OTHER = "c3" * 32


def production(**overrides):
    environ = {
        "KENES_ENV": "production",
        "KENES_SECRET_KEY": GOOD,
        "KENES_BALLOT_SECRET": OTHER,
        "KENES_DATABASE_URL": "postgresql+psycopg://kenes@localhost/kenes",
    }
    environ.update(overrides)
    return {k: v for k, v in environ.items() if v is not None}


def test_production_with_good_secrets_loads(tmp_path):
    settings = load_settings(production(), tmp_path)
    assert settings.production
    assert settings.secret_key == GOOD
    config = settings.flask_config()
    assert config["SESSION_COOKIE_NAME"] == "__Host-kenes"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["DEBUG"] is False


@pytest.mark.parametrize("name", ["KENES_SECRET_KEY", "KENES_BALLOT_SECRET"])
@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "is not set"),
        ("", "is not set"),
        ("short-but-random-9f8e7d", "shorter than 32 bytes"),
        ("change-me", "example value"),
        ("0" * 64, "example value"),
        ("replace-with-64-random-hex-characters", "example value"),
    ],
)
def test_production_refuses_unsafe_secret(tmp_path, name, value, words):
    with pytest.raises(ConfigError) as caught:
        load_settings(production(**{name: value}), tmp_path)
    message = str(caught.value)
    assert name in message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize("variable", ["KENES_DEBUG", "FLASK_DEBUG"])
def test_production_refuses_debug(tmp_path, variable):
    with pytest.raises(ConfigError, match="debug"):
        load_settings(production(**{variable: "1"}), tmp_path)


def test_production_refuses_the_same_secret_twice(tmp_path):
    with pytest.raises(ConfigError, match="KENES_BALLOT_SECRET"):
        load_settings(production(KENES_BALLOT_SECRET=GOOD), tmp_path)


def test_production_refuses_to_create_the_app(tmp_path):
    with pytest.raises(ConfigError, match="KENES_SECRET_KEY"):
        create_app(
            {**production(KENES_SECRET_KEY="too-short"), "KENES_INSTANCE_PATH": str(tmp_path)}
        )


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="KENES_ENV"):
        load_settings({"KENES_ENV": "prod"}, tmp_path)


def test_development_generates_secrets_once_and_keeps_them_private(tmp_path):
    environ = {"KENES_ENV": "development", "KENES_INSTANCE_PATH": str(tmp_path / "instance")}
    first = load_settings(environ)
    second = load_settings(environ)
    path = tmp_path / "instance" / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert first.secret_key == second.secret_key == stored["KENES_SECRET_KEY"]
    assert first.ballot_secret == stored["KENES_BALLOT_SECRET"]
    assert len(bytes.fromhex(first.secret_key)) == 32
    assert first.secret_key != first.ballot_secret


def test_environment_secret_wins_over_generated(tmp_path):
    environ = {
        "KENES_ENV": "development",
        "KENES_SECRET_KEY": GOOD,
        "KENES_INSTANCE_PATH": str(tmp_path),
    }
    assert load_settings(environ).secret_key == GOOD


def test_support_contacts_come_only_from_configuration(tmp_path):
    contacts = json.dumps([{"name": "Helpline", "contact": "150", "hours": "24/7"}])
    settings = load_settings(production(KENES_SUPPORT_CONTACTS=contacts), tmp_path)
    assert [(c.name, c.contact, c.hours, c.placeholder) for c in settings.support_contacts] == [
        ("Helpline", "150", "24/7", False)
    ]
    assert load_settings(production(), tmp_path).support_contacts == ()
    demo = load_settings({"KENES_ENV": "development", "KENES_INSTANCE_PATH": str(tmp_path)})
    assert demo.support_contacts
    assert all(c.placeholder for c in demo.support_contacts)


def test_malformed_support_contacts_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="KENES_SUPPORT_CONTACTS"):
        load_settings(production(KENES_SUPPORT_CONTACTS="call 150"), tmp_path)


@pytest.mark.parametrize("fallback", ["change-me", "secret", "0" * 64, "short but real"])
def test_production_refuses_an_example_or_short_fallback_key(tmp_path, fallback):
    """Issue 9: the fallbacks sign sessions as the key does, and were not checked."""
    fallbacks = f"{'7f' * 32},{fallback}"
    with pytest.raises(ConfigError, match="KENES_SECRET_KEY_FALLBACKS"):
        load_settings(production(KENES_SECRET_KEY_FALLBACKS=fallbacks), tmp_path)


def test_production_accepts_a_random_fallback_key(tmp_path):
    settings = load_settings(production(KENES_SECRET_KEY_FALLBACKS="7f" * 32), tmp_path)
    assert settings.secret_key_fallbacks == ("7f" * 32,)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "http://example.org/",
        # Its origin goes into the CSP's form-action: nothing may add a directive.
        "https://example.org; script-src *",
        "https://example.org/'unsafe-inline'",
        "https://exa mple.org/",
    ],
)
def test_quick_exit_must_be_a_plain_https_address(tmp_path, url):
    with pytest.raises(ConfigError, match="KENES_QUICK_EXIT_URL"):
        load_settings(production(KENES_QUICK_EXIT_URL=url), tmp_path)


def test_quick_exit_may_go_to_a_path(tmp_path):
    url = "https://weather.example.kz:8443/almaty/today"
    assert load_settings(production(KENES_QUICK_EXIT_URL=url), tmp_path).quick_exit_url == url


def test_retention_days_is_checked(tmp_path):
    assert load_settings(production(KENES_RETENTION_DAYS="7"), tmp_path).retention_days == 7
    with pytest.raises(ConfigError, match="KENES_RETENTION_DAYS"):
        load_settings(production(KENES_RETENTION_DAYS="seven"), tmp_path)


def test_testing_clock_exists_only_in_testing(tmp_path):
    clock = str(tmp_path / "clock")
    assert load_settings(production(KENES_TEST_CLOCK_FILE=clock), tmp_path).test_clock_file is None
    testing = load_settings(
        {
            "KENES_ENV": "testing",
            "KENES_TEST_CLOCK_FILE": clock,
            "KENES_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert str(testing.test_clock_file) == clock


@pytest.mark.parametrize(
    ("name", "value"),
    [("KENES_SEARCH_DIR", "static/search"), ("KENES_DATABASE_URL", "sqlite:///static/k.db")],
)
def test_database_and_index_stay_out_of_static(tmp_path, name, value):
    from portal.config import STATIC_FOLDER

    value = value.replace("static", str(STATIC_FOLDER))
    with pytest.raises(ConfigError, match=name):
        load_settings(production(**{name: value}), tmp_path)


def test_the_testing_clock_moves_and_the_real_one_does_not(tmp_path):
    from datetime import timedelta

    from consultations.clock import SystemClock
    from portal.clock import MovableClock, make_clock

    clock = make_clock(tmp_path / "offset")
    assert isinstance(clock, MovableClock)
    before = clock.now()
    clock.advance(timedelta(hours=13))
    moved = clock.now() - before
    assert timedelta(hours=13) <= moved < timedelta(hours=13, minutes=1)
    assert isinstance(make_clock(None), SystemClock)


def test_a_request_reads_the_clock_once(app, clock):
    """Issue 10: the page's status, "can comment" and its decisions were computed from up to
    four readings of the clock, which could fall either side of a closing time."""
    from datetime import timedelta

    from portal import clock as request_clock

    with app.test_request_context("/"):
        first = request_clock.now()
        clock.advance(timedelta(minutes=5))
        assert request_clock.now() == first
    with app.app_context():  # a command: every call reads the clock
        assert request_clock.now() == first + timedelta(minutes=5)
