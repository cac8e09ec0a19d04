"""online registration: delegations' shareable form links and the registration requests waiting for moderation

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 06:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'registration_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delegation_id', sa.Integer(), nullable=False),
        sa.Column('salt', sa.String(length=64), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'],
                                name=op.f('fk_registration_links_delegation_id_delegations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_registration_links_created_by_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_registration_links_token_hash')),
    )
    op.create_index(op.f('ix_registration_links_delegation_id'), 'registration_links', ['delegation_id'],
                    unique=False)
    op.create_table(
        'registration_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('delegation_id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('given_names', sa.String(length=120), nullable=False),
        sa.Column('family_names', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('email_key', sa.String(length=254), nullable=False),
        sa.Column('position', sa.String(length=200), nullable=False),
        sa.Column('institution', sa.String(length=200), nullable=False),
        sa.Column('gender', sa.String(length=12), nullable=False),
        sa.Column('profile', sa.String(length=30), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('submitted_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'rejected')", name=op.f('ck_registration_requests_status')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'],
                                name=op.f('fk_registration_requests_program_id_programs'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'],
                                name=op.f('fk_registration_requests_delegation_id_delegations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['link_id'], ['registration_links.id'],
                                name=op.f('fk_registration_requests_link_id_registration_links'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['submitted_by'], ['users.id'],
                                name=op.f('fk_registration_requests_submitted_by_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by'], ['users.id'],
                                name=op.f('fk_registration_requests_decided_by_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_requests')),
    )
    op.create_index(op.f('ix_registration_requests_program_id'), 'registration_requests', ['program_id'],
                    unique=False)
    op.create_index(op.f('ix_registration_requests_delegation_id'), 'registration_requests', ['delegation_id'],
                    unique=False)
    op.create_index('ix_registration_requests_pending_email', 'registration_requests', ['program_id', 'email_key'],
                    unique=True, sqlite_where=sa.text("status = 'pending'"),
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    op.drop_index('ix_registration_requests_pending_email', table_name='registration_requests')
    op.drop_index(op.f('ix_registration_requests_delegation_id'), table_name='registration_requests')
    op.drop_index(op.f('ix_registration_requests_program_id'), table_name='registration_requests')
    op.drop_table('registration_requests')
    op.drop_index(op.f('ix_registration_links_delegation_id'), table_name='registration_links')
    op.drop_table('registration_links')
