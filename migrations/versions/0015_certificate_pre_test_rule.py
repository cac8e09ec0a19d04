"""certificate rules: the pre-test can be required, like the post-test (each only when the program has one)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    # Settings saved before this rule existed keep not asking for the pre-test (their certificates were issued
    # without it); settings saved from now on ask for it by default, when the program has a pre-test.
    with op.batch_alter_table('certificate_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pre_test_required', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('certificate_settings', schema=None) as batch_op:
        batch_op.drop_column('pre_test_required')
