"""Page-level comparisons the benchmark reports besides shingle F1 (which is
`copydesk.evaluate`): exact match and metadata accuracy.

- Exact match: the extracted body equals the truth after casefolding and
  collapsing every run of whitespace (including newlines) to one space.
  Punctuation and characters are otherwise compared as they are. An empty
  extraction matches an empty truth.
- Title: equal after `normalise_field` (casefold, collapse whitespace, strip
  punctuation and symbols at both ends).
- Authors: the sets of names are equal, each side split into names with the
  same rule (``;``, ``,``, ``|``, ``&``, `` and ``, ``、``, and whitespace for
  the Chinese set, whose names are space-separated) and each name normalised
  with `normalise_field`.
- Date published: compared on ``YYYY-MM-DD``: the first ``YYYY-MM-DD`` (or
  ``YYYY-M-D``) in the extracted value, zero-padded, against the truth. When
  the truth is only ``YYYY`` or ``YYYY-MM`` (some Chinese pages) the same prefix
  is compared.

Metadata accuracy counts only pages whose truth is non-empty: a page labelled
"no author" is not scored (otherwise never answering would score).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalise_text", "exact_match", "normalise_field", "title_match", "author_names", "authors_match",
    "date_key", "date_match",
]


def normalise_text(text: str | None) -> str:
    """Casefolded text with all whitespace runs collapsed to one space, stripped."""
    return " ".join((text or "").casefold().split())


def exact_match(extracted: str | None, truth: str) -> bool:
    """True when `extracted` equals `truth` after `normalise_text`."""
    return normalise_text(extracted) == normalise_text(truth)


def _edge(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def normalise_field(value: str | None) -> str:
    """Casefold, collapse whitespace, strip punctuation/symbols (Unicode P*, S*) at both ends."""
    s = " ".join((value or "").casefold().split())
    i, j = 0, len(s)
    while i < j and _edge(s[i]):
        i += 1
    while j > i and _edge(s[j - 1]):
        j -= 1
    return s[i:j]


def title_match(extracted: str | None, truth: str) -> bool:
    """Normalised exact match of a title."""
    return normalise_field(extracted) == normalise_field(truth)


_AUTHOR_SEP = re.compile(r"\s*(?:;|,|\||&|、|，|\band\b)\s*", re.IGNORECASE)


def author_names(value: str | list[str] | tuple[str, ...] | None, whitespace: bool = False) -> frozenset[str]:
    """The normalised set of names in an author string or list (see the module docstring)."""
    if not value:
        return frozenset()
    items = [value] if isinstance(value, str) else list(value)
    names = set()
    for item in items:
        for part in _AUTHOR_SEP.split(item or ""):
            for name in (part.split() if whitespace else [part]):
                n = normalise_field(name)
                if n:
                    names.add(n)
    return frozenset(names)


def authors_match(extracted: list[str] | tuple[str, ...] | str | None, truth: str, whitespace: bool = False) -> bool:
    """True when the extracted authors are the same set of names as the truth."""
    return author_names(extracted, whitespace) == author_names(truth, whitespace)


_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def date_key(value: str | None) -> str:
    """``YYYY-MM-DD`` (or the ``YYYY``/``YYYY-MM`` prefix given) of a date string, else ""."""
    if not value:
        return ""
    v = value.strip()
    m = _DATE.search(v)
    if not m:
        return v[:4] if re.fullmatch(r"\d{4}", v) else ""
    y, mo, d = m.groups()
    return f"{y}-{int(mo):02d}" + (f"-{int(d):02d}" if d else "")


def date_match(extracted: str | None, truth: str) -> bool:
    """True when the extracted date agrees with the truth on the truth's precision."""
    t = date_key(truth)
    if not t:
        return False
    return date_key(extracted)[: len(t)] == t
