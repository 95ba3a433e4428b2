"""Issue 11: every field a reader sees in three languages; a meeting's place from a fixed list.

- `consultation_translation`, `version_translation`, `decision_translation`,
  `decision_option_translation`: a title, summary, content note, changelog, question,
  explanation or option label in the languages other than the consultation's main one, which
  stays on the row itself (so nothing moves: existing rows are their main language's text).
- `meeting.place_type` becomes one of a fixed list of kinds of place, named in each reader's
  language: free text could name the shelter or village the members who attended live in.
  What staff wrote is mapped by its words (community centre / shelter / office / online, in
  English, Russian or Kazakh), anything else to `other`; downgrading writes the kind's English
  name back.

Revision ID: 4e2ea5046ad0
Revises: 2f6b8c0d9e15
Create Date: 2026-12-06 14:21:06.575198

"""
from alembic import op
import sqlalchemy as sa

# In this order: a "crisis centre" is a shelter before it is a centre.
PLACE_WORDS = {
    "shelter": ("shelter", "приют", "убежищ", "кризисн", "баспана"),
    "online": ("online", "онлайн", "zoom", "call", "звон", "видео"),
    "office": ("office", "офис", "кеңсе"),
    "community_centre": ("community", "общин", "қоғам", "центр", "орталы"),
}
PLACE_NAMES = {
    "community_centre": "Community centre",
    "shelter": "Shelter",
    "office": "Office",
    "online": "Online call",
    "other": "Other",
}


def _place_type(text):
    folded = text.casefold()
    for kind, words in PLACE_WORDS.items():
        if any(word in folded for word in words):
            return kind
    return "other"


def _rewrite_places(name_of):
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, place_type FROM meeting")).all()
    for meeting_id, place in rows:
        connection.execute(
            sa.text("UPDATE meeting SET place_type = :place WHERE id = :id"),
            {"place": name_of(place), "id": meeting_id},
        )


# revision identifiers, used by Alembic.
revision = '4e2ea5046ad0'
down_revision = '2f6b8c0d9e15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('content_note', sa.Text(), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_consultation_translation_locale')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_translation_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_translation')),
    sa.UniqueConstraint('consultation_id', 'locale', name=op.f('uq_consultation_translation_consultation_id_locale'))
    )
    with op.batch_alter_table('consultation_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_translation_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('decision_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_decision_translation_locale')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_translation_decision_id_decision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_translation')),
    sa.UniqueConstraint('decision_id', 'locale', name=op.f('uq_decision_translation_decision_id_locale'))
    )
    with op.batch_alter_table('decision_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_translation_decision_id'), ['decision_id'], unique=False)

    op.create_table('version_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('changelog', sa.Text(), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_version_translation_locale')),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], name=op.f('fk_version_translation_version_id_document_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_translation')),
    sa.UniqueConstraint('version_id', 'locale', name=op.f('uq_version_translation_version_id_locale'))
    )
    with op.batch_alter_table('version_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_translation_version_id'), ['version_id'], unique=False)

    op.create_table('decision_option_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_decision_option_translation_locale')),
    sa.ForeignKeyConstraint(['option_id'], ['decision_option.id'], name=op.f('fk_decision_option_translation_option_id_decision_option'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_option_translation')),
    sa.UniqueConstraint('option_id', 'locale', name=op.f('uq_decision_option_translation_option_id_locale'))
    )
    with op.batch_alter_table('decision_option_translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_option_translation_option_id'), ['option_id'], unique=False)

    _rewrite_places(_place_type)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'place_type', "place_type IN ('community_centre', 'shelter', 'office', 'online', 'other')"
        )


def downgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint('place_type', type_='check')
    _rewrite_places(lambda kind: PLACE_NAMES.get(kind, kind))
    with op.batch_alter_table('decision_option_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_option_translation_option_id'))

    op.drop_table('decision_option_translation')
    with op.batch_alter_table('version_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_translation_version_id'))

    op.drop_table('version_translation')
    with op.batch_alter_table('decision_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_translation_decision_id'))

    op.drop_table('decision_translation')
    with op.batch_alter_table('consultation_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_translation_consultation_id'))

    op.drop_table('consultation_translation')
