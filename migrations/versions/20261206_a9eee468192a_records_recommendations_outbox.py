"""Issue 12: advisory records and their revisions and quotes, the recommendation register with
its addressees, regions and status history, the outbox, and the public number counters.

New tables only: nothing existing changes. No column of a record or recommendation table can
reach a comment or a member.

Revision ID: a9eee468192a
Revises: 7b99e05f98ae
Create Date: 2026-12-06 14:49:52.797628

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9eee468192a'
down_revision = '7b99e05f98ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('addressee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_kk', sa.String(length=300), nullable=False),
    sa.Column('name_ru', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addressee'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('publish', 'correct', 'redact', 'withdraw', 'status', 'edit')", name=op.f('ck_outbox_action')),
    sa.CheckConstraint("kind IN ('record', 'recommendation')", name=op.f('ck_outbox_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_number'), ['number'], unique=False)

    op.create_table('public_number',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('record', 'recommendation')", name=op.f('ck_public_number_kind')),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_public_number'))
    )
    op.create_table('advisory_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('translation_of_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_advisory_record_locale')),
    sa.CheckConstraint('(number IS NULL) = (serial IS NULL)', name=op.f('ck_advisory_record_numbered')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_advisory_record_consultation_id_consultation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['translation_of_id'], ['advisory_record.id'], name=op.f('fk_advisory_record_translation_of_id_advisory_record'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_record')),
    sa.UniqueConstraint('number', name=op.f('uq_advisory_record_number')),
    sa.UniqueConstraint('year', 'serial', name=op.f('uq_advisory_record_year_serial'))
    )
    with op.batch_alter_table('advisory_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_record_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisory_record_translation_of_id'), ['translation_of_id'], unique=False)

    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('addressee_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_recommendation_locale')),
    sa.CheckConstraint("priority IN ('high', 'medium', 'low')", name=op.f('ck_recommendation_priority')),
    sa.CheckConstraint("status IN ('proposed', 'submitted', 'accepted', 'partially_accepted', 'rejected', 'implemented', 'withdrawn')", name=op.f('ck_recommendation_status')),
    sa.CheckConstraint('(published_at IS NULL) = (number IS NULL) AND (number IS NULL) = (serial IS NULL)', name=op.f('ck_recommendation_numbered_when_published')),
    sa.ForeignKeyConstraint(['addressee_id'], ['addressee.id'], name=op.f('fk_recommendation_addressee_id_addressee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation')),
    sa.UniqueConstraint('number', name=op.f('uq_recommendation_number')),
    sa.UniqueConstraint('year', 'serial', name=op.f('uq_recommendation_year_serial'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_addressee_id'), ['addressee_id'], unique=False)

    op.create_table('recommendation_region',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=24), nullable=False),
    sa.CheckConstraint("region IN ('national', 'astana', 'almaty_city', 'shymkent', 'abai', 'akmola', 'aktobe', 'almaty_region', 'atyrau', 'east_kazakhstan', 'jambyl', 'jetisu', 'karaganda', 'kostanay', 'kyzylorda', 'mangystau', 'north_kazakhstan', 'pavlodar', 'turkestan', 'ulytau', 'west_kazakhstan')", name=op.f('ck_recommendation_region_region')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_region_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'region', name=op.f('pk_recommendation_region'))
    )
    op.create_table('recommendation_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence', sa.String(length=2000), nullable=False),
    sa.CheckConstraint("status IN ('proposed', 'submitted', 'accepted', 'partially_accepted', 'rejected', 'implemented', 'withdrawn')", name=op.f('ck_recommendation_status_status')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_status_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_status'))
    )
    with op.batch_alter_table('recommendation_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_status_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('record_recommendation',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_record_recommendation_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['advisory_record.id'], name=op.f('fk_record_recommendation_record_id_advisory_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'recommendation_id', name=op.f('pk_record_recommendation'))
    )
    with op.batch_alter_table('record_recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_recommendation_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('record_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('changelog', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['advisory_record.id'], name=op.f('fk_record_revision_record_id_advisory_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_revision')),
    sa.UniqueConstraint('record_id', 'number', name=op.f('uq_record_revision_record_id_number'))
    )
    with op.batch_alter_table('record_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_revision_record_id'), ['record_id'], unique=False)

    op.create_table('record_quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('section', sa.String(length=300), nullable=False),
    sa.Column('redacted_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['revision_id'], ['record_revision.id'], name=op.f('fk_record_quote_revision_id_record_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_quote')),
    sa.UniqueConstraint('revision_id', 'position', name=op.f('uq_record_quote_revision_id_position'))
    )
    with op.batch_alter_table('record_quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_quote_revision_id'), ['revision_id'], unique=False)



def downgrade():
    with op.batch_alter_table('record_quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_quote_revision_id'))

    op.drop_table('record_quote')
    with op.batch_alter_table('record_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_revision_record_id'))

    op.drop_table('record_revision')
    with op.batch_alter_table('record_recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_recommendation_recommendation_id'))

    op.drop_table('record_recommendation')
    with op.batch_alter_table('recommendation_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_status_recommendation_id'))

    op.drop_table('recommendation_status')
    op.drop_table('recommendation_region')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_addressee_id'))

    op.drop_table('recommendation')
    with op.batch_alter_table('advisory_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_record_translation_of_id'))
        batch_op.drop_index(batch_op.f('ix_advisory_record_consultation_id'))

    op.drop_table('advisory_record')
    op.drop_table('public_number')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_number'))

    op.drop_table('outbox')
    op.drop_table('addressee')
