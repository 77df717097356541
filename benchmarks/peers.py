"""Adapters that run copydesk and the peer extractors through one interface.

Every adapter is a `Peer` whose `extract(html_bytes, url)` returns
``(text, title, authors, date)``: the plain-text body, the title, a list of
author names and the publication date (ISO ``YYYY-MM-DD...``, or ""). A field
the library does not provide is "" (or ``[]``).

The runner splits a call in three steps so that only the body extraction is
timed:

1. `Peer.prepare(html_bytes, charset)`: untimed input preparation (decoding).
2. `Peer.body(prepared, url, language)`: **timed**; returns the body text and a
   state object for step 3.
3. `Peer.metadata(prepared, url, state)`: title/authors/date; untimed for the
   peers (trafilatura's metadata runs `extract_metadata`, timed separately by
   the runner), free for copydesk, whose one `extract` call does both.

Input fairness: copydesk receives the raw bytes and decodes them itself (its
timing includes decoding). Every peer receives the *same* text, decoded once by
`copydesk.decode.decode` with the charset the dataset declares (the CleanEval
wrapper's ``encoding``), and with a leading ``<?xml ...?>`` declaration removed
(lxml refuses str input that declares an encoding). So charset handling does not
decide the comparison: all extractors read the same characters.

Peer settings:

- trafilatura: plain ``trafilatura.extract(text, url=url, include_comments=False)``
  for the body (comments off, as upstream's own evaluation runs it; everything
  else default), ``trafilatura.extract_metadata`` for title/author/date.
- readability-lxml: ``Document(text, url=url).summary(html_partial=True)`` turned
  into text with lxml ``text_content()``; title ``short_title()``.
- resiliparse: ``extract_plain_text(HTMLTree.parse(text), main_content=True)``;
  title from ``tree.title``.
- jusText: stoplist of the page language (`JUSTEXT_LANGUAGES` maps ISO codes;
  English when unknown), and jusText's language-independent mode (empty
  stoplist, stopword thresholds 0) for languages without a stoplist (e.g. zh).
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Peer", "PEERS", "PeerTimeout", "decode_for_peers", "guess_language", "time_limit", "peer_versions",
    "JUSTEXT_LANGUAGES",
]

logging.getLogger("readability").setLevel(logging.CRITICAL)
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
logging.getLogger("courlan").setLevel(logging.CRITICAL)


class PeerTimeout(Exception):
    """A peer call ran past the per-call time limit."""


def time_limit(seconds: float | None):
    """Raise `PeerTimeout` in the block after `seconds` (`copydesk.options.alarm`:
    SIGALRM, main thread, POSIX only). Pure C work (e.g. one lxml parse) is
    interrupted only when it returns to Python; elsewhere the block runs unlimited."""
    from copydesk.options import alarm

    return alarm(seconds, lambda: PeerTimeout(f"over {seconds:g} s"))


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def decode_for_peers(html: bytes, charset: str | None = None) -> str:
    """The page text every peer receives: `copydesk.decode.decode` with the declared
    charset, minus a leading XML declaration."""
    from copydesk.decode import decode

    text, _ = decode(html, charset)
    return _XML_DECL.sub("", text, count=1)


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of a decoded page: its ``<html lang>``, else CLD2 (copydesk.language) on the
    visible text; None when both fail."""
    m = _HTML_LANG.search(text[:20000])
    if m:
        return m.group(1).lower()
    try:
        from selectolax.parser import HTMLParser

        from copydesk.language import identify_language

        tree = HTMLParser(text)
        for node in tree.css("script, style, noscript"):
            node.decompose()
        body = tree.body.text(separator=" ") if tree.body else ""
        body = " ".join(body.split())
        return identify_language(body) or None
    except Exception:  # noqa: BLE001 - a guess, never fatal
        return None


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [a.strip() for a in re.split(r";|\|", value) if a.strip()]


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


@dataclass
class Peer:
    """One extractor behind the common interface (see the module docstring)."""

    name: str
    dist: str
    """The distribution name, for the version."""
    provides: tuple[str, ...] = ("title", "authors", "date")
    """The metadata fields the library returns (others are not scored for it)."""

    @property
    def version(self) -> str:
        """Installed version of the library."""
        return _version(self.dist)

    def prepare(self, html: bytes, charset: str | None) -> Any:
        """Untimed input preparation: the decoded text (see `decode_for_peers`)."""
        return decode_for_peers(html, charset)

    def body(self, prepared: Any, url: str | None, language: str | None = None) -> tuple[str, Any]:
        """The timed call: (body text, state for `metadata`)."""
        raise NotImplementedError

    def metadata(self, prepared: Any, url: str | None, state: Any) -> tuple[str, list[str], str]:
        """(title, authors, date) after `body`; untimed."""
        return "", [], ""

    def extract(self, html: bytes, url: str | None = None, *, charset: str | None = None,
                language: str | None = None) -> tuple[str, str, list[str], str]:
        """``(text, title, authors, date)`` for one page (exceptions propagate)."""
        prepared = self.prepare(html, charset)
        text, state = self.body(prepared, url, language)
        title, authors, date = self.metadata(prepared, url, state)
        return text or "", title or "", list(authors or []), date or ""


