"""group names in each of the program's languages: groups.names {language: name}, today's name in the program's
default language

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-06 10:30:00.000000

"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    # Added with a default, so neither database rebuilds the table (SQLite would, to make it NOT NULL later, and
    # dropping the old table would cascade to group_members).
    op.add_column('groups', sa.Column('names', sa.JSON(), nullable=False, server_default='{}'))
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT groups.id, groups.name, programs.languages FROM groups "
        "JOIN group_works ON group_works.id = groups.group_work_id "
        "JOIN agenda_items ON agenda_items.id = group_works.agenda_item_id "
        "JOIN activities ON activities.id = agenda_items.activity_id "
        "JOIN programs ON programs.id = activities.program_id")).all()
    groups = sa.table('groups', sa.column('id', sa.Integer()), sa.column('names', sa.JSON()))
    for group_id, name, languages in rows:
        if isinstance(languages, str):  # SQLite hands JSON back as text in a raw query
            languages = json.loads(languages)
        default = (languages or ['es'])[0]
        if name:
            bind.execute(groups.update().where(groups.c.id == group_id).values(names={default: name}))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch rebuild would cascade to group_members.
    op.execute('ALTER TABLE groups DROP COLUMN names')
