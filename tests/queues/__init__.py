"""Queues: the claim loop, lease columns and heartbeats the inbox, outbox and link checks share."""
