"""How fresh public advice is, for the rooms that serve it (the records, the register, the
feeds, the API): `Last-Modified` is the newest change to any of it — a publication,
correction, redaction, withdrawal or status change, read from the outbox — and each copy must
be revalidated (`portal.security.headers.always_revalidate`: `no-cache`, an ETag, `304`)."""

from __future__ import annotations

from flask import session
from werkzeug.wrappers import Response

from consultations.services import publishing
from portal.extensions import db
from portal.security.headers import always_revalidate


def revalidated(response: Response) -> Response:
    """An `after_request`: Last-Modified, then the revalidation headers and a 304 if due. A
    signed-in reader's pages are not stored at all (no-store), so they are spared the query."""
    if response.status_code == 200 and not session:
        changed = publishing.last_change(db.session)
        if changed is not None:
            response.last_modified = changed
    return always_revalidate(response)
