"""jobs for the task queue's worker, and the worker's heartbeat

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=80), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('error', sa.String(length=500), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_jobs_status')),
        sa.CheckConstraint('done >= 0', name=op.f('ck_jobs_done')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_jobs_created_by_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_jobs_program_id_programs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    op.create_index(op.f('ix_jobs_program_id'), 'jobs', ['program_id'], unique=False)
    op.create_index('ix_jobs_status_updated', 'jobs', ['status', 'updated_at'], unique=False)
    op.create_index('uq_jobs_active', 'jobs', ['kind', 'program_id', 'key'], unique=True,
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    op.create_table(
        'worker_beats',
        sa.Column('worker', sa.String(length=100), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('worker', name=op.f('pk_worker_beats')),
    )


def downgrade():
    op.drop_table('worker_beats')
    op.drop_index('uq_jobs_active', table_name='jobs')
    op.drop_index('ix_jobs_status_updated', table_name='jobs')
    op.drop_index(op.f('ix_jobs_program_id'), table_name='jobs')
    op.drop_table('jobs')
