"""Stage 2, parse: text to a Lexbor DOM (selectolax), the one parser copydesk uses."""

from __future__ import annotations

import re
from html import unescape as _unescape

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser

from copydesk.errors import InvalidInput
from copydesk.options import Deadline

MAX_OPEN_BLOCKS = 25_000
"""Most block elements a page may leave open (start tags minus end tags) before
it is refused. For each start tag of these elements the HTML5 parsing algorithm
looks down the stack of open elements for a `<p>` to close, so markup that never
closes them parses in time quadratic in its depth: 20,000 unclosed `<div>`s take
Lexbor about half a second, 100,000 about 15 s and 200,000 minutes, in one C call
that the time limit cannot interrupt. Real pages leave a handful open. The same
bound applies to inline elements left open (`_INLINES`): the parser rebuilds the
open formatting elements after every block. The count (of the whole page: a
script's strings and the inline tags a paragraph closes count too) only names the
error; `MAX_NESTING_WORK`'s scan decides."""

# The start tags that close an open <p> (WHATWG HTML, "in body" insertion mode),
# and their end tags.
_BLOCKS = (
    "address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|figure|"
    "footer|header|hgroup|listing|main|menu|nav|ol|optgroup|pre|search|section|summary|ul"
)
_BLOCK_START = re.compile(rf"<(?:{_BLOCKS})(?=[\t\n\f\r />])", re.IGNORECASE)
_BLOCK_END = re.compile(rf"</(?:{_BLOCKS})(?=[\t\n\f\r >])", re.IGNORECASE)
# Inline elements that stay open until closed (formatting elements are also rebuilt
# after every block, so thousands left open cost the parser as much as blocks do:
# 100,000 unclosed <i> take Lexbor half a minute).
_INLINES = (
    "a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|label|mark|nobr|q|s|samp|small|span|"
    "strike|strong|sub|sup|tt|u|var"
)
_INLINE_START = re.compile(rf"<(?:{_INLINES})(?=[\t\n\f\r />])", re.IGNORECASE)
_INLINE_END = re.compile(rf"</(?:{_INLINES})(?=[\t\n\f\r >])", re.IGNORECASE)


MAX_NESTING_WORK = 250_000_000
"""Most nesting work a page may ask of the parser before it is refused: the sum, over
its elements, of the number of elements open around each as it opens (its depth, up to
the nearest `_BOUNDARY`), as
`_nesting_work` estimates it from the tags. The HTML5 algorithm walks the stack of open
elements on most start tags (looking for a `<p>` to close, a `<ruby>` for an `<rt>`),
so closing what it opens does not help: 24,000 nested `<div>`s closed again take
Lexbor 0.75 s, 40,000 2.4 s (about 2.3 ns per unit of work: 20,000 deep, 2e8, is
0.46 s). The bound is about 22,000 nested divs, or 22,000 divs under a shell 11,000
elements deep; `<rt>`s, `<rp>`s, `<rb>`s and `<rtc>`s outside any `<ruby>` never close
one another, so 100,000 of them nest 100,000 deep (24 s), while inside a `<ruby>`
each closes the last and costs nothing. The same holds for list items ("<ul><li>"
repeated: each list sits in the last item) and for option groups outside a select.
(With DOM mutation events, selectolax's default, a select's options also cost time
quadratic in their number, 20,000 of them 1.6 s, and each `<option>` outside a
select a walk of the stack; `parse` turns the events off, and both cost nothing.)
Two more walks are counted: while a formatting element (`<b>`, `<a>`...) is open,
most start tags look down to it (so `<noscript>`s, which bound the other walks, do
not bound that one), and an end tag the parser ignores looks for its element first.
Real pages ask a few million at most (none of 918 benchmark pages has 22,000 tags;
the most any asks is 7.3 million)."""
_NESTING_SCAN_TAGS = 22_000  # fewer tags than this cannot reach MAX_NESTING_WORK (n * n / 2)

