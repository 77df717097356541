"""Small but realistic test pages, built in code (no copied data)."""

from __future__ import annotations

from html import escape

ENGLISH_PARAGRAPHS = [
    "The city council voted on Tuesday to extend the riverside tram line by four kilometres, "
    "ending a debate that had divided residents of the eastern districts for almost two years.",
    "Supporters of the plan said the extension would cut commuting times for some 30,000 people "
    "who currently rely on crowded buses, and would bring new shops to streets that have struggled "
    "since the old freight yard closed.",
    "Opponents had argued that the money would be better spent on repairing the existing network, "
    "where delays caused by ageing signals have become a daily complaint among passengers.",
    "Construction is expected to begin next spring and to take about three years. The council said "
    "it would publish a detailed timetable, including temporary road closures, before the end of the year.",
    "A spokesperson for the transport authority said the new stops would be fully accessible and "
    "that trams on the line would run every six minutes at peak hours.",
]


def article_page(title: str, paragraphs: list[str], *, lang: str = "en", head: str = "", before: str = "",
                 after: str = "", inside: str = "") -> str:
    """An HTML page: a site header and nav, then `<article>` with `title` as `<h1>` and the
    paragraphs, then a footer. `head` goes in `<head>`; `before`/`after` go around the
    article in `<main>`; `inside` goes inside the article after the paragraphs."""
    body = "\n".join(f"      <p>{escape(p, quote=False)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  {head}
  <title>{escape(title)} | The Daily Courier</title>
</head>
<body>
  <header class="site-header"><a href="/">The Daily Courier</a></header>
  <nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav>
  <main>
    {before}
    <article>
      <h1>{escape(title)}</h1>
{body}
      {inside}
    </article>
    {after}
  </main>
  <footer class="site-footer"><p>&copy; 2024 The Daily Courier. All rights reserved.</p><a href="/terms">Terms of use</a></footer>
</body>
</html>
"""
