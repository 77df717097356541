"""Page type: article, forum, product, listing, collection, documentation, service or other."""

from __future__ import annotations

from copydesk.article import PAGE_TYPES

_LD_TYPES = {
    "article": ("Article", "NewsArticle", "BlogPosting", "Report", "Review", "ScholarlyArticle", "TechArticle", "OpinionNewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "Recipe", "HowTo"),
    "forum": ("DiscussionForumPosting", "QAPage", "Question", "SocialMediaPosting"),
    "product": ("Product", "ProductGroup", "Offer", "SoftwareApplication", "Book", "Vehicle"),
    "listing": ("ItemList", "SearchResultsPage", "CollectionPage"),
    "documentation": ("APIReference",),
    "service": ("Service", "Organization", "LocalBusiness", "WebApplication", "FAQPage"),
}


def page_type(md, segs) -> str:
    """The page's type from its schema.org types, then its shape (one of `PAGE_TYPES`)."""
    types = set(md.json_ld_types)
    for kind in ("forum", "product", "article", "documentation", "listing"):
        if types & set(_LD_TYPES[kind]):
            return kind
    kept = [s for s in segs if s.keep]
    prose = sum(s.length for s in kept if s.score > 0)
    if prose >= 1000:
        return "article"
    if types & set(_LD_TYPES["service"]):
        return "service"
    assert "other" in PAGE_TYPES
    return "other"
