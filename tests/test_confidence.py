"""Article.confidence: high for a clean article, low for a doubtful page."""

from pathlib import Path

import copydesk

FIXTURES = Path(__file__).parent / "fixtures"


def test_clean_article_is_confident():
    article = copydesk.extract((FIXTURES / "000_458d097b5487f895.page.html").read_bytes())
    assert article.confidence >= 0.8


def test_page_of_short_labels_is_doubtful():
    items = "".join(f"<div class='tile'><h3>Item {i}</h3><span>${i}.99</span><p>Ships in {i % 5 + 1} days</p></div>" for i in range(30))
    html = f"<html><body><main><h1>Shop all lamps</h1>{items}</main></body></html>"
    article = copydesk.extract(html)
    assert article is None or article.confidence <= 0.6


def test_confidence_is_a_probability():
    for html in ("<p>" + "A sentence of news, with a comma. " * 40 + "</p>", "<ul>" + "<li><a href='/x'>x</a></li>" * 50 + "</ul><p>Short.</p>"):
        article = copydesk.extract(html)
        assert article is None or 0.0 <= article.confidence <= 1.0


def test_a_page_with_content_never_gets_zero():
    # Zero is for nothing kept. An index the article pass finds no prose in, read as
    # its main region, gets the calibration's lowest value for such pages.
    from copydesk.classify import CALIBRATION

    items = "".join(f'<li><a href="/news/story-{i}">Headline number {i} about the city council budget vote</a></li>' for i in range(12))
    html = f"<html><body><nav><a href='/'>Home</a></nav><main><h1>Latest news</h1><ul>{items}</ul></main></body></html>"
    article = copydesk.extract(html, "https://example.com/news/")
    assert article.page_type == "listing" and article.blocks
    assert article.confidence == CALIBRATION["region"][0]
