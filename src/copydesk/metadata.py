"""Metadata: headline, standfirst, section, authors, dates, site name, language,
canonical URL and paywall state, read from the DOM before pruning.

Sources, most trusted first (see `Article` for each field's order): JSON-LD
(schema.org), OpenGraph / Twitter / Dublin Core / plain `<meta>`, microdata
(`itemprop`), then the visible DOM. Structured data is evidence, not truth:
values are cleaned (site-name suffixes, URLs posing as author names) and
checked for shape (dates must parse).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin

from copydesk.dates import MAX_DATE_TEXT, date_in_scripts, date_in_url, date_line_after_headline, date_near_headline, published_in_text, visible_date
from copydesk.options import Deadline
from copydesk.prune import Stripped, strip_page
from copydesk.segment import clean

# A valid surrogate pair escape, or (group 1) a lone surrogate escape left by a cut string.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]\s+")
"""What joins a `<title>`'s parts ("Headline - Site", "Site | Section | Headline")."""
DEK_MIN_CHARS = 60
"""Shortest unnamed <h2> right under the headline read as its standfirst (section
headings are shorter: "Background", "What happened")."""
_SUBTITLE_CLASS = re.compile(r"sub-?title|standfirst|\bdek\b|\bdeck\b|sub-?head|strapline|summary|\blede\b|excerpt|\bintro|description|teaser", re.IGNORECASE)
_SECTION_CLASS = re.compile(r"topic|kicker|eyebrow|overline|rubric|category|section|breadcrumb|channel", re.IGNORECASE)
_BYLINE_CLASS = re.compile(r"byline|by-line|\bauthor|writer|contributor", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af|przez|autor(?:in)?|author|written by|posted by):?\s+", re.IGNORECASE)
_MONTH_NAMES = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_LATE_BY = re.compile(r"^.{0,40}?\d.{0,20}?\bby\s+", re.IGNORECASE)
_BY_GLUED = re.compile(r"^(?:written\s+)?by:?(?=[A-Z])", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&)\s*", re.IGNORECASE)
_PAYWALL_CLASS = re.compile(r"paywall|regwall|meter(?:ed)?\b|piano|subscriber-only|premium-content|tp-modal", re.IGNORECASE)
_TEMPLATE_MARK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]*\}")
_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|Review|Posting|WebPage|NewsArticle|Recipe|HowTo|QAPage", re.IGNORECASE)

MAX_BYLINE_CANDIDATES = 20
"""Byline-like elements read before giving up (nested author boxes would make
reading them all quadratic)."""
MAX_NAMES = 50
"""Most authors read from structured data: a longer list is a bug or an attack
(a 9 MB author string took 5 s to split)."""
MAX_BYLINE_CHARS = 2000
"""Characters of a byline string split into names (`split_names`), cut at the last
separator before it: fifty long names."""
MAX_PAYWALL_CANDIDATES = 100
"""Paywall-named and `[data-template]` elements looked at for a paywall: each reads
its subtree, and templates nested in one another each hold the rest of the page."""

DATE_KEYS_PUBLISHED = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "published_time", "og:published_time",
    "citation_publication_date", "citation_date", "created", "dc.date.created", "release_date",
)
DATE_KEYS_MODIFIED = (
    "article:modified_time", "og:updated_time", "dateModified", "last-modified", "dcterms.modified",
    "article.updated", "modified_time", "updated_time",
)


@dataclass(slots=True)
class Metadata:
    """Fields found before content extraction; `pipeline` fills the rest from the body."""

    title: str = ""
    subtitle: str = ""
    description: str = ""
    section: str = ""
    authors: list[str] = field(default_factory=list)
    date_published: str = ""
    date_modified: str = ""
    site_name: str = ""
    language: str = ""
    url: str = ""
    image: str = ""
    paywalled: bool | None = None
    h1: str = ""
    kicker: str = ""
    byline: str = ""
    json_ld_types: list[str] = field(default_factory=list)
    og_type: str = ""
    article_body: str = ""


