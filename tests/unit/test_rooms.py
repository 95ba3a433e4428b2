"""The website's rooms (issue 10): one package per feature in `portal/web/`, wired in
`create_app`, each staff room behind the one staff guard."""

from __future__ import annotations

import ast
from pathlib import Path

import portal.web

WEB = Path(portal.web.__file__).parent
FEATURES = sorted(p.name for p in WEB.iterdir() if (p / "__init__.py").exists())
# A feature's views may use another feature's only where a page shows both: the consultation
# page and the feedback workspace show the consultation's decisions as that room renders them.
ALLOWED_CROSSINGS = {("consultations", "decisions"), ("feedback", "decisions")}


def _features_imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[:2] == ["portal", "web"] and len(parts) > 2 and parts[2] in FEATURES:
                found.add(parts[2])
    return found


def test_each_feature_is_a_package_with_its_views():
    assert FEATURES == [
        "api",
        "consultations",
        "decisions",
        "feedback",
        "feeds",
        "moderation",
        "public",
        "recommendations",
        "records",
        "search",
        "staff_accounts",
    ]
    assert all((WEB / feature / "views.py").exists() for feature in FEATURES)
    assert not [p.name for p in WEB.glob("*.py") if p.stem in ("member", "staff", "decisions")]


def test_features_reach_into_each_other_only_where_a_page_shows_both():
    crossings = {
        (feature, other)
        for feature in FEATURES
        for path in (WEB / feature).glob("*.py")
        for other in _features_imported(path)
        if other != feature
    }
    assert crossings == ALLOWED_CROSSINGS


def test_every_staff_room_has_the_staff_guard(app):
    staff_rooms = {
        name: blueprint
        for name, blueprint in app.blueprints.items()
        if (blueprint.url_prefix or "").startswith("/staff")
    }
    assert set(staff_rooms) == {
        "staff_accounts",
        "staff_consultations",
        "staff_decisions",
        "feedback",
        "moderation",
        "staff_records",
        "staff_recommendations",
    }
    for name in staff_rooms:
        guards = [f.__name__ for f in app.before_request_funcs.get(name, [])]
        assert guards == ["_staff_only"], name
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff"):
            assert rule.endpoint.split(".")[0] in staff_rooms, rule.rule


def test_blueprint_names_match_what_they_serve(app):
    prefixes = {name: bp.url_prefix for name, bp in app.blueprints.items()}
    assert prefixes == {
        "public": None,
        "api": "/api/v1",
        "auth": "/auth",
        "account": "/account",
        "consultations": "/consultations",
        "decisions": "/consultations",
        "staff_accounts": "/staff",
        "staff_consultations": "/staff/consultations",
        "staff_decisions": "/staff/consultations",
        "feedback": "/staff/consultations",
        "feeds": "/feeds",
        "moderation": "/staff/moderation",
        "records": "/records",
        "recommendations": "/recommendations",
        "search": "/search",
        "staff_records": "/staff/records",
        "staff_recommendations": "/staff/recommendations",
    }
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("decisions.", "staff_decisions.")):
            assert "/decisions" in rule.rule, rule.rule
        if rule.endpoint.startswith("feedback."):
            assert "/feedback" in rule.rule, rule.rule


def test_template_filters_are_registered_by_create_app_itself(app):
    assert app.jinja_env.filters["almaty"].__module__ == "portal.web.fields"