class Copydesk(Peer):
    """copydesk.extract on the raw bytes; metadata from the same `Article` (from
    `copydesk.extract_metadata` on pages where extract finds no main content)."""

    def prepare(self, html: bytes, charset: str | None) -> Any:
        return (html, charset)

    def body(self, prepared, url, language=None):
        import copydesk

        html, charset = prepared
        article = copydesk.extract(html, url, charset=charset)
        return (article.text if article is not None else ""), article

    def metadata(self, prepared, url, state):
        if state is None:
            # No main content: the page's metadata from copydesk.extract_metadata,
            # as trafilatura's comes from its extract_metadata.
            import copydesk

            html, charset = prepared
            md = copydesk.extract_metadata(html, url, charset=charset)
            return md.title, list(md.authors), md.date_published
        return state.title, list(state.authors), state.date_published


class Trafilatura(Peer):
    """trafilatura.extract (body, timed) and extract_metadata (metadata, timed apart)."""

    def body(self, prepared, url, language=None):
        import trafilatura

        return trafilatura.extract(prepared, url=url, include_comments=False) or "", None

    def metadata(self, prepared, url, state):
        import trafilatura

        doc = trafilatura.extract_metadata(prepared, default_url=url)
        if doc is None:
            return "", [], ""
        return doc.title or "", _split_authors(doc.author), doc.date or ""


class Readability(Peer):
    """readability-lxml Document.summary() text and short_title()."""

    def body(self, prepared, url, language=None):
        import lxml.html
        from readability import Document

        doc = Document(prepared, url=url)
        summary = doc.summary(html_partial=True)
        text = lxml.html.fromstring(summary).text_content() if summary and summary.strip() else ""
        return _tidy(text), doc

    def metadata(self, prepared, url, state):
        try:
            return state.short_title() or "", [], ""
        except Exception:  # noqa: BLE001 - title is best effort
            return "", [], ""


class Resiliparse(Peer):
    """resiliparse extract_plain_text(main_content=True); title from the tree."""

    def body(self, prepared, url, language=None):
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        tree = HTMLTree.parse(prepared)
        return extract_plain_text(tree, main_content=True) or "", tree

    def metadata(self, prepared, url, state):
        return (state.title or "") if state is not None else "", [], ""


JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "cs": "Czech", "sk": "Slovak", "hr": "Croatian", "sr": "Serbian",
    "bs": "Bosnian", "sl": "Slovenian", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian", "bg": "Bulgarian",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk",
    "fi": "Finnish", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "hu": "Hungarian", "ro": "Romanian",
    "tr": "Turkish", "el": "Greek", "ca": "Catalan", "eu": "Basque", "gl": "Galician", "id": "Indonesian",
    "ms": "Malay", "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi",
    "ko": "Korean", "is": "Icelandic", "ga": "Irish", "cy": "Welsh", "mk": "Macedonian", "sq": "Albanian",
    "af": "Afrikaans", "sw": "Swahili", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "ur": "Urdu",
    "bn": "Bengali", "mr": "Marathi", "ka": "Georgian", "hy": "Armenian", "az": "Azerbaijani", "kk": "Kazakh",
    "lb": "Luxembourgish", "eo": "Esperanto", "la": "Latin", "mt": "Maltese",
}
"""ISO 639-1 code -> jusText stoplist name."""


class JusText(Peer):
    """jusText with the page language's stoplist (language-independent mode without one)."""

    _stoplists: dict[str, frozenset] = {}

    def body(self, prepared, url, language=None):
        import justext

        name = JUSTEXT_LANGUAGES.get((language or "en").lower()[:2]) if language else "English"
        if name:
            if name not in self._stoplists:
                self._stoplists[name] = justext.get_stoplist(name)
            paragraphs = justext.justext(prepared, self._stoplists[name])
        else:
            paragraphs = justext.justext(prepared, frozenset(), stopwords_low=0, stopwords_high=0)
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate), None


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


PEERS: dict[str, Peer] = {
    p.name: p
    for p in (
        Copydesk("copydesk", "copydesk"),
        Trafilatura("trafilatura", "trafilatura"),
        Readability("readability", "readability-lxml", ("title",)),
        Resiliparse("resiliparse", "resiliparse", ("title",)),
        JusText("justext", "justext", ()),
    )
}
"""Adapter name -> `Peer`; copydesk first."""


def peer_versions() -> dict[str, str]:
    """Installed version of each adapter's library (plus lxml and lxml_html_clean)."""
    out = {name: p.version for name, p in PEERS.items()}
    out["lxml"] = _version("lxml")
    out["lxml_html_clean"] = _version("lxml_html_clean")
    return out
