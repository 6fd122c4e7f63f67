"""FAQ answers kept for a reply to them; corrections by coordinators; what entries define

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 16:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('faq_entries', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('defines', sa.String(length=200), nullable=False, server_default='[]')
        )
    with op.batch_alter_table('open_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_with', sa.String(length=80), nullable=True))
    op.create_table(
        'faq_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('province_id', sa.Integer(), nullable=True),
        sa.Column('chat_id', sa.String(length=64), nullable=True),
        sa.Column('user_id', sa.String(length=64), nullable=True),
        sa.Column('message_id', sa.String(length=64), nullable=True),
        sa.Column('quote_token', sa.String(length=255), nullable=True),
        sa.Column('question', sa.String(length=1000), nullable=False),
        sa.Column('entry_key', sa.String(length=80), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['province_id'], ['provinces.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_faq_answers_message_id', 'faq_answers', ['message_id'])
    op.create_table(
        'faq_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('province_id', sa.Integer(), nullable=True),
        sa.Column('question', sa.String(length=1000), nullable=False),
        sa.Column('wrong_key', sa.String(length=80), nullable=False),
        sa.Column('right_key', sa.String(length=80), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('by', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['province_id'], ['provinces.id']),
        sa.ForeignKeyConstraint(['question_id'], ['open_questions.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('faq_corrections')
    op.drop_index('ix_faq_answers_message_id', table_name='faq_answers')
    op.drop_table('faq_answers')
    with op.batch_alter_table('open_questions', schema=None) as batch_op:
        batch_op.drop_column('answered_with')
    with op.batch_alter_table('faq_entries', schema=None) as batch_op:
        batch_op.drop_column('defines')
