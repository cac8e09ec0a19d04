"""gender and profile may be 'not_recorded'; participants are found across programs by e-mail

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-06 06:40:00.000000

"""
from contextlib import contextmanager

from alembic import op

revision = '0021'
down_revision = '0018'
branch_labels = None
depends_on = None

GENDERS = ('female', 'male', 'other', 'undisclosed')
PROFILES = ('employment_counselor', 'labor_inspector', 'employer_liaison', 'tvet_representative',
            'recognition_official', 'other')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


@contextmanager
def copied_table(name):
    """Batch mode on SQLite copies the table, drops the old one and renames the copy: with foreign keys on (the app
    turns them on for every connection) dropping participants would cascade to their attendance, answers and
    certificates. The pragma only takes effect outside a transaction (as in 0018 and 0020). PostgreSQL alters the
    table in place."""
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


def _checks(genders, profiles):
    with copied_table('participants') as batch_op:
        batch_op.drop_constraint(op.f('ck_participants_gender'), type_='check')
        batch_op.drop_constraint(op.f('ck_participants_profile'), type_='check')
        batch_op.create_check_constraint(op.f('ck_participants_gender'), _in('gender', genders))
        batch_op.create_check_constraint(op.f('ck_participants_profile'), _in('profile', profiles))


def upgrade():
    _checks(GENDERS + ('not_recorded',), PROFILES + ('not_recorded',))
    op.create_index(op.f('ix_participants_email_key'), 'participants', ['email_key'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_participants_email_key'), table_name='participants')
    # Rows nobody answered go back to what they were stored as before 'not_recorded' existed.
    op.execute("UPDATE participants SET gender = 'undisclosed' WHERE gender = 'not_recorded'")
    op.execute("UPDATE participants SET profile = 'other' WHERE profile = 'not_recorded'")
    _checks(GENDERS, PROFILES)
