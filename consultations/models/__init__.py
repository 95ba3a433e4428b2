"""Domain models, one module per aggregate. Importing this package registers them all."""

from consultations.models.audit import AuditEvent
from consultations.models.member import Member, Role

__all__ = ["AuditEvent", "Member", "Role"]