def _walk_json_ld(obj, out: list[dict], depth: int = 0) -> None:
    if depth > 20:
        return
    if isinstance(obj, list):
        for x in obj:
            _walk_json_ld(x, out, depth + 1)
    elif isinstance(obj, dict):
        out.append(obj)
        if "@graph" in obj:
            _walk_json_ld(obj["@graph"], out, depth + 1)
        for key in ("mainEntity", "mainEntityOfPage", "itemReviewed"):
            v = obj.get(key)
            if isinstance(v, dict) and "@type" in v:
                _walk_json_ld(v, out, depth + 1)


def _keep_pairs(m: re.Match) -> str:
    return "\\ufffd" if m.group(1) else m.group(0)


def json_ld(tree, deadline: Deadline | None = None) -> list[dict]:
    """All JSON-LD objects of the page (lists and `@graph` flattened); bad JSON is
    skipped. A script's own text is read (scripts nested in SVG are each read alone).
    Raises `ExtractionTimeout` when `deadline` runs out."""
    out: list[dict] = []
    for script in tree.css('script[type="application/ld+json" i]'):
        if deadline is not None:
            deadline.check()
        raw = script.text(deep=False).strip()
        if not raw:
            continue
        raw = _SURROGATE_ESCAPE.sub(_keep_pairs, raw)  # a lone "\ud83d" from a cut string
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except (ValueError, RecursionError):
                continue
        except RecursionError:
            continue  # absurdly nested data is no metadata
        _walk_json_ld(data, out)
    return out


def meta_tags(tree) -> dict[str, str]:
    """`<meta>` name/property/itemprop (lower-cased) to content; the first of each name wins."""
    out: dict[str, str] = {}
    for m in tree.css("meta"):
        a = m.attributes
        key = a.get("property") or a.get("name") or a.get("itemprop") or a.get("http-equiv")
        content = a.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _types(obj: dict) -> list[str]:
    t = obj.get("@type", [])
    return [t] if isinstance(t, str) else [x for x in t if isinstance(x, str)] if isinstance(t, list) else []


def _name(v) -> str:
    if isinstance(v, str):
        return clean(html.unescape(v))
    if isinstance(v, dict):
        return _name(v.get("name") or "")
    if isinstance(v, list) and v:
        return _name(v[0])
    return ""


def _names(v) -> list[str]:
    if isinstance(v, list):
        out = []
        for x in v[:MAX_NAMES]:
            out.extend(_names(x))
        return out[:MAX_NAMES]
    if isinstance(v, dict):
        n = _name(v.get("name") or "")
        if not n and (v.get("givenName") or v.get("familyName")):
            n = clean(f"{v.get('givenName') or ''} {v.get('familyName') or ''}")
        return split_names(n) if n else []
    if isinstance(v, str):
        return split_names(html.unescape(v))
    return []


_GENERIC_NAMES = frozenset(("author", "the author", "by", "unknown", "anonymous"))


def _only_organisations(v) -> bool:
    items = v if isinstance(v, list) else [v]
    return all(isinstance(x, dict) and "Organization" in str(x.get("@type", "")) for x in items)


def plausible_name(name: str) -> bool:
    """A person or organisation name, not a URL, handle, e-mail, label or sentence."""
    if not name or len(name) > 80 or len(name) < 2:
        return False
    if re.search(r"https?:|www\.|@|\.com\b|/|\d{3}", name):
        return False
    if name.lower() in _GENERIC_NAMES:
        return False
    if " " not in name and "." in name:
        return False  # an e-mail-like login ("andrew.keaveney"), not a byline
    return len(name.split()) <= 8


_DIGIT = re.compile(r"\d")
# A date or time, not a name: all digits, a month name next to a number, a weekday.
_DATEISH = re.compile(
    r"^[\d\W]+$|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*\d|\d\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?$|\b\d+\s*min(?:ute)?s?\b",
    re.IGNORECASE,
)


