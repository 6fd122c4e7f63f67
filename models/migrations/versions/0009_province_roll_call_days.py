"""A province's coordinators may ask for group roll-calls on chosen leads

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 13:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL: the cheapest routes (ประหยัด); "1,0": a group push on those leads whatever it costs.
    with op.batch_alter_table('provinces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roll_call_days', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('provinces', schema=None) as batch_op:
        batch_op.drop_column('roll_call_days')
