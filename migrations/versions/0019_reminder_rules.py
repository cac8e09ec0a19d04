"""automatic reminders before a questionnaire closes, and who has had each

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-06 00:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reminder_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('hours_before', sa.Integer(), nullable=False),
        sa.Column('audience', sa.String(length=15), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('hours_before BETWEEN 1 AND 720', name=op.f('ck_reminder_rules_hours_before')),
        sa.CheckConstraint("audience IN ('not_started', 'unfinished')", name=op.f('ck_reminder_rules_audience')),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'],
                                name=op.f('fk_reminder_rules_questionnaire_id_questionnaires'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_rules')),
        sa.UniqueConstraint('questionnaire_id', 'hours_before',
                            name=op.f('uq_reminder_rules_questionnaire_id_hours_before')),
    )
    op.create_index(op.f('ix_reminder_rules_questionnaire_id'), 'reminder_rules', ['questionnaire_id'], unique=False)
    op.create_table(
        'reminders_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_reminders_sent_participant_id_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['rule_id'], ['reminder_rules.id'], name=op.f('fk_reminders_sent_rule_id_reminder_rules'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
        sa.UniqueConstraint('rule_id', 'participant_id', name=op.f('uq_reminders_sent_rule_id_participant_id')),
    )
    op.create_index(op.f('ix_reminders_sent_participant_id'), 'reminders_sent', ['participant_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_reminders_sent_participant_id'), table_name='reminders_sent')
    op.drop_table('reminders_sent')
    op.drop_index(op.f('ix_reminder_rules_questionnaire_id'), table_name='reminder_rules')
    op.drop_table('reminder_rules')
