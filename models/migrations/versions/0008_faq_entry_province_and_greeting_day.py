"""FAQ entries added by chat belong to a province; people remember the day they were greeted

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL is national. Entries coordinators added by chat before this revision go to the
    # province of the question they came from, as new ones do; `faq promote` makes one national.
    with op.batch_alter_table('faq_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_faq_entries_province_id_provinces'), 'provinces', ['province_id'], ['id']
        )
    op.execute(
        "UPDATE faq_entries SET province_id = (SELECT MIN(q.province_id) FROM open_questions q"
        " WHERE q.faq_key = faq_entries.key) WHERE origin = 'chat'"
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('greeted_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('greeted_on')
    with op.batch_alter_table('faq_entries', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_faq_entries_province_id_provinces'), type_='foreignkey'
        )
        batch_op.drop_column('province_id')
