"""Stage 4, segment: the pruned DOM as text blocks in reading order, with features.

A block is what a reader sees as one unit: a heading, a paragraph, a list, a
table, a quote, a code listing, a figure, or a run of loose text in a container
(split at `<br><br>` and block boundaries). Each `Segment` carries the features
the classifier needs: text length, link text length, its container path (the
element identities from `<body>` down, used to find the main container; the
`names` map gives each element's tag and class for comparing containers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from copydesk.article import Image
from copydesk.options import Deadline
from copydesk.prune import class_tokens, name_tokens

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
PARAGRAPH_TAGS = frozenset({"p", "dt", "dd", "address", "summary", "caption", "figcaption", "legend"})
INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i img ins kbd label mark nobr q rp rt ruby s samp "
    "small span strike strong sub sup time tt u var wbr br #text #comment picture source".split()
)
BLOCK_DESCENDANTS = "p, div, h1, h2, h3, h4, h5, h6, ul, ol, table, pre, blockquote, section, article, figure, li"
BLOCK_TAGS = frozenset(BLOCK_DESCENDANTS.split(", "))
"""Tags that make an inline element a wrapper of blocks (a teaser card in an <a>)."""
PARAGRAPH_BLOCK_TAGS = frozenset({"p", "ul", "ol", "table", "h2", "h3", "h4", "blockquote", "pre"})
"""Tags that make a paragraph-like element a container (a <dd> holding paragraphs)."""
HEADING_BLOCK_TAGS = frozenset({"div", "p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6"})
"""Elements that break a heading's text into lines (a kicker above the title)."""
CREDIT_TOKENS = frozenset("credit credits cite copyright source photographer byline author attribution courtesy".split())
MAX_DEPTH = 150
"""Deepest element path walked block by block; real pages stay under about 60."""
_BR = "\x1e"
_BR_BREAK = re.compile(r"\x1e\s*\x1e")
_CREDIT_PREFIX = re.compile(r"^\s*(?:©|\(c\)|photo(?:graph)?s?\s*(?:by|:)|credit\s*:|image\s*(?:by|:)|foto\s*:|source\s*:)\s*", re.IGNORECASE)
_TRAILING_CREDIT = re.compile(
    r"\s*\(?(?:©|\(c\)|(?:photo(?:graph)?|image|picture|credit|foto)s?\s*(?:by\b|:))\s*([^©()]{2,80}?)\)?$", re.IGNORECASE
)


def has_descendant(node, selector: str) -> bool:
    """True if an element below `node` has one of the tags in `selector` (tag names
    separated by commas). Lexbor's selectors also match the node itself, which is
    left out when its own tag is in `selector`."""
    if node.tag not in _selector_tags(selector):
        return node.css_first(selector) is not None
    # Each child's subtree is asked, stopping at its first match: the list of every
    # match below a table is as long as the tables nested in it, and a walk down
    # 387,000 nested tables listed them at each level (14 s, past the time limit).
    return any(child.css_first(selector) is not None for child in node.iter())


@lru_cache(maxsize=64)
def _selector_tags(selector: str) -> frozenset[str]:
    return frozenset(part.strip() for part in selector.split(","))


def scan_below(node, blocks: frozenset) -> tuple[bool, list]:
    """(True if an element below `node` has a tag in `blocks`, the <a> elements met
    before it). One walk of a small subtree in Python is cheaper than Lexbor's selector
    engine, which parses its selector on every call (about 2.5-5 us)."""
    anchors = []
    below = node.traverse()
    next(below)  # the node itself
    for d in below:
        tag = d.tag
        if tag in blocks:
            return True, anchors
        if tag == "a":
            anchors.append(d)
    return False, anchors


