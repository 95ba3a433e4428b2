"""Issue 9: a decision's minimum number of ballots for counts; a used invite is deleted.

- `decision.min_ballots` (default 5): no count is shown, live or final, below it.
- `invite.used` goes: redeeming an invite now deletes it in the transaction that creates the
  account, so no row — not even a dead one on PostgreSQL — ties the invite to the account.
  Invites already used are deleted here.

Revision ID: 7c1e5a9d3b42
Revises: a3d28617ac07
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c1e5a9d3b42'
down_revision = 'a3d28617ac07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_ballots', sa.Integer(), server_default='5', nullable=False))
        batch_op.create_check_constraint('min_ballots', 'min_ballots >= 1')
    op.execute("DELETE FROM invite WHERE used")
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('used')


def downgrade():
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('used', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint('min_ballots', type_='check')
        batch_op.drop_column('min_ballots')
