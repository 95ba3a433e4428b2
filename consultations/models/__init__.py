"""Domain models, one module per aggregate. Importing this package registers them all."""

from consultations.models.audit import AuditEvent
from consultations.models.comment import (
    Comment,
    CommentStatus,
    Meeting,
    Report,
    ReportReason,
    Stance,
)
from consultations.models.consultation import (
    Consultation,
    DocumentVersion,
    Section,
    SectionText,
    Status,
    VersionText,
)
from consultations.models.decision import (
    Ballot,
    Decision,
    DecisionKind,
    DecisionStatus,
    Option,
    ProposalAnswer,
)
from consultations.models.member import Member, Role

__all__ = [
    "AuditEvent",
    "Ballot",
    "Comment",
    "CommentStatus",
    "Consultation",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "DocumentVersion",
    "Meeting",
    "Member",
    "Option",
    "ProposalAnswer",
    "Report",
    "ReportReason",
    "Role",
    "Section",
    "SectionText",
    "Stance",
    "Status",
    "VersionText",
]
