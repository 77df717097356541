"""Stage 5, classify: which segments are the article.

1. **Good blocks.** A block of running prose: long enough, few links, sentence
   punctuation (`is_good`). These are the evidence for where the article is.
2. **Main container.** Each good block's weight (its text length, discounted by
   link density) is added to every element on its container path. The main
   container is the deepest element holding at least `CONTAINER_SHARE` of the
   page's good text: the article's own wrapper when it dominates, a common
   ancestor when the story is split across containers. The page's one
   `<article>` holding the headline wins over a wider or neighbouring container
   (`_article_element`). Reader comments after a comments heading are not
   counted and end the article, except on discussion threads.
3. **Scope.** The container widened to the lowest ancestor that also holds the
   headline, if that is at most `SCOPE_LEVELS` levels up: figures and good
   blocks between headline and body join the article.
4. **Block rules.** Inside the scope, drop link-dense blocks (but not a list the
   sentence before it introduces with a colon), short blocks that read as page
   furniture (share, subscribe, related, ads, photo credits), affiliate
   disclosures, blocks with unrendered template placeholders, and the loose
   blocks before the first and after the last good block (bylines, tag lists,
   "read more"). An inline paywall prompt ends the article (`_paywall_cut`).
   Footnoted fine print is never good text (`_FOOTNOTE`).

Thresholds come from Readability's and jusText's published defaults (link
density 0.25-0.5, a 70-character "long" paragraph) and were checked on the WCXB
and trafilatura-eval dev sets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from copydesk.segment import Segment

CONTAINER_SHARE = 0.6
"""Share of the page's good text the main container must hold (see module docstring)."""
SCOPE_LEVELS = 3
GOOD_MIN_CHARS = 70
"""jusText's "long paragraph" bound is 70 characters; shorter prose is not evidence."""
GOOD_MAX_LINK_DENSITY = 0.25
TRAIL_LINK_DENSITY = 0.3
"""Link density at which the article's forward extension past its last good block
stops (a link list closing the article). A prose paragraph inside the main container
(40+ characters, sentence-final) may have up to `DROP_LINK_DENSITY`: "X serves as
musical director, with <a>A</a>, <a>B</a> and <a>C</a>." (dragnet +0.0010, WCXB
+0.0001, no set worse by more than 0.0001)."""
LEAD_LINK_DENSITY = 0.35
"""Most link text a prose paragraph just before the first good block may have and still
open the article: introductions link to what they build on. A lead sibling block
(below) may have as much, its table of contents included. Inside the main container
the limit is `DROP_LINK_DENSITY`, as for blocks after the first good one (a post's
"Posted this morning: <a>episode 145</a>" opener; +0.0005 on dragnet, L3S and
htmltotext, no page worse on any dev set)."""
LEAD_MIN_CHARS = 300
LEAD_GOOD_SHARE = 0.6
"""A sibling subtree before the main container joins it, whatever its share, when it
holds `LEAD_MIN_CHARS` of good text that is `LEAD_GOOD_SHARE` of all its text: the
article's introduction in a block of its own (before a table of contents)."""
SIBLING_SHARE = 0.2
SIBLING_LINK_DENSITY = 0.15
SIBLING_LEVELS = 4
"""Ancestors of the main container searched for the rest of a split article (was 3;
4 measured better on dragnet and on WCXB dev forums and articles, 5 worse on articles)."""
DROP_LINK_DENSITY = 0.5
"""Readability drops blocks whose link density exceeds 0.5 at low weight."""
LIST_DROP_LINK_DENSITY = 0.7
"""Lists inside the article keep up to this link density: items that name and link
their subject ("Official website: ...") are content; menus and link lists run near 1."""

