"""lessons learned: a program's closing record of findings

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

NARRATIVE_FIELDS = ("area", "finding", "description", "context", "goals", "beneficiaries", "successes",
                    "challenges", "learned", "not_learned", "territory", "actors", "added_value", "effectiveness",
                    "important", "useful", "equitable", "economic", "keywords")


def upgrade():
    op.create_table(
        'lessons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        *(sa.Column(name, sa.JSON(), nullable=False) for name in NARRATIVE_FIELDS),
        sa.Column('sdgs', sa.JSON(), nullable=False),
        sa.Column('gcm_principles', sa.JSON(), nullable=False),
        sa.Column('gcm_objectives', sa.JSON(), nullable=False),
        sa.Column('countries', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('positive', 'negative')", name=op.f('ck_lessons_kind')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_lessons_program_id_programs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lessons_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
        sa.UniqueConstraint('program_id', 'code', name=op.f('uq_lessons_program_id_code')),
    )
    op.create_index(op.f('ix_lessons_program_id'), 'lessons', ['program_id'], unique=False)
    op.create_index(op.f('ix_lessons_created_by_id'), 'lessons', ['created_by_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_lessons_created_by_id'), table_name='lessons')
    op.drop_index(op.f('ix_lessons_program_id'), table_name='lessons')
    op.drop_table('lessons')
