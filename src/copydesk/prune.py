"""Stage 3, prune: remove from the DOM what is never main content.

Three kinds of node go:
1. Elements that render no reading text: scripts, styles, templates, inline SVG
   (whose `<title>`/`<desc>` icon labels would otherwise leak, "Created with
   Sketch."), media embeds, form controls.
2. Elements a reader never sees: `hidden`, `aria-hidden="true"`, inline
   `display:none` / `visibility:hidden`, screen-reader-only classes, and
   elements matched by `display:none` rules in the page's own `<style>` blocks
   (simple class/id selectors only). Not panels the reader opens: those a
   control names (aria-controls, data-target) or follows (aria-expanded), tab
   panels, accordion items and FAQ answers.
3. Page furniture by role or name: `<nav>`, `<footer>`, `<aside>`, site headers
   (not an `<article>`'s own header), dialogs, scripted dropdowns (role listbox or
   combobox), WordPress list widgets, and
   elements whose class/id names a boilerplate widget (cookie banners, share
   bars, newsletter and paywall prompts, related/recommended lists, comments,
   ads, breadcrumbs, legal small print; customer reviews on product pages). The
   token lists follow the unlikely-candidate patterns that Readability and
   trafilatura have used for a decade, matched on whole class/id tokens so
   "shared" or "headline" do not match, and not in names that are state or
   layout switches ("hide-read-more-ad", "no-sidebar", "sidebar-enabled--false").

Two guards keep any element, whatever its name, that holds most of the page's
text (`DOMINANT_SHARE`) or a large share of its long paragraphs (`PROSE_SHARE`):
sites put "sidebar" or "has-comments" on wrappers of the whole article, and a
page wholly hidden until scripts run still has its article. The prose guard
does not protect consent managers and modal dialogs (nor does the dominance
guard, unless they hold the page's `<main>`, `<article>` or h1), nor, off
discussion threads, comments that outweigh the article (`COMMENTS_OUTSIDE_PROSE`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from selectolax.lexbor import create_tag

from copydesk.options import Deadline

# Tags whose subtree is never reading text. <rt>/<rp> are ruby annotations (the
# furigana printed over Japanese kanji): a pronunciation aid, not the sentence.
DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "video", "audio", "map", "button", "select", "textarea", "input", "option", "dialog", "link", "meta",
    "rt", "rp",
)
NOSCRIPT_CONTENT_CHARS = 500
"""Text in a <noscript> beyond a "please enable JavaScript" notice or a tracking pixel."""
# Page furniture by HTML role; subject to the dominance guard. A listbox or combobox
# is a scripted <select> (its options are choices, not text), dropped like one.
FURNITURE_TAGS = frozenset({"nav", "footer", "aside"})
FURNITURE_ROLES = frozenset({"navigation", "contentinfo", "complementary", "banner", "dialog", "alertdialog", "search", "listbox", "combobox"})
# Any [role], the role tested in Python (`_early_reason`): each alternative of a
# Lexbor selector costs a test of every element (about 4 us on a median page), and
# few elements have a role.
FURNITURE_SELECTOR = ", ".join(sorted(FURNITURE_TAGS) + ["[role]"])
FORM_MAX_CHARS = 1000
"""Search, login, newsletter and comment forms are short; a longer <form> wraps the
page (ASP.NET WebForms put the whole body in one) and is not pruned."""

HIDDEN_SELECTOR = "[hidden], [aria-hidden=true]"
STYLE_SELECTOR = "[style*=none i], [style*=hidden i]"  # confirmed by _HIDING in Python

# Whole class/id tokens that name boilerplate widgets.
BOILERPLATE_TOKENS = frozenset(
    """
    cookie cookies consent gdpr newsletter newsletters subscribe subscription subscriptions signup
    paywall meter regwall piano share shares sharing sharebar social socials sociallinks related relatedposts
    recommended recommendations recirculation outbrain taboola comment comments commentlist disqus
    breadcrumb breadcrumbs advert advertisement advertising ads ad adslot adunit dfp sponsored sponsor
    promo promotion popup modal overlay lightbox sidebar navbar nav navigation menu megamenu
    footer masthead toolbar skiplink skip-link skip-to skiptocontent tags tagcloud taglist pagination pager
    byline author authors author-bio authorbox about-author bio meta postmeta post-meta entry-meta rating ratings reactions most-popular popular trending
    readmore read-next readnext upnext more-stories morestories jump-link nocontent
    disclaimer disclaimers disclosure disclosures fineprint fine-print
    sronly sr-only visually-hidden visuallyhidden screen-reader-text screenreader offscreen
    """.split()
)
# Substrings that name boilerplate even inside compound names ("cookieBanner").
BOILERPLATE_SUBSTRINGS = ("cookie", "consent", "newsletter", "paywall", "taboola", "outbrain", "sharing", "social", "gdpr", "disqus")
# Tokens that say "this is the content"; they veto the weaker boilerplate tokens.
CONTENT_TOKENS = frozenset(
    "article content body main post entry story text prose blog markdown richtext rich-text".split()
)
# Boilerplate tokens strong enough to override a content token ("post-comments").
STRONG_TOKENS = frozenset(
    "cookie cookies consent gdpr newsletter paywall regwall share sharing sharebar social comments commentlist "
    "disqus related recommended outbrain taboola breadcrumb breadcrumbs advert advertisement sponsored "
    "sronly sr-only visually-hidden visuallyhidden screen-reader-text footer navbar navigation sidebar".split()
)

DOMINANT_SHARE = 0.5
"""An element holding at least this share of the page's text is never pruned by
name, role or hiding (see the module docstring)."""

PROSE_SHARE = 0.35
"""An element holding at least this share of the page's long-paragraph text (`<p>`
of `PROSE_MIN_CHARS` or more) is never pruned: it holds the article, whatever its
name says ("sidebar-first-only", "node--type-newsletter-article")."""
PROSE_MIN_CHARS = 100


PROSE_MAX_LEVELS = 150
"""Ancestors of a paragraph credited with its text (real pages nest far less; the
bound keeps absurdly deep markup linear). The root's total is counted apart."""


