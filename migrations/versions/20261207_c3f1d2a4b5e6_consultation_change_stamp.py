"""Issue 15: a consultation's change stamp.

`consultation.change_stamp` takes a new random value in the transaction of every change that
alters what its page shows alike to every reader (a comment written, edited, deleted, hidden,
approved or removed, a version published, a decision or the consultation changed, a member
erased or renamed: consultations/changes.py). A page's rendered parts are kept under it
(portal/web/consultations/fragments.py): read in the page's first query, it tells every worker
on every host that a part is stale. Random rather than counted, so a database restored from a
backup, whose next changes would count the same numbers again, can never meet a part kept for
another state. It says nothing of who changed what, or when.

Revision ID: c3f1d2a4b5e6
Revises: a9eee468192a
Create Date: 2026-12-06 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1d2a4b5e6'
down_revision = 'a9eee468192a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('change_stamp', sa.BigInteger(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('change_stamp')
