"""Issue 13, acceptance 5: every `curl` example in `docs/api.md` is run against the app holding
the portal the document describes (one record, one recommendation), and what the document
shows is what the API answers. SQLite only: the examples show ids as a fresh database counts
them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.record_fixtures import published_record

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
EXAMPLE = re.compile(r"```console\n\$ curl -s '([^']+)'\n(.*?)\n```", re.S)


def test_the_documented_examples_answer_what_they_show(app, client):
    published_record(app)
    examples = EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 5
    for url, shown in examples:
        path = url.removeprefix("http://localhost")
        assert path.startswith("/api/v1/"), url
        response = client.get(path)
        assert response.content_type == "application/json", url
        assert response.get_json() == json.loads(shown), url
