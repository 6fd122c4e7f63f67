"""FAQ: entries, their files, Thai text, the retrieval index, and answering officers' questions."""

from models.faq.corrections import FaqAnswer, FaqCorrection
from models.faq.entries import FaqEntry, OpenQuestion

__all__ = ["FaqAnswer", "FaqCorrection", "FaqEntry", "OpenQuestion"]
