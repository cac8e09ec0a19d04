"""group names in each of the program's languages: groups.names {language: name} replaces groups.name, today's name
going to the program's default language

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

# Neither direction rebuilds the table: ADD COLUMN with a default and a plain DROP COLUMN (SQLite 3.35+,
# PostgreSQL). A batch rebuild on SQLite drops the old table, which would cascade to group_members.
GROUPS_WITH_PROGRAM_LANGUAGES = (
    "SELECT groups.id, groups.{column}, programs.languages FROM groups "
    "JOIN group_works ON group_works.id = groups.group_work_id "
    "JOIN agenda_items ON agenda_items.id = group_works.agenda_item_id "
    "JOIN activities ON activities.id = agenda_items.activity_id "
    "JOIN programs ON programs.id = activities.program_id")


def _plain(value):
    """SQLite hands JSON back as text in a raw query, PostgreSQL as values."""
    return json.loads(value) if isinstance(value, str) else value


def upgrade():
    op.add_column('groups', sa.Column('names', sa.JSON(), nullable=False, server_default='{}'))
    bind = op.get_bind()
    groups = sa.table('groups', sa.column('id', sa.Integer()), sa.column('names', sa.JSON()))
    for group_id, name, languages in bind.execute(sa.text(GROUPS_WITH_PROGRAM_LANGUAGES.format(column='name'))):
        if name:
            default = (_plain(languages) or ['es'])[0]
            bind.execute(groups.update().where(groups.c.id == group_id).values(names={default: name}))
    # The name in the default language is names[default]: a second copy would go stale when the default changes.
    op.execute('ALTER TABLE groups DROP COLUMN name')


def downgrade():
    op.add_column('groups', sa.Column('name', sa.String(length=120), nullable=False, server_default=''))
    bind = op.get_bind()
    groups = sa.table('groups', sa.column('id', sa.Integer()), sa.column('name', sa.String()))
    for group_id, names, languages in bind.execute(sa.text(GROUPS_WITH_PROGRAM_LANGUAGES.format(column='names'))):
        names, default = _plain(names) or {}, (_plain(languages) or ['es'])[0]
        name = names.get(default) or next((text for text in names.values() if text), '')
        bind.execute(groups.update().where(groups.c.id == group_id).values(name=name[:120]))
    op.execute('ALTER TABLE groups DROP COLUMN names')
