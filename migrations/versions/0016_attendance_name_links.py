"""attendance name links: a report name a reviewer linked to a registrant, remembered for the program's sessions

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 23:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    # One link per folded name and program; a participant's deletion takes their links with it.
    op.create_table('attendance_name_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_attendance_name_links_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_attendance_name_links_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_attendance_name_links_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_name_links')),
    sa.UniqueConstraint('program_id', 'name_key', name=op.f('uq_attendance_name_links_program_id_name_key'))
    )
    with op.batch_alter_table('attendance_name_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_name_links_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_name_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_name_links_participant_id'))

    op.drop_table('attendance_name_links')