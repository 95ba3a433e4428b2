"""The one direction of the house: `consultations` never imports Flask, Werkzeug or `portal`."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import StatementError

import consultations
from consultations.drafts import Change
from consultations.models import (
    CommentStatus,
    DecisionKind,
    DecisionStatus,
    ProposalAnswer,
    Role,
    Stance,
    Status,
)
from portal.accounts.models.auth_session import Stage

FORBIDDEN = ("flask", "flask_", "werkzeug", "portal")
DOMAIN = Path(consultations.__file__).parent


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            names.extend(a.value for a in node.args if isinstance(a, ast.Constant))
    return names


def _forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in ("flask", "werkzeug", "portal") or top.startswith("flask_")


def test_domain_imports_nothing_of_the_website():
    offences = [
        f"{path.relative_to(DOMAIN.parent)} imports {module}"
        for path in sorted(DOMAIN.rglob("*.py"))
        for module in _imported_modules(path)
        if _forbidden(module)
    ]
    assert offences == []


def test_the_check_catches_an_offence(tmp_path):
    offender = tmp_path / "offender.py"
    offender.write_text(
        "import flask_login\nfrom werkzeug import Request\nfrom portal.app import x\n"
        "import sqlalchemy\n",
        encoding="utf-8",
    )
    found = [m for m in _imported_modules(offender) if _forbidden(m)]
    assert found == ["flask_login", "werkzeug", "portal.app"]


def _sources() -> dict[str, str]:
    root = Path(__file__).resolve().parents[2]
    found = {}
    for folder, pattern in (("portal", "*.py"), ("consultations", "*.py"), ("templates", "*.html")):
        for path in (root / folder).rglob(pattern):
            found[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    return found


def test_each_fact_is_written_once():
    """Issue 10: the language set was spelled in ten places, the comment limit in five, the
    stance list in three. Each is now defined once and imported everywhere else."""
    sources = _sources()

    def where(pattern: str) -> list[str]:
        return sorted(path for path, text in sources.items() if re.search(pattern, text))

    assert where(r"""["']kk["'],\s*["']ru["'],\s*["']en["']""") == ["consultations/languages.py"]
    assert where(r"""["']supports["']""") == ["consultations/models/comment.py"]
    # "question" is also a decision's field: the stance list is "concerns" next to "question".
    assert where(r"""["']concerns["']|["']question["'],\s*["']other["']""") == [
        "consultations/models/comment.py"
    ]
    assert where(r"MAX_COMMENT_CHARS\s*=") == ["consultations/models/comment.py"]
    assert where(r'5,000 characters|maxlength="5000"') == []


def test_no_status_kind_or_role_is_compared_as_a_raw_string():
    """Issue 10: enum columns are typed with their enums (`consultations.db.EnumText`), and
    code and templates compare members (`CommentStatus.PENDING`), never the strings they are
    stored as: a renamed value must fail where it is used, not silently compare unequal."""
    enum_values = "|".join(
        sorted(
            {
                member.value
                for enum in (CommentStatus, Status, DecisionKind, DecisionStatus, Role, Stance)
                for member in enum
            }
            | {member.value for member in ProposalAnswer}
            | {member.value for member in Change}
            | {member.value for member in Stage}
        )
    )
    compared = re.compile(
        r"\b(status|kind|role|stance|stage|code)\b[\"']?\)?\]?\s*(==|!=)\s*[\"']("
        + enum_values
        + r")[\"']"
    )
    assert compared.search('{%- if comment.status == "pending" %}')
    assert compared.search("if decision.kind != 'ranked':")
    assert compared.search('if entry["kind"] == "multiple" else')
    assert not compared.search("comment.status == CommentStatus.PENDING")
    offences = [
        f"{path}: {match.group(0)}"
        for path, text in _sources().items()
        for match in compared.finditer(text)
    ]
    assert offences == []


def test_enum_columns_read_back_as_their_enums(db_session):
    from consultations.models import Member

    member = Member(
        pseudonym="Typed Column",
        pseudonym_key="typed column",
        locale="kk",
        created_on=date(2026, 6, 10),
        ballot_token="t" * 43,
    )
    db_session.add(member)
    db_session.flush()
    db_session.expire(member)
    assert member.role is Role.MEMBER
    member.role = "chief"  # type: ignore[assignment]
    with pytest.raises(StatementError, match="'chief' is not a valid Role"):
        db_session.flush()
    db_session.rollback()
