"""Queues: the inbox of webhook events, the outbox of messages, and the leases that claim them."""

from models.queues.inbox import InboxEvent
from models.queues.outbox import OutboxMessage, SentMessage
from models.queues.runtime import Heartbeat, Lease

__all__ = ["Heartbeat", "InboxEvent", "Lease", "OutboxMessage", "SentMessage"]
