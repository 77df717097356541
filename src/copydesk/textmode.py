"""Text mode: the article from flattened page text, the form much web text arrives in.

Crawlers' HTML-to-text steps (Common Crawl's WET files, resiliparse,
`lynx -dump`-style tools) write a page as the plain text of *all* its blocks,
one block a line: icon labels, menus, share and subscription prompts, paywall
meters, cookie notices, related-article teasers and footers sit on lines of
their own around the article. Text mode treats each line as a block without
markup and reuses the HTML pipeline's stages on it:

    text ─ lines ─ segment_lines ─ score (classify.is_good / is_furniture /
    has_template + text rules + site evidence) ─ body run ─ header ─
    assemble.assemble ─ Article ─ render

1. **Lines to segments** (`segment_lines`): each non-blank line becomes a
   `Segment` (kind "paragraph"; tag "li" when it starts with a list bullet, the
   bullet stripped; `path` = (0, n) where n counts blank-line-separated groups).
   There is no markup, so link density is 0 and class tokens are empty.
2. **Line classes** (`line_class`): *good* is `classify.is_good` (running prose
   of at least 70 characters with sentence punctuation); *furniture* is
   `classify.is_furniture`; *bad* is `classify.has_template`, the text-only
   notices (`is_notice`: cookie, paywall, newsletter, affiliate and footer
   wording, "Read more: ..." teasers), label soup (`is_soup`) and lines a
   `SiteProfile` has seen on many pages of the site; *stop* and *end* are the
   headings of related-content and comment sections; *caption* ends in a photo
   credit; *near* is a short sentence, *phrase* a lower-case fragment of 5+
   words (a list item); everything else is *short*.
3. **Body run** (`body_run`): the article is the densest run of prose lines
   (maximum-sum segment, Kadane): a good line adds its length; near and caption
   lines cost nothing, a phrase `PHRASE_COST`, a short line `SHORT_COST`, a bad
   or furniture line `BAD_COST`/`FURNITURE_COST`, a stop heading `STOP_COST`.
   An *end* line (comments heading) cannot be crossed. Short, phrase and near
   lines inside the run stay (sub-headings, list items, short paragraphs); bad,
   furniture and stop lines go. The run is then extended forward over trailing
   sentence-like lines, as `classify` does for HTML blocks.
4. **Header** (`read_header`): the `HEADER_LINES` lines before the run. The
   headline is the title-like line that best matches the `title` hint, the URL
   slug or a line the page repeats (searched up to `TITLE_LINES` back), else the
   first title-like line of at least four words; the section label is a short
   line just before it; the standfirst a sentence-like line between headline
   and body; a line ending in a credit ("© X", "Photo: X", "(X/Reuters)") is an
   image caption; "By ..." lines give authors, date lines `date_published`.
5. **Assemble** through `assemble.assemble` (figures, links/images/tables
   options, dateline from the first paragraph via `assemble.find_dateline`).

Thresholds: the 70-character good-line bound is jusText's (shared with
`classify`); the run costs were set on the WCXB dev articles (see
docs/text-benchmark.md) and are in units of characters of good prose.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from hashlib import blake2b
from urllib.parse import unquote, urlsplit

from copydesk.article import Article, Image
from copydesk.assemble import assemble
from copydesk.classify import has_template, is_furniture, is_good
from copydesk.decode import repair_mojibake
from copydesk.errors import InvalidInput
from copydesk.language import identify_language
from copydesk.metadata import TITLE_SEPARATORS, normalise_date, split_names
from copydesk.options import Deadline, Options
from copydesk.pipeline import check_size, decode_input
from copydesk.segment import Segment, clean

SHORT_COST = 25.0
"""Cost of a short, non-furniture line inside the body run, in characters of good prose.
A sub-heading between two paragraphs (each >= 70) never splits the run; ten menu
items (250) split it unless the prose on the far side is longer."""
BAD_COST = 120.0
"""Cost of a boilerplate line (furniture, template, known notice, site-repeated line)."""
PHRASE_COST = 8.0
"""Cost of a phrase: 5+ words, mostly lower-case, no sentence end (list items, chart titles)."""
FURNITURE_COST = 120.0
"""Cost of a line `classify.is_furniture` flags (share/subscribe/byline/date labels)."""
GAP_GROWTH = 0.0
"""Growth of the cost of each further short/bad line in an unbroken gap (see `body_run`)."""
STOP_COST = 1500.0
END_AFTER_CHARS = 500
"""Good prose (characters) before a comments heading that makes it the article's end."""
END_DISCOUNT = 0.25
"""Weight of good lines after that heading: comments win only when four times the article."""
"""Cost of an end-of-article marker line ("Related articles", "Leave a reply")."""
NEAR_GOOD_CHARS = 30
"""Sentence-like lines of 30..69 characters are short paragraphs: they cost nothing inside the run."""
HEADER_LINES = 12
"""How far before the body the headline, standfirst, byline and caption are looked for."""
TITLE_LINES = 40
"""How far before the body a headline is accepted when evidence (title hint, URL slug,
repetition on the page) points to it."""
MAX_LINE_CHARS = 50_000
"""Longer lines are cut at whitespace into pieces of at most this many characters, so each
regex works on bounded input and the deadline is checked between pieces."""
_CHECK_EVERY = 2048

