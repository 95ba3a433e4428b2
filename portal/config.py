"""Typed settings from `KENES_*` environment variables, and the refusal of unsafe production ones.

Nothing here falls back to a default secret: in development a missing secret is generated once
into `instance/secrets.json` (mode 0600) and reused; in production a missing, short or example
secret, or debug mode, stops the app with a one-line message naming the variable.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from consultations.languages import LOCALES
from consultations.models.decision import DEFAULT_MIN_BALLOTS

ENVIRONMENTS = ("development", "production", "testing")
MIN_SECRET_BYTES = 32

# Values that appear in our docs, in other projects' examples and in tutorials. A secret equal to
# one of them is as good as public.
EXAMPLE_SECRETS = frozenset(
    {
        "change-me",
        "changeme",
        "secret",
        "dev",
        "development",
        "your-secret-key",
        "replace-with-64-random-hex-characters",
        "replace-with-another-64-random-hex-characters",
        "0" * 64,
        "x" * 64,
    }
)


class ConfigError(RuntimeError):
    """A setting that makes the site unsafe to run. Its message is one line naming the variable."""


@dataclass(frozen=True)
class SupportContact:
    """A helpline or service shown on the safety page. Only ever from configuration."""

    name: str
    contact: str
    hours: str = ""
    placeholder: bool = False


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    secret_key_fallbacks: tuple[str, ...]
    ballot_secret: str
    database_url: str
    search_dir: Path
    retention_days: int
    min_ballots: int
    support_contacts: tuple[SupportContact, ...]
    quick_exit_url: str
    default_locale: str
    instance_path: Path
    debug: bool = False
    test_clock_file: Path | None = field(default=None)

    @property
    def production(self) -> bool:
        return self.env == "production"

    def flask_config(self) -> dict[str, object]:
        """The Flask, Flask-WTF and Flask-SQLAlchemy keys these settings imply."""
        production = self.production
        return {
            "SECRET_KEY": self.secret_key,
            "SECRET_KEY_FALLBACKS": list(self.secret_key_fallbacks),
            "DEBUG": self.debug,
            "TESTING": self.env == "testing",
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            # 256 KB: a 5,000-character comment in Cyrillic is about 10 KB; anything near
            # this limit is not a person typing.
            "MAX_CONTENT_LENGTH": 256 * 1024,
            "MAX_FORM_MEMORY_SIZE": 256 * 1024,
            # Sessions expire on their own (issue 3); a CSRF token that dies earlier would only
            # make a member who wrote slowly on a phone lose the form.
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_SSL_STRICT": True,
            "SESSION_COOKIE_NAME": "__Host-kenes" if production else "kenes",
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SECURE": production,
            "SESSION_COOKIE_SAMESITE": "Strict",
            "SESSION_COOKIE_PATH": "/",
            "SESSION_COOKIE_DOMAIN": None,
            "PREFERRED_URL_SCHEME": "https" if production else "http",
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
            "KENES": self,
        }


def _secret(environ: Mapping[str, str], name: str, env: str, generated: dict[str, str]) -> str:
    value = environ.get(name, "")
    if env == "production":
        if not value:
            raise ConfigError(f"{name} is not set; production needs a random secret of 32+ bytes")
        _refuse_weak(name, value)
        return value
    return value or generated[name]


def _refuse_weak(name: str, value: str) -> None:
    """An example value or a short one is as good as public (production)."""
    if value.strip().lower() in EXAMPLE_SECRETS:
        raise ConfigError(f"{name} is an example value; generate a random secret")
    if len(value.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(f"{name} is shorter than {MIN_SECRET_BYTES} bytes")


def _development_secrets(instance_path: Path) -> dict[str, str]:
    """Secrets for development and tests, generated once and kept in `instance/` (0600)."""
    path = instance_path / "secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    wanted = ("KENES_SECRET_KEY", "KENES_BALLOT_SECRET")
    if all(stored.get(name) for name in wanted):
        return stored
    for name in wanted:
        stored.setdefault(name, secrets.token_hex(32))
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Create with 0600 from the start, so the secrets are never readable by others even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(stored, handle)
    os.chmod(path, 0o600)
    return stored


def _support_contacts(raw: str, env: str) -> tuple[SupportContact, ...]:
    """`KENES_SUPPORT_CONTACTS`: a JSON list of {"name", "contact", "hours"?} objects."""
    if not raw.strip():
        if env != "development":
            return ()
        # The development demo shows placeholders that cannot be mistaken for a real service.
        return (
            SupportContact("EXAMPLE helpline (placeholder)", "000 000 00 00", placeholder=True),
            SupportContact("EXAMPLE NGO (placeholder)", "example.invalid", placeholder=True),
        )
    try:
        entries = json.loads(raw)
        return tuple(
            SupportContact(str(e["name"]), str(e["contact"]), str(e.get("hours", "")))
            for e in entries
        )
    except (ValueError, TypeError, KeyError) as error:
        raise ConfigError(
            'KENES_SUPPORT_CONTACTS must be a JSON list of {"name": …, "contact": …} objects'
        ) from error


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of days") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1")
    return value


STATIC_FOLDER = Path(__file__).resolve().parent.parent / "static"


def _refuse_inside_static(name: str, path: Path) -> None:
    """The database and the index must never be where the web server serves files from."""
    if path.resolve().is_relative_to(STATIC_FOLDER):
        raise ConfigError(f"{name} points inside static/, which is served to anyone")


def load_settings(
    environ: Mapping[str, str] | None = None, instance_path: Path | None = None
) -> Settings:
    """Read and check the settings; raise `ConfigError` on anything unsafe."""
    environ = os.environ if environ is None else environ
    env = environ.get("KENES_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"KENES_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    instance = Path(environ.get("KENES_INSTANCE_PATH") or instance_path or "instance").resolve()
    debug = environ.get("KENES_DEBUG", "") not in ("", "0", "false", "no")
    if env == "production" and (debug or environ.get("FLASK_DEBUG", "") not in ("", "0")):
        raise ConfigError("KENES_DEBUG/FLASK_DEBUG is on; production never runs in debug mode")

    generated = {} if env == "production" else _development_secrets(instance)
    secret_key = _secret(environ, "KENES_SECRET_KEY", env, generated)
    ballot_secret = _secret(environ, "KENES_BALLOT_SECRET", env, generated)
    if secret_key == ballot_secret:
        raise ConfigError("KENES_BALLOT_SECRET must differ from KENES_SECRET_KEY")
    fallbacks = tuple(
        key for key in environ.get("KENES_SECRET_KEY_FALLBACKS", "").split(",") if key.strip()
    )
    if env == "production":
        # A fallback still signs sessions: an example one would let anyone forge a cookie.
        for fallback in fallbacks:
            _refuse_weak("KENES_SECRET_KEY_FALLBACKS", fallback)

    database_url = environ.get("KENES_DATABASE_URL") or f"sqlite:///{instance / 'kenes.db'}"
    if env == "production" and database_url.startswith("sqlite") and ":memory:" in database_url:
        raise ConfigError("KENES_DATABASE_URL is an in-memory database; production needs a file")

    quick_exit_url = environ.get("KENES_QUICK_EXIT_URL", "https://www.google.com/")
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s;,'\"]*)?", quick_exit_url):
        # Its origin goes into the CSP's form-action: nothing but a plain https address.
        raise ConfigError("KENES_QUICK_EXIT_URL must be an https:// address")
    default_locale = environ.get("KENES_DEFAULT_LOCALE", "kk")
    if default_locale not in LOCALES:
        raise ConfigError("KENES_DEFAULT_LOCALE must be kk, ru or en")

    search_dir = Path(environ.get("KENES_SEARCH_DIR") or instance / "search").resolve()
    _refuse_inside_static("KENES_SEARCH_DIR", search_dir)
    if database_url.startswith("sqlite:///"):
        _refuse_inside_static("KENES_DATABASE_URL", Path(database_url[len("sqlite:///") :]))

    clock_file = environ.get("KENES_TEST_CLOCK_FILE") if env == "testing" else None

    return Settings(
        env=env,
        secret_key=secret_key,
        secret_key_fallbacks=fallbacks,
        ballot_secret=ballot_secret,
        database_url=database_url,
        search_dir=search_dir,
        retention_days=_positive_int(environ, "KENES_RETENTION_DAYS", 30),
        min_ballots=_positive_int(environ, "KENES_MIN_BALLOTS", DEFAULT_MIN_BALLOTS),
        support_contacts=_support_contacts(environ.get("KENES_SUPPORT_CONTACTS", ""), env),
        quick_exit_url=quick_exit_url,
        default_locale=default_locale,
        instance_path=instance,
        debug=debug,
        test_clock_file=Path(clock_file) if clock_file else None,
    )
