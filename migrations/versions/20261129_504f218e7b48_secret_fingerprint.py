"""The first revision: the ballot secret's fingerprint (DESIGN §7).

The database remembers which KENES_BALLOT_SECRET it was made with, so a restore with another
secret is refused instead of letting every member vote again.

Revision ID: 504f218e7b48
Revises: (none)
Create Date: 2026-11-29 07:21:30.976524

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '504f218e7b48'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('secret_fingerprint',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_secret_fingerprint'))
    )


def downgrade():
    op.drop_table('secret_fingerprint')
