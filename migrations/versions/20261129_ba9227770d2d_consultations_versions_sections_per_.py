"""Consultations (issue 4): versions, sections per language, comments, reports, meetings.

Revision ID: ba9227770d2d
Revises: e8281fef9b7b
Create Date: 2026-11-29 08:09:19.160766

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'ba9227770d2d'
down_revision = 'e8281fef9b7b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('main_locale', sa.String(length=2), nullable=False),
    sa.Column('content_note', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('premoderation', sa.Boolean(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("main_locale IN ('kk', 'ru', 'en')", name=op.f('ck_consultation_main_locale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation')),
    sa.UniqueConstraint('public_id', name=op.f('uq_consultation_public_id'))
    )
    op.create_table('document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('changelog', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_document_version_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_version')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_document_version_consultation_id_number'))
    )
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_version_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place_type', sa.String(length=80), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_meeting_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('section_key', sa.String(length=40), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('former_member', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('show_pseudonym', sa.Boolean(), nullable=False),
    sa.Column('quotable', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=500), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.CheckConstraint("stance IN ('supports', 'concerns', 'question', 'other')", name=op.f('ck_comment_stance')),
    sa.CheckConstraint("status IN ('pending', 'visible', 'hidden', 'deleted', 'removed')", name=op.f('ck_comment_status')),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_comment_author_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_comment_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_comment_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_parent_id'), ['parent_id'], unique=False)

    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], name=op.f('fk_section_version_id_document_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_section_version_id_key'))
    )
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_version_id'), ['version_id'], unique=False)

    op.create_table('version_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_version_text_locale')),
    sa.ForeignKeyConstraint(['version_id'], ['document_version.id'], name=op.f('fk_version_text_version_id_document_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_text')),
    sa.UniqueConstraint('version_id', 'locale', name=op.f('uq_version_text_version_id_locale'))
    )
    with op.batch_alter_table('version_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_text_version_id'), ['version_id'], unique=False)

    op.create_table('comment_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('handled', sa.Boolean(), nullable=False),
    sa.CheckConstraint("reason IN ('harmful', 'identifying', 'off_topic', 'other')", name=op.f('ck_comment_report_reason')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_report_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['member.id'], name=op.f('fk_comment_report_reporter_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_report'))
    )
    with op.batch_alter_table('comment_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_report_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_report_reporter_id'), ['reporter_id'], unique=False)

    op.create_table('section_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.CheckConstraint("locale IN ('kk', 'ru', 'en')", name=op.f('ck_section_text_locale')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_section_text_section_id_section'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_text')),
    sa.UniqueConstraint('section_id', 'locale', name=op.f('uq_section_text_section_id_locale'))
    )
    with op.batch_alter_table('section_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_text_section_id'), ['section_id'], unique=False)



def downgrade():
    with op.batch_alter_table('section_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_text_section_id'))

    op.drop_table('section_text')
    with op.batch_alter_table('comment_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_report_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_comment_report_comment_id'))

    op.drop_table('comment_report')
    with op.batch_alter_table('version_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_text_version_id'))

    op.drop_table('version_text')
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_version_id'))

    op.drop_table('section')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comment_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_comment_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_comment_author_id'))

    op.drop_table('comment')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_consultation_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('document_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_version_consultation_id'))

    op.drop_table('document_version')
    op.drop_table('consultation')
