"""held notices remember the deadline they count down to

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Notices held before this revision have no deadline: they are shown, dated, as before.
    with op.batch_alter_table('held_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('held_notices', schema=None) as batch_op:
        batch_op.drop_column('due_at')
