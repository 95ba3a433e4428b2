"""Errors the domain raises; the website turns them into messages in the member's language."""


class KenesError(Exception):
    """Base of every error the domain raises on purpose."""


class PseudonymTaken(KenesError):
    """Another member's pseudonym is the same or looks the same (confusables skeleton)."""


class NotFound(KenesError):
    """The thing asked for does not exist, or the asker may not know that it does."""


class NotAllowed(KenesError):
    """The rule forbids it (e.g. removing the last admin)."""
