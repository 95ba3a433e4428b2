"""Issue 9: recompute every member's pseudonym key with the wider look-alike groups.

The skeleton now also unites letters that share a multi-character prototype (Kazakh ө and
the fita ѳ) and Cyrillic letters that pass for Kazakh ones (ӄ, ӈ, ӊ, ԩ, ӻ), so keys of
names with such letters change (ө, ғ, ұ, ҫ …). Two existing members whose new keys collide
both keep their accounts: the later one's key gets its id appended, which no typed name can
produce, so neither can be impersonated by a third look-alike.

Uses the code's `skeleton` as it is at upgrade time. Downgrading keeps the new keys: they are
a stricter comparison, and the old one cannot be recomputed here.

Revision ID: 2f6b8c0d9e15
Revises: 7c1e5a9d3b42
Create Date: 2026-12-05 10:30:00

"""
import sqlalchemy as sa
from alembic import op

from consultations.pseudonyms import skeleton


# revision identifiers, used by Alembic.
revision = '2f6b8c0d9e15'
down_revision = '7c1e5a9d3b42'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    member = sa.table(
        'member', sa.column('id', sa.Integer), sa.column('pseudonym', sa.String),
        sa.column('pseudonym_key', sa.String),
    )
    rows = connection.execute(sa.select(member.c.id, member.c.pseudonym).order_by(member.c.id)).all()
    wanted, seen = {}, set()
    for member_id, pseudonym in rows:
        key = skeleton(pseudonym)
        if key in seen:
            key = f"{key}#{member_id}"
        seen.add(key)
        wanted[member_id] = key
    # Park every key first: the unique index must never see two rows with one key mid-way.
    for member_id in wanted:
        connection.execute(
            member.update().where(member.c.id == member_id).values(pseudonym_key=f"#{member_id}")
        )
    for member_id, key in wanted.items():
        connection.execute(
            member.update().where(member.c.id == member_id).values(pseudonym_key=key)
        )


def downgrade():
    pass
