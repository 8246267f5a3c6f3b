"""Full-text search over practices with each database's own engine, in en, fr and ar.

Both engines index `practices.search_text`, which holds every language's texts after
`normalise`: case folded, accents and Arabic short vowels removed (Unicode NFKD, combining
marks dropped: "é" → "e", "أ" → "ا"), Arabic letter variants folded (ة → ه, ى → ي, tatweel
dropped), split into words. Queries go through the same function, so matching needs no
stemmer and no extension (no `unaccent`): SQLite's FTS5 table `practices_fts` and
PostgreSQL's `to_tsvector('simple', search_text)` GIN index, both created by the
migration. Every query word must match the start of a word ("logement" finds
"logements").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import func, literal_column, text

from benchmark.extensions import db
from benchmark.models import Practice

#: At most this many words of a query are used (the rest is ignored).
MAX_TERMS = 8
_WORD = re.compile(r"[^\W_]+")
_ARABIC_FOLD = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})


def normalise(value: str) -> str:
    """Words of `value`, case folded, without accents or Arabic diacritics, space separated."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", bare).translate(_ARABIC_FOLD)))


def terms(query: str) -> list[str]:
    """The words a query searches for (normalised, at most MAX_TERMS, duplicates dropped)."""
    found: list[str] = []
    for word in normalise(query).split():
        if word not in found:
            found.append(word)
    return found[:MAX_TERMS]


def document(texts: list[tuple[str, str, str, str]], extra: list[str]) -> str:
    """The search text of a practice: its texts in every language plus `extra` words."""
    parts = [p for fields in texts for p in fields] + extra
    return normalise(" ".join(parts))


def matches(words: list[str]) -> Any:
    """A condition on Practice: every word starts a word of its search text."""
    if db.engine.dialect.name == "postgresql":
        # The same expression as the GIN index, so PostgreSQL uses it.
        query = " & ".join(f"{w}:*" for w in words)
        return func.to_tsvector(literal_column("'simple'"), Practice.search_text).op("@@")(
            func.to_tsquery(literal_column("'simple'"), query))
    expression = " AND ".join(f'"{w}"*' for w in words)
    return Practice.id.in_(
        text("SELECT rowid FROM practices_fts WHERE practices_fts MATCH :fts_query")
        .bindparams(fts_query=expression))
