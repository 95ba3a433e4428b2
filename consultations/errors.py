"""Errors the domain raises; the website turns them into messages in the member's language."""


class KenesError(Exception):
    """Base of every error the domain raises on purpose."""
