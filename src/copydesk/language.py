"""Language identification of body text, for pages that do not declare their language."""

from __future__ import annotations

_MIN_CHARS = 40
"""Below about 40 characters, language identification is a guess (langid.py's authors
report accuracy falling sharply under a sentence)."""


def identify_language(text: str) -> str:
    """An ISO 639-1 code for `text` by py3langid (langid.py's model), or "" when too short."""
    text = text[:5000]
    if len(text.strip()) < _MIN_CHARS:
        return ""
    import py3langid

    lang, _ = py3langid.classify(text)
    return lang
