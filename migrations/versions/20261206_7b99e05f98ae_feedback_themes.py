"""Issue 12: themes staff code a consultation's feedback into, and the comments tagged with each.

New tables only: nothing existing changes.

Revision ID: 7b99e05f98ae
Revises: 4e2ea5046ad0
Create Date: 2026-12-06 14:40:59.429824

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b99e05f98ae'
down_revision = '4e2ea5046ad0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_theme_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme')),
    sa.UniqueConstraint('consultation_id', 'name', name=op.f('uq_theme_consultation_id_name'))
    )
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('comment_theme',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_theme_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_comment_theme_theme_id_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'theme_id', name=op.f('pk_comment_theme'))
    )
    with op.batch_alter_table('comment_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_theme_theme_id'), ['theme_id'], unique=False)



def downgrade():
    with op.batch_alter_table('comment_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_theme_theme_id'))

    op.drop_table('comment_theme')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_consultation_id'))

    op.drop_table('theme')
