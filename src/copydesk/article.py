"""The one contract every stage, renderer, writer and test speaks: `Article` and `Block`.

Both are frozen dataclasses holding only tuples, strings, numbers and None, so
they are immutable, hashable where it matters, picklable across processes and
cheap to turn into JSON (`Article.to_dict()` / `Article.to_json()`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list", "table", "quote", "code", "figure"]

PAGE_TYPES = ("article", "forum", "product", "listing", "collection", "documentation", "service", "other")


@dataclass(frozen=True, slots=True)
class Image:
    """An image of the article.

    - `src`: absolute URL when the page's URL is known, else as written.
    - `alt`: the `alt` attribute, or "".
    - `caption`: the visible caption (`<figcaption>` or a caption-like element next
      to the image) without the credit, or "".
    - `credit`: the photo credit ("Xinhua/AP"), without a leading "©", "Photo:" or
      "Credit:", taken from a credit-like element inside the caption or from a
      trailing "© ..." in the caption text, or "".
    """

    src: str = ""
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the article body, in reading order.

    - `kind`: heading, paragraph, list, table, quote, code or figure.
    - `text`: the block's plain text. For a list, its items joined by newlines; for
      a table, its rows with cells joined by " | "; for a figure, the caption.
    - `level`: heading level 1-6 (headings only, else 0).
    - `items`: list items (lists only).
    - `ordered`: True for a numbered list.
    - `rows`: table rows, each a tuple of cell texts (tables only); the first row is
      the header when `header` is True.
    - `image`: the figure's image (figures only).
    - `links`: (text, href) pairs inside the block, kept only when links are on.
    """

    kind: BlockKind
    text: str
    level: int = 0
    items: tuple[str, ...] = ()
    ordered: bool = False
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False
    image: Image | None = None
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """What copydesk recovers from one page.

    Metadata fields are read from several sources; the first source that gives a
    usable value wins, in the order given for each field (JSON-LD is schema.org
    data in `<script type="application/ld+json">`; "meta" is OpenGraph, Twitter
    card, Dublin Core and plain `<meta name>` tags; microdata is `itemprop`).

    - `title`: the headline. JSON-LD `headline`, `og:title`, microdata `headline`,
      the article's `<h1>`, then `<title>` with the site name stripped.
    - `subtitle`: the standfirst (dek): a short summary shown under the headline.
      A visible element between headline and body whose class says
      sub-title/standfirst/dek/summary, or whose text equals the page
      description; JSON-LD `alternativeHeadline`. "" when the page shows none.
    - `section`: JSON-LD `articleSection`, `article:section`, then a visible
      topic/kicker link above the headline. "" when unknown.
    - `authors`: JSON-LD `author` names (Person or Organization), `article:author`
      and `author` meta when they are names (not URLs), microdata `author`, then a
      visible byline ("By A and B"). Deduplicated, in page order.
    - `dateline`: the place a news story was filed from, as it opens the first
      paragraph ("DALIAN/BEIJING -- ..."), without the separator. "" if none.
    - `date_published`, `date_modified`: ISO 8601 (date, or date and time with
      offset when the page gives one). JSON-LD `datePublished`/`dateModified`,
      `article:published_time`/`article:modified_time` and similar meta,
      microdata, then a `<time datetime>` in the article; for the publication
      date also the page's script state, its visible date line, then a date in
      the URL path (see `copydesk.dates`). "" when unknown.
    - `site_name`: JSON-LD publisher name, `og:site_name`, `application-name`,
      then the suffix of `<title>` after a separator. "" when unknown.
    - `language`: BCP 47 tag: `<html lang>`, `content-language` meta,
      `og:locale`, then language identification of the body text (CLD2).
    - `url`: `<link rel=canonical>`, `og:url`, JSON-LD `url`, then the URL the
      page was fetched from. "" when none is known.
    - `images`: the article's images, in order (see `Image`).
    - `paywalled`: True when JSON-LD `isAccessibleForFree` is false (on the
      article or a `hasPart`) or the page carries paywall/meter templates; False
      when it says the article is free; None when the page gives no evidence.
    - `page_type`: one of `PAGE_TYPES`, from schema.org types, `og:type`, the URL
      path and the page's shape (see `copydesk.pagetype`).
    - `confidence`: 0..1, how sure copydesk is that `blocks` is the page's main
      content (see `classify.confidence`).
    - `blocks`: the body, in reading order (see `Block`). The headline,
      standfirst, section label and byline are fields, not blocks.

    Renderings: `text` (plain prose: the standfirst, then the body, blocks separated
    by a blank line; figure captions are left out of it and kept in `images`), `markdown`,
    `html` (clean, body only), `to_dict()` and `to_json()`.
    """

    title: str = ""
    subtitle: str = ""
    section: str = ""
    authors: tuple[str, ...] = ()
    dateline: str = ""
    date_published: str = ""
    date_modified: str = ""
    site_name: str = ""
    language: str = ""
    url: str = ""
    images: tuple[Image, ...] = ()
    paywalled: bool | None = None
    page_type: str = "article"
    confidence: float = 0.0
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """The standfirst and the body's prose as plain text, blocks separated by a blank line (no figure captions)."""
        from copydesk.render import to_text

        return to_text(self)

    @property
    def markdown(self) -> str:
        """The article as Markdown: headline as `#`, standfirst in italics, then the body."""
        from copydesk.render import to_markdown

        return to_markdown(self)

    @property
    def html(self) -> str:
        """The article as clean HTML: `<article>` with headline, standfirst and body."""
        from copydesk.render import to_html

        return to_html(self)

    def to_dict(self) -> dict:
        """All fields as plain JSON types, plus `text`; blocks as dicts without empty keys."""
        d = asdict(self)
        d["authors"] = list(self.authors)
        d["images"] = [asdict(i) for i in self.images]
        d["blocks"] = [_block_dict(b) for b in self.blocks]
        d["text"] = self.text
        return d

    def to_json(self, indent: int | None = 2) -> str:
        """`to_dict()` as a JSON string (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _block_dict(b: Block) -> dict:
    d: dict = {"kind": b.kind, "text": b.text}
    if b.level:
        d["level"] = b.level
    if b.items:
        d["items"] = list(b.items)
        d["ordered"] = b.ordered
    if b.rows:
        d["rows"] = [list(r) for r in b.rows]
        d["header"] = b.header
    if b.image is not None:
        d["image"] = asdict(b.image)
    if b.links:
        d["links"] = [list(x) for x in b.links]
    return d