_SENTENCE_END = re.compile(r"[.!?。！？…:;\"'”’)]\s*$|[.!?。！？]\s")
# The first character inside "{{" is not a space, so the spaces before it and those in
# the name are not two ways to match the same text ("{{" and thousands of spaces
# with no "}}" took cubic time). A "{% ... %}" tag is short: looking for its end
# without a bound took quadratic time on "{% " repeated with none.
_TEMPLATE = re.compile(r"\{\{\s*[\w.\-#/^][\w.\-#/^ ]*\}\}|\{%[^{}]{0,200}?%\}|\$\{\s*[\w.]+\s*\}")
_FURNITURE = re.compile(
    r"^\W*(?:share(?: this| on| via)?|tweet|e-?mail|print|advertisements?|advertisment|anzeige|sponsored|"
    r"related(?: articles| posts| stories| content| topics)?|read (?:more|next|also)|see also|more from|more on|"
    r"recommended|you (?:may|might) (?:also )?(?:like|enjoy)|sign up|subscribe|newsletter|follow us|"
    r"tags?|filed under|posted in|categories|category|comments?|\d+ comments?|leave a (?:comment|reply)|"
    r"click here|all rights reserved|loading|skip to|back to top|log ?in|sign in|register|"
    r"previous(?: post| article)?|next(?: post| article)?|top stories|most (?:read|popular)|trending|"
    r"watch|listen|play|copy link|link copied|save|bookmark|facebook|twitter|linkedin|whatsapp|pinterest|"
    r"continue reading|view comments|show comments|add comment|report|reply|like|permalink|cookie|accept|"
    r"was this (?:article|page|post) (?:helpful|useful)|"
    r"weiterlesen|mehr lesen|mehr zum thema|(?:rezept |artikel )?drucken|(?:artikel )?teilen|kommentare?(?: schreiben| geschlossen)?|"
    r"war (?:der|dieser) artikel|möchten sie (?:den|diesen) artikel|lire (?:la suite|aussi)|partager|imprimer|"
    r"leer más|compartir|imprimir|leggi (?:anche|tutto)|condividi|stampa)\b",
    re.IGNORECASE,
)
# A call to action on its own: a button's label, the whole line.
_BUTTON = re.compile(
    r"^\W*(?:learn more|find out more|view (?:details|more|all|profile|company profile|product)|see (?:details|more|all)|"
    r"add to (?:cart|bag|basket|wish ?list)|buy now|shop now|order now|book now|get started|more options|quick view|"
    r"(?:select|choose) options|calculate shipping|contact us|get a quote|request a quote|apply now|enrol(?:l)? now|"
    r"mehr erfahren|en savoir plus|más información|scopri di più)\W*$",
    re.IGNORECASE,
)
# Counters and labels a forum or shop prints beside each post or item: reaction and
# view counts, a poster's rank and Stack Exchange badges, a product's badge.
_TALLY = re.compile(
    r"^\W*(?:[\d,.]+k?\s+(?:likes?|views?|replies|votes?|shares?|reactions?)"
    r"|(?:new |senior |junior |well-known |active |registered )?member|moderator|administrator|reaction score"
    r"|[\d,.]+k?(?:\s*\d+\s+(?:gold|silver|bronze) badges?)+"
    r"|new arrival|best ?seller|sold out|in stock|out of stock|on sale|just reduced|top rated)\W*$",
    re.IGNORECASE,
)
# A footnote's opening marker: a symbol, a superscript digit, or a digit glued to the
# sentence it numbers ("1Average expense ratio...", a flattened <sup>).
_FOOTNOTE = re.compile(r"^\s*(?:[*†‡§¶◊∆Δ±¹²³⁴⁵⁶⁷⁸⁹⁰]|\d{1,2}(?=[A-Z][a-z]))")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"^(?:(?:photo(?:graph)?|image|picture|credit|foto|bild|abbildung)s?\s*(?:by\b|:)|(?:getty images|shutterstock|istock(?:photo)?|alamy|ap photo|reuters|afp)\b(?:\s*/|\s*$))"
    r"|^.{0,60}/\s*(?:getty images|shutterstock|istock(?:photo)?|alamy|reuters|afp|dpa|imago(?: images)?|picture alliance)\s*$",
    re.IGNORECASE,
)
# A photo caption loose in the text: it ends with its credit in brackets, "(Photo: J.
# Smith)" or "(REUTERS/Denis Balibouse)".
_CAPTION_CREDIT = re.compile(
    r"\((?:(?:photo|foto|bild|image|imagen|credit)s?\s*:[^()]{2,60}|(?:reuters|afp|ap|efe|dpa|epa|getty images|europa press)\s*/[^()]{2,60})\)\W*$",
    re.IGNORECASE,
)
LOOSE_CAPTION_MAX_CHARS = 300
"""Longest paragraph read as a loose photo caption (`_CAPTION_CREDIT`)."""
# A newsletter's sign-up pitch: "An essential round-up of science news, delivered to
# your inbox every weekday", "Sign up for our newsletter".
_NEWSLETTER_PITCH = re.compile(
    r"\b(?:(?:delivered|sent|straight|direct(?:ly)?) to your inbox|sign up (?:for|to) (?:our|the|this) (?:\w+ )?newsletter|"
    r"subscribe to (?:our|the|this) (?:\w+ )?newsletter)\b",
    re.IGNORECASE,
)
PITCH_MAX_CHARS = 200
"""Longest paragraph read as a newsletter pitch (`_NEWSLETTER_PITCH`)."""


def _is_pitch(text: str) -> bool:
    """True for a newsletter's sign-up pitch (`_NEWSLETTER_PITCH`). Most blocks hold
    neither key word: looked for without lower-casing first (asked of most short blocks)."""
    if "nbox" not in text and "ewsletter" not in text and "NBOX" not in text and "EWSLETTER" not in text:
        return False
    return _NEWSLETTER_PITCH.search(text) is not None
_AFFILIATE = re.compile(r"\b(?:(?:we|I) (?:may )?earn (?:a )?(?:small )?commissions?|affiliate (?:links?|commissions?)|as an amazon (?:associate|affiliate))\b", re.IGNORECASE)
DISCLOSURE_MAX_CHARS = 300
"""Longest paragraph dropped as an affiliate disclosure: the notices run one to three
sentences; a longer paragraph that mentions commissions is the article's own text."""
PHOTO_CREDIT_MAX_CHARS = 80
"""Longest loose line read as a photo credit ("Getty Images / Holger Leue", "Image: Govee")."""
_BYLINE = re.compile(r"^(?:by|von|par|por|door|av|written by|posted by|published by)\s+\S", re.IGNORECASE)
_DATE_ONLY = re.compile(
    r"^(?:(?:published|posted|updated|last updated|date)\s*:?\s*)?(?:on\s+)?"
    r"(?:\w+,?\s+)?(?:\d{1,2}[./ -]\w+[./ -]\d{2,4}|\w+\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[ ,at]+\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm|[A-Z]{2,4})?)?\W*$"
    # A machine time stamp shown as text: "2019-01-21T21:40:59.62Z+00:00".
    r"|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?:[+-]\d{2}:\d{2})?$"
    # A relative time stamp: "3 hours ago", "Updated 2 days ago", "a year ago".
    r"|^(?:(?:published|posted|updated|edited)\s+)?(?:\d+|an?)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\W*$"
    # A reading time: "7 min read", "Reading time: 11 minutes".
    r"|^\W*\d+\s*(?:-|–)?\s*min(?:ute)?s?\.?\s*(?:read|reading time|de lecture|lesezeit)\W*$"
    r"|^\W*(?:reading time|lesezeit|temps de lecture)\s*:?\s*\d+\s*min\w*\W*$",
    re.IGNORECASE,
)


