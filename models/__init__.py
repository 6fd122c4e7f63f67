"""The domain layer: one package per capability, each with its tables and the rules that own them.

Importing `models` registers every table on `models.base.Base.metadata` (Alembic, create_all).
"""

from models import faq, notices, oit, queues, registry, year

__all__ = ["faq", "notices", "oit", "queues", "registry", "year"]
