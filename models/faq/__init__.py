"""FAQ: entries, their files, Thai text, the retrieval index, and answering officers' questions."""

from models.faq.entries import FaqEntry, OpenQuestion

__all__ = ["FaqEntry", "OpenQuestion"]
