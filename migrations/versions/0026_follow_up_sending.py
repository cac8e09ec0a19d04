"""the follow-up survey's sending: who has been sent it, and the day personal links count their grace from

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


# Neither direction rebuilds the programs table (a batch rebuild on SQLite drops the old table, which would cascade
# to everything a program holds): a plain ADD COLUMN and DROP COLUMN (SQLite 3.35+, PostgreSQL).


def upgrade():
    op.add_column('programs', sa.Column('follow_up_until', sa.Date(), nullable=True))
    op.create_table(
        'follow_ups_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_follow_ups_sent_participant_id_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'],
                                name=op.f('fk_follow_ups_sent_questionnaire_id_questionnaires'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups_sent')),
        sa.UniqueConstraint('questionnaire_id', 'participant_id',
                            name=op.f('uq_follow_ups_sent_questionnaire_id_participant_id')),
    )
    op.create_index(op.f('ix_follow_ups_sent_participant_id'), 'follow_ups_sent', ['participant_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_follow_ups_sent_participant_id'), table_name='follow_ups_sent')
    op.drop_table('follow_ups_sent')
    op.execute('ALTER TABLE programs DROP COLUMN follow_up_until')
