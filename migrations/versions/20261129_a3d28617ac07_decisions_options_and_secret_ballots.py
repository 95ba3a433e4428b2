"""Decisions and secret ballots (issue 5): decision, decision_option, ballot.

`ballot` holds no member reference, no time and no integer id; on SQLite it is WITHOUT ROWID,
so not even a hidden rowid counts insertions.

Revision ID: a3d28617ac07
Revises: ba9227770d2d
Create Date: 2026-11-29 10:05:32.085850

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a3d28617ac07'
down_revision = 'ba9227770d2d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=12), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=True),
    sa.Column('live_results', sa.Boolean(), nullable=False),
    sa.Column('electorate', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('proposal', 'single', 'multiple', 'ranked')", name=op.f('ck_decision_kind')),
    sa.CheckConstraint('max_choices IS NULL OR max_choices >= 1', name=op.f('ck_decision_max_choices')),
    sa.CheckConstraint('quorum IS NULL OR quorum >= 1', name=op.f('ck_decision_quorum')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_decision_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('public_id', name=op.f('uq_decision_public_id'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('ballot',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('ballot_key', sa.String(length=64), nullable=False),
    sa.Column('choices', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_ballot_decision_id_decision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'ballot_key', name=op.f('pk_ballot')),
    sqlite_with_rowid=False
    )
    op.create_table('decision_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.CheckConstraint("code IS NULL OR code IN ('agree', 'disagree', 'abstain')", name=op.f('ck_decision_option_code')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_option_decision_id_decision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_option')),
    sa.UniqueConstraint('decision_id', 'position', name=op.f('uq_decision_option_decision_id_position'))
    )
    with op.batch_alter_table('decision_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_option_decision_id'), ['decision_id'], unique=False)



def downgrade():
    with op.batch_alter_table('decision_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_option_decision_id'))

    op.drop_table('decision_option')
    op.drop_table('ballot')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_consultation_id'))

    op.drop_table('decision')
