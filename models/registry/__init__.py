"""Registry: provinces, agencies, LINE groups and people, and who may act for whom."""

from models.registry.chats import Group, Person
from models.registry.sign_in import SignInToken
from models.registry.tables import Agency, AuditEntry, ChatSetup, Province, RoleGrant

__all__ = [
    "Agency", "AuditEntry", "ChatSetup", "Group", "Person", "Province", "RoleGrant", "SignInToken",
]  # fmt: skip
