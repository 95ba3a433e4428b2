"""What citing shares across the rooms (issue 13): the formats a record's revision or a
recommendation is cited in, at stable addresses, and the response that carries one."""

from __future__ import annotations

from flask import Response

from consultations import citations

# Each format's media type; every one of them is UTF-8.
CITATION_FORMATS = {
    "txt": ("text/plain", lambda item: citations.plain(item) + "\n"),
    "bib": ("application/x-bibtex", citations.bibtex),
    "ris": ("application/x-research-info-systems", citations.ris),
    "json": ("application/vnd.citationstyles.csl+json", citations.csl_json),
}
PUBLISHER = "Kenes"


def citation_response(item: citations.Citable, fmt: str) -> Response:
    """One citation in one format (`fmt` one of CITATION_FORMATS)."""
    media_type, write = CITATION_FORMATS[fmt]
    return Response(
        write(item),
        content_type=f"{media_type}; charset=utf-8",
        # Plain text opens in the browser; the others are files for a reference manager.
        headers={
            "Content-Disposition": f"{'inline' if fmt == 'txt' else 'attachment'}; "
            f'filename="{item.key}.{fmt}"'
        },
    )
