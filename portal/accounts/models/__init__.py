"""The website's own tables for accounts, one module per aggregate."""

from portal.accounts.models.auth_session import AuthSession
from portal.accounts.models.credential import Credential, RecoveryCode
from portal.accounts.models.invite import Invite
from portal.accounts.models.reset_code import ResetCode

__all__ = ["AuthSession", "Credential", "Invite", "RecoveryCode", "ResetCode"]
