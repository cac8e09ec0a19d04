"""question types: any registered type is stored (the registry, not a CHECK, lists them)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-14 10:00:00.000000

"""
from contextlib import contextmanager

from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The seven types of 0007: the CHECK that listed them meant a migration for every new type. The service layer
# (services_builder) now checks a question's type against assessments.question_types.REGISTRY.
TYPES_0007 = ('single_choice', 'multiple_choice', 'true_false', 'likert', 'scale', 'short_text', 'long_text')


@contextmanager
def questions_table():
    """Batch mode on SQLite copies the table, drops the old one and renames the copy: with foreign keys on (the
    app turns them on for every connection) the drop would delete every answer (answers.question_id cascades).
    The pragma only takes effect outside a transaction, and the app's "begin" hook opens one on every begin (an
    autocommit block too), so the driver's transaction is ended and begun again around it. PostgreSQL alters
    the table in place."""
    raw = op.get_bind().connection.dbapi_connection if op.get_bind().dialect.name == 'sqlite' else None
    if raw is not None:
        _foreign_keys(raw, 'OFF')
    try:
        with op.batch_alter_table('questions', schema=None) as batch_op:
            yield batch_op
    finally:
        if raw is not None:
            _foreign_keys(raw, 'ON')
    if raw is not None and raw.execute('PRAGMA foreign_key_check').fetchall():
        raise RuntimeError('questions: the copied table breaks a foreign key')


def _foreign_keys(raw, state):
    open_transaction = raw.in_transaction
    if open_transaction:
        raw.execute('COMMIT')
    raw.execute(f'PRAGMA foreign_keys={state}')
    if open_transaction:
        raw.execute('BEGIN IMMEDIATE')  # what SQLAlchemy believes is still open, begun as the app begins it


def upgrade():
    with questions_table() as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_questions_type'), type_='check')


def downgrade():
    # Only possible while every stored question has one of the seven types (the CHECK refuses others).
    listed = ', '.join(f"'{name}'" for name in TYPES_0007)
    with questions_table() as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_questions_type'), f"type IN ({listed})")
