"""session versions: staff and participants' sessions end on the server

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-12 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Every session carries the version it started with; raising it ends them all (logout, leave, a new password).
    # Existing rows start at 0, the version sessions from before this revision are read as.
    for table in ('users', 'participants'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    for table in ('participants', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('session_version')