# A tag's name runs to HTML whitespace (tab, line feed, form feed, carriage return,
# space; not a vertical tab or a no-break space), "/" or ">" ("</div.>" names "div.",
# which closes nothing); "<!--" opens a comment, whose tags are text.
_TAG = re.compile(r"<(?:(/?)([A-Za-z][^\t\n\f\r />]*)|!--)")
# How the tokenizer ends a comment, looked for from the "--" of its "<!--": "<!-->"
# and "<!--->" are empty comments, and "--!>" closes one as "-->" does (WHATWG HTML,
# comment states).
_COMMENT_END = re.compile(r"--!?>")
# The rest of a start tag, attribute by attribute as the tokenizer reads them: a "<"
# in an attribute's name or value ('class="x"de<script', 'title="<div>"') opens no
# tag. Possessive, so a page cannot make it backtrack.
TAG_REST_WINDOW = 2_000
"""Characters of a start tag's attributes the nesting scan reads as attributes."""
_TAG_REST = re.compile(r"""(?:[\t\n\f\r ]++|/|[^\t\n\f\r />=][^\t\n\f\r />=]*+(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]++))?+)*+>""")
# Elements whose content is text, not markup: tags in a script's strings, a
# textarea's or a title's text do not nest (<plaintext>: the rest of the page).
_TEXT_CONTENT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
_TEXT_END: dict[str, re.Pattern] = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in _TEXT_CONTENT}
# Elements that never stay open, or that the next like them closes (the HTML5 parser's
# implied end tags): not counted as nesting.
_NOT_NESTING = frozenset(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr "
    "p option tr td th tbody thead tfoot colgroup caption html head body "
    "h1 h2 h3 h4 h5 h6".split()
)
# Those of them whose start tag walks the stack all the same (for a <p> to close).
_WALKS_NOT_NESTING = frozenset("p hr h1 h2 h3 h4 h5 h6".split())
# List items close the open one of their kind, unless a special element other than
# <div>, <address> or <p> lies between (WHATWG HTML, "in body", <li>/<dd>/<dt>): the
# items of one list are siblings, those of a list in an item nest ("<ul><li>" * n).
_ITEM_CLOSES = {"li": ("li",), "dd": ("dd", "dt"), "dt": ("dd", "dt")}
_RUBY_TEXT = frozenset(("rt", "rp", "rb", "rtc"))
# Formatting elements: while one is open, most start tags make the parser look down
# the stack for it ("reconstruct the active formatting elements": is the last one
# still open?), past any boundary, unless a marker was opened above it.
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_MARKERS = frozenset("applet object marquee template td th caption".split())
# Start tags that do not reconstruct them (blocks, lists, tables, headings).
_NO_RECONSTRUCT = frozenset(_BLOCKS.split("|")) | frozenset(
    "p h1 h2 h3 h4 h5 h6 li dd dt table hr form plaintext textarea iframe noembed noframes "
    "caption col colgroup tbody td tfoot th thead tr html head body frame frameset math svg".split()
)
# Table tags close a select inside a table (WHATWG HTML, "in select in table").
_TABLE_PARTS = frozenset("caption table tbody tfoot thead tr td th".split())
# Elements an end tag of an inline element is not looked for past (the spec's "special"
# category, blocks and tables): "<span><div></span>" leaves both open.
_SPECIAL = frozenset(_BLOCKS.split("|")) | frozenset(
    "table object marquee applet template button iframe select textarea td th caption li dd dt".split()
)
# Elements the parser's walks down the stack stop at (scope boundaries, or whose
# content is not parsed as nested markup): 47,000 nested <noscript>s, <object>s or
# <table>s parse in 20 ms, and so do blocks below one.
_BOUNDARY = frozenset("table object marquee applet template button noscript iframe textarea".split())
# ...but a block's walk for a <p> to close passes a <noscript> when blocks and
# noscripts nest in turn ("<noscript><div>" 40,000 times: 4.8 s; "<noscript><h1>":
# 4.3 s), so blocks' walks stop only at the others (`walls`).
_WALLS = _BOUNDARY - {"noscript"}
# Start tags that look for a <p> to close (WHATWG HTML, "in body"), and end tags
# looked for in scope past any element but a wall (a stray "</p>" or "</h3>").
_BLOCK_WALKERS = frozenset(_BLOCKS.split("|")) | frozenset("p h1 h2 h3 h4 h5 h6 hr li dd dt xmp pre listing form plaintext table".split())
_SCOPED_ENDS = frozenset("p h1 h2 h3 h4 h5 h6 li dd dt body html form".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Containers `_nesting_work` does not stack but tracks (`flats`), and what each closes
# as it opens: a cell closes the open cell, a row the open cell and row (a heading
# closes a heading that is the current node; a <p> is closed by every
# `_BLOCK_WALKERS` start tag).
_FLAT_KINDS = {"p": "p", "td": "cell", "th": "cell", "caption": "cell", "tr": "row",
               "tbody": "section", "thead": "section", "tfoot": "section", **{h: "h" for h in _HEADINGS}}
_TABLE_KINDS = frozenset(("cell", "row", "section"))
_FLAT_CLOSES = {"p": (), "h": (), "cell": ("cell",), "row": ("cell", "row"), "section": ("cell", "row", "section")}
# Tags that look through the whole stack for a <template> (WHATWG HTML, "in body":
# <html>, <body>, <form> start tags; </form>, </template> end tags), by `slash`.
_TEMPLATE_WALKERS = (frozenset(("html", "body", "form")), frozenset(("form", "template")))
_FOREIGN = ("svg", "math")  # inside them <style>, <script>, <title> hold markup


SCAN_CHECK_EVERY = 16_384
"""Tags the nesting and foster-text scans read between two `Deadline` checks (a
20 MB page of tags takes the scan about 12 s)."""


def _nesting_work(html: str, deadline: Deadline | None = None) -> int:
    """`MAX_NESTING_WORK`'s sum for `html`, from one pass over its tags with a stack of
    their names. An end tag pops down to its element when the parser would (an inline
    one not past a block: "<span><div></span>" leaves both open, so padding with stray
    end tags cannot hide depth); `_NOT_NESTING` elements are not stacked (those of them
    that hold others, `_FLAT_KINDS`, are tracked: closing one pops what opened in it),
    nor are `_RUBY_TEXT` ones inside a `<ruby>`; comments and the text of `_TEXT_CONTENT`
    elements (a script's strings of markup) are skipped. Stops counting past the bound.
    Raises `ExtractionTimeout` when `deadline` runs out."""
    stack: list[str] = []
    where: dict[str, list[int]] = {}  # each name's indices in the stack
    specials: list[int] = []  # indices of _SPECIAL elements in the stack
    bounds: list[int] = [-1]  # indices of _BOUNDARY elements in the stack
    walls: list[int] = [-1]  # indices of _WALLS elements in the stack
    fmts: list[int] = [-1]  # indices of open _FORMATTING elements...
    markers: list[int] = [-1]  # ...and of _MARKERS above which they are not looked for
    marks = (specials, bounds, walls, fmts, markers)  # kept in step with the stack by _pop_to
    # Open containers that are not stacked (`_FLAT_KINDS`: <p>, headings, cells, rows),
    # each with the stack's length when it opened: closing one pops what opened in it
    # ("<td><font>v</td>" leaves no <font> open).
    flats: list[tuple[int, str]] = []
    work = 0
    pos = seen = 0
    while (tag := _TAG.search(html, pos)) is not None:  # not findall: a refused page stops early
        seen += 1
        if deadline is not None and seen % SCAN_CHECK_EVERY == 0:
            deadline.check()
        pos = tag.end()
        slash, name = tag.groups()
        if name is None:  # a comment: to its end
            end = _COMMENT_END.search(html, pos - 2)
            if end is None:
                break
            pos = end.end()
            continue
        name = name.lower()
        if not slash:
            # Within TAG_REST_WINDOW characters: a tag never closed would have each
            # match run to the end of the page (22,000 of them: 40 s). Past it, the
            # tag's attributes are scanned as markup, as before.
            rest = _TAG_REST.match(html, pos, pos + TAG_REST_WINDOW)
            if rest is not None:
                pos = rest.end()
                if html[pos - 2] == "/" and (name in _FOREIGN or where.get("svg") or where.get("math")):
                    continue  # "<svg/>", "<circle/>": SVG and MathML elements close as they open
        if not slash and name in _TEXT_CONTENT and not (where.get("svg") or where.get("math")):
            if name == "xmp":
                work += len(stack) - 1 - walls[-1]  # it closes a <p> first
                if work > MAX_NESTING_WORK:
                    break
            end = _TEXT_END[name].search(html, pos)
            if end is None:
                break
            pos = end.end()
            continue
        in_select = bool(where.get("select")) and not where.get("template")
        if not slash and fmts[-1] > markers[-1] and name not in _NO_RECONSTRUCT:
            work += len(stack) - fmts[-1]  # the walk down to the last formatting element
        if name in _TEMPLATE_WALKERS[bool(slash)]:
            # Each looks through the whole stack (for a <template>, a <form>), past
            # any boundary: 20,000 <html>s under 40,000 nested tables took 5.6 s.
            work += len(stack)
            if work > MAX_NESTING_WORK:
                break
        if not slash:
            if in_select:
                # In a select, options and option groups close the last (no nesting);
                # a <select>, <input> or <keygen> closes the select ("<div><select>"
                # repeated nests the divs, not the selects). Other elements go in, as
                # anywhere (Lexbor parses a "customizable" select: divs, headings).
                if name == "option":
                    continue
                if name in ("select", "input", "keygen") or (name in _TABLE_PARTS and where.get("table")):
                    _pop_to(where["select"][-1], stack, where, marks, flats)
                if name in ("select", "optgroup"):
                    continue
            kind = _FLAT_KINDS.get(name)
            if kind in _TABLE_KINDS and not where.get("table"):
                kind = None  # a cell or row outside a table is ignored by the parser
            if name in _BLOCK_WALKERS:
                _close_flat("p", flats, stack, where, marks)  # it closes an open <p>
            if kind is not None:
                for closed in _FLAT_CLOSES[kind]:
                    _close_flat(closed, flats, stack, where, marks)
                if kind == "h" and flats and flats[-1] == (len(stack), "h"):
                    flats.pop()  # a heading closes an open heading only when that is the current node
            if name in _NOT_NESTING or (name in _RUBY_TEXT and where.get("ruby")):
                if name in _WALKS_NOT_NESTING:
                    # It closes a <p> (a heading, another <h1> too), looked for down the
                    # stack: under 10,000 unknown elements left open, 860,000 <h1>s took 40 s.
                    work += len(stack) - 1 - walls[-1]
                    if work > MAX_NESTING_WORK:
                        break
                if kind is not None:
                    flats.append((len(stack), kind))
                continue
            closes = _ITEM_CLOSES.get(name)
            if closes:
                top = max((where[c][-1] for c in closes if where.get(c)), default=-1)
                for i in reversed(specials):  # the parser's walk down the stack, counted as work
                    if i <= top:
                        _pop_to(top, stack, where, marks, flats)
                        break
                    work += 1
                    if stack[i] not in ("div", "address"):
                        break
                else:
                    if top >= 0:
                        _pop_to(top, stack, where, marks, flats)
            work += len(stack) - 1 - (walls[-1] if name in _BLOCK_WALKERS else bounds[-1])
            if work > MAX_NESTING_WORK:
                break
            where.setdefault(name, []).append(len(stack))
            if name in _SPECIAL:
                specials.append(len(stack))
            if name in _BOUNDARY:
                bounds.append(len(stack))
                if name in _WALLS:
                    walls.append(len(stack))
            if name in _FORMATTING:
                fmts.append(len(stack))
            elif name in _MARKERS:
                markers.append(len(stack))
            stack.append(name)
            continue
        kind = _FLAT_KINDS.get(name)
        if kind is not None and (kind not in _TABLE_KINDS or where.get("table")) and _close_flat(kind, flats, stack, where, marks):
            continue  # closes the <p>, heading, cell or row opened last
        at = where.get(name)
        if in_select and name in _TABLE_PARTS and where.get("table"):
            _pop_to(where["select"][-1], stack, where, marks, flats)  # a select in a table cell
            at = where.get(name)
        if not at or (name not in _SPECIAL and specials and specials[-1] > at[-1]):
            # Ignored by the parser, after a walk down the stack for it: to a scope
            # boundary for a block's end tag, to a special element for another's.
            # ("</div>" 800,000 times under 15,000 open unknown elements: 21 s;
            # "</p>" 200,000 times under 10,000 divs: 9 s.)
            if name in _SCOPED_ENDS:
                work += len(stack) - 1 - walls[-1]
            else:
                work += len(stack) - 1 - (bounds[-1] if name in _SPECIAL or not specials else max(bounds[-1], specials[-1]))
            if work > MAX_NESTING_WORK:
                break
            continue
        _pop_to(at[-1], stack, where, marks, flats)
    return work


def _pop_to(top: int, stack: list[str], where: dict[str, list[int]], marks: tuple[list[int], ...],
            flats: list[tuple[int, str]]) -> None:
    """Pop `_nesting_work`'s stack down to (and including) index `top`; `marks`, lists
    of stack indices, lose those popped, and `flats` the containers opened above."""
    for gone in stack[top:]:
        where[gone].pop()
    del stack[top:]
    for indices in marks:
        while indices and indices[-1] >= len(stack):
            indices.pop()
    while flats and flats[-1][0] > len(stack):
        flats.pop()


def _close_flat(kind: str, flats: list[tuple[int, str]], stack: list[str], where: dict[str, list[int]],
                marks: tuple[list[int], ...]) -> bool:
    """Close the last open container of `kind` in `flats` and what opened in it (and
    the containers opened after it); False when none is open above the last boundary
    (`marks[1]`: a cell of an outer table is out of scope)."""
    boundary = marks[1][-1]
    for i in range(len(flats) - 1, -1, -1):
        if flats[i][0] <= boundary:
            return False
        if flats[i][1] == kind:
            depth = flats[i][0]
            del flats[i:]
            if depth < len(stack):
                _pop_to(depth, stack, where, marks, flats)
            return True
    return False


def check_nesting(html: str, deadline: Deadline | None = None, tags: int | None = None) -> None:
    """Raise `InvalidInput` when `html` nests its elements past `MAX_NESTING_WORK`
    (saying so, when it does, as leaving more than `MAX_OPEN_BLOCKS` block or inline
    elements open) (deep chains of elements, closed or not; `<rt>`s outside a
    `<ruby>`; list items each in a list in the last). Only pages with that many tags
    at all are scanned (`_NESTING_SCAN_TAGS`: a count of "<" on pages long enough to
    hold them, two characters a tag at least; no real page pays for the scan).
    Raises `ExtractionTimeout` when `deadline` runs out during the scan. `tags`: the
    page's count of "<", when the caller has it."""
    if len(html) < 2 * _NESTING_SCAN_TAGS:
        return
    if tags is None:
        tags = html.count("<")
    if tags < _NESTING_SCAN_TAGS:
        return
    work = _nesting_work(html, deadline)
    if work > MAX_NESTING_WORK and tags >= MAX_OPEN_BLOCKS and len(html) >= 4 * MAX_OPEN_BLOCKS:
        # The count only names the error (it reads scripts' strings and comments too,
        # and the parser closes inline elements with their paragraph or cell), so it
        # is made only for a page the scan refuses.
        for kind, start, end in (("block", _BLOCK_START, _BLOCK_END), ("inline", _INLINE_START, _INLINE_END)):
            left_open = len(start.findall(html)) - len(end.findall(html))
            if left_open > MAX_OPEN_BLOCKS:
                raise InvalidInput(
                    f"input leaves {left_open:,} {kind} elements open (over {MAX_OPEN_BLOCKS:,}): "
                    "markup nested this deep takes the HTML parser minutes (see copydesk.parse.MAX_OPEN_BLOCKS)"
                )
    if work > MAX_NESTING_WORK:
        raise InvalidInput(
            f"input nests its elements too deep (over {MAX_NESTING_WORK:,} open elements around its "
            "elements in all, about what 22,000 nested block elements ask): markup nested this deep takes the HTML parser "
            "seconds to minutes (see copydesk.parse.MAX_NESTING_WORK)"
        )


MAX_FOSTER_WORK = 1_500_000_000
"""Most bytes the parser may copy for text it moves out of tables before a page is
refused. Text between a table's cells, rows or sections (not in a cell or caption)
is "foster-parented": moved before the table, where it joins the text already moved
there. Lexbor copies that text into a new buffer each time, unless nothing else
was allocated since, so N pieces cost about N * N / 2 of their length: 0.96 MB of
"x" * 20 + "<td>2</td>" took 3.3 GB, and with a bogus comment ("<?x>") after each
piece 9.9 GB (between a fifth of a byte and a byte per byte copied). The bound is
about 300 MB to 1.5 GB. `_foster_work` counts the pieces of text in table context;
real pages put a few stray characters there (the most on 918 dev pages: 247),
a stray "&nbsp;" after every cell of an 8,000-row, 3-column table counts 576
million, and a stray letter after each of 45,000 rows (Lexbor: 195 MB) about a
billion."""
# The tags that change where text goes in a table, the elements whose content is text
# (skipped to their end tag: a script's strings of table markup are no table), and
# comments (skipped whole).
_TABLE_TOKEN = re.compile(
    r"<(/?)(table|tbody|thead|tfoot|tr|td|th|caption|script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)(?=[\t\n\f\r />])|<!--",
    re.IGNORECASE,
)
_CELLS = frozenset(("td", "th", "caption"))
# In table context, any tag-like token: a start tag (group 1 its name), an end tag, a
# bogus comment or doctype ("<?x>", "<!x>"). "<" before anything else is text ("<3").
_TOKEN_IN_TABLE = re.compile(r"<(?:([A-Za-z][^\t\n\f\r />]*)|/|[!?])[^>]*>?")
# Start tags in table context that Lexbor inserts without ending the run of moved text
# (hidden inputs, forms, scripts and templates go into the table; their text or none
# follows): every other start tag opens an element moved before the table, which the
# next text then follows. End tags and bogus comments end nothing either.
_RUN_KEEPERS = frozenset("input form script style template textarea title xmp iframe noembed noframes".split())


_HTML_SPACE = "\t\n\f\r "
"""HTML's whitespace: a no-break space or an ideographic space is text, moved out of a
table like any other ("\xa0" x 300 after each of 6,000 cells: 3.5 GB)."""


def _moved_bytes(text: str) -> int:
    """Bytes Lexbor stores for a piece of text: UTF-8, character references decoded."""
    if text.isascii() and "&" not in text:
        return len(text)
    return len(_unescape(text).encode("utf-8", "surrogatepass"))


def _foster_work(html: str, deadline: Deadline | None = None) -> int:
    """`MAX_FOSTER_WORK`'s sum for `html`: over the pieces of non-blank text in table
    context (after a `<table>`, a row or section tag, the end of a cell or caption,
    outside any element moved out of the table), the bytes moved before the same
    table so far, that piece included. A start tag that opens an element moved before
    the table ends the run (`_RUN_KEEPERS` do not); so does a new table. The content
    of script-like elements is skipped. Stops counting past the bound; raises
    `ExtractionTimeout` when `deadline` runs out."""
    tables: list[bool] = []  # per open table: in a cell (text stays) or not
    moved = work = 0
    pos = seen = 0
    while True:
        tok = _TABLE_TOKEN.search(html, pos)
        seen += 1
        if deadline is not None and seen % SCAN_CHECK_EVERY == 0:
            deadline.check()
        if tables and not tables[-1]:
            # The text and tags between two table tokens, in table context.
            region_end = tok.start() if tok is not None else len(html)
            at = pos
            for t in _TOKEN_IN_TABLE.finditer(html, pos, region_end):
                if t.start() > at and html[at:t.start()].strip(_HTML_SPACE):
                    moved += _moved_bytes(html[at:t.start()])
                    work += moved
                at = t.end()
                if t.group(1) is not None and t.group(1).lower() not in _RUN_KEEPERS:
                    moved = 0
            if region_end > at and html[at:region_end].strip(_HTML_SPACE):
                moved += _moved_bytes(html[at:region_end])
                work += moved
            if work > MAX_FOSTER_WORK:
                break
        if tok is None:
            break
        slash, name = tok.groups()
        if name is None:  # a comment: to its end (text on either side still joins)
            end = _COMMENT_END.search(html, tok.end() - 2)
            if end is None:
                break
            pos = end.end()
            continue
        rest = _TAG_REST.match(html, tok.end(), tok.end() + TAG_REST_WINDOW)  # quoted ">"s are attributes
        pos = rest.end() if rest is not None else html.find(">", tok.end()) + 1
        if pos == 0:
            break
        name = name.lower()
        if name in _TEXT_END:
            if not slash:
                end = _TEXT_END[name].search(html, pos)
                if end is None:
                    break
                pos = end.end()
            continue
        if name == "table":
            if slash:
                if tables:
                    tables.pop()
                moved = 0
            else:
                tables.append(False)
                # Text moved out joins the text just before the table (3 MB of it, then
                # a stray letter after each of 6,000 cells: 2.2 GB).
                before = html[html.rfind(">", 0, tok.start()) + 1 : tok.start()]
                moved = _moved_bytes(before) if before.strip(_HTML_SPACE) else 0
        elif tables:
            tables[-1] = name in _CELLS and not slash
    return work


def check_foster_text(html: str, deadline: Deadline | None = None, tags: int | None = None) -> None:
    """Raise `InvalidInput` when `html` moves more text out of its tables than
    `MAX_FOSTER_WORK` allows. Only pages whose tags (`tags`, the count of "<", counted
    when not given) times length could reach the bound are scanned."""
    if len(html) * len(html) < 2 * MAX_FOSTER_WORK:
        return
    if tags is None:
        tags = html.count("<")
    if len(html) * tags < 2 * MAX_FOSTER_WORK:
        return
    work = _foster_work(html, deadline)
    if work > MAX_FOSTER_WORK:
        raise InvalidInput(
            f"input puts too much text between table cells (over {MAX_FOSTER_WORK:,} bytes copied "
            "as the HTML parser moves it out of the table): such markup takes the parser hundreds of "
            "megabytes to gigabytes (see copydesk.parse.MAX_FOSTER_WORK)"
        )


# An <iframe> written as self-closing XML in a <noscript> ("<noscript><iframe src=...
# />", as JSX renders Google Tag Manager's fallback): HTML has no self-closing iframe,
# and its text runs to a "</iframe>". A browser with scripts on reads <noscript> as
# text and never sees it; Lexbor parses <noscript> as markup and would lose the rest
# of the page. The "/" must follow a space, a quote or the tag name: in
# "src=https://x/embed/>" it ends an unquoted URL. Case-sensitive and matched as
# written by JSX: one substring search per page, where a case-blind scan would cost
# a quarter of the parse.
_NOSCRIPT_IFRAME = "<noscript><iframe"
_SELF_CLOSED_IFRAME = re.compile(r"<noscript><iframe\b((?:[^<>]*?[\s\"'])?)/>")


# A <title> with no end tag: HTML reads a title's content as text up to "</title", so
# a page whose "</title>" was lost (cut by its crawler: "<title>Gale to drive
# Nation'?' + OAS_query ...", "</titlevalue=") is all title and no body. The title is
# closed before the next tag instead, as libxml2's recovering parser does.
_TITLE_END = _TEXT_END["title"]
_TAG_START = re.compile(r"<[A-Za-z/!]")
_HEAD_END = re.compile(r"</head[\s>]|<body[\s>]", re.IGNORECASE)


def close_title(html: str) -> str:
    """`html` with an unterminated `<title>` closed before the tag that follows its
    start; unchanged when the title has an end tag or there is none. Looks for
    "<title" and "<TITLE" as written (the search is one substring scan)."""
    start = html.find("<title")
    if start < 0:
        start = html.find("<TITLE")
        if start < 0:
            return html
    opened = html.find(">", start)
    if opened < 0:
        return html
    end = _TITLE_END.search(html, opened)
    if end is not None and _HEAD_END.search(html, opened, end.start()) is None:
        return html  # closed before the head ends (a later "</title" may be an SVG icon's)
    tag = _TAG_START.search(html, opened)
    if tag is None:
        return html
    return html[: tag.start()] + "</title>" + html[tag.start():]


def parse(html: str, deadline: Deadline | None = None, utf8: bytes | None = None) -> LexborHTMLParser:
    """The page's DOM. Lexbor follows the HTML5 parsing algorithm, so any string parses.
    A self-closed `<iframe ... />` in a `<noscript>` is closed first (`_SELF_CLOSED_IFRAME`),
    and so is a `<title>` with no end tag (`close_title`).

    `utf8`: `html` encoded as UTF-8, when the caller has it (the page's own bytes):
    Lexbor reads bytes, and is given them unless a fix above changed the text.
    Parsed without DOM mutation events (`WO_EVENTS`): 5-15% faster, options cost the
    parser nothing (see `MAX_NESTING_WORK`), and a `<select>`'s `<selectedcontent>`
    gets no copy of its option (text the strip removes, but a `<noscript>`'s weighing
    counted).

    Raises `InvalidInput` for markup nested too deep to parse in reasonable time
    (`check_nesting`), or that would take the parser gigabytes (`check_foster_text`);
    `ExtractionTimeout` when `deadline` runs out during those checks (the parse
    itself, one C call, cannot be interrupted)."""
    fixed = close_title(html)  # before the checks: an unclosed title hides the page's tags
    if fixed is not html:
        html, utf8 = fixed, None
    tags = html.count("<") if len(html) >= 2 * _NESTING_SCAN_TAGS else None  # counted once for both checks
    check_nesting(html, deadline, tags)
    check_foster_text(html, deadline, tags)
    if _NOSCRIPT_IFRAME in html:
        fixed, closed = _SELF_CLOSED_IFRAME.subn(r"<noscript><iframe\1></iframe>", html)
        if closed:
            html, utf8 = fixed, None
    return LexborHTMLParser(html if utf8 is None else utf8, options=LexborDocumentOptions.WO_EVENTS)


def node_key(node) -> int:
    """A stable identity for a node within one tree (selectolax builds a new wrapper per access)."""
    return node.mem_id
