"""Stage 2, parse: text to a Lexbor DOM (selectolax), the one parser copydesk uses."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from copydesk.errors import InvalidInput

MAX_OPEN_BLOCKS = 25_000
"""Most block elements a page may leave open (start tags minus end tags) before
it is refused. For each start tag of these elements the HTML5 parsing algorithm
looks down the stack of open elements for a `<p>` to close, so markup that never
closes them parses in time quadratic in its depth: 20,000 unclosed `<div>`s take
Lexbor about half a second, 100,000 about 15 s and 200,000 minutes, in one C call
that the time limit cannot interrupt. Real pages leave a handful open. The same
bound applies to inline elements left open (`_INLINES`): the parser rebuilds the
open formatting elements after every block."""

# The start tags that close an open <p> (WHATWG HTML, "in body" insertion mode),
# and their end tags.
_BLOCKS = (
    "address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|figure|"
    "footer|header|hgroup|listing|main|menu|nav|ol|optgroup|pre|search|section|summary|ul"
)
_BLOCK_START = re.compile(rf"<(?:{_BLOCKS})(?=[\s/>])", re.IGNORECASE)
_BLOCK_END = re.compile(rf"</(?:{_BLOCKS})(?=[\s>])", re.IGNORECASE)
# Inline elements that stay open until closed (formatting elements are also rebuilt
# after every block, so thousands left open cost the parser as much as blocks do:
# 100,000 unclosed <i> take Lexbor half a minute).
_INLINES = (
    "a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|label|mark|nobr|q|s|samp|small|span|"
    "strike|strong|sub|sup|tt|u|var"
)
_INLINE_START = re.compile(rf"<(?:{_INLINES})(?=[\s/>])", re.IGNORECASE)
_INLINE_END = re.compile(rf"</(?:{_INLINES})(?=[\s>])", re.IGNORECASE)


def check_nesting(html: str) -> None:
    """Raise `InvalidInput` when `html` leaves more than `MAX_OPEN_BLOCKS` block
    elements, or as many inline ones, open. Only pages with that many tags at all
    are scanned."""
    if len(html) < 4 * MAX_OPEN_BLOCKS or html.count("<") < MAX_OPEN_BLOCKS:
        return
    for kind, start, end in (("block", _BLOCK_START, _BLOCK_END), ("inline", _INLINE_START, _INLINE_END)):
        left_open = len(start.findall(html)) - len(end.findall(html))
        if left_open > MAX_OPEN_BLOCKS:
            raise InvalidInput(
                f"input leaves {left_open:,} {kind} elements open (over {MAX_OPEN_BLOCKS:,}): "
                "markup nested this deep takes the HTML parser minutes (see copydesk.parse.MAX_OPEN_BLOCKS)"
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
_TITLE_END = re.compile(r"</title[\s/>]", re.IGNORECASE)
_TAG_START = re.compile(r"<[A-Za-z/!]")


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
    if opened < 0 or _TITLE_END.search(html, opened) is not None:
        return html
    tag = _TAG_START.search(html, opened)
    if tag is None:
        return html
    return html[: tag.start()] + "</title>" + html[tag.start():]


def parse(html: str) -> LexborHTMLParser:
    """The page's DOM. Lexbor follows the HTML5 parsing algorithm, so any string parses.
    A self-closed `<iframe ... />` in a `<noscript>` is closed first (`_SELF_CLOSED_IFRAME`),
    and so is a `<title>` with no end tag (`close_title`).

    Raises `InvalidInput` for markup nested too deep to parse in reasonable time
    (`check_nesting`)."""
    check_nesting(html)
    if _NOSCRIPT_IFRAME in html:
        html = _SELF_CLOSED_IFRAME.sub(r"<noscript><iframe\1></iframe>", html)
    return LexborHTMLParser(close_title(html))


def node_key(node) -> int:
    """A stable identity for a node within one tree (selectolax builds a new wrapper per access)."""
    return node.mem_id