def is_good(seg: Segment) -> bool:
    """True for running prose: paragraph/quote/list text of at least `GOOD_MIN_CHARS`
    characters, link density at most `GOOD_MAX_LINK_DENSITY`, with sentence punctuation,
    and not a figure caption."""
    if seg.kind not in ("paragraph", "quote", "list") or seg.length < GOOD_MIN_CHARS:
        return False
    if seg.caption:
        return False  # a photo caption: a gallery of them is not an article
    if seg.link_density > GOOD_MAX_LINK_DENSITY:
        return False
    if _FOOTNOTE.match(seg.text):
        return False  # fine print under an offer: evidence of nothing
    if is_legal_notice(seg.text):
        return False  # the site's trademark and copyright notice
    if seg.length <= PITCH_MAX_CHARS and _is_pitch(seg.text):
        return False  # a newsletter's sign-up pitch
    if is_disclaimer(seg.text):
        return False  # the site's fine print on advice
    if "</" in seg.text and is_markup(seg.text):
        return False  # an embed snippet shown as text ("Get the <a href=...> widget")
    return bool(_SENTENCE_END.search(seg.text)) or seg.length >= 200


_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?>")
MARKUP_MAX_SHARE = 0.3
"""Share of a block's characters in HTML tags above which it is markup shown as
text (an embed code to copy), not prose."""


def is_markup(text: str) -> bool:
    """True when HTML tags make up more than `MARKUP_MAX_SHARE` of `text`."""
    return sum(len(m) for m in _TAG.findall(text)) > MARKUP_MAX_SHARE * len(text)


_RIGHTS_RESERVED = re.compile(
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati",
    re.IGNORECASE,
)


def is_legal_notice(text: str) -> bool:
    """True for a site's legal notice: a copyright sign (or the word) and "All rights
    reserved" (in English, German, French, Spanish or Italian) in one block, however
    long ("NHL.com is the official web site of... are registered trademarks... © NHL
    2012. All Rights Reserved.")."""
    # Cheap tests first: most blocks hold neither mark.
    if "©" not in text and "opyright" not in text and "OPYRIGHT" not in text:
        return False
    return _RIGHTS_RESERVED.search(text) is not None


# The fine print of advice-giving sites (finance, insurance, health, law): what the
# site's material is not ("not intended to replace the advice of a qualified advisor",
# "for general information only", "does not constitute investment advice").
_DISCLAIMER = re.compile(
    r"not intended (?:to (?:replace|substitute|be a substitute|constitute|provide)|as (?:a substitute|an? \w+ advice))"
    r"|for (?:general )?information(?:al)?(?: purposes)? only"
    r"|(?:does|do|shall) not constitute (?:\w+ ){0,2}advice"
    r"|past performance (?:is|does) not (?:a )?(?:guarantee|indicat)",
    re.IGNORECASE,
)
_DISCLAIMER_PHRASES = ("not intended", "information only", "informational only", "purposes only", "not constitute", "past performance")
DISCLAIMER_MAX_CHARS = 1200
"""Longest block read as a disclaimer (the fine print runs to a paragraph or two)."""


def is_disclaimer(text: str) -> bool:
    """True for a site's disclaimer (`_DISCLAIMER`) of at most `DISCLAIMER_MAX_CHARS`."""
    if len(text) > DISCLAIMER_MAX_CHARS:
        return False
    # Each alternative holds one of these phrases: most blocks hold none, and a
    # substring test is far cheaper than the case-blind search.
    if "ntended" not in text and "nformation" not in text and "onstitute" not in text and "erformance" not in text:
        return False
    low = text.lower()
    if not any(phrase in low for phrase in _DISCLAIMER_PHRASES):
        return False
    return _DISCLAIMER.search(text) is not None


TEMPLATE_PROMPT_MAX_CHARS = 120
"""Longest block dropped for holding one unrendered placeholder: a paywall meter, a
greeting, a prompt ("You have {{n}} free articles left this month", 44-95 characters
in the seed and its kind). Longer blocks that quote one are prose about templates (a
framework's documentation: "The example below will result in {{ form }} being
rendered", WCXB) or text using braces (a guest book's "{{{{ hugs }}}}", CleanEval)."""

TEMPLATE_MIN_SHARE = 0.3
"""Share of a longer block's characters in placeholders from which it is still an
unrendered template: the prompts above are 35-57% placeholder, prose quoting one
at most about a quarter."""


def has_template(text: str) -> bool:
    """True when text is an unrendered template: it holds a placeholder (`{{x}}`,
    `{% %}`, `${x}`) and is short (`TEMPLATE_PROMPT_MAX_CHARS`) or mostly
    placeholders (`TEMPLATE_MIN_SHARE`)."""
    if "{" not in text or _TEMPLATE.search(text) is None:
        return False
    if len(text) <= TEMPLATE_PROMPT_MAX_CHARS:
        return True
    return sum(len(m) for m in _TEMPLATE.findall(text)) >= TEMPLATE_MIN_SHARE * len(text)


def is_furniture(seg: Segment) -> bool:
    """True for short blocks that read as page furniture rather than article text, and
    for the site's legal notice at any length (`is_legal_notice`). Both passes ask it
    of most segments: the answer is kept on the segment."""
    if seg.furniture is None:
        seg.furniture = _is_furniture(seg)
    return seg.furniture


