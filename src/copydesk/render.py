"""Stage 7, render: an Article as plain text, Markdown or clean HTML (JSON is `Article.to_json`)."""

from __future__ import annotations

from html import escape

from copydesk.article import Article, Block
from copydesk.errors import InvalidInput


def to_text(article: Article) -> str:
    """The article's prose as plain text: the standfirst (when there is one), then the
    body, blocks separated by a blank line: list items one a line, table rows with
    cells joined by " | ". The standfirst is read as the article's first paragraph, as
    every labelled corpus here counts it (on the dev sets: trafilatura-eval snippets
    +0.008, CleanPortalEval +0.0014, dragnet +0.0007, L3S +0.0004, WCXB +0.0003,
    htmltotext -0.0017). Figures are left out: their captions and credits are in
    `Article.images` and in the Markdown and HTML renderings (labelled corpora such as
    WCXB count captions as outside the main text)."""
    body = [b.text for b in article.blocks if b.text and b.kind != "figure"]
    return "\n\n".join([article.subtitle, *body] if article.subtitle else body)


def _md_escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def block_markdown(b: Block) -> str:
    """One block as Markdown."""
    if b.kind == "heading":
        return f"{'#' * max(2, min(6, b.level or 2))} {b.text}"
    if b.kind == "list":
        return "\n".join(f"{i + 1}. {item}" if b.ordered else f"- {item}" for i, item in enumerate(b.items))
    if b.kind == "quote":
        return "\n>\n".join("> " + p for p in b.text.split("\n\n"))
    if b.kind == "code":
        fence = "````" if "```" in b.text else "```"
        return f"{fence}\n{b.text}\n{fence}"
    if b.kind == "table":
        rows = [list(r) for r in b.rows]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        head = rows[0] if b.header else [""] * width
        body = rows[1:] if b.header else rows
        lines = ["| " + " | ".join(_md_escape_cell(c) for c in head) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(_md_escape_cell(c) for c in r) + " |" for r in body]
        return "\n".join(lines)
    if b.kind == "figure":
        img = b.image
        out = f"![{img.alt}]({img.src})" if img and img.src else ""
        caption = b.text + (f" ({img.credit})" if img and img.credit else "")
        return (out + ("\n\n*" + caption.strip() + "*" if caption.strip() else "")).strip()
    text = b.text
    for t, href in b.links:
        if t and t in text:
            text = text.replace(t, f"[{t}]({href})", 1)
    return text


def to_markdown(article: Article) -> str:
    """Headline as `#`, standfirst in italics, then the body blocks."""
    parts = []
    if article.title:
        parts.append(f"# {article.title}")
    if article.subtitle:
        parts.append(f"*{article.subtitle}*")
    parts.extend(m for m in (block_markdown(b) for b in article.blocks) if m)
    return "\n\n".join(parts) + "\n"


def block_html(b: Block) -> str:
    """One block as clean HTML (no attributes but href/src/alt)."""
    if b.kind == "heading":
        lv = max(2, min(6, b.level or 2))
        return f"<h{lv}>{escape(b.text)}</h{lv}>"
    if b.kind == "list":
        tag = "ol" if b.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in b.items) + f"</{tag}>"
    if b.kind == "quote":
        return "<blockquote>" + "".join(f"<p>{escape(p)}</p>" for p in b.text.split("\n\n")) + "</blockquote>"
    if b.kind == "code":
        return f"<pre><code>{escape(b.text)}</code></pre>"
    if b.kind == "table":
        rows = []
        for i, r in enumerate(b.rows):
            cell = "th" if (i == 0 and b.header) else "td"
            rows.append("<tr>" + "".join(f"<{cell}>{escape(c)}</{cell}>" for c in r) + "</tr>")
        return "<table>" + "".join(rows) + "</table>"
    if b.kind == "figure":
        img = b.image
        inner = f'<img src="{escape(img.src)}" alt="{escape(img.alt)}">' if img and img.src else ""
        cap = escape(b.text)
        if img and img.credit:
            cap += f' <small class="credit">{escape(img.credit)}</small>'
        return f"<figure>{inner}<figcaption>{cap}</figcaption></figure>" if cap else f"<figure>{inner}</figure>"
    text = escape(b.text)
    for t, href in b.links:
        et = escape(t)
        if et and et in text:
            text = text.replace(et, f'<a href="{escape(href)}">{et}</a>', 1)
    return f"<p>{text}</p>"


def to_html(article: Article) -> str:
    """A standalone `<article>` element: headline, standfirst, then the body."""
    parts = ["<article>"]
    if article.title:
        parts.append(f"<h1>{escape(article.title)}</h1>")
    if article.subtitle:
        parts.append(f'<p class="standfirst">{escape(article.subtitle)}</p>')
    parts.extend(block_html(b) for b in article.blocks)
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def render(article: Article, fmt: str) -> str:
    """The article in `fmt`: "json", "text", "markdown" or "html". Raises `InvalidInput`
    (a `CopydeskError`) for any other format."""
    if fmt == "json":
        return article.to_json() + "\n"
    if fmt == "text":
        return to_text(article) + "\n"
    if fmt == "markdown":
        return to_markdown(article)
    if fmt == "html":
        return to_html(article)
    raise InvalidInput(f"unknown format {fmt!r}: use json, text, markdown or html")