CHECK_EVERY = 32
"""Items of a loop over a page's elements between two `Deadline` checks: each item may
read a subtree, which nesting can make as large as the page."""


def _prose_by_ancestor(root, deadline: Deadline | None = None) -> dict[int, int]:
    """Characters of long `<p>` text under each element (keyed by mem_id), root included.
    Raises `ExtractionTimeout` when `deadline` runs out (paragraphs nested in quirks
    mode each hold the rest of the page)."""
    out: dict[int, int] = {}
    total = 0
    # Sum the paragraphs by parent first: siblings share every ancestor, so each
    # parent's chain is walked once, not once per paragraph.
    by_parent: dict[int, list] = {}
    for i, p in enumerate(root.css("p")):
        if deadline is not None and i % CHECK_EVERY == CHECK_EVERY - 1:
            deadline.check()
        n = len(p.text(deep=True))
        if n < PROSE_MIN_CHARS:
            continue
        total += n
        parent = p.parent
        if parent is None:
            continue
        entry = by_parent.get(parent.mem_id)
        if entry is None:
            by_parent[parent.mem_id] = [parent, n]
        else:
            entry[1] += n
    for node, n in by_parent.values():
        for _ in range(PROSE_MAX_LEVELS):
            if node is None:
                break
            key = node.mem_id
            out[key] = out.get(key, 0) + n
            node = node.parent
    out[root.mem_id] = total
    return out