def _is_furniture(seg: Segment) -> bool:
    text = seg.text
    if seg.kind in ("code", "table", "figure"):
        return False
    if seg.kind == "paragraph" and seg.length <= LOOSE_CAPTION_MAX_CHARS and ")" in text[-3:] and _CAPTION_CREDIT.search(text):
        return True  # a photo caption outside its figure
    if seg.kind == "paragraph" and seg.length <= PITCH_MAX_CHARS and _is_pitch(text):
        return True  # "...delivered to your inbox every weekday."
    if seg.length > 120:
        return seg.kind == "paragraph" and is_legal_notice(text)
    if _FURNITURE.match(text) and (seg.length < 60 or seg.link_density > 0.3):
        return True
    if seg.length < 30 and _BUTTON.match(text):
        return True  # a button's label: "Add to wishlist", "Learn more"
    if seg.length < 60 and _TALLY.match(text):
        return True  # "7 Likes", "Member", "1,655 1 gold badge 14 silver badges", "Best seller"
    if _COPYRIGHT.match(text):
        return True
    if seg.kind == "paragraph" and seg.length <= PHOTO_CREDIT_MAX_CHARS and _PHOTO_CREDIT.match(text):
        return True  # a photo credit outside its figure
    if seg.kind == "paragraph" and seg.length < 100 and (_BYLINE.match(text) or _DATE_ONLY.match(text)):
        return True
    return False


_COMMENTS_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments|(?<=\d\s)comment|comment(?=\s*\(\d)|reader comments|(?<=\d\s)responses?|(?:leave|add|post|write) a (?:comment|reply)|join the discussion|"
    r"kommentare?|commentaires?|comentarios?|commenti|reacties|komentarze)\b\W*(?:\(?\d+(?: of \d+)?\)?)?\W*"
    r"(?:(?:leave|add|post|write) a (?:comment|reply)\W*)?(?:(?:see|view|show|read) all \d+ comments\W*)?$",
    re.IGNORECASE,
)
COMMENTS_MIN_BEFORE = 300
"""Characters of good text that must come before a comments heading for it to count."""


_END_HEADING = re.compile(
    r"^\W*(?:about (?:me|the author|us)|top (?:headlines|news)|latest (?:headlines|news|stories)|popular (?:posts|stories|articles)|"
    r"related (?:articles|posts|stories|content)|you (?:may|might) also like|"
    r"weitere (?:artikel|beiträge|themen|nachrichten)|ähnliche (?:artikel|beiträge)|"
    r"das könnte (?:sie|dich) auch interessieren|zum weiterlesen|(?:à )?lire aussi|sur le même sujet|"
    r"(?:artículos|noticias) relacionad[oa]s|te puede interesar|articoli correlati|leggi anche)\W*$",
    re.IGNORECASE,
)

_FAQ_HEADING = re.compile(
    r"^\W*(?:frequently asked questions|faqs?\b|häufig gestellte fragen|questions fréquentes|foire aux questions|"
    r"preguntas frecuentes|domande frequenti|veelgestelde vragen)",
    re.IGNORECASE,
)


def comments_start(segs: list[Segment]) -> int | None:
    """Index of the heading that opens the reader comments ("Comments", "12 Responses",
    "Leave a Reply"), when at least `COMMENTS_MIN_BEFORE` characters of good text come
    before it (an article precedes its comments); None when there is none."""
    before = 0.0
    for i, s in enumerate(segs):
        if s.length <= 40 and before >= COMMENTS_MIN_BEFORE and _COMMENTS_HEADING.match(s.text):
            return i
        before += s.score
    return None


def main_container(segs: list[Segment]) -> tuple[int | None, float]:
    """(element key of the main container, share of good text it holds); (None, 0) if no good text."""
    return _deepest_with_share(segs, CONTAINER_SHARE)


def _merge_siblings(segs: list[Segment], key: int, cpath: tuple[int, ...], inside: list[bool], names: dict[int, str]) -> None:
    """Add to the main container the sibling subtrees that continue the article: a
    story split across containers (a lead in a "teaser" wrapper, the text resumed
    after an image or newsletter block). Looking up to `SIBLING_LEVELS` ancestors
    of the container, a sibling subtree joins when its good text is at least
    `SIBLING_SHARE` of what is already in, and its link density is below
    `SIBLING_LINK_DENSITY` (related-story and teaser blocks are link-heavy). After
    Readability's sibling merge (score >= 0.2 x the top candidate's). Above the
    container's parent, a sibling must also share the branch's tag and first class
    name (`_kind_of`: the next block of the same page-builder row), since sidebars
    sit there too. Blocks written straight into one of those ancestors count as one
    sibling before the container and one after it. An introduction before the
    container may carry a table of contents: it joins below `LEAD_LINK_DENSITY`.
    Siblings of the container's own kind (a page builder's row of small blocks)
    also join together when they hold `SIBLING_SHARE` between them (WCXB +0.0002,
    CleanEval +0.0002, trafilatura-eval +0.0002, no page of any dev set worse).
    A data table's unlinked text counts as good text in a sibling (`_table_text`:
    a CMS's second body field holding the table the article introduces; Chinese
    +0.005, WCXB +0.0003, CleanEval +0.0006, no page of any dev set worse)."""
    d = cpath.index(key)
    first_in = inside.index(True)
    for level in range(d, max(0, d - SIBLING_LEVELS), -1):
        parent, branch = cpath[level - 1], cpath[level]
        own = sum(s.score for s, ins in zip(segs, inside) if ins)
        groups: dict[int, list[int]] = {}
        for i, s in enumerate(segs):
            if inside[i] or len(s.path) < level or s.path[level - 1] != parent:
                continue
            if len(s.path) > level:
                if s.path[level] != branch:
                    groups.setdefault(s.path[level], []).append(i)
            else:
                # Blocks loose in this ancestor of the container (an introduction
                # written straight into the post body, before a product grid), before
                # and after it: text, not a widget, so their names are not compared.
                groups.setdefault(-1 if i < first_in else -2, []).append(i)
        for sib, members in groups.items():
            if level < d and sib >= 0 and _kind_of(names.get(sib)) != _kind_of(names.get(branch)):
                continue
            good = sum(segs[i].score or _table_text(segs[i]) for i in members)
            chars = sum(segs[i].length for i in members) or 1
            links = sum(segs[i].link_chars for i in members)
            lead = members[-1] < first_in and good >= LEAD_MIN_CHARS and good >= LEAD_GOOD_SHARE * chars
            # The article's FAQ, in a block of its own after it ("Frequently Asked Questions").
            lead = lead or (members[0] > first_in and good > 0 and any(
                segs[i].kind == "heading" and _FAQ_HEADING.match(segs[i].text) for i in members[:3]))
            # An introduction may carry the article's table of contents (all links).
            if good > 0 and (good >= SIBLING_SHARE * own or lead) and links / chars < (LEAD_LINK_DENSITY if lead else SIBLING_LINK_DENSITY):
                for i in members:
                    inside[i] = True
        # A page builder's row: blocks of the container's own kind (two or more) that
        # hold `SIBLING_SHARE` of the article's text between them, though none does
        # alone, join with those of them that are not link lists.
        kind = _kind_of(names.get(branch))
        row = [(sib, members) for sib, members in groups.items()
               if sib >= 0 and not inside[members[0]] and _kind_of(names.get(sib)) == kind] if kind and len(groups) >= 2 else []
        if len(row) < 2:
            continue
        good = sum(segs[i].score for _, members in row for i in members)
        chars = sum(segs[i].length for _, members in row for i in members) or 1
        links = sum(segs[i].link_chars for _, members in row for i in members)
        if good >= SIBLING_SHARE * own and links / chars < SIBLING_LINK_DENSITY:
            for _, members in row:
                if sum(segs[i].link_chars for i in members) < SIBLING_LINK_DENSITY * (sum(segs[i].length for i in members) or 1):
                    for i in members:
                        inside[i] = True


