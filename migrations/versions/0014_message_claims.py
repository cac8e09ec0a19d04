"""message claims: when a sender claimed a message, how many times it was tried, and the status "uncertain"

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-16 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

STATUSES_0002 = ('queued', 'sending', 'sent', 'outbox', 'failed')
STATUSES = (*STATUSES_0002, 'uncertain')


def _listed(statuses):
    return f"status IN ({', '.join(repr(status) for status in statuses)})"


def upgrade():
    # Nothing refers to outbound_messages, so SQLite's batch copy of the table (foreign keys on) deletes nothing.
    # A message left "sending" before this revision has no claimed_at: recovery reads that as a lapsed claim.
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_constraint(batch_op.f('ck_outbound_messages_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbound_messages_status'), _listed(STATUSES))
        batch_op.create_index('ix_outbound_messages_status_claimed', ['status', 'claimed_at'], unique=False)


def downgrade():
    # The old CHECK has no "uncertain": such messages become failed, their note kept.
    op.execute("UPDATE outbound_messages SET status = 'failed' WHERE status = 'uncertain'")
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbound_messages_status_claimed')
        batch_op.drop_constraint(batch_op.f('ck_outbound_messages_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbound_messages_status'), _listed(STATUSES_0002))
        batch_op.drop_column('attempts')
        batch_op.drop_column('claimed_at')
