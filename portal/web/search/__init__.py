"""The public search (`/search`): published records and recommendations, in any of the three
languages (issue 14; the index itself is `consultations.search`)."""