def _table_text(s: Segment) -> float:
    """A data table's unlinked text, counted as the article's own in a sibling block
    (a second body field holding the table the article introduces)."""
    return s.length * (1.0 - s.link_density) if s.kind == "table" and s.link_density < SIBLING_LINK_DENSITY else 0.0


ARTICLE_ELEMENT_SHARE = 0.25
"""Least share of the page's good text the page's one `<article>` element must hold to
be taken over a main container beside it (`_article_element`)."""


def _article_element(segs: list[Segment], key: int, names: dict[int, str], tnorm: str) -> int | None:
    """The page's one `<article>` element, when the main container is wider than it or
    beside it: the only `<article>` holding good text, with the headline inside it
    and, when the container is beside it, `ARTICLE_ELEMENT_SHARE` of the good text.
    A short story then wins over the longer call to action or sidebar blurb next to
    it. None when there is no such element (listings hold one `<article>` per
    teaser) or the container is inside it."""
    articles = {k for k, name in names.items() if name.startswith("article.")}
    if not articles:
        return None
    good: dict[int, float] = defaultdict(float)
    total = 0.0
    for s in segs:
        if s.score > 0:
            total += s.score
            for k in articles.intersection(s.path):
                good[k] += s.score
    if len(good) != 1:
        return None
    akey, agood = good.popitem()
    kpath = next(s.path for s in segs if key in s.path)
    if akey in kpath[: kpath.index(key) + 1]:
        return None  # the container is the article or inside it
    path = next(s.path for s in segs if akey in s.path)
    if key not in path and agood < ARTICLE_ELEMENT_SHARE * total:
        return None
    headline = any(s.kind == "heading" and akey in s.path and (_matches(s.text, tnorm) or s.level == 1) for s in segs)
    return akey if headline else None


@lru_cache(maxsize=4096)
def _kind_of(name: str | None) -> str:
    """An element's tag and first class name ("div.vds-box"): page builders add
    per-instance classes after the one that says what the block is."""
    if not name:
        return ""
    tag, _, cls = name.partition(".")
    return f"{tag}.{cls.split()[0]}" if cls.split() else tag