_TOKEN_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])(?=[A-Z])|--")
_SIMPLE_SELECTOR = re.compile(r"\s*([.#][A-Za-z_][\w-]*)\s*")
_SHOWING = re.compile(r"(?<![-\w])(?:display\s*:\s*(?!none)[a-z]|visibility\s*:\s*visible)", re.IGNORECASE)
# Two patterns, not one alternation: each starts with a literal, which the regex
# engine finds by fast search; the alternation is scanned position by position
# (about 5x slower on the 100 KB style sheets of news pages).
_HIDING_LOWER = (re.compile(r"display\s*:\s*none"), re.compile(r"visibility\s*:\s*hidden"))
_SHOWING_LOWER = (re.compile(r"display\s*:\s*(?!none)[a-z]"), re.compile(r"visibility\s*:\s*visible"))
_NAME = re.compile(r"[.#][A-Za-z_][\w-]*(?![\w-])")
_HIDING = re.compile(r"(?<![-\w])(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)


def class_tokens(node) -> frozenset[str]:
    """Lower-case tokens of an element's class and id ("article__image-credit" gives
    article, image, credit and the whole names)."""
    attrs = node.attributes
    return name_tokens(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")


@lru_cache(maxsize=32768)
def name_tokens(raw: str) -> frozenset[str]:
    """Tokens of a class/id string (cached: pages repeat their class names): each name
    lower-cased, its parts between dashes and underscores, and its parts between
    underscores, double dashes and camelCase humps (which keep single dashes, so BEM's
    "post-meta__date" gives "post-meta")."""
    tokens: set[str] = set()
    for name in raw.split():
        _add_tokens(name, tokens)
    tokens.discard("")
    return frozenset(tokens)


def _add_tokens(name: str, tokens: set[str]) -> None:
    """Add one class or id name's tokens (see `name_tokens`) to `tokens`."""
    low = name.lower()
    tokens.add(low)
    # (A split that finds no separator gives `low` alone: skipped.)
    under = "_" in low
    if under or "-" in low:
        tokens.update(low.replace("_", "-").split("-"))
    if low == name:
        if under or "--" in low:
            tokens.update(low.replace("--", "_").split("_"))
    else:
        tokens.update(part.lower() for part in _TOKEN_SPLIT.split(name))


def is_boilerplate_name(node) -> bool:
    """True when the element's class/id names a boilerplate widget (see the token lists)."""
    cls = node.attrs.get("class") or ""  # one attribute each: cheaper than the whole .attributes dict
    ident = node.id or ""
    if not (_may_be_boilerplate(cls) or (ident and _may_be_boilerplate(ident))):
        return False
    return _boilerplate_raw(f"{cls} {ident}")


COMMENT_TOKENS = frozenset({"comment", "comments", "commentlist", "disqus"})
"""Class/id tokens that name reader comments."""
COMMENTS_OUTSIDE_PROSE = 500
"""Long-paragraph characters outside a comments-named element for it to lose the prose
guard (see `prune`): about three paragraphs of an article."""
REVIEW_TOKENS = frozenset({"reviews", "customer-reviews", "ratings-reviews", "user-reviews"})
"""Class/id tokens that name customer reviews (boilerplate on product pages)."""


def _named(node, tokens: frozenset[str]) -> bool:
    """True when the element's class or id holds one of `tokens`."""
    return not class_tokens(node).isdisjoint(tokens)


def _trie(words) -> str:
    """A regular expression matching any of `words`, factored by prefix: the engine
    then tries one branch per character at each position, not one per word (a plain
    alternation of the ~140 tokens is about three times slower)."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


# A quick necessary test before tokenising: a boilerplate name holds a one-word
# boilerplate token as a word, or a longer token or a boilerplate substring as a
# substring. Most names fail it, and class strings repeat, so it is cached.
_TOKEN_WORDS = frozenset(t for t in BOILERPLATE_TOKENS if "-" not in t)
# In the lower-cased name: a substring, or a token standing as a whole [a-z0-9] run
# (two searches: faster than one for their alternation).
_SUBSTRING = re.compile(_trie(set(BOILERPLATE_SUBSTRINGS) | {t for t in BOILERPLATE_TOKENS if "-" in t}))
_LOWER_WORD = re.compile("(?<![a-z0-9])" + _trie(_TOKEN_WORDS) + "(?![a-z0-9])")
# In a mixed-case name: a token as a camelCase hump ("shareBar", "AdSlot", "myADS").
# Looser than the humps themselves; `_boilerplate_raw` decides exactly.
_CAMEL_HIT = re.compile(
    "(?<![A-Za-z0-9])" + _trie(_TOKEN_WORDS) + "(?![a-z0-9])"
    "|" + _trie({t.capitalize() for t in _TOKEN_WORDS} | {t.upper() for t in _TOKEN_WORDS}) + "(?![a-z])"
)


# WordPress names each widget's element "widget_<kind>" (widget_rss, widget_archive,
# widget_recent_entries), and its list widgets live in widget areas: sidebars and
# footers. The free-text kinds (text, custom_html, block, media) also carry page
# builders' content blocks, so they are left to the other rules. (BEM's
# "product-widget__title" is another thing.)
_WP_WIDGET = re.compile(r"(?<![\w-])widget_(?!text\b|custom_html\b|block\b|media)[a-z]")


# Every test of `_may_be_boilerplate` needs a boilerplate token or substring (or
# "widget_") somewhere in the lower-cased name (a camelCase hump lower-cased is one):
# one search of their trie finds none in 63% of the dev pages' class/id strings, and
# spares them the exact tests (most strings on a page are new to the cache).
_ANY_WORD = re.compile(_trie(BOILERPLATE_TOKENS | set(BOILERPLATE_SUBSTRINGS) | {"widget_"}))


@lru_cache(maxsize=65536)
def _may_be_boilerplate(name: str) -> bool:
    low = name.lower()
    if _ANY_WORD.search(low) is None:
        return False
    return (
        _SUBSTRING.search(low) is not None
        or ("widget_" in low and _WP_WIDGET.search(low) is not None)
        or _LOWER_WORD.search(low) is not None
        or (low != name and _CAMEL_HIT.search(name) is not None)
    )


# Function words: a long dash-joined name with several of them is a slug of visible
# text (an anchor id made from a heading, "how-popular-are-meditation-and-mindfulness"),
# not the name of a widget. English only.
_SLUG_WORDS = frozenset(
    "a an and are as at be can do does for from how i in is it of on or should the to what when where which who why will with you your".split()
)
SLUG_MIN_WORDS = 5


def is_text_slug(name: str) -> bool:
    """True for a class/id made from a sentence: `SLUG_MIN_WORDS` or more dash-separated
    words, at least two of them function words (`_SLUG_WORDS`)."""
    words = name.lower().split("-")
    return len(words) >= SLUG_MIN_WORDS and sum(w in _SLUG_WORDS for w in words) >= 2


# A state or layout switch ("hide-read-more-ad", "sidebar-enabled--false", "has-ads",
# "no-sidebar"): it says what the page does or lacks, not what the element is. Not
# "-enabled" or "-hidden": Jetpack's share bar is "sd-sharing-enabled", and
# "visually-hidden" is screen-reader text. WCXB +0.0007, no page of any set worse.
_STATE_NAME = re.compile(r"(?:has|no|hide|with|without)[-_]|.+[-_](?:false|true)$", re.IGNORECASE)


def is_state_name(name: str) -> bool:
    """True for a class/id that is a state or layout switch (`_STATE_NAME`)."""
    return _STATE_NAME.match(name) is not None


@lru_cache(maxsize=32768)
def _boilerplate_raw(raw: str) -> bool:
    if "widget_" in raw and _WP_WIDGET.search(raw.lower()):
        return True
    tokens: set[str] = set()
    for name in raw.split():
        if name.count("-") >= SLUG_MIN_WORDS - 1 and is_text_slug(name):
            continue
        if "-" in name or "_" in name:
            if is_state_name(name):
                continue
        _add_tokens(name, tokens)
    tokens.discard("")
    if not tokens:
        return False
    hits = tokens & BOILERPLATE_TOKENS
    if not hits:
        joined = " ".join(tokens)
        if not any(s in joined for s in BOILERPLATE_SUBSTRINGS):
            return False
        hits = {"substring"}
    if not tokens.isdisjoint(CONTENT_TOKENS) and not (hits & STRONG_TOKENS or hits == {"substring"}):
        # A content word vetoes, unless it only names a BEM element of a boilerplate
        # block ("promo-bar__content" is the promo bar's content; "article__promo" stays).
        blocks: set[str] = set()
        for name in raw.split():
            _add_tokens(name.split("__", 1)[0], blocks)
        return not blocks.isdisjoint(BOILERPLATE_TOKENS) and blocks.isdisjoint(CONTENT_TOKENS)
    return True


# Consent managers (cookie banners and their preference centres) and modal dialogs
# are never the article, though their long paragraphs can outweigh a short page's prose.
# A name that starts with one of these words ("cookie-notice", "onetrust-consent-sdk"),
# not one that only contains it (WordPress's "tag-cookie-recipes"); "cookie" must
# name a banner or notice ("cookie-recipes" is a page about baking).
_CONSENT = re.compile(
    r"(?<![\w-])(?:cookies?[-_]?(?:banner|notice|consent|bar|law|policy|popup|modal|settings|preferences|dialog|wall|box|message|accept)"
    r"|consent|gdpr|onetrust|cybotcookiebot|cookiebot|usercentrics)",
    re.IGNORECASE,
)


def _never_content(node) -> bool:
    """True for what the prose guard does not protect: a modal dialog (role dialog or
    aria-modal, such as a privacy policy shown on request) or an element whose class
    or id names a consent manager (`_CONSENT`)."""
    attrs = node.attrs
    if attrs.get("role") in ("dialog", "alertdialog") or attrs.get("aria-modal") == "true":
        return True
    return _CONSENT.search(f"{attrs.get('class') or ''} {node.id or ''}") is not None


def _add_toggled(node, ids: set[str]) -> None:
    """Add to `ids` those of the elements `node` shows or hides (aria-controls, data-target)."""
    a = node.attrs
    for value in (a.get("aria-controls"), a.get("data-target"), a.get("data-bs-target")):
        if value:
            ids.update(v.lstrip("#") for v in value.split())


def _revealable(node, toggled: set[str]) -> bool:
    """True for hidden elements that the page reveals: React's streamed content
    (`<div hidden id="S:n">`, moved into place by a script), panels a control
    toggles, tab panels, accordion items (FAQ answers, specifications) and elements
    a class names as an answer ("faq__answer": WCXB +0.0004, no other set changes)."""
    attrs = node.attributes
    ident = attrs.get("id") or ""
    if ident and (ident.startswith("S:") or ident in toggled):
        return True
    if attrs.get("role") == "tabpanel":
        return True
    cls = (attrs.get("class") or "").lower()
    if "accordion" in cls or "answer" in cls:
        return True
    return _after_disclosure(node)


DISCLOSURE_PANEL_LEVELS = 2
"""How many wrappers a hidden element may sit in, each as its parent's first child,
below the panel that follows a disclosure control (a panel div round the hidden
content div, as React accordion kits render it)."""


def _after_disclosure(node) -> bool:
    """True when the element just before `node`, or before a wrapper that `node`
    opens (`DISCLOSURE_PANEL_LEVELS`), is a disclosure control (it has aria-expanded):
    WAI-ARIA's disclosure pattern puts the panel a button opens right after it, and
    FAQ accordions often name it no other way."""
    for _ in range(DISCLOSURE_PANEL_LEVELS + 1):
        sib = _previous_element(node)
        if sib is not None:
            return "aria-expanded" in sib.attrs
        node = node.parent
        if node is None:
            return False
    return False


def _hand_state_to_heading(button) -> None:
    """Give a heading the aria-expanded of the button in it, which `strip_unrendered`
    removes: WAI-ARIA's accordion puts the control in a heading (<h3><button
    aria-expanded>), and `_after_disclosure` then still knows the panel after it."""
    expanded = button.attrs.get("aria-expanded")
    parent = button.parent
    if expanded is not None and parent is not None and parent.tag in _HEADINGS and "aria-expanded" not in parent.attrs:
        parent.attrs["aria-expanded"] = expanded


def _previous_element(node):
    """The element sibling before `node`, past blank text and comments; None when
    `node` is its parent's first (text before it also gives None)."""
    sib = node.prev
    while sib is not None and (sib.is_comment_node or (sib.is_text_node and not (sib.text_content or "").strip())):
        sib = sib.prev
    return sib if sib is not None and sib.is_element_node else None


RULE_WINDOW = 4000
"""Characters looked back from a declaration for its rule's `{` and selector: rules
longer than this are left alone (real ones are far shorter); the bound keeps the
scan linear on sheets built to defeat it."""


MAX_HIDDEN_RULES = 200
"""Most page-stylesheet names `_style_hidden_selectors` gives (the first in the page):
Lexbor tests each alternative of the selector list on every element, so 20,000 of
them on 100,000 elements took 16 s. (Of 918 benchmark pages, 91 have such rules;
the most is 43.)"""


def _style_hidden_selectors(tree, deadline: Deadline | None = None) -> str:
    """A selector list of the `.class`/`#id` rules that the page's own `<style>` blocks
    hide for good: single simple selectors at the top level of the sheet (rules in
    `@media print` or breakpoints hide things only on some devices), leaving out any
    name that another rule shows again (`.menu.open {display:block}`): scripts toggle
    those. Linear in the sheet's size: only the rules round each hiding or showing
    declaration are looked at, each within `RULE_WINDOW` characters. A sheet's text is
    its own (`<style>`s nested in SVG are each read alone). Raises `ExtractionTimeout`
    when `deadline` runs out."""
    found: list[str] = []
    # Sheets for clients without scripts (".lazyload {display:none}", as lazy-loading
    # kits write) are left out: one selector, whose ancestor test runs in C (a walk
    # up from each sheet in Python took 7 s under 15,000 nested elements).
    for_no_scripts = {n.mem_id for n in tree.css("noscript style")} if tree.css_first("noscript") is not None else ()
    for style in tree.css("style"):
        if deadline is not None:
            deadline.check()
        if style.mem_id in for_no_scripts:
            continue
        css = style.text(deep=False)
        if "none" not in css and "hidden" not in css:
            continue
        hidden: dict[str, None] = {}
        depth, counted = 0, 0  # brace depth at `counted`, advanced as hits are met in order
        for hit in _declarations(css, _HIDING_LOWER, _HIDING):
            rule = _rule_of(css, hit.start())
            if rule is None:
                continue
            start, open_at = rule
            depth += css.count("{", counted, open_at) - css.count("}", counted, open_at)
            counted = open_at
            if depth != 0:
                continue  # nested in an at-rule
            m = _SIMPLE_SELECTOR.fullmatch(css, start, open_at)
            if m:
                hidden[m.group(1)] = None
        if hidden:
            shown = _shown_names(css)
            found.extend(name for name in hidden if name not in shown)
    return ", ".join(list(dict.fromkeys(found))[:MAX_HIDDEN_RULES])


def _rule_of(css: str, at: int) -> tuple[int, int] | None:
    """(selector start, `{` position) of the rule whose declaration block holds position
    `at`, looking back at most `RULE_WINDOW` characters; None when there is none."""
    floor = max(0, at - RULE_WINDOW)
    open_at = css.rfind("{", floor, at)
    if open_at < 0 or css.rfind("}", open_at, at) >= 0:
        return None
    start = max(css.rfind("}", floor, open_at), css.rfind(";", floor, open_at), css.rfind("{", floor, open_at)) + 1
    if start == 0 and floor > 0:
        return None  # the selector runs past the window
    return start, open_at


def _shown_names(css: str) -> set[str]:
    """The `.class` / `#id` names in the selectors of rules that show an element
    (`display:block`, `visibility:visible`): a name hidden elsewhere but shown here is
    toggled by scripts, not hidden for good. A rule's selector is read once, however
    many of its declarations show (a sheet built with thousands each: 40 s)."""
    names: set[str] = set()
    last = -1
    for hit in _declarations(css, _SHOWING_LOWER, _SHOWING):
        rule = _rule_of(css, hit.start())
        if rule is not None and rule[1] != last:
            last = rule[1]
            names.update(_NAME.findall(css, rule[0], rule[1]))
    return names


def _declarations(css: str, patterns, fallback):
    """Matches of `patterns` (literal-led, for the lower-cased sheet) in `css`, in
    order, not preceded by a name character. A case-sensitive scan of the lower-cased
    sheet is about twice as fast as a case-insensitive one, and two literal-led
    patterns about five times faster than their alternation; a sheet whose length
    lower-casing changes is scanned with the case-insensitive `fallback`."""
    low = css.lower()
    if len(low) != len(css):
        yield from fallback.finditer(css)
        return
    hits = sorted((h for pattern in patterns for h in pattern.finditer(low)), key=lambda h: h.start())
    for hit in hits:
        before = low[hit.start() - 1] if hit.start() else " "
        if not (before.isalnum() or before in "-_"):
            yield hit


DISCLOSURE_MIN_CHARS = 15
"""A disclosure button (`_is_disclosure_button`) with this much text is a question or a
section title, not an icon or "Menu"; its text is kept (see `strip_unrendered`)."""
_DISCLOSURE_NAME = re.compile(r"accordion|faq|collaps|question|expand", re.IGNORECASE)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


MAX_DISCLOSURES = 300
"""Most buttons read as disclosures on one page (an FAQ has dozens). Buttons are
weighed from the last on the page (see `strip_unrendered`); past this many the earlier
ones are dropped as buttons, and so they are once `MAX_DISCLOSURES` x 3 buttons that
say they open something (`_is_disclosure_button`) have been weighed, long label or
not: each weighing reads the button's subtree, and the label of one unwrapped inside
it (buttons nested through tables or marquees: 20,000 of them took 12 s)."""
DISCLOSURE_CHILDREN = 8
"""Children (and grandchildren of each) looked through for a heading in a button."""


def _is_disclosure_button(button) -> bool:
    """True for a button that opens a section below it: it says so (aria-expanded,
    aria-controls, a Bootstrap collapse toggle), sits in or holds a heading, or its
    class names an accordion or FAQ (WCXB +0.0008, mostly collections and services;
    the other dev sets have none). In a heading, it must be the heading's whole text:
    only then are the heading's and the button's texts read; otherwise it reads a few
    attributes, the parent and the first children, never the button's whole subtree."""
    attrs = button.attrs
    if "aria-expanded" in attrs or "aria-controls" in attrs or "collapse" in (attrs.get("data-bs-toggle"), attrs.get("data-toggle")):
        return True
    parent = button.parent
    if parent is not None and parent.tag in _HEADINGS:
        # The heading's whole text (WAI-ARIA's <h3><button>Question</button></h3>), not
        # a control beside its title ("Module runtime" + a "Copy item path" button).
        return " ".join(parent.text(deep=True, separator=" ").split()) == " ".join(button.text(deep=True, separator=" ").split())
    if _DISCLOSURE_NAME.search(attrs.get("class") or ""):
        return True
    # A heading among the first children or their first children (a question in an <h5>).
    return any(child.tag in _HEADINGS or any(g.tag in _HEADINGS for g in islice(child.iter(), DISCLOSURE_CHILDREN))
               for child in islice(button.iter(), DISCLOSURE_CHILDREN))


NESTED_NOSCRIPTS = 50
"""Most `<noscript>`s inside an unwrapped one that are weighed (a browser never nests
them; Lexbor, parsing with scripts off, does). Past it they are unwrapped unweighed,
as part of the page's rendering without scripts.
Bounds the work on thousands nested, each holding the long text at the bottom."""


def _unwrap_long_noscripts(tree, deadline: Deadline | None = None) -> None:
    """Unwrap each `<noscript>` holding `NOSCRIPT_CONTENT_CHARS` or more of text (see
    `strip_page`); the others are left for `strip_unrendered`.

    Weighing every `<noscript>` reads each nested one's subtree again: 50,000 nested
    took 10 s. A `<noscript>` inside a short one is shorter still and goes with it, so
    it is not weighed; the ones inside an unwrapped one are weighed up to
    `NESTED_NOSCRIPTS`, the rest unwrapped. The subtrees read are then disjoint
    but for those few. Raises `ExtractionTimeout` when `deadline` runs out."""
    nodes = tree.css("noscript")
    if len(nodes) <= NESTED_NOSCRIPTS:
        # Few enough to weigh each, however they nest (pages have a handful).
        for node in reversed(nodes):
            if len(node.text(deep=True, separator=" ", strip=True)) >= NOSCRIPT_CONTENT_CHARS:
                node.unwrap()
        return
    in_short: set[int] = set()
    in_unwrapped: set[int] = set()
    nested = 0
    unwrap = []
    for i, node in enumerate(nodes):
        if deadline is not None and i % CHECK_EVERY == CHECK_EVERY - 1:
            deadline.check()
        key = node.mem_id
        if key in in_short:
            continue
        if key in in_unwrapped:
            nested += 1
        if nested > NESTED_NOSCRIPTS or len(node.text(deep=True, separator=" ", strip=True)) >= NOSCRIPT_CONTENT_CHARS:
            if key not in in_unwrapped:
                in_unwrapped.update(n.mem_id for n in node.css("noscript"))
            unwrap.append(node)
        else:
            in_short.update(n.mem_id for n in node.css("noscript"))
    # Innermost first: Lexbor's move of a node walks the subtree moved, so unwrapping
    # an outer one first would move every inner one's subtree again.
    for i, node in enumerate(reversed(unwrap)):
        if deadline is not None and i % CHECK_EVERY == CHECK_EVERY - 1:
            deadline.check()  # each unwrap moves what the inner ones held
        node.unwrap()


_TOGGLE_SELECTOR = "[aria-controls], [data-target], [data-bs-target]"


def tag_ids(tags) -> frozenset[int]:
    """Lexbor's tag ids of the standard HTML/SVG/MathML tag names `tags` (fixed numbers
    for the names Lexbor knows; a name it does not know gets an id per document)."""
    return frozenset(create_tag(tag).tag_id for tag in tags)


_DROP_IDS = tag_ids(DROP_TAGS)


def strip_unrendered(tree, tags=DROP_TAGS, toggled: set[str] | None = None, deadline: Deadline | None = None) -> None:
    """Remove elements that render no reading text (`DROP_TAGS` by default) from the
    body, in place. Idempotent; `strip_page` calls it.

    A disclosure button's label (`_is_disclosure_button`, `DISCLOSURE_MIN_CHARS`, at
    most `MAX_DISCLOSURES` a page) is unwrapped, not removed: an accordion's question.

    `toggled`, when given, receives the ids of the elements the page's controls show
    or hide (aria-controls, data-target), read before the controls (often <button>s)
    go: collapsed panels are content (see `_revealable`).

    Raises `ExtractionTimeout` when `deadline` runs out (buttons nested through tables
    each read the rest of the page)."""
    # The body only: the head's scripts, styles and meta tags are never read as text.
    scope = tree.body or tree.root
    if scope is None:
        return
    if toggled is not None:
        for node in scope.css(_TOGGLE_SELECTOR):
            _add_toggled(node, toggled)
    # All elements in one walk, their tag ids tested in Python: Lexbor tests each
    # alternative of a selector list on every element (about 4 us a tag on a median
    # page), while an element's tag id is an int read without decoding its name (and
    # `traverse` is cheaper than a "*" selection). Collected first: the walk must not
    # meet the removals. Removing without freeing, as strip_tags does, so matches
    # nested in a removed one are harmless.
    dropped = _DROP_IDS if tags is DROP_TAGS else tag_ids(tags)
    buttons = []
    for node in [n for n in scope.traverse() if n.tag_id in dropped]:
        if node.tag == "button":
            buttons.append(node)  # after the rest: its label is read without icons' <title>s and scripts
            continue
        node.decompose(recursive=False)
    disclosures = weighed = 0
    # Last first: a button nested in another (through a table or a marquee; real pages
    # never nest them) is gone from the outer one's subtree when that is read.
    for i, node in enumerate(reversed(buttons)):
        if deadline is not None and i % CHECK_EVERY == CHECK_EVERY - 1:
            deadline.check()
        _hand_state_to_heading(node)
        if disclosures < MAX_DISCLOSURES and weighed < 3 * MAX_DISCLOSURES and _is_disclosure_button(node):
            weighed += 1
            if len(node.text(deep=True, separator=" ", strip=True)) >= DISCLOSURE_MIN_CHARS and node.css_first("img, picture") is None:
                # A disclosure button's label is the heading of what it opens (an FAQ's
                # question above its answer): its words stay, the control goes. (A
                # button around an image opens a lightbox.)
                disclosures += 1
                node.unwrap()
                continue
        node.decompose(recursive=False)


@dataclass(slots=True)
class Stripped:
    """What `strip_page` learned from a page's elements before they went."""

    toggled: set[str]
    """Ids of the elements the page's controls show or hide (see `_revealable`)."""
    hidden_selector: str
    """The page style sheets' rules that hide elements for good (`_style_hidden_selectors`)."""


def strip_page(tree, deadline: Deadline | None = None) -> Stripped:
    """Read the page's style sheets and controls, then strip its unrendered elements
    (`strip_unrendered`), in place; `prune` runs it when not given its result, and
    metadata runs it once it has read the structured data (scripts).

    A `<noscript>` holding `NOSCRIPT_CONTENT_CHARS` or more of text is the page's
    rendering for clients without scripts (Discourse forums serve their posts so)
    and is unwrapped first, not removed; the style sheets in the others are not read.

    Raises `ExtractionTimeout` when `deadline` runs out."""
    _unwrap_long_noscripts(tree, deadline)
    hidden = _style_hidden_selectors(tree, deadline)
    toggled: set[str] = set()
    strip_unrendered(tree, DROP_TAGS, toggled, deadline)
    return Stripped(toggled, hidden)


DOOMED_LOOKUP_LEVELS = 64
"""Ancestors `prune` looks through for a doomed one before weighing a candidate (a
shortcut only: past it the candidate is weighed as usual). Bounds the walk on
absurdly deep markup."""


def _under_doomed(node, doomed: dict[int, object], memo: dict[int, bool] | None = None, levels: int | None = None) -> bool:
    """True when an ancestor of `node` is in `doomed` (keyed by mem_id), looking at most
    `levels` ancestors up (None: all). `memo` (mem_id -> answer for that ancestor's
    own ancestors) is filled along the way so that many nodes under one ancestor
    cost one walk; it is valid only while `doomed` does not change."""
    path = []
    parent = node.parent
    found = False
    while parent is not None:
        key = parent.mem_id
        if key in doomed:
            found = True
            break
        if memo is not None and key in memo:
            found = memo[key]
            break
        if levels is not None and len(path) >= levels:
            return False
        path.append(key)
        parent = parent.parent
    if memo is not None:
        for key in path:
            memo[key] = found
    return found


KEPT_CHAIN = 32
"""Elements the dominance guard keeps in `prune` before it bounds the next ones' text
from below (`_text_at_least`) instead of reading it. Each holds most of the page's
text, so they nest in one another, and reading each re-reads the ones inside: 24,000
nested took 3 s. Real pages keep a few."""
CHAIN_SIBLINGS = 4
"""Other children of one level of the path that `_text_at_least` reads before it gives up."""


def _text_at_least(node, kept: dict[int, int], levels: int) -> int:
    """A lower bound on the length of `node.text(deep=True, separator=" ", strip=True)`:
    that of its nearest ancestor in `kept` (mem_id -> length, or a lower bound) less
    what lies beside the path to it, each fragment's stripped length plus a separator
    (an upper bound on what it adds). 0 when no such ancestor is within `levels`, or
    a level has more than `CHAIN_SIBLINGS` other children. Reads only those children:
    along a chain of nested kept elements, each piece of text once."""
    deficit = 0
    child, parent = node, node.parent
    for _ in range(levels):
        if parent is None:
            return 0
        others = 0
        for sibling in parent.iter(include_text=True):
            if sibling.mem_id == child.mem_id:
                continue
            others += 1
            if others > CHAIN_SIBLINGS:
                return 0
            deficit += len(sibling.text(deep=True, separator=" ", strip=True)) + 1
        size = kept.get(parent.mem_id)
        if size is not None:
            return size - deficit
        child, parent = parent, parent.parent
    return 0


def _outermost(doomed: dict[int, object]) -> list:
    """The nodes of `doomed` (by mem_id) with no doomed ancestor, in its order.
    Linear in the ancestors visited, however deeply doomed nodes nest."""
    memo: dict[int, bool] = {}
    return [node for node in doomed.values() if not _under_doomed(node, doomed, memo)]


_EARLY_SELECTOR = ", ".join((HIDDEN_SELECTOR, STYLE_SELECTOR, FURNITURE_SELECTOR, "header", "form"))


def _early_reason(node, toggled: set[str], product: bool, in_article: set[int]) -> str | None:
    """Why `node`, matched by `_EARLY_SELECTOR`, is never content; None when it may
    be. In order: hidden (`hidden`, aria-hidden="true", an inline display:none or
    visibility:hidden) unless revealable; a furniture role (`FURNITURE_SELECTOR`),
    but not a product page's dialog, which is a sheet the shopper opens (sizes,
    delivery), unless a consent manager's; a site header (`_is_site_header`); a
    form shorter than `FORM_MAX_CHARS`."""
    attrs = node.attrs
    if ("hidden" in attrs or attrs.get("aria-hidden") == "true") and not _revealable(node, toggled):
        return "hidden attribute"
    style = attrs.get("style")
    if style and _HIDING.search(style) and not _revealable(node, toggled):
        return "inline style"
    tag = node.tag
    role = attrs.get("role")
    if (tag in FURNITURE_TAGS or role in FURNITURE_ROLES) and not (
        product and role == "dialog" and not _CONSENT.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")
    ):
        return "furniture role"
    if tag == "header":
        return "site header" if _is_site_header(node, in_article) else None
    if tag == "form" and len(node.text(deep=True, separator=" ", strip=True)) < FORM_MAX_CHARS:
        return "form"
    return None


def _headers_in_articles(root) -> set[int]:
    """Keys of the `<header>`s inside an `<article>`. Read from each outermost
    article's subtree, once: the selector "article header" checks every header's
    ancestors, quadratic on deep markup."""
    headers: set[int] = set()
    inner: set[int] = set()
    for article in root.css("article"):
        if article.mem_id in inner:
            continue
        headers.update(n.mem_id for n in article.css("header"))
        inner.update(n.mem_id for n in article.css("article"))
    return headers


def _is_site_header(node, in_article: set[int]) -> bool:
    """A `<header>` that is the site's banner, not an entry's own header.

    HTML gives `<header>` two uses: the page banner (logo, menu, search) and the
    introductory part of an `<article>` (its title and byline). A header holding
    the page's h1, or a heading inside an `<article>` (`in_article`: the keys of
    headers under one, found in one selector pass), is the second kind: in a
    listing each teaser is an `<article>` whose title sits in its header.
    """
    if node.css_first("h1") is not None:
        return False
    if node.mem_id in in_article:
        return node.css_first("h2, h3, h4, h5, h6") is None
    return True


def prune(tree, deadline: Deadline | None = None, trace: list | None = None, product: bool = False, thread: bool = False,
          page: Stripped | None = None, comments: bool = False) -> int:
    """Remove never-content elements from `tree` (a LexborHTMLParser) in place.
    Returns the characters of text removed with elements named for comments
    (`COMMENT_TOKENS`): the pipeline's evidence that a page it found no article in
    is a discussion thread.

    `page`: `strip_page`'s result when it has been run on this tree (by metadata, see
    `metadata.read_page`), with nothing removed since; else `prune` runs it first.

    `thread`: the page is a discussion thread (`pagetype.is_thread`): an element named
    for comments that holds paragraphs is a reply and stays (a Q&A site's one-line
    remarks, named so too, still go). Elsewhere an element named for comments loses
    the prose guard when `COMMENTS_OUTSIDE_PROSE` of long-paragraph text lies outside
    it (the article its comments outweigh).

    `comments`: the page's comments are all its content (a thread found only when the
    first pruning left next to no article): elements named for comments stay.

    `product`: the page is a product page (`pagetype.is_product`); its customer
    reviews (elements named review/reviews) are then boilerplate too. On other
    pages reviews can be the content (a review site, a service's testimonials).
    Its dialogs (role=dialog) are sheets the shopper opens and stay, unless named
    for a consent manager.

    `trace`, if a list, receives (reason, tag, class/id, characters removed) for each
    removed element: the way to see why text went missing.
    """
    root = tree.body or tree.root
    if root is None:
        return 0
    if page is None:
        page = strip_page(tree, deadline)
    css_hidden = page.hidden_selector
    # Collapsed accordion, tab and disclosure panels are hidden until a click: a
    # control names them in aria-controls / data-target. They are content. The strip
    # read those names before the controls (often <button>s) went.
    toggled = page.toggled
    if deadline:
        deadline.check()
    total = len(root.text(deep=True, separator=" ", strip=True)) or 1
    limit = DOMINANT_SHARE * total
    prose = _prose_by_ancestor(root, deadline)
    prose_total = prose.get(root.mem_id, 0)
    prose_limit = PROSE_SHARE * prose_total

    doomed: dict[int, object] = {}
    reasons: dict[int, str] = {}
    sizes: dict[int, int] = {}  # text length of each doomed node, when measured

    kept: dict[int, int] = {}  # text length (or a lower bound) of each node the dominance guard keeps

    def dominant(node, size: int) -> bool:
        """The dominance guard (a consent centre or dialog outweighing the page goes all the same)."""
        return size >= limit and not (_never_content(node) and node.css_first("main, article, h1") is None)

    def consider(candidates) -> None:
        """Doom each (node, reason) unless a guard keeps it."""
        # Answers for ancestors, valid through one pass: a selector's matches come in
        # document order, so an element doomed later is no ancestor of one looked at.
        memo: dict[int, bool] = {}
        for node, reason in candidates:
            key = node.mem_id
            if key in doomed:
                continue
            # Inside an element already doomed: nothing to decide, and its text
            # (read by the guard below) would be read twice. Nested widgets are
            # common (a share button in a share bar in a sidebar).
            if _under_doomed(node, doomed, memo, levels=DOOMED_LOOKUP_LEVELS):
                continue
            if prose_total and prose.get(key, 0) >= prose_limit and not _never_content(node) and not (
                not thread and prose_total - prose.get(key, 0) >= COMMENTS_OUTSIDE_PROSE and _named(node, COMMENT_TOKENS)
            ):
                continue
            if total > 200:
                if len(kept) >= KEPT_CHAIN:
                    bound = _text_at_least(node, kept, DOOMED_LOOKUP_LEVELS)
                    if dominant(node, bound):
                        kept[key] = bound
                        continue
                if deadline:
                    deadline.check()
                size = len(node.text(deep=True, separator=" ", strip=True))
                if dominant(node, size):
                    kept[key] = size
                    continue
                sizes[key] = size
            doomed[key] = node
            reasons[key] = reason

    # Hidden elements, furniture roles, site headers and short forms in one selector
    # pass (each pass over the tree costs about 0.05 ms; which came first does not
    # matter: an element inside a doomed one is skipped, and the guards weigh each
    # element on its own).
    in_article = _headers_in_articles(root)

    def early():
        for seen, n in enumerate(root.css(_EARLY_SELECTOR)):
            if deadline and seen % 256 == 255:
                deadline.check()  # a site-header test reads the header's subtree: nested ones add up
            reason = _early_reason(n, toggled, product, in_article)
            if reason:
                yield n, reason

    consider(early())
    if css_hidden:
        try:
            consider((n, "page stylesheet") for n in root.css(css_hidden) if not _revealable(n, toggled))
        except Exception:  # a selector Lexbor cannot parse: ignore that page rule
            pass
    if deadline:
        deadline.check()
    # Unlink what is doomed so far (menus in <nav>, hidden panels): the name test
    # below then skips their many classed elements. Freed at the end with the rest.
    early = _outermost(doomed)
    for node in early:
        node.decompose(recursive=False)
    kept.clear()  # their text has changed
    # The dominance guard now weighs what is left: a wrapper (or <body> itself)
    # holding most of the remaining text keeps it, though it lost its menus.
    limit = DOMINANT_SHARE * (total - sum(sizes.get(node.mem_id, 0) for node in early))
    # Inside code, class names are syntax highlighting ("hljs-comment", "token comment").
    in_code: set[int] = set()
    for block in root.css("pre, code"):
        if block.mem_id not in in_code:  # a block inside one already read (nested <code>s)
            in_code.update(n.mem_id for n in block.css("[class], pre, code"))
    consider((n, "boilerplate name") for n in root.css("[class], [id]")
             if (is_boilerplate_name(n) or (product and _named(n, REVIEW_TOKENS))) and n.mem_id not in in_code
             and not ((comments or thread) and _named(n, COMMENT_TOKENS) and (comments or n.css_first("p") is not None)))
    if deadline:
        deadline.check()
    # Decompose only the outermost doomed nodes: a node inside one already removed
    # has been freed with it.
    comment_chars = 0
    for node in _outermost(doomed):
        if trace is not None:
            a = node.attributes
            trace.append((reasons[node.mem_id], node.tag, f"{a.get('class') or ''}#{a.get('id') or ''}", len(node.text(deep=True, separator=" ", strip=True))))
        if reasons[node.mem_id] == "boilerplate name" and _named(node, COMMENT_TOKENS):
            comment_chars += sizes.get(node.mem_id, 0)
        node.decompose()
    return comment_chars
