"""FAQ: the knowledge base, matching and asking in chat."""
