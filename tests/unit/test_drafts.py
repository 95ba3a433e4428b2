"""Sections with stable keys, and the changes between versions (issue 4)."""

from consultations.drafts import PREAMBLE_KEY, assign_keys, changes, slug, split

V1 = """Procedure for identifying and referring children.

## Purpose
The mobile group identifies children at risk.

## Referral {#referral}
Refer the child within 24 hours.

## Interview
Speak with the child in a safe room.

# Follow-up
A social worker visits after a week.
"""


def test_split_at_level_one_and_two_headings_with_a_preamble():
    parts = split(V1)
    assert [(key, title) for key, title, _ in parts] == [
        (PREAMBLE_KEY, ""),
        (None, "Purpose"),
        ("referral", "Referral"),
        (None, "Interview"),
        (None, "Follow-up"),
    ]
    assert parts[2][2] == "Refer the child within 24 hours."


def test_level_three_headings_and_code_blocks_do_not_split():
    text = "## One\nText\n### Detail\nMore\n```\n## not a heading\n```\n## Two\nEnd"
    assert [title for _, title, _ in split(text)] == ["One", "Two"]


def test_first_version_keys():
    sections = assign_keys(V1)
    assert [s.key for s in sections] == [
        PREAMBLE_KEY,
        "purpose",
        "referral",
        "interview",
        "follow-up",
    ]


def test_keys_survive_a_new_version():
    v1 = assign_keys(V1)
    v2_text = (
        V1.replace("Refer the child within 24 hours.", "Refer the child within 12 hours.")
        .replace("## Interview\nSpeak with the child in a safe room.\n", "")
        .replace("## Purpose", "## PURPOSE ")
        + "\n## Complaints\nA child may complain to the ombudsman.\n"
    )
    v2 = assign_keys(v2_text, v1)
    assert [s.key for s in v2] == [PREAMBLE_KEY, "purpose", "referral", "follow-up", "complaints"]
    found = {(c.key, c.kind) for c in changes(v1, v2)}
    assert found == {
        ("referral", "changed"),
        ("interview", "removed"),
        ("complaints", "added"),
        ("purpose", "changed"),
    }


def test_a_renamed_heading_keeps_its_key_when_the_text_is_alike():
    v1 = assign_keys("## Interview\nSpeak with the child in a safe room, with a psychologist.")
    v2 = assign_keys(
        "## Talking with the child\nSpeak with the child in a safe room, "
        "with a psychologist present.",
        v1,
    )
    assert [s.key for s in v2] == ["interview"]


def test_unrelated_new_sections_get_new_keys():
    v1 = assign_keys("## Interview\nSpeak with the child.")
    v2 = assign_keys("## Budget\nThe akimat pays for transport and food.", v1)
    assert [s.key for s in v2] == ["budget"]


def test_slugs_in_cyrillic_and_unique():
    assert slug("Баланы анықтау", []) == "баланы-анықтау"
    assert slug("Purpose", ["purpose", "purpose-2"]) == "purpose-3"
    assert slug("!!!", []) == "section"
    assert len(slug("word " * 30, [])) <= 40


def test_explicit_key_wins_and_duplicates_are_made_unique():
    sections = assign_keys("## A {#same}\nx\n## B {#same}\ny")
    assert [s.key for s in sections] == ["same", "same-2"]
