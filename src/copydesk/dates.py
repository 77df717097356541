"""Dates a page shows but does not declare: in its URL and in its visible text.

Structured dates (JSON-LD, `<meta>`, `<time datetime>`) come first and are
read in `metadata`; these are the fallbacks, in this order:
1. a date element's machine value (`[itemprop=datePublished]`, `time[datetime]`);
2. a publication date in the script state a JavaScript framework renders from;
3. the visible date in a short date/byline element near the headline ("Published
   August 7, 2023 by ...", "7. August 2023", "2023-08-07", "07.08.2023"); when an
   element shows both a publication and an update date, the publication date;
4. a date in the URL path (`/2016/02/09/`, `/2016-02-09-`).

Month names are read in English, German, French, Spanish, Italian, Dutch and
Polish (the languages of the dev sets). Numeric dates are read in the forms
Y-M-D and D.M.Y, and D/M/Y or M/D/Y only when one part is over 12 (15/12/2025,
10/31/2024); 03/04/2021 is left unread rather than guessed.

5. last, the first date written next to the headline (`date_near_headline`),
   then the first line after the headline that opens with a date
   (`date_line_after_headline`): date lines of pages that name them with no class.
"""

from __future__ import annotations

import re
from datetime import date

from selectolax.lexbor import create_tag

from copydesk.options import Deadline

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "okt": 10, "dez": 12, "mär": 3,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9, "ottobre": 10, "dicembre": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    # Polish (genitive, as dates are written)
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7, "sierpnia": 8,
    "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_YEAR = r"((?:19|20)\d{2})"
_PATTERNS = (
    # Month D, YYYY / Mon. D YYYY
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.IGNORECASE), "mdy"),
    # D Month YYYY / D. Month YYYY / D de mayo de YYYY
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?{_YEAR}\b", re.IGNORECASE), "dmy"),
    # YYYY-MM-DD
    (re.compile(rf"\b{_YEAR}-(\d{{1,2}})-(\d{{1,2}})\b"), "ymd"),
    # DD.MM.YYYY
    (re.compile(rf"\b(\d{{1,2}})\.(\d{{1,2}})\.{_YEAR}\b"), "dmy_num"),
    # DD/MM/YYYY or MM/DD/YYYY: read only when one part is over 12
    (re.compile(rf"\b(\d{{1,2}})/(\d{{1,2}})/{_YEAR}\b"), "slash"),
)
_HAS_YEAR = re.compile(r"(?:19|20)\d\d\b")
_UPDATED = re.compile(r"\b(?:updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|bijgewerkt|zaktualizowano)\b", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)")

DATE_WORDS = ("date", "time", "publish", "posted", "byline", "meta", "author", "info", "stamp")
"""Parts of class/id names that mark a date, time, byline or meta line (any case)."""
DATE_ID_WORDS = ("date", "info", "meta")
"""The words also looked for in ids. Every word in a class name and these in ids
decided every visible date of the two date-labelled sets (WCXB dev and
trafilatura-eval); the other ids, and "stamp" (a "timestamp" holds "time"), never
did, and each substring selector costs a pass over the page (~15 us)."""
DATE_SELECTOR = "time, " + ", ".join([f"[class*={w} i]" for w in DATE_WORDS if w != "stamp"] + [f"[id*={w} i]" for w in DATE_ID_WORDS])
_TIME_ID = create_tag("time").tag_id
MAX_DATE_TEXT = 200
"""Longest element text searched for a visible date: date lines and bylines are short."""


def _make(y: int, m: int, d: int) -> str:
    try:
        value = date(y, m, d)
    except ValueError:
        return ""
    if not 1990 <= value.year <= 2100:
        return ""
    return value.isoformat()


