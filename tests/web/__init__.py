"""The web face: sign-in through the bot, sessions, CSRF and the pages."""
