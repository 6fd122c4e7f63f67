"""Year commands: the province's ITA calendar and moving a pre-check phase deadline."""
