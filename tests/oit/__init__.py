"""OIT: links, reviews, progress, score and reports."""
