"""absence notices: a session's recording link and when those absent are sent it, one notice per person; a
questionnaire tied to its agenda slot

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-18 10:00:00.000000

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0019'
branch_labels = None
depends_on = None

MAX_NOTICE_HOURS = 720


@contextmanager
def copied_table(name):
    """Batch mode on SQLite copies the table, drops the old one and renames the copy: with foreign keys on (the app
    turns them on for every connection) the drop would delete what cascades from it (an activity's agenda and
    attendance, a questionnaire's questions and attempts). The pragma only takes effect outside a transaction, and
    the app's "begin" hook opens one on every begin, so the driver's transaction is ended and begun again around
    it (as in 0012). PostgreSQL alters the table in place."""
    raw = op.get_bind().connection.dbapi_connection if op.get_bind().dialect.name == 'sqlite' else None
    if raw is not None:
        _foreign_keys(raw, 'OFF')
    try:
        with op.batch_alter_table(name, schema=None) as batch_op:
            yield batch_op
    finally:
        if raw is not None:
            _foreign_keys(raw, 'ON')
    if raw is not None and raw.execute('PRAGMA foreign_key_check').fetchall():
        raise RuntimeError(f'{name}: the copied table breaks a foreign key')


def _foreign_keys(raw, state):
    open_transaction = raw.in_transaction
    if open_transaction:
        raw.execute('COMMIT')
    raw.execute(f'PRAGMA foreign_keys={state}')
    if open_transaction:
        raw.execute('BEGIN IMMEDIATE')


def upgrade():
    with copied_table('activities') as batch_op:
        batch_op.add_column(sa.Column('recording_link', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('absent_notice_hours', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_activities_absent_notice_hours'),
            f'absent_notice_hours IS NULL OR absent_notice_hours BETWEEN 0 AND {MAX_NOTICE_HOURS}')
    op.create_table(
        'absence_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                                name=op.f('fk_absence_notices_activity_id_activities'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_absence_notices_participant_id_participants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['message_id'], ['outbound_messages.id'],
                                name=op.f('fk_absence_notices_message_id_outbound_messages'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_absence_notices')),
        sa.UniqueConstraint('activity_id', 'participant_id',
                            name=op.f('uq_absence_notices_activity_id_participant_id')),
    )
    op.create_index(op.f('ix_absence_notices_participant_id'), 'absence_notices', ['participant_id'], unique=False)
    with copied_table('questionnaires') as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_questionnaires_agenda_item_id_agenda_items'), 'agenda_items',
                                    ['agenda_item_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_questionnaires_agenda_item_id'), ['agenda_item_id'], unique=False)


def downgrade():
    # Untying keeps each questionnaire's times; the notices sent stay in the messages.
    with copied_table('questionnaires') as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaires_agenda_item_id'))
        batch_op.drop_constraint(batch_op.f('fk_questionnaires_agenda_item_id_agenda_items'), type_='foreignkey')
        batch_op.drop_column('agenda_item_id')
    op.drop_index(op.f('ix_absence_notices_participant_id'), table_name='absence_notices')
    op.drop_table('absence_notices')
    with copied_table('activities') as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_activities_absent_notice_hours'), type_='check')
        batch_op.drop_column('absent_notice_hours')
        batch_op.drop_column('recording_link')
