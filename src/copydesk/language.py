"""Language identification of body text, for pages that do not declare their language."""

from __future__ import annotations

import re

import pycld2

_MIN_CHARS = 40
"""Below about 40 characters, language identification is a guess (CLD2 itself reports
short inputs as unreliable)."""
_MAX_CHARS = 2000
"""Text looked at: a few paragraphs settle the language; more only costs time."""
MIN_SHARE = 50
"""Percent of the text CLD2 must give its top language. Below it the text is in a
language CLD2 does not know, which it splits among its neighbours (Aragonese: 42%
English, 31% Catalan, 26% Galician), or a mix: "" is the honest answer. On the 4,011
dev pages that declare a language and have 40+ characters of body, CLD2 gives under
half to its top language once, where it agreed with the page (36%)."""
# What CLD2 rejects as invalid UTF-8: C0/C1 controls other than whitespace, and lone
# surrogates (which a str can carry and UTF-8 cannot).
_UNENCODABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def identify_language(text: str) -> str:
    """The language of `text` as CLD2 names it (Google's Compact Language Detector 2,
    through pycld2): an ISO 639-1 code ("en", "de"), or a BCP 47 tag for a few ("zh-Hant");
    "" when the text is shorter than `_MIN_CHARS`, or CLD2 finds no language or gives
    its top one under `MIN_SHARE` percent of the text.

    Only the first `_MAX_CHARS` characters are read. CLD2 was chosen over langid.py for
    speed (about 0.15 vs 1.9 ms on 5,000 characters, equal agreement with the pages'
    declared languages on the dev sets)."""
    text = text[:_MAX_CHARS]
    if len(text.strip()) < _MIN_CHARS:
        return ""
    text = _UNENCODABLE.sub(" ", text)
    try:
        _, _, details = pycld2.detect(text, bestEffort=True)
    except pycld2.error:
        return ""
    if not details or details[0][1] == "un" or details[0][2] < MIN_SHARE:
        return ""
    return details[0][1]
