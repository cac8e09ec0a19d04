"""read-only tokens of the portfolio's feed

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 06:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'feed_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('program_ids', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_feed_tokens_created_by_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash')),
    )
    op.create_index(op.f('ix_feed_tokens_created_by_id'), 'feed_tokens', ['created_by_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_feed_tokens_created_by_id'), table_name='feed_tokens')
    op.drop_table('feed_tokens')
