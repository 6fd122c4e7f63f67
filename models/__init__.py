"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from models.base import Base, utcnow
from models.faq.entries import FaqEntry, OpenQuestion
from models.held import HeldNotice
from models.oit.submissions import LinkCheck, RespondentCount, Submission, ToolScore
from models.queues.inbox import InboxEvent
from models.queues.outbox import OutboxMessage, SentMessage
from models.queues.runtime import Heartbeat, Lease
from models.registry.chats import Group, Person
from models.registry.tables import Agency, AuditEntry, ChatSetup, Province, RoleGrant
from models.year import Framework, FrameworkItem, Milestone, Phase

__all__ = [
    "Agency",
    "AuditEntry",
    "ChatSetup",
    "FaqEntry",
    "Framework",
    "FrameworkItem",
    "Milestone",
    "OpenQuestion",
    "Phase",
    "Province",
    "RespondentCount",
    "RoleGrant",
    "Base",
    "Group",
    "Heartbeat",
    "HeldNotice",
    "InboxEvent",
    "Lease",
    "LinkCheck",
    "OutboxMessage",
    "Person",
    "SentMessage",
    "Submission",
    "ToolScore",
    "utcnow",
]
