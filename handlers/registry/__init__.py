"""Registry commands: joining, registering as an agency's admin, coordinators' people and groups."""