def split_names(text: str) -> list[str]:
    """Names from a byline string: "By A, B and C" gives [A, B, C]; a date before
    "by", a trailing date, "Published"/"Updated" labels and job titles after a
    dash are dropped; so are parts that read as dates (`_DATEISH`), and a byline
    that opens with a date or a reading time gives the names after it. Reads at most
    `MAX_BYLINE_CHARS` characters and gives at most `MAX_NAMES` names."""
    if len(text) > MAX_BYLINE_CHARS:
        cut = max(text.rfind(",", 0, MAX_BYLINE_CHARS), text.rfind(";", 0, MAX_BYLINE_CHARS))
        text = text[: cut if cut > 0 else MAX_BYLINE_CHARS]
    text = clean(text)
    m = _LATE_BY.search(text)
    if m:
        text = text[m.end():]  # "16 December 2025 by Sam O'Brien"
    text = _BY_PREFIX.sub("", text)
    text = _BY_GLUED.sub("", text)  # "BySummer Swann", "Written byAAA"
    pieces = re.split(
        rf"\s+(?:\||—|–|-|·|•)\s*|(?<=[a-z])-?(?={_MONTH_NAMES}\b)|\s{{2,}}|(?:updated|published|posted|last)\b|\bon\s+\w+\s+\d|\bon\s+\d|\s\d{{1,2}}[./-]\d",
        text, flags=re.IGNORECASE,
    )
    for piece in pieces:
        parts = [p.strip(" .,:;") for p in _NAME_SPLIT.split(piece)]
        names = [p for p in parts if plausible_name(p) and not _DATEISH.search(p)]
        if names or not _DIGIT.search(piece):
            return names[:MAX_NAMES]
        # A date or reading time first ("Dec. 19, 2025 · Niko Matsakis"): the names follow.
    return []


def normalise_date(value) -> str:
    """An ISO 8601 date or date-time from a page's date string, or "" when it does not parse.

    ISO forms go through `datetime.fromisoformat`; dotted numeric dates
    ("10.12.2022, 07:00") are read day first, as every locale that writes them
    does; others (RFC 2822, "May 8, 2018") go through dateutil. Years outside
    1990..2100 are rejected as noise.
    """
    if not isinstance(value, str):
        return ""
    v = value.strip()
    if not v or len(v) > 64:
        return ""
    dt = None
    iso = v.replace("Z", "+00:00") if v.endswith("Z") else v
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", v)
        if m:
            try:
                dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                dt = None
        else:
            m = re.match(r"^(\d{4})/(\d{1,2})/(\d{1,2})", v) or _DOTTED_DATE.match(v)
            if m and m.re is _DOTTED_DATE:
                # "10.12.2022, 07:00:03": dotted numeric dates put the day first
                # wherever they are written (German, Russian, Polish, ...).
                try:
                    day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    return ""
                return day.isoformat() if 1990 <= day.year <= 2100 else ""
            if m:
                try:
                    dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    dt = None
            else:
                try:
                    import warnings

                    from dateutil import parser as dateparser

                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # "EST not understood": the date still parses
                        dt = dateparser.parse(v, fuzzy=False)
                except (ValueError, OverflowError, TypeError, ImportError):
                    return ""
    if dt is None or not (1990 <= dt.year <= 2100):
        return ""
    if len(v) <= 10 or (dt.hour == dt.minute == dt.second == 0 and dt.tzinfo is None and "T" not in v and ":" not in v):
        return dt.date().isoformat()
    return dt.isoformat()


def strip_site_name(title: str, site_name: str) -> str:
    """A title without its " | Site" / "Site - " decoration."""
    title = clean(title)
    if not title:
        return ""
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        if site_name and parts[-1].strip().lower() in site_name.lower() or (site_name and site_name.lower() in parts[-1].lower()):
            return clean(" - ".join(parts[:-1])) if len(parts) > 2 else parts[0].strip()
        if site_name and (parts[0].strip().lower() in site_name.lower() or site_name.lower() in parts[0].lower()):
            return parts[-1].strip() if len(parts) == 2 else title
    return title


def _looks_free(v) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        if v.strip().lower() in ("false", "no", "0"):
            return False
        if v.strip().lower() in ("true", "yes", "1"):
            return True
    return None


def _paywall(objs: list[dict], tree, deadline: Deadline | None = None) -> bool | None:
    free = None
    for o in objs:
        for part in [o] + (o.get("hasPart") if isinstance(o.get("hasPart"), list) else [o.get("hasPart")] if isinstance(o.get("hasPart"), dict) else []):
            if isinstance(part, dict) and "isAccessibleForFree" in part:
                f = _looks_free(part["isAccessibleForFree"])
                if f is False:
                    return True
                if f is True:
                    free = True
    if free:
        return False
    for node in tree.css("[class*=paywall i], [class*=regwall i], [id*=paywall i], [data-template], [class*=piano i]")[:MAX_PAYWALL_CANDIDATES]:
        if deadline is not None:
            deadline.check()
        raw = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _PAYWALL_CLASS.search(raw) or _TEMPLATE_MARK.search(node.text(deep=True)[:2000]):
            return True
    return None


