"""Domain models, one module per aggregate. Importing this package registers them all."""

from consultations.models.audit import AuditEvent
from consultations.models.comment import (
    Comment,
    CommentStatus,
    Meeting,
    PlaceType,
    Report,
    ReportReason,
    Stance,
)
from consultations.models.consultation import (
    Consultation,
    ConsultationTranslation,
    DocumentVersion,
    Section,
    SectionText,
    Status,
    VersionText,
    VersionTranslation,
)
from consultations.models.decision import (
    Ballot,
    Decision,
    DecisionKind,
    DecisionStatus,
    DecisionTranslation,
    Option,
    OptionTranslation,
    ProposalAnswer,
)
from consultations.models.member import Member, Role
from consultations.models.outbox import Action, OutboxEntry, PublicNumber, Published
from consultations.models.recommendation import (
    Addressee,
    Priority,
    Recommendation,
    RecommendationRegion,
    RecommendationStatus,
    Region,
    StatusChange,
)
from consultations.models.record import (
    AdvisoryRecord,
    RecordQuote,
    RecordRecommendation,
    RecordRevision,
)
from consultations.models.theme import CommentTheme, Theme

__all__ = [
    "Action",
    "Addressee",
    "AdvisoryRecord",
    "OutboxEntry",
    "Priority",
    "PublicNumber",
    "Published",
    "RecordQuote",
    "RecordRecommendation",
    "RecordRevision",
    "Recommendation",
    "RecommendationRegion",
    "RecommendationStatus",
    "Region",
    "StatusChange",
    "AuditEvent",
    "Ballot",
    "Comment",
    "CommentTheme",
    "CommentStatus",
    "Consultation",
    "ConsultationTranslation",
    "Decision",
    "DecisionKind",
    "DecisionStatus",
    "DecisionTranslation",
    "DocumentVersion",
    "Meeting",
    "Member",
    "Option",
    "OptionTranslation",
    "PlaceType",
    "ProposalAnswer",
    "Report",
    "ReportReason",
    "Role",
    "Section",
    "SectionText",
    "Stance",
    "Status",
    "Theme",
    "VersionText",
    "VersionTranslation",
]

# Every flush counts the changes it makes to a consultation's page (consultations/changes.py).
from consultations import changes as _changes  # noqa: E402

_changes.track()
