"""The Kenes website: views, accounts, security primitives, translations, command line."""

from portal.app import create_app

__all__ = ["create_app"]
