"""Small text helpers shared by the loader, transforms and writers."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated; "" when nothing of the text is ASCII."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub("-", folded).strip("-")[:80].strip("-")


def xml_id(text: str, fallback: str) -> str:
    """A slug usable as an XML id (starts with a letter)."""
    slug = slugify(text) or fallback
    return slug if slug[0].isalpha() else f"{fallback}-{slug}"