_BULLET = re.compile(r"^\s*(?:[•·▪◦●■□‣⁃∙○◆►▸»*+]|[-–—](?=\s)|\(?\d{1,3}[.)](?=\s)|\(?[a-z][.)](?=\s))\s*")
_SENT_END = re.compile(r"[.!?。！？…\"'”’)»]\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)

# Boilerplate that only the words give away once the markup is gone. Each is a
# notice every reader has seen on many sites; none names a site.
_NOTICE = re.compile(
    r"|".join(
        [
            # cookie and consent banners
            r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners)\b[^.]{0,80}\b(?:use|uses|using|store)\b[^.]{0,40}\bcookies\b",
            r"\bcookie (?:policy|settings|preferences|consent|notice|banner)\b",
            r"\baccept (?:all )?cookies\b|\bmanage (?:cookies|consent|preferences)\b",
            r"\bby (?:continuing|clicking)\b[^.]{0,60}\b(?:agree|consent|accept)\b",
            # paywall meters and offers
            r"\b(?:free|premium) (?:articles?|stories|reads?) (?:left|remaining)\b",
            r"\bunlimited (?:digital )?access\b",
            r"\b(?:trial|subscription|access)\b[^.]{0,30}\b(?:has |have )?expired\b",
            r"\bsee all offers\b|\balready (?:a subscriber|subscribed|have an account)\b",
            r"\bsubscribe (?:now|today|to (?:continue|read|get|our|the))\b|\bsubscribers? only\b|\bfor subscribers\b",
            r"\byou need a subscription\b|\bcontinue reading (?:with|for)\b",
            r"\b(?:create|register for) (?:a |an )?(?:free )?account\b",
            # newsletters and follow prompts
            r"\b(?:sign up|subscribe|register)\b[^.]{0,60}\b(?:newsletter|inbox|e-?mail updates|alerts)\b",
            r"\bnewsletter\b[^.]{0,60}\b(?:sign up|subscribe|inbox|delivered)\b",
            r"\bfollow us on\b|\blike us on facebook\b",
            # affiliate and ad disclosures
            r"\b(?:may|might|could) (?:earn|receive|get|make) (?:a )?(?:small )?(?:commission|compensation|share of sales)",
            r"\baffiliate (?:links?|commission|partner)",
            r"\b(?:story|article) continues below\b|\bcontinue reading below\b|\bskip (?:advert|ad)\b",
            # scripts and browsers
            r"\benable javascript\b|\bjavascript is (?:disabled|required|not enabled)\b|\byour browser (?:does not|doesn't) support\b",
            # footers
            r"\ball rights reserved\b|\bterms of (?:use|service)\b|\bprivacy (?:policy|notice|statement)\b",
        ]
    ),
    re.IGNORECASE,
)
# Words one of the notices must contain: a cheap test before the full pattern.
_NOTICE_KEYS = re.compile(
    r"cookie|by (?:continu|click)|free|unlimited|expired|offers|already|account|subscri|sign up|regist|newsletter|"
    r"follow us|like us|commission|compensation|affiliate|continue|skip|javascript|browser|rights reserved|terms of|privacy"
)  # matched on lower-cased text: case-insensitive alternations are slow in `re`
# A teaser line: "Read more: <headline>", "Related: <headline>".
_TEASER = re.compile(
    r"^\W*(?:read (?:more|also|next)|also read|related(?: articles?| stories| posts| content| reading)?|see also|"
    r"more (?:from|on)\b[^:]{0,40}|recommended(?: reading)?|you (?:may|might) also like|watch|listen|must read)\s*[:|»>›-]",
    re.IGNORECASE,
)
# A line that ends the article: the heading of a related, comment or footer section.
_STOP = re.compile(
    r"^\W*(?:related(?: articles?| posts?| stories| content| news| reading| topics)?|"
    r"(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in))|(?:see |view |read )?more (?:stories|news|articles|posts|videos|to read|like this|from [\w .&'-]{2,40}|in [\w .&'-]{2,30})|"
    r"(?:recent|latest|other|similar|popular|featured|top|more) (?:posts|articles|stories|news|videos|reads|guides|content)|editor'?s'? picks|"
    r"in case you missed it|up next|what to read next|keep reading|don'?t miss|"
    r"recommended(?: for you| stories| articles| reading)?|read (?:next|more)|what to read next|"
    r"(?:\d+\s+)?(?:comments?|responses?|replies)(?:\s*\(\d+\))?|leave a (?:reply|comment)|post a comment|add a comment|"
    r"join the (?:conversation|discussion)|(?:most (?:read|popular|viewed|shared))(?: (?:stories|articles|news))?|"
    r"trending(?: now| stories)?|latest (?:news|stories|posts|articles)|popular (?:posts|stories|articles)|"
    r"share (?:this|the) (?:article|story|post)|about the author|tags?|filed under|categories)\W*$",
    re.IGNORECASE,
)
# A line that opens the reader comments: the article cannot continue past it (see `body_run`).
_END = re.compile(
    r"^\W*(?:\d+\s+(?:comments?|responses?|replies|thoughts)\b.{0,200}|(?:comments?|responses?|discussion)(?:\s*\(\d+\))?|"
    r"leave a (?:reply|comment)|post a comment|add a comment|write a comment|join the (?:conversation|discussion)|"
    r"(?:show|view|load|see) (?:all )?(?:\d+ )?comments|reader comments|what do you think\??|"
    r"(?:one|two|three|\d+) (?:thoughts|responses|replies) (?:on|to)\b.{0,200})\W*$",
    re.IGNORECASE,
)
# Image credits: a trailing "© X", "Photo: X", "(X/Reuters)", "X/Getty Images".
_CREDIT_TAIL = re.compile(
    r"(?:\s+|^)(?:(?:©|\(c\)|copyright)\s*([^©]{2,80})|(?:photo(?:graph)?s?|image|picture|credit|foto|bild)\s*(?::|by)\s*([^:]{2,80}))$",
    re.IGNORECASE,
)
_CREDIT_KEYS = re.compile(r"©|\(c\)|/|copyright|photo|image|picture|credit|foto|bild")  # on lower-cased text
_CREDIT_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{2,60}/\s*(?:[A-Z][\w.&' -]{1,40}))[)\]]\s*$")
_AGENCY = re.compile(
    r"\b(?:getty(?: images)?|reuters|afp|ap|associated press|shutterstock|istock(?:photo)?|epa|xinhua|alamy|"
    r"bloomberg|dpa|anadolu|pa(?: images| wire)?|unsplash|pexels|wikimedia(?: commons)?|efe|ansa|kyodo|yonhap|tass)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|written by|posted by|words by|reporting by)\s+\S", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(?:published|updated|posted|last (?:updated|modified)|modified|on)\s*:?\s*"
    r"((?:\w+,?\s+)?(?:\d{1,2}[./ -]\w+\.?[./ -]\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}(?:[T ][\d:]+)?))",
    re.IGNORECASE,
)
_DATE_ANY = re.compile(
    r"((?:\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9}\.? \d{4})|(?:[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------- site evidence


class SiteProfile:
    """Site-level boilerplate evidence: which lines repeat across many pages of one site.

    When many pages of one site are processed together (a WET file, a crawl
    directory), a line seen on many of the site's pages is template text: menus,
    footers, newsletter prompts, teaser titles. Build one profile from the pages
    first (`add` each page once), then pass it to `extract_text(..., site=profile)`.

    Memory is fixed at construction: a count-min sketch of `depth` rows of
    `width` 32-bit counters (default 4 x 2**18: 4 MiB), whatever the number of
    pages, lines or hosts. Keys are BLAKE2b hashes of (host, normalised line);
    a page counts each distinct line once, and a per-host page counter lives in
    the same sketch. Count-min only over-counts (by at most
    e * total_lines / width with probability 1 - e**-depth), so with the default
    size a line is wrongly taken for boilerplate only when a site contributes
    hundreds of thousands of distinct lines.

    - `min_pages`: a line is boilerplate once seen on at least this many pages of
      its host (default 3: two crawls of one URL are not evidence);
    - `min_share`: ...and on at least this share of the host's pages (default
      0.05: a teaser on 3 of 10,000 pages is an accident, not a template).

    Only lines of up to `max_line_chars` (default 2,000) are counted; longer ones are
    article prose. The profile is not thread-safe while being built; reads are.
    """

    __slots__ = ("width", "depth", "min_pages", "min_share", "max_line_chars", "_table")

    def __init__(self, width: int = 1 << 18, depth: int = 4, *, min_pages: int = 3, min_share: float = 0.05, max_line_chars: int = 2000):
        if width < 16 or depth < 1 or depth > 8:
            raise InvalidInput("SiteProfile needs width >= 16 and 1 <= depth <= 8")
        self.width, self.depth = int(width), int(depth)
        self.min_pages, self.min_share, self.max_line_chars = min_pages, min_share, max_line_chars
        self._table = array("I", bytes(4 * self.width * self.depth))

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the counters (fixed: 4 * width * depth)."""
        return self._table.itemsize * len(self._table)

    @staticmethod
    def host(url: str | None) -> str:
        """The host a URL's page counts under ("" when unknown; "www." is dropped)."""
        if not url:
            return ""
        try:
            h = (urlsplit(url).hostname or "").lower()
        except ValueError:
            return ""
        return h[4:] if h.startswith("www.") else h

    def _slots(self, key: str) -> list[int]:
        d = blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4 * self.depth).digest()
        w = self.width
        return [r * w + int.from_bytes(d[4 * r : 4 * r + 4], "little") % w for r in range(self.depth)]

    def _add(self, key: str) -> None:
        t = self._table
        for i in self._slots(key):
            if t[i] < 0xFFFFFFFF:
                t[i] += 1

    def _count(self, key: str) -> int:
        t = self._table
        return min(t[i] for i in self._slots(key))

    @staticmethod
    def _norm(line: str) -> str:
        return " ".join(_WORD.findall(line.lower()))

    def add(self, text: str, url: str | None = None) -> None:
        """Count one page's distinct lines under its URL's host (call once per page)."""
        host = self.host(url)
        seen = set()
        for raw in text.splitlines():
            if len(raw) > self.max_line_chars:
                continue
            n = self._norm(_BULLET.sub("", raw, count=1))
            if n and n not in seen:
                seen.add(n)
                self._add(host + "\x00" + n)
        self._add(host + "\x00\x00pages")

    def pages(self, url: str | None = None) -> int:
        """How many pages of this URL's host were added."""
        return self._count(self.host(url) + "\x00\x00pages")

    def count(self, line: str, url: str | None = None) -> int:
        """On how many pages of the host the line was seen (an upper bound, see the class docstring)."""
        n = self._norm(_BULLET.sub("", line, count=1))
        return self._count(self.host(url) + "\x00" + n) if n else 0

    def is_boilerplate(self, line: str, url: str | None = None) -> bool:
        """True when the line repeats on at least `min_pages` and `min_share` of the host's pages."""
        if len(line) > self.max_line_chars:
            return False
        c = self.count(line, url)
        if c < self.min_pages:
            return False
        pages = self.pages(url)
        return pages > 0 and c >= self.min_share * pages


# --------------------------------------------------------------------------- lines to segments


def _split_long(line: str, limit: int) -> list[str]:
    out = []
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = limit
        out.append(line[:cut])
        line = line[cut:]
    out.append(line)
    return out


_SPACES = re.compile(r"[ \t\f\v]+")


def _clean_line(text: str) -> str:
    """Runs of ASCII blanks collapsed to one space, ends stripped; other characters
    (no-break spaces included) kept as the text has them."""
    return _SPACES.sub(" ", text).strip(" ")


def segment_lines(text: str, deadline: Deadline | None = None) -> list[Segment]:
    """The text twin of `segment.segment`: one `Segment` per non-blank line, in order.

    - `kind` is "paragraph"; `tag` is "li" for a line opening with a list bullet
      ("•", "*", "-", "1.", "a)"), which is stripped from `text`, else "line".
    - `path` is (0, group): `group` counts runs of lines separated by blank lines,
      the only layout a flattener leaves.
    - `text` has runs of spaces and tabs collapsed and its ends stripped (no-break
      spaces are kept, so paragraphs come out as the text has them); lines longer than
      `MAX_LINE_CHARS` are cut at whitespace into several segments.
    - `link_chars` is 0 and `tokens` empty: the markup is gone.

    Raises `ExtractionTimeout` when `deadline` runs out.
    """
    out: list[Segment] = []
    group = 0
    blank = False
    for n, raw in enumerate(text.split("\n")):
        if deadline is not None and n % _CHECK_EVERY == 0:
            deadline.check()
        if not raw or raw.isspace():
            blank = True
            continue
        if blank and out:
            group += 1
        blank = False
        pieces = _split_long(raw, MAX_LINE_CHARS) if len(raw) > MAX_LINE_CHARS else (raw,)
        for piece in pieces:
            if deadline is not None and len(pieces) > 1:
                deadline.check()
            m = _BULLET.match(piece)
            tag = "line"
            if m and m.end() < len(piece):
                piece = piece[m.end() :]
                tag = "li"
            t = _clean_line(piece)
            if t and not t.isspace():
                out.append(Segment("paragraph", t, tag, (0, group), index=len(out)))
    return out


# --------------------------------------------------------------------------- line classes

GOOD, NEAR, PHRASE, SHORT, BAD, STOP, END, CAPTION, FURNITURE = "good", "near", "phrase", "short", "bad", "stop", "end", "caption", "furniture"
_SENT_END_OR_COLON = re.compile(r"[.!?。！？…:\"'”’]\s*$")


def _lower_share(text: str) -> float:
    """Share of the line's cased words that start in lower case (prose: most; menus: none)."""
    cased = [w for w in text.split() if w[:1].isupper() or w[:1].islower()]
    if not cased:
        return 0.0
    return sum(1 for w in cased if w[:1].islower()) / len(cased)


def is_notice(text: str) -> bool:
    """True for text-only boilerplate: cookie, paywall, newsletter, affiliate, browser
    and footer notices, and "Read more: ..." teasers (see `_NOTICE`, `_TEASER`)."""
    if len(text) > 600:
        return False
    return bool((_NOTICE_KEYS.search(text.lower()) and _NOTICE.search(text)) or _TEASER.match(text))


def _words(text: str) -> int:
    return len(text.split())


_GLUED = re.compile(r"[a-z][A-Z]")
_INNER_SENT = re.compile(r"[.!?。！？](?:\s|$)")


def is_soup(text: str) -> bool:
    """True for a line of labels run together rather than prose: icon titles glued
    without spaces ("IconFacebookIcon TwitterCreated with Sketch.") or a menu flattened
    into one line ("Politics Economy Business Markets Tech Opinion ...").

    Glued labels: at least 3 lower-to-upper case joins, one per 8 words or more
    (prose has almost none: "iPhone", "McDonald"). A menu: 8+ words, over 60 % of them
    capitalised, and no sentence punctuation (prose capitalises 10-25 % of words).
    Scripts without case never match."""
    words = text.split()
    n = len(words)
    if n < 3:
        return False
    glued = len(_GLUED.findall(text))
    if glued >= 3 and glued * 8 >= n:
        return True
    if sum(len(w) for w in words if len(w) > 25 and w.isalpha()) > 0.3 * len(text):
        return True  # labels run together in lower case ("binspamdupenotthebest...")
    if n >= 8 and not _INNER_SENT.search(text):
        cased = [w for w in words if w[:1].isalpha() and (w[:1].isupper() or w[:1].islower())]
        if len(cased) >= 8 and sum(1 for w in cased if w[:1].isupper()) > 0.6 * len(cased):
            return True
    return False


def line_class(seg: Segment, site_repeated: bool = False) -> str:
    """One of "good", "near", "short", "bad", "stop", "caption" for a line segment.

    "caption" is a line ending in an image credit (`split_caption`) or a credit alone:
    never body prose, free inside the run, an `Image` of the article."""
    t = seg.text
    if "{" in t and has_template(t):
        return BAD
    if seg.length <= 80 and _STOP.match(t):
        return END if _END.match(t) else STOP
    if seg.length <= 300 and _END.match(t):
        return END
    if is_notice(t) or site_repeated or is_soup(t):
        return BAD
    if is_furniture(seg):
        return FURNITURE
    if not _LETTER.search(t):
        return BAD if seg.length > 3 else SHORT
    cap = split_caption(t) if seg.length <= 600 else None
    if (cap is not None and cap[0] and _words(cap[0]) >= 3) or _is_credit_only(t):
        return CAPTION
    if is_good(seg):
        return GOOD
    n = _words(t)
    if n >= 2 and _SENT_END_OR_COLON.search(t) and _lower_share(t) >= 0.5:
        return NEAR
    if n >= 5 and _lower_share(t) >= 0.5:
        return PHRASE
    return SHORT


def _cost(cls: str, seg: Segment) -> float:
    if cls == GOOD:
        return float(seg.length)
    if cls in (NEAR, CAPTION):
        return 0.0
    if cls == SHORT:
        return -SHORT_COST
    if cls == PHRASE:
        return -PHRASE_COST
    if cls in (STOP, END):
        return -STOP_COST
    if cls == FURNITURE:
        return -FURNITURE_COST
    return -max(BAD_COST, float(seg.length))


def body_run(classes: list[str], segs: list[Segment]) -> tuple[int, int] | None:
    """(first, last) index of the maximum-sum run of lines (see module docstring), or None
    when the text has no good line. The run starts and ends on good lines.

    The k-th short or bad line in a row (no prose line between) costs
    (1 + GAP_GROWTH * (k - 1)) times its base cost, so a heading or two between
    paragraphs is cheap while a menu or teaser list of fifteen lines separates
    the article from prose beyond it (testimonials, comments, other articles)."""
    best, best_span = 0.0, None
    cur, cur_start = 0.0, 0
    gap = 0
    good_before = 0
    discount = 1.0
    for i, (c, s) in enumerate(zip(classes, segs)):
        if c == END:
            # Reader comments start here: the run cannot cross, and prose after it
            # counts for less once an article-sized run has been seen.
            cur, gap = 0.0, 0
            if good_before >= END_AFTER_CHARS:
                discount = END_DISCOUNT
            continue
        if c in (SHORT, BAD, STOP, FURNITURE):
            gap += 1
        elif c in (GOOD, NEAR):
            gap = 0
        w = _cost(c, s)
        if c == GOOD:
            good_before += s.length
            w *= discount
        elif w < 0 and gap > 1:
            w *= 1.0 + GAP_GROWTH * (gap - 1)
        if cur <= 0:
            if c != GOOD:
                continue
            cur, cur_start = 0.0, i
        cur += w
        if c == GOOD and cur > best:
            best, best_span = cur, (cur_start, i)
    return best_span


# --------------------------------------------------------------------------- header fields


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return set()
    toks: set[str] = set()
    for part in path.split("/")[-2:]:
        part = re.sub(r"\.\w{2,5}$", "", part)
        toks.update(t for t in re.split(r"[^\w]+|_", part.lower()) if t and not t.isdigit())
    return toks


def _similar(a: str, b: str) -> float:
    """Token Dice overlap of two strings, 0..1."""
    ta, tb = set(_tokens(a)), set(_tokens(b))
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def split_caption(text: str) -> tuple[str, str] | None:
    """(caption, credit) when a line ends in an image credit ("... © Xinhua/AP",
    "... Photo: Jane Doe", "... (Jane Doe/Reuters)"), else None. The credit is
    returned without its "©"/"Photo:" prefix; the caption may be ""."""
    if not _CREDIT_KEYS.search(text.lower()):
        return None
    m = _CREDIT_TAIL.search(text)
    if m:
        credit = (m.group(1) or m.group(2) or "").strip(" .")
        if credit and _words(credit) <= 10:
            return text[: m.start()].strip(), credit
    m = _CREDIT_PAREN.search(text)
    if m and _AGENCY.search(m.group(1)):
        return text[: m.start()].strip(), m.group(1).strip()
    return None


def _is_credit_only(text: str) -> bool:
    """A short line that is only a photo credit ("Jane Doe/Getty Images")."""
    return len(text) <= 80 and "/" in text and _words(text) <= 8 and bool(_AGENCY.search(text)) and not _SENT_END.search(text)


def _title_like(seg: Segment) -> bool:
    t = seg.text
    n = _words(t)
    if seg.tag == "li" or not (2 <= n <= 30) or not (8 <= len(t) <= 250):
        return False
    if t.endswith((".", ",", ";", ":")) and not t.endswith("..."):
        return False
    if t[0].islower():
        return False  # image alt texts ("a table full of vegan foods"), not headlines
    if _BYLINE.match(t) or _DATE_ANY.search(t) and n <= 8:
        return False
    return len(_LETTER.findall(t)) >= 0.6 * len(t.replace(" ", ""))


@dataclass(slots=True)
class _Header:
    title: str = ""
    subtitle: str = ""
    section: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    captions: tuple[tuple[int, str, str], ...] = ()
    title_idx: int | None = None
    used: frozenset = frozenset()


def _find_date(text: str) -> str:
    m = _DATE_WORDS.search(text) or _DATE_ANY.search(text)
    if not m:
        return ""
    return normalise_date(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", m.group(1)))


def read_header(segs: list[Segment], classes: list[str], start: int, url: str | None = None, title: str | None = None) -> _Header:
    """Headline, standfirst, section label, authors, date and image captions from the
    `HEADER_LINES` lines before the body run starting at `start` (see module docstring)."""
    h = _Header()
    lo = max(0, start - HEADER_LINES)
    # Do not look past a template or end-of-article line: that is another part of the page.
    for i in range(start - 1, lo - 1, -1):
        if classes[i] in (STOP, END) or has_template(segs[i].text):
            lo = i + 1
            break
    zone = list(range(lo, start))
    used: set[int] = set()
    captions = []
    for i in zone:
        t = segs[i].text
        cap = split_caption(t)
        if cap is not None and cap[0] and _words(cap[0]) >= 3:
            captions.append((i, cap[0], cap[1]))
            used.add(i)
            # A flattener often writes the image's alt text just before its caption.
            if i - 1 >= lo and i - 1 not in used and cap[0].startswith(segs[i - 1].text.rstrip(". ")[:60]):
                used.add(i - 1)
        elif _is_credit_only(t):
            used.add(i)
    authors: list[str] = []
    date = ""
    for i in zone:
        t = segs[i].text
        if i in used:
            continue
        if _BYLINE.match(t) and len(t) <= 200:
            names = split_names(re.split(r"(?i)(?:published|updated|posted)\b|\d{1,2}:\d{2}|\|", t)[0])
            authors.extend(n for n in names if n not in authors)
            used.add(i)
            date = date or _find_date(t)
            continue
        if len(t) <= 80 and (_DATE_WORDS.search(t) or (_DATE_ANY.search(t) and _words(t) <= 8)):
            d = _find_date(t)
            if d:
                date = date or d
                used.add(i)
    cands = [i for i in zone if i not in used and classes[i] not in (BAD, STOP, END, FURNITURE) and _title_like(segs[i])]
    # Evidence (title hint, URL slug, repetition) may point further up: menus often sit
    # between the headline and the body in flattened text.
    wide = [i for i in range(max(0, start - TITLE_LINES), lo)
            if classes[i] not in (BAD, STOP, END, FURNITURE) and segs[i].tag != "li" and _title_like(segs[i])] + cands
    pick = None
    hint = clean(title or "")
    if hint and wide:
        # A <title> is often "Headline - Site": each part is matched too, so that the
        # headline's own line beats the <title>'s (which a WET record starts with).
        parts = [hint] + [p for p in TITLE_SEPARATORS.split(hint) if p.strip()]
        # A one-word headline ("Escopete - Wikipedia") is too short to be title-like
        # alone; a line that is exactly a part of the <title> is one all the same.
        exact = {p.strip().lower() for p in parts if len(p.strip()) >= 3}
        named = [i for i in range(max(0, start - TITLE_LINES), start)
                 if segs[i].text.lower() in exact and classes[i] not in (BAD, STOP, END, FURNITURE) and segs[i].tag != "li"]

        def hint_score(i: int) -> float:
            return max(_similar(segs[i].text, p) for p in parts)

        scored = max(wide + named, key=lambda i: (hint_score(i), -abs(start - i)))
        if hint_score(scored) >= 0.6 or (len(segs[scored].text) >= 10 and segs[scored].text.lower() in hint.lower()):
            pick = scored
    slug = _slug_tokens(url)
    if pick is None and len(slug) >= 3 and wide:
        def slug_score(i: int) -> float:
            toks = set(_tokens(segs[i].text))
            return 2 * len(toks & slug) / (len(toks) + len(slug)) if toks else 0.0

        best = max(wide, key=lambda i: (slug_score(i), i))
        if slug_score(best) >= 0.5:
            pick = best
    if pick is None and cands:
        # A headline the page repeats (breadcrumb, <title> line) is likely the headline.
        texts = {}
        for j, s in enumerate(segs[: start + 1]):
            texts.setdefault(s.text.lower(), []).append(j)
        repeated = [i for i in wide if len(texts.get(segs[i].text.lower(), ())) > 1 and _words(segs[i].text) >= 3]
        if repeated:
            pick = repeated[-1]
    if pick is None and cands:
        long_ = [i for i in cands if _words(segs[i].text) >= 4]
        pick = (long_ or cands)[0]
    if pick is not None:
        h.title, h.title_idx = segs[pick].text, pick
        used.add(pick)
        # Section label: a short line just before the headline.
        j = pick - 1
        if j >= 0 and j not in used and classes[j] not in (BAD, STOP, END, FURNITURE):
            t = segs[j].text
            if _words(t) <= 5 and len(t) <= 40 and not _SENT_END.search(t) and t.lower() != h.title.lower() \
                    and len(_LETTER.findall(t)) >= 0.6 * len(t.replace(" ", "")):  # words, not coordinates or a time
                h.section = t
                used.add(j)
        # Standfirst: the first sentence-like line after the headline, before the body.
        for j in range(max(pick + 1, lo), start):
            if j in used or classes[j] in (BAD, STOP, END, FURNITURE) or segs[j].tag == "li":
                continue
            t = segs[j].text
            if t.lower() == h.title.lower():
                used.add(j)
                continue
            if _words(t) >= 5 and len(t) <= 400 and len(_LETTER.findall(t)) >= 0.6 * len(t.replace(" ", "")):
                h.subtitle = t
                used.add(j)
                break
    h.authors = tuple(authors)
    h.date = date
    h.captions = tuple(captions)
    h.used = frozenset(used)
    return h


# --------------------------------------------------------------------------- extraction


def _input_text(text: bytes | str, options: Options, deadline: Deadline | None = None, charset: str | None = None) -> str:
    if isinstance(text, (bytes, bytearray, memoryview)):
        out, _ = decode_input(bytes(text), options, charset, "page text")
    elif isinstance(text, str):
        check_size(text, options)
        out = text
        try:
            out.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (from bad UTF-16 or surrogateescape decoding) become U+FFFD.
            out = out.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    else:
        raise InvalidInput(f"text must be bytes or str, not {type(text).__name__}")
    if "\x00" in out:
        out = out.replace("\x00", "")
    if "\r" in out:
        out = out.replace("\r\n", "\n").replace("\r", "\n")
    return repair_mojibake(out, "\n", "\n", deadline)


def extract_lines(
    text: bytes | str, url: str | None, options: Options, *, title: str | None = None, site: SiteProfile | None = None,
    charset: str | None = None,
) -> Article | None:
    """The pipeline behind `copydesk.extract_text` (see there)."""
    deadline = Deadline(options.timeout)
    s = _input_text(text, options, deadline, charset)
    deadline.check()
    segs = segment_lines(s, deadline)
    deadline.check()
    classes = []
    seen: dict[tuple[str, str], str] = {}  # menus and teasers repeat within a page
    for n, seg in enumerate(segs):
        if n % _CHECK_EVERY == 0:
            deadline.check()
        key = (seg.text, seg.tag)
        c = seen.get(key)
        if c is None:
            c = seen[key] = line_class(seg)
        classes.append(c)
    if site is not None:
        marked = [i for i, c in enumerate(classes) if c not in (BAD, STOP, END) and site.is_boilerplate(segs[i].text, url)]
        # Site evidence never removes every good line: a page crawled many times is still an article.
        if any(classes[i] == GOOD for i in range(len(classes)) if i not in set(marked)):
            for i in marked:
                classes[i] = BAD
    deadline.check()
    span = body_run(classes, segs)
    if span is None:
        return None
    first, last = span
    # Extend forward over trailing sentence-like lines (short closing paragraphs).
    j = last + 1
    while j < len(segs) and classes[j] in (GOOD, NEAR):
        last = j
        j += 1
    header = read_header(segs, classes, first, url=url, title=title)
    deadline.check()

    kept: list[Segment] = []
    for idx, cap, credit in header.captions:
        kept.append(Segment("figure", cap, "figure", (0, 0), image=Image(caption=cap, credit=credit), keep=True, role="body"))
    i = first
    while i <= last:
        seg, c = segs[i], classes[i]
        if c in (BAD, STOP, END) or c == FURNITURE:
            i += 1
            continue
        if c == CAPTION:
            cap = split_caption(seg.text)
            if cap is not None and cap[0]:
                kept.append(Segment("figure", cap[0], "figure", seg.path, image=Image(caption=cap[0], credit=cap[1]), keep=True, role="body"))
            i += 1
            continue
        if seg.tag == "li":
            items = []
            while i <= last and segs[i].tag == "li" and classes[i] not in (BAD, STOP, END) and classes[i] != FURNITURE:
                items.append(segs[i].text)
                i += 1
            kept.append(Segment("list", "\n".join(items), "ul", seg.path, items=tuple(items), keep=True, role="body"))
            continue
        nxt = next((k for k in range(i + 1, last + 1) if classes[k] not in (BAD, STOP, END)), None)
        if c == SHORT and not _SENT_END.search(seg.text) and _words(seg.text) <= 20 and nxt is not None and classes[nxt] in (GOOD, NEAR):
            kept.append(Segment("heading", seg.text, "h2", seg.path, level=2, keep=True, role="body"))
        else:
            seg.keep, seg.role = True, "body"
            kept.append(seg)
        i += 1
    blocks, images, dateline = assemble(kept, options, base_url=url, drop_repeats=False)
    if not blocks:
        return None
    body_text = "\n".join(b.text for b in blocks)
    language = options.language or identify_language(body_text)
    deadline.check()
    good = sum(segs[k].length for k in range(first, last + 1) if classes[k] == GOOD)
    total_good = sum(seg.length for seg, c in zip(segs, classes) if c == GOOD) or 1
    kept_chars = sum(len(b.text) for b in blocks) or 1
    conf = 0.4 * (good / total_good) + 0.3 * min(1.0, good / kept_chars) + 0.3 * min(1.0, good / 1500)
    # Paywall evidence: a meter or offer line (a notice or an unrendered template naming
    # articles left, subscriptions, expiry). Without it the text says nothing: None.
    paywalled = True if any(_PAYWALL.search(seg.text) and (c == BAD or has_template(seg.text)) for seg, c in zip(segs, classes)) else None
    return Article(
        title=header.title,
        subtitle=header.subtitle,
        section=header.section,
        authors=header.authors,
        dateline=dateline,
        date_published=header.date,
        language=language,
        url=url or "",
        images=images if options.images else (),
        paywalled=paywalled,
        page_type="article" if good >= 1000 else "other",
        confidence=round(max(0.0, min(1.0, conf)), 3),
        blocks=blocks,
    )


_PAYWALL = re.compile(r"free (?:articles?|stories)|unlimited (?:digital )?access|subscribers? only|subscription|expired", re.IGNORECASE)
