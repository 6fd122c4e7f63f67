"""Transport and processes: webhook, worker, outbox, router, LINE stand-in, CLI."""
