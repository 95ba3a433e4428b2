"""The domain's values as a reader sees them, in their language — shared by every room and, as
globals, by the templates: a comment's stance, the kinds of place a group meeting is held in, a
recommendation's status and priority, and Kazakhstan's regions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consultations.models import (
    PlaceType,
    Priority,
    ProposalAnswer,
    RecommendationStatus,
    Region,
    Stance,
)

STANCE_NAMES = {
    Stance.SUPPORTS: _l("Supports"),
    Stance.CONCERNS: _l("Has concerns"),
    Stance.QUESTION: _l("Question"),
    Stance.OTHER: _l("Other"),
}

# A proposal's three options are named in the reader's language, never by staff.
PROPOSAL_NAMES = {
    ProposalAnswer.AGREE: _l("Agree"),
    ProposalAnswer.DISAGREE: _l("Disagree"),
    ProposalAnswer.ABSTAIN: _l("Abstain"),
}

PLACE_NAMES = {
    PlaceType.COMMUNITY_CENTRE: _l("Community centre"),
    PlaceType.SHELTER: _l("Shelter or crisis centre"),
    PlaceType.OFFICE: _l("The group's office"),
    PlaceType.ONLINE: _l("Online call"),
    PlaceType.OTHER: _l("Somewhere else"),
}

RECOMMENDATION_STATUS_NAMES = {
    RecommendationStatus.PROPOSED: _l("Proposed"),
    RecommendationStatus.SUBMITTED: _l("Submitted"),
    RecommendationStatus.ACCEPTED: _l("Accepted"),
    RecommendationStatus.PARTIALLY_ACCEPTED: _l("Partially accepted"),
    RecommendationStatus.REJECTED: _l("Rejected"),
    RecommendationStatus.IMPLEMENTED: _l("Implemented"),
    RecommendationStatus.WITHDRAWN: _l("Withdrawn"),
}

PRIORITY_NAMES = {
    Priority.HIGH: _l("High priority"),
    Priority.MEDIUM: _l("Medium priority"),
    Priority.LOW: _l("Low priority"),
}

REGION_NAMES = {
    Region.NATIONAL: _l("The whole country"),
    Region.ASTANA: _l("Astana"),
    Region.ALMATY_CITY: _l("Almaty"),
    Region.SHYMKENT: _l("Shymkent"),
    Region.ABAI: _l("Abai Region"),
    Region.AKMOLA: _l("Akmola Region"),
    Region.AKTOBE: _l("Aktobe Region"),
    Region.ALMATY_REGION: _l("Almaty Region"),
    Region.ATYRAU: _l("Atyrau Region"),
    Region.EAST_KAZAKHSTAN: _l("East Kazakhstan Region"),
    Region.JAMBYL: _l("Jambyl Region"),
    Region.JETISU: _l("Jetisu Region"),
    Region.KARAGANDA: _l("Karaganda Region"),
    Region.KOSTANAY: _l("Kostanay Region"),
    Region.KYZYLORDA: _l("Kyzylorda Region"),
    Region.MANGYSTAU: _l("Mangystau Region"),
    Region.NORTH_KAZAKHSTAN: _l("North Kazakhstan Region"),
    Region.PAVLODAR: _l("Pavlodar Region"),
    Region.TURKESTAN: _l("Turkestan Region"),
    Region.ULYTAU: _l("Ulytau Region"),
    Region.WEST_KAZAKHSTAN: _l("West Kazakhstan Region"),
}
