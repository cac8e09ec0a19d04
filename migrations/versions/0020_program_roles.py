"""roles per program: today's accounts become program grants; users.role and users.country_code go

Revision ID: 0020
Revises: 0023
Create Date: 2026-12-06 06:40:00.000000

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0023'
branch_labels = None
depends_on = None

ROLES = "role IN ('admin', 'focal_point', 'organizer', 'facilitator')"
FOCAL_POINT_COUNTRY = ("(role = 'focal_point' AND country_code IS NOT NULL AND program_id IS NOT NULL)"
                       " OR (role != 'focal_point' AND country_code IS NULL)")


@contextmanager
def copied_table(name):
    """Batch mode on SQLite copies the table, drops the old one and renames the copy: with foreign keys on (the app
    turns them on for every connection) dropping users would delete every program role and empty the audit log's,
    lists' and certificates' references to staff. The pragma only takes effect outside a transaction (as in 0018).
    PostgreSQL alters the table in place."""
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
    op.create_table(
        'program_roles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=True),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('country_code', sa.String(length=2), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(ROLES, name=op.f('ck_program_roles_role')),
        sa.CheckConstraint(FOCAL_POINT_COUNTRY, name=op.f('ck_program_roles_focal_point_country')),
        sa.CheckConstraint("role != 'admin' OR program_id IS NULL",
                           name=op.f('ck_program_roles_secretariat_every_program')),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_roles_program_id_programs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_program_roles_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_roles')),
        sa.UniqueConstraint('user_id', 'program_id', name=op.f('uq_program_roles_user_id_program_id')),
    )
    op.create_index(op.f('ix_program_roles_user_id'), 'program_roles', ['user_id'], unique=False)
    op.create_index(op.f('ix_program_roles_program_id'), 'program_roles', ['program_id'], unique=False)
    op.create_index('uq_program_roles_every_program', 'program_roles', ['user_id'], unique=True,
                    sqlite_where=sa.text('program_id IS NULL'), postgresql_where=sa.text('program_id IS NULL'))
    # What each account sees now, as grants: the secretariat, organizers and facilitators in every program (as
    # today, programs created later included); a focal point of C in each program where C has a delegation.
    op.execute("INSERT INTO program_roles (user_id, program_id, role, country_code, created_at)"
               " SELECT id, NULL, role, NULL, CURRENT_TIMESTAMP FROM users WHERE role != 'focal_point'")
    op.execute("INSERT INTO program_roles (user_id, program_id, role, country_code, created_at)"
               " SELECT users.id, delegations.program_id, 'focal_point', users.country_code, CURRENT_TIMESTAMP"
               " FROM users JOIN delegations ON delegations.country_code = users.country_code"
               " WHERE users.role = 'focal_point'")
    with copied_table('users') as batch_op:
        batch_op.drop_constraint(op.f('ck_users_focal_point_country'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_role'), type_='check')
        batch_op.drop_column('country_code')
        batch_op.drop_column('role')


def downgrade():
    with copied_table('users') as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('country_code', sa.String(length=2), nullable=True))
    # One role per account again: the secretariat's, else a focal point's (of their first grant's country), else
    # an organizer's, else a facilitator's (an account with no grant at all keeps the least: facilitator).
    op.execute("UPDATE users SET role = 'admin' WHERE id IN"
               " (SELECT user_id FROM program_roles WHERE role = 'admin')")
    op.execute("UPDATE users SET role = 'focal_point', country_code = (SELECT country_code FROM program_roles"
               " WHERE program_roles.user_id = users.id AND role = 'focal_point' ORDER BY id LIMIT 1)"
               " WHERE role IS NULL AND id IN (SELECT user_id FROM program_roles WHERE role = 'focal_point')")
    op.execute("UPDATE users SET role = 'organizer' WHERE role IS NULL AND id IN"
               " (SELECT user_id FROM program_roles WHERE role = 'organizer')")
    op.execute("UPDATE users SET role = 'facilitator' WHERE role IS NULL")
    with copied_table('users') as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(op.f('ck_users_role'), ROLES)
        batch_op.create_check_constraint(op.f('ck_users_focal_point_country'),
                                         "role != 'focal_point' OR country_code IS NOT NULL")
    op.drop_index('uq_program_roles_every_program', table_name='program_roles')
    op.drop_index(op.f('ix_program_roles_program_id'), table_name='program_roles')
    op.drop_index(op.f('ix_program_roles_user_id'), table_name='program_roles')
    op.drop_table('program_roles')