def _headline_element(root):
    """The visible headline: the first `<h1>` inside an `<article>`, else inside
    `<main>`, else the first `[itemprop=headline]`, else the first `<h1>`, taking the
    next choice when one has no text. One selector pass; the choice is made in Python."""
    found = root.css("h1, [itemprop=headline]")
    if not found:
        return None
    h1s = [n for n in found if n.tag == "h1"]
    within: dict[str, object] = {}
    above: dict[int, frozenset] = {}  # mem_id -> which of article/main enclose it (one walk per ancestor)
    for n in h1s:
        for tag in _enclosing(n, above):
            within.setdefault(tag, n)
        if len(within) == 2:
            break
    choices = (
        within.get("article"),
        within.get("main"),
        next((n for n in found if n.attributes.get("itemprop") == "headline"), None),
        h1s[0] if h1s else None,
    )
    node = None
    for node in choices:
        if node is not None and clean(node.text(deep=True)):
            return node
    return node


def _enclosing(node, above: dict[int, frozenset]) -> frozenset:
    """Which of `<article>` and `<main>` enclose `node`; `above` caches the answer for
    every ancestor walked, so many headings under one ancestor cost one walk."""
    path = []
    parent = node.parent
    tags: frozenset = frozenset()
    while parent is not None:
        key = parent.mem_id
        if key in above:
            tags = above[key]
            break
        path.append(parent)
        parent = parent.parent
    for p in reversed(path):
        if p.tag in ("article", "main"):
            tags = tags | {p.tag}
        above[p.mem_id] = tags
    return tags


def _visible_hints(tree, md: Metadata):
    """Fill headline, kicker, standfirst and byline from the visible page; return the
    headline element (or None)."""
    root = tree.body
    if root is None:
        return None
    h1 = _headline_element(root)
    if h1 is not None:
        md.h1 = clean(h1.text(deep=True))
        # Section kicker: a short element just before the headline whose class names a topic.
        prev = h1.prev
        steps = 0
        while prev is not None and steps < 4:
            if prev.tag not in ("-text", "_comment"):
                raw = f"{prev.attributes.get('class') or ''} {prev.attributes.get('id') or ''}"
                text = clean(prev.text(deep=True))
                if text and len(text) < 60 and _SECTION_CLASS.search(raw):
                    md.kicker = text
                    break
                steps += 1
            prev = prev.prev
        # Standfirst: an element after the headline named like one; a "By ..." line
        # there is the byline.
        nxt = h1.next
        steps = 0
        while nxt is not None and steps < 5:
            if nxt.tag not in ("-text", "_comment"):
                raw = f"{nxt.attributes.get('class') or ''} {nxt.attributes.get('id') or ''}"
                text = clean(nxt.text(deep=True))
                if not md.byline and text and len(text) < 120 and (_BY_PREFIX.match(text) or _BY_GLUED.match(text)):
                    # A meta bar ("By Emily Burack 8 January 2020 ... Edit Facebook"):
                    # its byline-named element, when it has one, is the byline.
                    inner = nxt.css_first("[class*=byline i], [rel=author], [itemprop=author]")
                    inner_text = clean(inner.text(deep=True)) if inner is not None and inner.mem_id != nxt.mem_id else ""
                    md.byline = inner_text or text
                if md.subtitle:
                    steps += 1
                    nxt = nxt.next
                    continue
                if text and 20 <= len(text) <= 400 and nxt.tag in ("p", "h2", "div", "span", "h3") and (
                    _SUBTITLE_CLASS.search(raw) or (md.description and text == md.description)
                    # a sentence-long <h2> right under the headline is its dek
                    or (steps == 0 and nxt.tag == "h2" and len(text) >= DEK_MIN_CHARS)
                ):
                    md.subtitle = text
                steps += 1
            nxt = nxt.next
    for node in () if md.byline else root.css("[rel=author], [itemprop=author], [class*=byline i], [class*=author i]")[:MAX_BYLINE_CANDIDATES]:
        text = clean(node.text(deep=True))
        if text and len(text) < 120:
            md.byline = text
            break
    return h1


