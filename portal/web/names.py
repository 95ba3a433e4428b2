"""The domain's values as a reader sees them, in their language — shared by every room (and by
templates, as the `stance_names` global): how a comment's stance is labelled, and the kinds of
place a group meeting is held in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consultations.models import PlaceType, Stance

STANCE_NAMES = {
    Stance.SUPPORTS: _l("Supports"),
    Stance.CONCERNS: _l("Has concerns"),
    Stance.QUESTION: _l("Question"),
    Stance.OTHER: _l("Other"),
}

PLACE_NAMES = {
    PlaceType.COMMUNITY_CENTRE: _l("Community centre"),
    PlaceType.SHELTER: _l("Shelter or crisis centre"),
    PlaceType.OFFICE: _l("The group's office"),
    PlaceType.ONLINE: _l("Online call"),
    PlaceType.OTHER: _l("Somewhere else"),
}