def article_pass(segs: list[Segment], title: str = "", subtitle: str = "", section: str = "", names: dict[int, str] | None = None,
                 comments_are_content: bool = False) -> float:
    """The article rules: set `keep` and `role` on each segment; return the share of
    good text in the main container.

    Reader comments (from a comments heading, `comments_start`) are not the article
    and end it, unless `comments_are_content` (a forum thread, whose posts are its
    content); L3S-GN1, dragnet, CleanPortalEval and trafilatura-eval label comments
    as not main content (CleanEval's annotators sometimes kept them).

    Roles: "title", "subtitle", "section" (fields, not body), "body" for kept blocks.
    """
    for s in segs:
        s.score = s.length * (1.0 - s.link_density) if is_good(s) else 0.0
    key, share = main_container(segs)
    cut = comments_start(segs)
    if key is not None and cut is not None and not any(key in s.path and s.score > 0 for s in segs[:cut]):
        # The reader comments outweigh a short article and took the container: the
        # article is what comes before them.
        for s in segs[cut:]:
            s.score = 0.0
        key, share = main_container(segs)
    elif cut is not None and not comments_are_content:
        # The comments follow the article inside its container: they end it.
        for s in segs[cut:]:
            s.score = 0.0
    if key is None:
        # No prose at all: keep nothing rather than guess (listing and empty pages).
        return 0.0
    article = _article_element(segs, key, names or {}, _norm(title))
    key = article or key
    inside = [key in s.path for s in segs]
    cpath = next(s.path for s, ins in zip(segs, inside) if ins)
    if article is None:  # an <article> is whole: what is beside it is not more of it
        _merge_siblings(segs, key, cpath, inside, names or {})

    # Headline: the first heading equal to the title (or the first h1) marks the article's top.
    title_idx = None
    tnorm = _norm(title)
    for i, s in enumerate(segs):
        if s.kind == "heading" and (_matches(s.text, tnorm) or (s.level == 1 and title_idx is None and tnorm and tnorm in _norm(s.text))):
            title_idx = i
            s.role = "title"
            break
    if title_idx is None:
        for i, s in enumerate(segs):
            if s.kind == "heading" and s.level == 1:
                title_idx = i
                s.role = "title"
                break

    # Scope: widen to the ancestor shared with the headline, if close.
    scope = list(inside)
    if title_idx is not None and not inside[title_idx]:
        cdepth = cpath.index(key)
        tpath = segs[title_idx].path
        lca = None
        for d in range(min(cdepth, len(tpath) - 1), -1, -1):
            if d < len(tpath) and tpath[d] == cpath[d]:
                lca = (d, cpath[d])
                break
        if lca is not None and cdepth - lca[0] <= SCOPE_LEVELS:
            lkey = lca[1]
            for i, s in enumerate(segs):
                if not inside[i] and lkey in s.path and (s.kind == "figure" or s.score > 0 or i == title_idx):
                    scope[i] = True

    good_idx = [i for i, s in enumerate(segs) if scope[i] and s.score > 0]
    if not good_idx:
        return share
    first, last = good_idx[0], good_idx[-1]
    # Extend backwards over headings and prose-like blocks directly before the first good
    # block; inside the main container also over short unlinked lines (a recipe's
    # "Zutaten: 300 g Mehl ...", a label) that neither repeat the headline's words nor
    # name a year (a byline with its date: "Associated Press - January 11, 2008").
    twords = set(tnorm.split())
    start = first
    j = first - 1
    while j >= 0 and scope[j] and j != title_idx:
        s = segs[j]
        if _may_open(s, inside[j], twords):
            if is_furniture(s):
                break
            start = j
            j -= 1
        elif s.kind == "figure":
            start = j
            j -= 1
        else:
            break
    # Extend forwards. Inside the main container, over any block until furniture or
    # a link-dense block (tables and lists that close an article); in the widened
    # scope, only over prose-like blocks.
    end = last
    j = last + 1
    stop = cut if cut is not None and cut > last and not comments_are_content else len(segs)
    while j < stop and scope[j]:
        s = segs[j]
        prose = inside[j] and s.kind == "paragraph" and s.length >= 40 and _SENTENCE_END.search(s.text)
        if is_furniture(s) or s.link_density >= (DROP_LINK_DENSITY if prose else TRAIL_LINK_DENSITY):
            break
        if inside[j] or (s.kind in ("paragraph", "quote", "list", "code", "table", "figure") and s.link_density < 0.2 and (
            s.kind != "paragraph" or (s.length >= 30 and _SENTENCE_END.search(s.text))
        )):
            end = j
            j += 1
        else:
            break
    end = _paywall_cut(segs, start, end)
    end = _end_heading_cut(segs, start, end)
    while end > last and segs[end].kind == "heading":
        end -= 1  # a heading with nothing after it introduces what follows the article
    if title_idx is not None and title_idx < start:
        # Figures between the headline and the body belong to the article.
        for i in range(title_idx + 1, start):
            if scope[i] and segs[i].kind == "figure":
                segs[i].keep = True
                segs[i].role = "body"

    snorm, secnorm = _norm(subtitle), _norm(section)
    for i in range(start, end + 1):
        s = segs[i]
        if not scope[i] or i == title_idx:
            continue
        if _matches(s.text, snorm):
            s.role = "subtitle"
            continue
        if s.length < 60 and _matches(s.text, secnorm):
            s.role = "section"
            continue
        if s.kind != "code" and has_template(s.text):
            continue
        if s.kind != "figure" and s.link_density > (LIST_DROP_LINK_DENSITY if s.kind == "list" else DROP_LINK_DENSITY):
            # A linked section heading stays when prose follows it; a list of links
            # stays when the article's sentence before it introduces it ("Many
            # patches were sent for review:").
            if not (s.kind == "heading" and _prose_follows(segs, i, end)) and not (
                s.kind == "list" and i > start and _introduces(segs[i - 1])
            ):
                continue
        if s.score == 0 and is_furniture(s):
            continue
        if s.kind == "paragraph" and s.length <= DISCLOSURE_MAX_CHARS and _is_disclosure(s.text):
            continue  # the affiliate disclosure sites put atop shopping articles
        s.keep = True
        s.role = "body"
    _drop_emptied_headings(segs, start, end)
    return share


def _drop_emptied_headings(segs: list[Segment], start: int, end: int) -> None:
    """Unkeep a heading whose section the rules emptied: blocks after it were dropped
    and the next kept block is a heading of the same or a higher rank, or nothing
    (a changelog's per-author link lists, each under its own heading)."""
    kept = [i for i in range(start, end + 1) if segs[i].keep]
    for n, i in enumerate(kept):
        s = segs[i]
        if s.kind != "heading" or s.role != "body":
            continue
        j = kept[n + 1] if n + 1 < len(kept) else end + 1
        if j == i + 1:
            continue  # nothing was dropped after it
        nxt = segs[j] if j <= end else None
        if nxt is None or (nxt.kind == "heading" and (nxt.level or 6) <= (s.level or 6)):
            s.keep, s.role = False, ""


_PAYWALL_PROMPT = re.compile(
    r"\bto (?:view|read|continue reading|access) (?:the|this) (?:full|entire|complete|rest of (?:the|this)) (?:story|article)"
    r"|\bsubscribe (?:now |today )?to (?:continue|keep) reading|\balready (?:a )?(?:subscriber|member)\b.{0,60}\blog ?in"
    r"|\b(?:this|the rest of this) (?:article|story|content) is (?:only )?(?:available|reserved|exclusive) (?:to|for) (?:paying )?(?:subscribers|members)"
    r"|\bum (?:den|diesen) (?:ganzen |vollständigen )?artikel (?:weiter |vollständig )?(?:zu )?lesen"
    r"|\bdieser (?:artikel|beitrag) ist (?:nur )?für (?:abonnenten|abonnentinnen)",
    re.IGNORECASE,
)
PAYWALL_PROMPT_MAX_CHARS = 300
"""Longest paragraph read as a paywall prompt ("To view the full story, please subscribe")."""