def clean(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped (str.split's whitespace is
    the same set as the regex \\s, and splitting is faster than a substitution)."""
    return " ".join(text.split())


@dataclass(slots=True)
class Segment:
    """One block of the page with its features (mutable: classify writes `score`/`keep`)."""

    kind: str
    text: str
    tag: str
    path: tuple[int, ...]
    link_chars: int = 0
    level: int = 0
    items: tuple[str, ...] = ()
    ordered: bool = False
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False
    image: Image | None = None
    links: tuple[tuple[str, str], ...] = ()
    caption: bool = False  # text of a figure caption (<figcaption>)
    index: int = 0
    score: float = 0.0
    keep: bool = False
    role: str = ""
    furniture: bool | None = None  # classify.is_furniture's answer, once asked
    length: int = field(init=False)
    """Characters of `text` (text and link counts are fixed once made: both are read
    many times by the rules)."""
    link_density: float = field(init=False)
    """Share of the block's characters inside links, 0..1."""

    def __post_init__(self) -> None:
        self.length = len(self.text)
        self.link_density = min(1.0, self.link_chars / self.length) if self.length else 0.0


# Contact links (an e-mail address, a phone number) lead to no other page: they are
# not navigation, so their text does not count towards a block's link density. A
# newsroom's "Local: metro@… or 202…" lines are article, not menu.
_CONTACT_SCHEMES = ("mailto:", "tel:")


def link_text_len(anchors) -> int:
    """Characters of the <a> elements' text that count as link text: all of it, but
    none of a contact link's (`_CONTACT_SCHEMES`). One loop, no call per anchor: a
    page has hundreds."""
    total = 0
    for a in anchors:
        href = a.attrs.get("href")
        if not (href and href.startswith(_CONTACT_SCHEMES)):
            total += len(clean(a.text(deep=True)))
    return total


def _links(node, keep_links: bool, in_link: bool = False, anchors: list | None = None) -> tuple[int, tuple[tuple[str, str], ...]]:
    """(characters of link text, (text, href) pairs when kept) of an element; all of its
    text when the element itself sits inside a link. `anchors`: its <a> elements, when
    the caller has them already."""
    if in_link:
        return len(clean(node.text(deep=True))), ()
    if anchors is None:
        anchors = node.css("a")
    total = link_text_len(anchors)
    if not keep_links:
        return total, ()
    pairs = []
    for a in anchors:
        href = a.attributes.get("href") or ""
        if href and not href.startswith(("javascript:", "#")):
            pairs.append((clean(a.text(deep=True)), href))
    return total, tuple(pairs)


def image_of(img) -> Image:
    """An `Image` from an `<img>` element (src from src, data-src or the first srcset entry)."""
    attrs = img.attributes
    src = attrs.get("src") or attrs.get("data-src") or attrs.get("data-lazy-src") or ""
    if (not src or src.startswith("data:")) and attrs.get("srcset"):
        src = attrs["srcset"].split(",")[0].split()[0]
    if src.startswith("data:"):
        src = ""
    return Image(src=src, alt=clean(attrs.get("alt") or ""))


def split_credit(caption_node) -> tuple[str, str]:
    """(caption, credit) from a caption element: a credit-named child element (of at most
    `CREDIT_MAX_CHARS`), else a trailing "© ...", "Photo: ..." or "(Credit: ...)" after
    the caption text."""
    full = clean(caption_node.text(deep=True))
    credit = ""
    for child in caption_node.css("*"):
        if class_tokens(child) & CREDIT_TOKENS:
            credit = clean(child.text(deep=True))
            if len(credit) > CREDIT_MAX_CHARS:
                credit = ""  # a credit element left open over the story: the caption's text
            break
    if credit:
        caption = clean(full.replace(credit, "")) if credit in full else full
    else:
        m = _TRAILING_CREDIT.search(full)
        if m and m.start() > 0:  # after the caption ("... city. Photo: J. Smith"), not the whole of it
            credit, caption = m.group(1).strip(), full[: m.start()].strip()
        else:
            caption = full
    return caption, _CREDIT_PREFIX.sub("", credit).strip()


class Segmenter:
    """Walks a pruned tree once and collects `Segment`s (see `segment`)."""

    def __init__(self, keep_links: bool, deadline: Deadline | None):
        self.keep_links = keep_links
        self.deadline = deadline
        self.out: list[Segment] = []
        self.buf: list[str] = []
        self.buf_links = 0
        self.visited = 0
        self.names: dict[int, str] = {}
        self.link_depth = 0
        self.depth = 0  # walk() nesting, which inline wrappers deepen without a longer path
        self.in_caption = 0  # how many <figcaption>s the walk is inside

    def down(self, path: tuple[int, ...], node, cls: str | None = None) -> tuple[int, ...]:
        """The path one element deeper; remembers the element's tag and class (`cls`,
        when the caller has read it already)."""
        key = node.mem_id
        if key not in self.names:
            if cls is None:
                cls = node.attrs.get("class") or ""
            self.names[key] = f"{node.tag}.{cls}"
        return path + (key,)

    def flush(self, path) -> None:
        if not self.buf:
            return
        raw = "".join(self.buf)
        link_chars = self.buf_links
        self.buf, self.buf_links = [], 0
        if raw.isspace():
            return  # the whitespace between block elements (and lone <br>s)
        # Two <br> in a row (with only whitespace between) break a paragraph; one is a space.
        parts = [clean(p.replace(_BR, " ")) for p in _BR_BREAK.split(raw)]
        parts = [p for p in parts if p]
        total = sum(len(p) for p in parts) or 1
        for part in parts:
            # Where the buffer's links fell is not tracked: each part takes its
            # proportional share of the link characters.
            share = link_chars if len(parts) == 1 else round(link_chars * len(part) / total)
            self.emit(Segment("paragraph", part, "#text", path, link_chars=share))

    def emit(self, seg: Segment) -> None:
        if seg.text or seg.image is not None:
            if self.in_caption or seg.tag == "figcaption":
                seg.caption = True
            seg.index = len(self.out)
            self.out.append(seg)

    def walk(self, node, path: tuple[int, ...]) -> None:
        self.visited += 1
        if self.deadline is not None and self.visited % 512 == 0:
            self.deadline.check()
        if len(path) > MAX_DEPTH or self.depth > MAX_DEPTH:
            # Nesting no real layout reaches (and deeper than Python's recursion
            # allows): read the rest of the subtree as one block of text.
            self.buf.append(" " + node.text(deep=True, separator=" ") + " ")
            return
        self.depth += 1
        try:
            self._walk_children(node, path)
        finally:
            self.depth -= 1

    def _walk_children(self, node, path: tuple[int, ...]) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag or "#"
            if tag == "-text":
                t = child.text_content or ""
                if self.buf or not t.isspace():
                    # (Whitespace before a run's first text, the indentation between
                    # blocks, is nothing a flush keeps: left out, most flushes find
                    # the buffer empty.)
                    self.buf.append(t)
                    if self.link_depth:
                        self.buf_links += len(t.strip())
            elif tag in INLINE_TAGS or tag.startswith("#"):
                self.inline(child, tag, path)
            elif tag == "-comment":
                self.flush(path)  # a comment ends the run of text before it, as a block would
            elif tag in HEADINGS:
                self.flush(path)
                self.leaf(child, "heading", tag, path, level=HEADINGS[tag])
            elif tag in PARAGRAPH_TAGS:
                self.flush(path)
                self.leaf(child, "paragraph", tag, path)
            elif tag == "pre":
                self.flush(path)
                self.code(child, path)
            elif tag in ("ul", "ol"):
                self.flush(path)
                self.list_(child, tag, path)
            elif tag == "table":
                self.flush(path)
                self.table(child, path)
            elif tag == "blockquote":
                self.flush(path)
                self.quote(child, path)
            elif tag == "figure":
                self.flush(path)
                self.figure(child, path)
            elif tag == "hr":
                self.flush(path)
            else:
                self.flush(path)
                attrs = child.attrs  # one attribute at a time: cheaper than the .attributes dict
                cls = attrs.get("class") or ""
                ident = attrs.get("id") or ""
                ctokens = name_tokens(f"{cls} {ident}") if "aption" in cls or "aption" in ident or "APTION" in cls else frozenset()
                if "wp-caption" in ctokens or ("caption" in ctokens and child.css_first("img") is not None):
                    self.figure(child, path)
                else:
                    self.walk(child, self.down(path, child, cls))
                self.flush(path)

    def inline(self, node, tag, path) -> None:
        # (<br>s are gone: segment_page turned them into `_BR` text.)
        if tag in ("img", "#comment", "picture", "source", "wbr") or tag.startswith("#"):
            return
        wraps_blocks, anchors = scan_below(node, BLOCK_TAGS)
        if wraps_blocks:
            # An inline element wrapping blocks (a teaser card, a <font> round the page).
            self.flush(path)
            if tag == "a":
                self.link_depth += 1
            self.walk(node, path)
            self.flush(path)
            if tag == "a":
                self.link_depth -= 1
            return
        text = node.text(deep=True)
        if self.link_depth:
            self.buf_links += len(clean(text))
        elif tag == "a":
            href = node.attrs.get("href")
            if not (href and href.startswith(_CONTACT_SCHEMES)):
                self.buf_links += len(clean(text))
        elif anchors:
            self.buf_links += link_text_len(anchors)
        self.buf.append(text)

    def leaf(self, node, kind, tag, path, level: int = 0) -> None:
        heading = kind == "heading"
        has_blocks, anchors = scan_below(node, HEADING_BLOCK_TAGS if heading else PARAGRAPH_BLOCK_TAGS)
        if has_blocks and not heading:
            caption = tag == "figcaption"
            self.in_caption += caption
            self.walk(node, self.down(path, node))
            self.flush(path)
            self.in_caption -= caption
            return
        # Block elements inside a heading ("<h2><div>Kicker</div><span>Title</span></h2>")
        # are separate lines to the reader: keep a space between them. (The scan
        # stopped at the first one, so its <a> list is partial: links are read anew.)
        text = clean(node.text(deep=True, separator=" ") if has_blocks else node.text(deep=True))
        if not text:
            return
        link_chars, links = _links(node, self.keep_links, self.link_depth > 0, None if has_blocks else anchors)
        self.emit(Segment(kind, text, tag, path, link_chars=link_chars, level=level, links=links))

    def code(self, node, path) -> None:
        text = node.text(deep=True).replace(_BR, "\n").strip("\n")
        if text.strip():
            self.emit(Segment("code", text, "pre", path))

    def list_(self, node, tag, path) -> None:
        if has_descendant(node, "h1, h2, h3, h4, h5, h6, table, pre, blockquote, figure"):
            self.walk(node, self.down(path, node))
            return
        items = []
        for child in node.iter():
            # A list nested straight in its parent list (<ul><li>Examples:</li><ul>...),
            # as some editors write it, holds items too.
            for li in (child,) if child.tag == "li" else child.iter() if child.tag in ("ul", "ol") else ():
                if li.tag == "li":
                    t = clean(li.text(deep=True))
                    if t:
                        items.append(t)
        if not items:
            return
        link_chars, links = _links(node, self.keep_links, self.link_depth > 0)
        self.emit(
            Segment("list", "\n".join(items), tag, path, link_chars=link_chars, items=tuple(items),
                    ordered=tag == "ol", links=links)
        )

    def table(self, node, path) -> None:
        if self.deadline is not None:
            self.deadline.check()  # nested tables each read their subtree
        rows = []
        header = False
        layout = has_descendant(node, "table, h1, h2, article, main, form")
        if not layout:
            for i, tr in enumerate(node.css("tr")):
                cells = [c for c in tr.iter() if c.tag in ("td", "th")]
                texts = tuple(clean(c.text(deep=True)) for c in cells)
                if any(len(t) > 400 for t in texts):
                    layout = True
                    break
                if any(texts):
                    if i == 0 and cells and all(c.tag == "th" for c in cells):
                        header = True
                    rows.append(texts)
        if layout or not rows:
            self.walk_cells(node, path)
            return
        if len(rows) == 1 or max(len(r) for r in rows) == 1:
            # One row or one column is layout, not data: read cells as paragraphs.
            self.walk_cells(node, path)
            return
        link_chars, links = _links(node, self.keep_links, self.link_depth > 0)
        text = "\n".join(" | ".join(r) for r in rows)
        self.emit(Segment("table", text, "table", path, link_chars=link_chars, rows=tuple(rows), header=header, links=links))

    def walk_cells(self, node, path) -> None:
        """A layout table: each of its own cells is a container (nested tables recurse)."""
        tpath = self.down(path, node)
        for cell in _own_cells(node):
            cpath = tpath + (cell.mem_id,)
            self.walk(cell, cpath)
            self.flush(cpath)

    def quote(self, node, path) -> None:
        if has_descendant(node, "ul, ol, table, pre, h2, h3, h4"):
            # A quoted passage with lists or tables: its blocks, each with its own features.
            self.walk(node, self.down(path, node))
            self.flush(path)
            return
        paras = [clean(p.text(deep=True)) for p in node.css("p")] or [clean(node.text(deep=True))]
        text = "\n\n".join(p for p in paras if p)
        if text:
            link_chars, links = _links(node, self.keep_links, self.link_depth > 0)
            self.emit(Segment("quote", text, "blockquote", path, link_chars=link_chars, links=links))

    def figure(self, node, path) -> None:
        if self.deadline is not None:
            self.deadline.check()  # nested figures each read their whole subtree
        img = node.css_first("img")
        cap = node.css_first("figcaption") or _caption_below(node)
        if cap is None and _holds_prose(node, img):
            # A container named for captions that holds paragraphs of text (a photo
            # essay's "caption-image" blocks): they are the story, not a caption.
            if img is not None:
                self.emit(Segment("figure", "", "figure", path, image=image_of(img)))
            self.walk(node, self.down(path, node))
            self.flush(path)
            return
        if cap is None and "caption" in (node.attributes.get("class") or "").lower():
            cap = node  # a caption-named container with an image: its own text is the caption
        caption, credit = split_credit(cap) if cap is not None else ("", "")
        credit_part = None
        if cap is not None and not credit and cap is not node:
            credit, credit_part = _credit_beside(cap)
        if img is None:
            if has_descendant(node, "p, pre, table, ul, ol, blockquote"):
                self.walk(node, self.down(path, node))
            elif caption:
                self.emit(Segment("paragraph", caption, "figcaption", path))
            return
        image = image_of(img)
        if len(caption) > CAPTION_MAX_CHARS:
            # A "caption" of several sentences is the story's text set beside its picture
            # (a teaser block): a paragraph, after a figure without caption.
            self.emit(Segment("figure", "", "figure", path, image=image))
            self.emit(Segment("paragraph", caption, "figcaption", path))
        else:
            image = Image(src=image.src, alt=image.alt, caption=caption, credit=credit)
            self.emit(Segment("figure", caption, "figure", path, image=image))
        if cap is not node and _text_beyond(node, len(caption) + len(credit) + CAPTION_MAX_CHARS):
            # Prose beside the caption inside the figure's box (an unclosed tag in the
            # caption pulls the story into it): the story is read, the caption once.
            for part in (cap, credit_part):
                if part is not None:
                    part.decompose()
            self.walk(node, self.down(path, node))
            self.flush(path)


CAPTION_MAX_CHARS = 400
"""Longest text kept as a figure's caption; longer, it is a paragraph of the body."""


PROSE_PARAGRAPHS_LOOKED_AT = 8
"""Paragraphs `_holds_prose` reads at most (the first ones): nested figures would
otherwise have every level reread every paragraph below it."""


def _holds_prose(node, img) -> bool:
    """True if one of the first `PROSE_PARAGRAPHS_LOOKED_AT` paragraphs in `node` is
    text that is not an image's caption: without an image of its own (paragraphs
    that each hold an image are image-and-caption units) and not a repeat of the
    image's alt text."""
    alt = clean((img.attributes.get("alt") or "") if img is not None else "")
    for p in node.css("p")[:PROSE_PARAGRAPHS_LOOKED_AT]:
        text = clean(p.text(deep=True))
        if text and text != alt and p.css_first("img") is None:
            return True
    return False


TEXT_SCAN_NODES = 2000
"""Nodes `_text_beyond` reads at most: boxes nested in boxes would otherwise have each
level read all the text below it."""


def _text_beyond(node, limit: int) -> bool:
    """True if `node`'s subtree holds more than `limit` characters of text (whitespace
    runs counted as one), read in document order and stopping once over the limit or
    after `TEXT_SCAN_NODES` nodes."""
    chars = 0
    for seen, t in enumerate(node.traverse(include_text=True, skip_empty=True)):
        if seen > TEXT_SCAN_NODES:
            return False
        if t.tag == "-text":
            chars += len(" ".join(t.text_content.split())) + 1
            if chars > limit:
                return True
    return False


CAPTION_SIBLINGS = 8
"""Siblings `_caption_below` and `_credit_beside` look at, at most, each way."""
CREDIT_MAX_CHARS = 200
"""Longest text taken as a photo credit beside a caption; a longer "credit" is an
element left open over the story, not a credit."""


def _caption_below(node):
    """The first caption-named element below `node` (Lexbor's selectors also match the
    node itself, which is left out); when that one holds the image (WordPress's
    `<dl class="wp-caption">` names the image's `<dt>` and the caption's `<dd>` alike),
    the first caption-named sibling after it with text, no image and no credit name,
    if any among its next `CAPTION_SIBLINGS` elements. None if there is none."""
    first = None
    for cap in node.css(".wp-caption-text, [class*=caption i]"):
        if cap.mem_id != node.mem_id:
            first = cap
            break
    if first is None or first.css_first("img") is None:
        return first
    for sib in _siblings(first, "next"):
        if ("caption" in (sib.attributes.get("class") or "").lower() and not class_tokens(sib) & CREDIT_TOKENS
                and sib.css_first("img") is None and sib.text(deep=True).strip()):
            return sib
    return first


def _credit_beside(cap) -> tuple[str, object]:
    """(credit, element) from a credit-named sibling of `cap` without an image, among its
    `CAPTION_SIBLINGS` nearest elements each way, whose text is at most `CREDIT_MAX_CHARS`;
    ("", None) if there is none."""
    for way in ("prev", "next"):
        for sib in _siblings(cap, way):
            if class_tokens(sib) & CREDIT_TOKENS and sib.css_first("img") is None:
                text = clean(sib.text(deep=True))
                if 0 < len(text) <= CREDIT_MAX_CHARS:
                    return _CREDIT_PREFIX.sub("", text).strip(), sib
    return "", None


def _siblings(node, way: str):
    """Up to `CAPTION_SIBLINGS` element siblings of `node`, nearest first ("next" or "prev")."""
    sib, seen = getattr(node, way), 0
    while sib is not None and seen < CAPTION_SIBLINGS:
        if sib.is_element_node:
            seen += 1
            yield sib
        sib = getattr(sib, way)


def _own_cells(table):
    """The cells of a table's own rows, not those of tables nested in them."""
    for part in table.iter():
        if part.tag in ("thead", "tbody", "tfoot"):
            rows = part.iter()
        elif part.tag == "tr":
            rows = (part,)
        else:
            continue
        for tr in rows:
            if tr.tag != "tr":
                continue
            for cell in tr.iter():
                if cell.tag in ("td", "th"):
                    yield cell


def segment_page(tree, keep_links: bool = False, deadline: Deadline | None = None) -> tuple[list[Segment], dict[int, str]]:
    """(segments in reading order, container names): the names map each element key
    on a segment's path to "tag.class", for comparing containers."""
    root = tree.body or tree.root
    if root is None:
        return [], {}
    # A <br> becomes a marker character in the text itself, so that every way of
    # reading text (a list item's, a cell's, a paragraph's) sees the break: "Bench<br>
    # Price" must not read "BenchPrice". `clean` turns the marker into a space, the
    # paragraph buffer splits on two in a row, code turns it into a newline.
    for br in root.css("br"):
        br.replace_with(_BR)
    s = Segmenter(keep_links, deadline)
    s.walk(root, s.down((), root))
    s.flush((root.mem_id,))
    return s.out, s.names


def segment(tree, keep_links: bool = False, deadline: Deadline | None = None) -> list[Segment]:
    """The page's blocks in reading order, as `Segment`s with features."""
    return segment_page(tree, keep_links, deadline)[0]