def dates_in_text(text: str) -> list[tuple[int, str]]:
    """(position, ISO date) of every date written in `text`, in order of position."""
    if _HAS_YEAR.search(text) is None:
        return []  # every pattern ends in a year; most text has none, and the month names are slow to scan for
    found = []
    for regex, order in _PATTERNS:
        for m in regex.finditer(text):
            g = m.groups()
            if order == "mdy":
                iso = _make(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
            elif order == "dmy":
                iso = _make(int(g[2]), _MONTHS[g[1].lower()], int(g[0]))
            elif order == "ymd":
                iso = _make(int(g[0]), int(g[1]), int(g[2]))
            elif order == "slash":
                a, b = int(g[0]), int(g[1])
                if (a > 12) == (b > 12):
                    continue  # 03/04/2021: April or March? Left unread.
                iso = _make(int(g[2]), b, a) if a > 12 else _make(int(g[2]), a, b)
            else:
                iso = _make(int(g[2]), int(g[1]), int(g[0]))
            if iso:
                found.append((m.start(), iso))
    found.sort()
    return found


def published_in_text(text: str) -> str:
    """The publication date a short date line shows: the first date not announced as
    an update ("Published May 5, 2024 - Updated July 9, 2025" gives 2024-05-05)."""
    found = dates_in_text(text)
    if not found:
        return ""
    for pos, iso in found:
        before = text[max(0, pos - 25) : pos]
        if not _UPDATED.search(before):
            return iso
    return found[0][1]


# No optional quote before the key: a pattern that starts with one is tried at every
# position of a framework's state (hundreds of KB); starting with the keys, it is
# four times faster, and it finds the same dates.
_STATE_DATE = re.compile(
    r"""(?:datePublished|publishedDate|publishDate|published_?[Aa]t|publish_?date|pubDate|firstPublished(?:At|Date)?|published_on|date_published)["']?\s*[:=]\s*["']((?:19|20)\d{2}-\d{2}-\d{2})"""
)


def date_in_scripts(tree, deadline: Deadline | None = None) -> str:
    """A publication date in the page's script state (the JSON a JavaScript framework
    renders from: `"publishedAt":"2025-10-20T..."`), or "". A script's own text is
    read (scripts nested in SVG are each read alone). Raises `ExtractionTimeout` when
    `deadline` runs out."""
    for script in tree.css("script"):
        if deadline is not None:
            deadline.check()
        text = script.text(deep=False)
        if "ublish" not in text and "ubDate" not in text:
            continue
        m = _STATE_DATE.search(text)
        if m:
            y, mo, d = m.group(1).split("-")
            iso = _make(int(y), int(mo), int(d))
            if iso:
                return iso
    return ""


NEAR_HEADLINE_CHARS = 400
"""Text around the headline searched by `date_near_headline`: the header block
(kicker, headline, standfirst, date and byline lines), about two short lines
either side, not the article body where dates are the story's own."""


def date_near_headline(h1) -> str:
    """The date shown beside the headline element `h1`: the smallest ancestor (up to
    three levels) with text besides the headline, then the first date (not announced
    as an update, when there is a choice) within `NEAR_HEADLINE_CHARS` of the
    headline's text. "" when there is none."""
    title = " ".join(h1.text(deep=True).split())
    node = h1
    for _ in range(3):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        node = parent
        text = " ".join(node.text(deep=True, separator=" ").split())
        if len(text) > len(title) + 10:
            at = text.find(title) if title else -1
            start = max(0, at - NEAR_HEADLINE_CHARS) if at >= 0 else 0
            end = (at + len(title) if at >= 0 else 0) + NEAR_HEADLINE_CHARS
            return published_in_text(text[start:end])
    return ""


DATE_LINE_SCAN = 40
"""Lines of page text after the headline searched by `date_line_after_headline`."""
DATE_LINE_SEARCH = 500_000
"""Characters of page text searched for the headline by `date_line_after_headline`
(on 4,038 dev pages it starts by 372,000 at the latest). The search of a headline of
repeated words in text of the same words is slow: 20 MB took 21 s."""
DATE_LINE_LABEL = 25
"""Characters allowed before the date on a date line ("Stand:", "Pressemitteilung vom")."""


def date_line_after_headline(root, *titles: str) -> str:
    """The date opening one of the `DATE_LINE_SCAN` lines of visible text that follow
    the headline (the first of `titles` found in the text): a date line ("25.01.2022",
    "Stand: 25.01.2022", "Published on Oct 21, 2025") or a paragraph that starts with
    its date ("01.02.2022 – Der Arbeitsmarkt ..."), at most `DATE_LINE_LABEL`
    characters in; the headline is looked for in the first `DATE_LINE_SEARCH`
    characters of the text. "" when none."""
    text = None
    for title in dict.fromkeys(titles):
        words = title[:80].split()
        if not words:
            continue
        if text is None:
            text = root.text(deep=True, separator="\n")  # read once for all titles
        found = find_words(text, words, DATE_LINE_SEARCH)
        if found is None:
            continue
        seen = 0
        # Line by line from the end of the headline's line, within 20,000 characters:
        # found one at a time (splitting the whole window cost more than the scan).
        end = min(len(text), found[1] + 20_000)
        at = text.find("\n", found[1], end)
        while at >= 0:
            nxt = text.find("\n", at + 1, end)
            raw = text[at + 1 : nxt if nxt >= 0 else end]
            at = nxt
            line = " ".join(raw.split())
            if not line:
                continue
            found = dates_in_text(line[:300])
            if found and found[0][0] <= DATE_LINE_LABEL:
                return published_in_text(line[:300])
            seen += 1
            if seen >= DATE_LINE_SCAN:
                break
    return ""


_SPACE_RUN = re.compile(r"\s+")
FIND_WORDS_TRIES = 2000
"""Places where the first word occurs that `find_words` tries before it hands the rest
of the search to a compiled pattern (text of the title's words repeated)."""


def find_words(text: str, words: list[str], endpos: int) -> tuple[int, int] | None:
    r"""(start, end) of the first place before `endpos` in `text` where `words` (no
    whitespace in any) follow one another, whitespace between: what
    `re.search(r"\s+".join(map(re.escape, words)), text[:endpos])` finds, without
    compiling a pattern for each headline (about 70 us, twenty times the search).
    After `FIND_WORDS_TRIES` places that fail, the pattern takes over."""
    first, rest = words[0], words[1:]
    at = text.find(first, 0, endpos)
    for _ in range(FIND_WORDS_TRIES):
        if at < 0:
            return None
        pos = at + len(first)
        for word in rest:
            space = _SPACE_RUN.match(text, pos, endpos)
            # A word never starts with whitespace, so the run is taken whole.
            if space is None or not text.startswith(word, space.end(), endpos):
                break
            pos = space.end() + len(word)
        else:
            return at, pos
        at = text.find(first, at + 1, endpos)
    if at < 0:
        return None
    m = re.compile(r"\s+".join(map(re.escape, words))).search(text, at, endpos)
    return (m.start(), m.end()) if m else None


def date_in_url(url: str) -> str:
    """The date in a URL path (`/2016/02/09/`), or ""."""
    m = _URL_DATE.search(url or "")
    return _make(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else ""


def visible_date(root, limit: int = 40, headline=None) -> str:
    """The publication date shown in the first date-like elements of a page's body:
    `<time>` elements first (one cheap selector, and most pages that show a date
    have one), then elements whose class or id names a date, time, byline or meta
    line (`DATE_SELECTOR`); at most `limit` of each looked at. One selector pass: its
    `<time>` matches are read first (a pass of its own cost 10% more).

    When the `headline` element is inside an `<article>` or `<main>`, only that
    element is searched: a date outside it is the site's, not the article's (a
    header's "today", a sidebar's recent posts, a wiki footer's "last edited"). On
    the 1,243 date-labelled pages of WCXB dev and trafilatura-eval one page is right
    that was wrong and none worse; six unlabelled pages lose such dates."""
    node = headline
    while node is not None:
        if node.tag in ("article", "main"):
            root = node
            break
        node = node.parent
    nodes = root.css(DATE_SELECTOR)
    for node in [n for n in nodes if n.tag_id == _TIME_ID][:limit]:
        iso = _shown_date(node)
        if iso:
            return iso
    for node in nodes[:limit]:
        iso = _shown_date(node)
        if iso:
            return iso
    return ""


def _shown_date(node) -> str:
    text = node.text(deep=True, separator=" ")
    if not text or len(text) > MAX_DATE_TEXT:
        return ""
    return published_in_text(text)