_PAYWALL_WORDS = ("subscri", "full ", "entire", "complete", "rest of", "log", "member", "artikel", "beitrag")


def _search_if_words(pattern: re.Pattern, words: tuple[str, ...], text: str) -> bool:
    """`pattern` found in `text`, tried only when the lower-cased text holds one of
    `words`: patterns with no literal start give the regex engine nothing to skip
    to, and most blocks hold none of their key words."""
    low = text.lower()
    return any(w in low for w in words) and pattern.search(text) is not None


def _paywall_cut(segs: list[Segment], start: int, end: int) -> int:
    """The article's last index before an inline paywall prompt (`_PAYWALL_PROMPT`,
    a paragraph of at most `PAYWALL_PROMPT_MAX_CHARS` after some of the story): the
    prompt and the subscription pitch after it are not the article. `end` when
    there is none."""
    before = 0.0
    for i in range(start, end + 1):
        s = segs[i]
        if before > 0 and s.kind == "paragraph" and s.length <= PAYWALL_PROMPT_MAX_CHARS and _search_if_words(_PAYWALL_PROMPT, _PAYWALL_WORDS, s.text):
            return i - 1
        before += s.score
    return end


def _may_open(s: Segment, inside: bool, twords: set[str]) -> bool:
    """True when `s`, just before the article's first good block, may open the article
    (see the backward extension in `article_pass`): a heading; a sentence-final prose
    block of 40+ characters with link density under `LEAD_LINK_DENSITY` (under
    `DROP_LINK_DENSITY` inside the main container); inside the main container, also a
    short unlinked line that neither repeats half the title's words (`twords`) nor
    names a year."""
    if s.kind == "heading":
        return True
    if s.kind not in ("paragraph", "list", "quote") or s.link_density >= (DROP_LINK_DENSITY if inside else LEAD_LINK_DENSITY):
        return False
    if s.length >= 40 and _SENTENCE_END.search(s.text):
        return True
    return inside and s.link_density == 0 and s.length >= 10 and not _shares_title(s.text, twords) and not _YEAR.search(s.text)


def _end_heading_cut(segs: list[Segment], start: int, end: int) -> int:
    """The article's last index before a heading that opens what follows an article
    (`_END_HEADING`: "About the author", "Top headlines", "Related posts") when at
    least `COMMENTS_MIN_BEFORE` characters of good text come before it; `end` when
    there is none. A bio heading ("About ...") always ends it; a box of related
    links set inside the story (the next good block after it sits in the same
    element as the last one before it) does not. Measured on every dev set against
    no such cut: dragnet +0.002, trafilatura-eval +0.0011, L3S +0.0005, WCXB +0.0002,
    CleanEval -0.0001 (one page whose annotators kept the author's bio). Headings
    naming their subject ("More on Stanford:") are left out: guides use them for
    their own sections."""
    before = 0.0
    last_good = None
    next_good: list[int | None] | None = None  # for each index, the next good block's (built once, when needed)
    for i in range(start, end + 1):
        s = segs[i]
        if s.kind == "heading" and s.length <= 40 and before >= COMMENTS_MIN_BEFORE and _END_HEADING.match(s.text):
            if s.text.strip().lower().startswith("about"):
                return i - 1
            if next_good is None:
                next_good, k = [None] * (end + 2), None
                for j in range(end, start - 1, -1):
                    next_good[j] = k
                    if segs[j].score > 0:
                        k = j
            k = next_good[i]
            if k is None or last_good is None or segs[k].path != last_good.path:
                return i - 1
            continue  # a box inside the story: look on
        if s.score > 0:
            before += s.score
            last_good = s
    return end


def _is_disclosure(text: str) -> bool:
    """True for an affiliate disclosure (`_AFFILIATE`)."""
    return _search_if_words(_AFFILIATE, ("commission", "affiliate", "associate"), text)


def _prose_follows(segs: list[Segment], i: int, end: int) -> bool:
    """True when a good block comes right after segment `i`, or after one short line
    (a linked entry title, then "Atlanta, United States", then its description)."""
    if i + 1 <= end and segs[i + 1].score > 0:
        return True
    return i + 2 <= end and segs[i + 1].kind == "paragraph" and segs[i + 1].length < 60 and segs[i + 2].score > 0


INTRO_MIN_CHARS = 10
"""Shortest sentence that introduces a list ("Other deals:", "Key topics include:"); a
bare one-word label with a colon ("Tags:", "Share:") is furniture. (20 measured
dragnet -0.0008 and WCXB -0.0001 against 10.)"""


def _introduces(seg: Segment) -> bool:
    """True for a kept paragraph of the article that ends in a colon: the sentence
    that introduces the list after it."""
    return seg.keep and seg.kind == "paragraph" and seg.length >= INTRO_MIN_CHARS and seg.text.rstrip().endswith(":")


_WORDS = re.compile(r"\w+")


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _shares_title(text: str, twords: set[str]) -> bool:
    """True when half or more of the words of a short line are words of the title (an
    unmarked headline, or the headline with its date)."""
    words = _norm(text).split()
    return bool(twords) and bool(words) and sum(w in twords for w in words) * 2 >= len(words)


def _norm(text: str) -> str:
    """Lower-cased words joined by single spaces: punctuation and spacing dropped."""
    return " ".join(_WORDS.findall(text.lower()))


def _matches(text: str, norm: str) -> bool:
    """True when `text` normalises to `norm` (a `_norm` result). Normalising only drops
    punctuation and spacing, so a text over four times as long is taken as no match
    without normalising it (most blocks on a page are)."""
    return bool(norm) and len(text) <= 4 * len(norm) + 20 and _norm(text) == norm


