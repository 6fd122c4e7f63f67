"""The bot's transport and processes: webhook, worker, outbox sender, LINE client, link checker.

The app factory is `bot.app.create_app`; this package runs nothing when imported.
"""
