"""The year: frameworks, calendars and dates."""