def is_title(text: str, title: str) -> bool:
    """True when `text` is `title`, punctuation, spacing and case aside."""
    return _matches(text, _norm(title))


def raw_confidence(segs: list[Segment], share: float) -> float:
    """0..1 before calibration: high when the kept blocks are mostly good prose, there
    is plenty of it, and the main container holds nearly all the page's good text."""
    kept = [s for s in segs if s.keep]
    if not kept:
        return 0.0
    good = sum(s.length for s in kept if s.score > 0)
    total = sum(s.length for s in kept) or 1
    volume = min(1.0, good / 1500)
    return max(0.0, min(1.0, 0.4 * share + 0.3 * (good / total) + 0.3 * volume))


# Mean body F1 on WCXB dev per tenth of raw confidence, for pages read as prose
# ("article") and as regions; written by benchmarks/calibrate_confidence.py.
CALIBRATION = {
    "article": (0.026, 0.053, 0.053, 0.053, 0.451, 0.586, 0.618, 0.644, 0.774, 0.916, 0.916),
    "region": (0.242, 0.484, 0.484, 0.484, 0.494, 0.494, 0.494, 0.494, 0.68, 0.68, 0.68),
}


def confidence(segs: list[Segment], share: float, region: bool = False) -> float:
    """0..1, calibrated: the body F1 that pages like this one reached on the WCXB dev
    set (`CALIBRATION`, interpolated between tenths of `raw_confidence`). 0 when
    nothing was kept; about 0.5 or less means the extraction is doubtful. A page
    whose raw confidence is 0 but that kept something (a listing the article pass
    found no prose in) gets the lowest tenth's value, as the calibration binned it."""
    if not any(s.keep for s in segs):
        return 0.0
    raw = raw_confidence(segs, share)
    table = CALIBRATION["region" if region else "article"]
    i = min(9, int(raw * 10))
    frac = raw * 10 - i
    return round(table[i] + (table[i + 1] - table[i]) * frac, 3)


REGION_SHARE = 0.7
"""Share of the page's remaining text the main region must hold (region mode)."""
REGION_MIN_CHARS = 50
"""A region with less text than a short sentence is no main content (region mode)."""


def region_pass(segs: list[Segment], title: str = "", subtitle: str = "", section: str = "") -> float:
    """Region mode, for pages whose main content is not one run of prose (listings,
    collections, products, forums, services, documentation): keep every block of the
    main region, the deepest element holding `REGION_SHARE` of the pruned page's text
    (link text counted at half weight), except furniture and template blocks.
    Returns the region's share of the text."""
    for s in segs:
        s.score = s.length * (1.0 - 0.5 * s.link_density) if s.kind != "figure" else 0.0
    key, share = _deepest_with_share(segs, REGION_SHARE)
    if key is None:
        return 0.0
    tnorm, snorm = _norm(title), _norm(subtitle)
    title_done = False
    for s in segs:
        if key not in s.path:
            continue
        if not title_done and s.kind == "heading" and _matches(s.text, tnorm):
            s.role, title_done = "title", True
            continue
        if _matches(s.text, snorm):
            s.role = "subtitle"
            continue
        if (s.kind != "code" and has_template(s.text)) or is_furniture(s):
            continue
        s.keep, s.role = True, "body"
    if sum(s.length for s in segs if s.keep) < REGION_MIN_CHARS:
        for s in segs:
            if s.keep:
                s.keep, s.role = False, ""
    return share


def _deepest_with_share(segs: list[Segment], need_share: float) -> tuple[int | None, float]:
    """The deepest element on the segments' paths whose segments' `score`s add up to
    `need_share` of the total, with its share; (None, 0) when all scores are 0."""
    # Scores summed per path first: the segments of one container share their path
    # (one tuple), and a page has a few containers to many segments.
    by_path: dict[int, list] = {}
    grand = 0.0
    for s in segs:
        if not s.score:
            continue
        grand += s.score
        entry = by_path.get(id(s.path))
        if entry is None:
            by_path[id(s.path)] = [s.path, s.score]
        else:
            entry[1] += s.score
    totals: dict[int, float] = defaultdict(float)
    depth: dict[int, int] = {}
    for path, score in by_path.values():
        for d, key in enumerate(path):
            totals[key] += score
            depth[key] = d
    if grand <= 0:
        return None, 0.0
    need = need_share * grand
    best, best_depth = None, -1
    for key, total in totals.items():
        if total >= need and depth[key] > best_depth:
            best, best_depth = key, depth[key]
    return best, totals[best] / grand if best is not None else 0.0


@dataclass(slots=True)
class Passes:
    """What the two rule passes say about a page's segments."""

    a_keep: list[bool]
    r_keep: list[bool]
    roles: list[str]
    a_share: float
    r_share: float


def run_passes(segs: list[Segment], title: str = "", subtitle: str = "", section: str = "", names: dict[int, str] | None = None,
               comments_are_content: bool = False) -> Passes:
    """Run the article and region passes; leave the article pass's roles and scores on
    the segments. `comments_are_content`: see `article_pass`."""
    r_share = region_pass(segs, title, subtitle, section)
    r_keep = [s.keep for s in segs]
    for s in segs:
        s.keep, s.role = False, ""
    a_share = article_pass(segs, title, subtitle, section, names, comments_are_content)
    return Passes([s.keep for s in segs], r_keep, [s.role for s in segs], a_share, r_share)


def use_region(segs: list[Segment], passes: Passes) -> None:
    """Keep what the region pass kept (for pages whose main content is not one run of
    prose); the article pass's title, standfirst and section roles still hold."""
    for s, keep in zip(segs, passes.r_keep):
        if s.role in ("title", "subtitle", "section"):
            s.keep = False
            continue
        s.keep = keep
        s.role = "body" if keep else ""
