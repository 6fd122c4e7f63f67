"""Registry: agencies, groups, people and roles."""