def read_metadata(tree, url: str | None = None, deadline: Deadline | None = None) -> Metadata:
    """The page's metadata from structured data and the visible DOM (see module docstring).
    Strips the tree's unrendered elements (`prune.strip_page`) once the structured
    data is read. Raises `ExtractionTimeout` when `deadline` runs out."""
    return read_page(tree, url, deadline)[0]


def read_page(tree, url: str | None = None, deadline: Deadline | None = None) -> tuple[Metadata, Stripped]:
    """`read_metadata`, with `strip_page`'s result for `prune`."""
    if deadline is None:
        deadline = Deadline(None)
    md = Metadata()
    objs = json_ld(tree, deadline)
    meta = meta_tags(tree)
    articles = [o for o in objs if any(_ARTICLE_TYPES.search(t) for t in _types(o))]
    primary = next((o for o in articles if any("Article" in t or "Posting" in t for t in _types(o))), None) or (articles[0] if articles else {})
    for o in objs:
        md.json_ld_types.extend(_types(o))

    md.og_type = (meta.get("og:type") or "").strip().lower()
    md.description = clean(meta.get("og:description") or meta.get("description") or meta.get("twitter:description") or _name(primary.get("description")))

    # Site name
    publisher = primary.get("publisher")
    site = _name(publisher) if publisher else ""
    if not site:
        site = next((_name(o.get("name")) for o in objs if "WebSite" in _types(o) and o.get("name")), "")
    md.site_name = site or clean(meta.get("og:site_name") or meta.get("application-name") or meta.get("twitter:site", "").lstrip("@"))

    # Title
    head_title = tree.css_first("title")
    head_title_text = clean(head_title.text(deep=True)) if head_title is not None else ""
    md.paywalled = _paywall(objs, tree, deadline)
    state_date = "" if (primary.get("datePublished") or meta.get("article:published_time")) else date_in_scripts(tree, deadline)
    canon = tree.css_first("link[rel=canonical]")  # before the strip: pages put it in the body too
    href = canon.attributes.get("href") if canon is not None else None
    # Visible text is read without scripts, styles, inline SVG icon labels and controls.
    page = strip_page(tree, deadline)
    deadline.check()
    headline = _visible_hints(tree, md)
    deadline.check()
    title = _name(primary.get("headline")) or clean(meta.get("og:title") or meta.get("twitter:title") or "") or md.h1 or head_title_text
    md.title = strip_site_name(title, md.site_name)
    if md.h1 and md.title and md.h1.startswith(md.title) is False and md.title.startswith(md.h1):
        md.title = md.h1
    if not md.site_name and head_title_text:
        # The site name from the <title>: the shorter of its first and last parts
        # ("Headline - Acme News", "Acme News | Headline"), then off the title too.
        parts = TITLE_SEPARATORS.split(head_title_text)
        if len(parts) > 1:
            site = min(parts[-1], parts[0], key=len).strip()
            if len(site) < 40:
                md.site_name = site
                md.title = strip_site_name(md.title, site)

    md.subtitle = md.subtitle or _name(primary.get("alternativeHeadline"))

    # Section
    sec = primary.get("articleSection")
    md.section = _name(sec) or clean(meta.get("article:section") or "") or md.kicker

    # Authors
    authors = _names(primary.get("author")) if primary else []
    if authors and _only_organisations(primary.get("author")) and md.byline:
        authors = split_names(md.byline) or authors  # a visible person beats a publisher
    if not authors:
        for key in ("article:author", "author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
            if key in meta:
                authors = split_names(meta[key])
                if authors:
                    break
    if not authors and md.byline:
        authors = split_names(md.byline)
    seen = set()
    for a in authors:
        a = _BY_PREFIX.sub("", a).strip()
        if plausible_name(a) and a.lower() not in seen:
            seen.add(a.lower())
            md.authors.append(a)

    # Dates
    md.date_published = normalise_date(primary.get("datePublished")) or normalise_date(primary.get("dateCreated"))
    if not md.date_published:
        for k in DATE_KEYS_PUBLISHED:
            if k.lower() in meta:
                md.date_published = normalise_date(meta[k.lower()])
                if md.date_published:
                    break
    md.date_modified = normalise_date(primary.get("dateModified"))
    if not md.date_modified:
        for k in DATE_KEYS_MODIFIED:
            if k.lower() in meta:
                md.date_modified = normalise_date(meta[k.lower()])
                if md.date_modified:
                    break
    root = tree.body
    if md.date_published and root is not None and _is_utc(md.date_published):
        md.date_published = _local_day(md.date_published, root, headline)
    if not md.date_published and root is not None:
        # The first in document order of any of these (a selector list is one walk that
        # tests each alternative on each element: no alternative takes precedence).
        t = root.css_first("[itemprop=datePublished], [property='schema:datePublished'], [property='schema:dateCreated'], time[datetime]")
        if t is not None:
            value = t.attributes.get("datetime") or t.attributes.get("content") or ""
            md.date_published = normalise_date(value)
            if md.date_published and not _ISO_DATE.match(value):
                # Not the ISO form HTML asks for ("01-11-2023 10:29"): the order of
                # day and month is a guess, so the date the element shows wins.
                md.date_published = published_in_text(t.text(deep=True, separator=" ")[:MAX_DATE_TEXT]) or md.date_published
        if not md.date_published:
            md.date_published = state_date or visible_date(root, headline=headline)

    deadline.check()
    # Language
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") or html.attributes.get("xml:lang") or "") if html is not None else ""
    lang = lang or meta.get("content-language", "") or meta.get("og:locale", "") or _name(primary.get("inLanguage"))
    md.language = normalise_language(lang)

    # URL
    candidates = [href, meta.get("og:url"), primary.get("url") if isinstance(primary.get("url"), str) else None, url]
    for c in candidates:
        if c and isinstance(c, str) and c.strip():
            c = c.strip()
            try:
                md.url = urljoin(url, c) if url else c
            except ValueError:  # "http://[::1" is no URL
                continue
            if md.url.startswith(("http://", "https://")) or not url:
                break
    md.image = meta.get("og:image", "")
    if not md.date_published:
        md.date_published = date_in_url(md.url) or date_in_url(url or "")
    if not md.date_published and headline is not None:
        md.date_published = date_near_headline(headline)
    if not md.date_published and root is not None:
        deadline.check()
        md.date_published = date_line_after_headline(root, md.title, md.h1)
    body = primary.get("articleBody")
    md.article_body = body if isinstance(body, str) else ""
    return md, page


def _is_utc(value: str) -> bool:
    return "T" in value and value.endswith(("+00:00", "Z"))


def _local_day(utc_value: str, root, headline) -> str:
    """A UTC time stamp's date may not be the date the page shows its readers: a story
    published at 21:44 in Brasília carries "2022-05-04T00:44Z". When the page shows a
    date a day off the UTC date on the side the clock allows (the day before for a
    UTC time before noon, as in the Americas; the day after for one from noon, as in
    Europe and Asia), beside the headline or else in a date element, that visible
    local date is the publication date; else the UTC value."""
    try:
        day = date.fromisoformat(utc_value[:10])
        hour = int(utc_value[11:13])
    except ValueError:
        return utc_value
    shown = (date_near_headline(headline) if headline is not None else "") or visible_date(root, headline=headline)
    if shown:
        try:
            if (date.fromisoformat(shown) - day).days == (-1 if hour < 12 else 1):
                return shown
        except ValueError:
            pass
    return utc_value


def normalise_language(tag: str) -> str:
    """A BCP 47 tag from an HTML/OpenGraph language value ("en_US" -> "en-US", "EN" -> "en"), or ""."""
    tag = (tag or "").strip().replace("_", "-")
    m = re.match(r"^([A-Za-z]{2,3})(?:-([A-Za-z0-9]{2,8}))?", tag)
    if not m:
        return ""
    lang = m.group(1).lower()
    if m.group(2):
        sub = m.group(2)
        sub = sub.upper() if len(sub) == 2 else sub.title() if len(sub) == 4 else sub
        return f"{lang}-{sub}"
    return lang

