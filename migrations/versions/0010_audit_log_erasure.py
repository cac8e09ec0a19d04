"""audit log by program, participants' erasure

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 10:12:41.208311

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Where each kind of audited object finds its program, for the events written before audit_events.program_id.
PROGRAM_OF = {
    'Delegation': 'SELECT program_id FROM delegations WHERE id = audit_events.object_id',
    'Participant': 'SELECT program_id FROM participants WHERE id = audit_events.object_id',
    'ImportBatch': 'SELECT program_id FROM import_batches WHERE id = audit_events.object_id',
    'MessageTemplate': 'SELECT program_id FROM message_templates WHERE id = audit_events.object_id',
    'Activity': 'SELECT program_id FROM activities WHERE id = audit_events.object_id',
    'Questionnaire': 'SELECT program_id FROM questionnaires WHERE id = audit_events.object_id',
    'Certificate': 'SELECT program_id FROM certificates WHERE id = audit_events.object_id',
    'AgendaItem': 'SELECT a.program_id FROM agenda_items i JOIN activities a ON a.id = i.activity_id'
                  ' WHERE i.id = audit_events.object_id',
    'AttendanceImport': 'SELECT a.program_id FROM attendance_imports u JOIN activities a ON a.id = u.activity_id'
                        ' WHERE u.id = audit_events.object_id',
    'ResponseImport': 'SELECT q.program_id FROM response_imports u JOIN questionnaires q ON q.id = u.questionnaire_id'
                      ' WHERE u.id = audit_events.object_id',
    'GroupWork': 'SELECT a.program_id FROM group_works w JOIN agenda_items i ON i.id = w.agenda_item_id'
                 ' JOIN activities a ON a.id = i.activity_id WHERE w.id = audit_events.object_id',
    'Group': 'SELECT a.program_id FROM groups g JOIN group_works w ON w.id = g.group_work_id'
             ' JOIN agenda_items i ON i.id = w.agenda_item_id JOIN activities a ON a.id = i.activity_id'
             ' WHERE g.id = audit_events.object_id',
}


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_events_program_id_programs'), 'programs', ['program_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_audit_events_at', ['at', 'id'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_events_program_at', ['program_id', 'at'], unique=False)

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))

    # Existing events: the program of the object they are about, when it still exists.
    op.execute("UPDATE audit_events SET program_id = object_id WHERE object_type = 'Program'"
               " AND object_id IN (SELECT id FROM programs)")
    for object_type, query in PROGRAM_OF.items():
        op.execute(sa.text(f"UPDATE audit_events SET program_id = ({query})"
                           " WHERE object_type = :object_type").bindparams(object_type=object_type))


def downgrade():
    # Never a copy of participants on SQLite: dropping the old table would cascade to their attempts, attendance
    # and certificates (foreign keys are on). SQLite 3.35+ drops a column in place.
    with op.batch_alter_table('participants', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_program_at')
        batch_op.drop_index('ix_audit_events_object')
        batch_op.drop_index('ix_audit_events_at')
        batch_op.drop_constraint(batch_op.f('fk_audit_events_program_id_programs'), type_='foreignkey')
        batch_op.drop_column('program_id')
