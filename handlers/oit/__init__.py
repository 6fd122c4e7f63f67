"""OIT commands: sending links, reviewing them, progress, score, and IIT/EIT respondent counts."""
