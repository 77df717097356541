"""Stage 2, parse: text to a Lexbor DOM (selectolax), the one parser copydesk uses."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser


def parse(html: str) -> LexborHTMLParser:
    """The page's DOM. Lexbor follows the HTML5 parsing algorithm, so any string parses."""
    return LexborHTMLParser(html)


def node_key(node) -> int:
    """A stable identity for a node within one tree (selectolax builds a new wrapper per access)."""
    return node.mem_id
