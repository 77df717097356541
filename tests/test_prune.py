"""Pruning: what a reader never sees, page furniture and unrendered templates never reach
the output, and the article itself survives. Each page is a real-looking article with the
unwanted parts placed both around it and inside it."""

from __future__ import annotations

import pytest

import copydesk
from pages import ENGLISH_PARAGRAPHS, article_page

TITLE = "Council approves four-kilometre tram extension"


def extract(html: str) -> copydesk.Article:
    article = copydesk.extract(html, url="https://courier.example/news/tram-extension")
    assert article is not None
    return article


def everything(article: copydesk.Article) -> str:
    """Every string copydesk outputs for the page: JSON (fields, blocks, text), Markdown and HTML."""
    return "\n".join([article.to_json(), article.markdown, article.html])


def assert_article_kept(article: copydesk.Article) -> None:
    assert article.title == TITLE
    assert [b.text for b in article.blocks if b.kind == "paragraph"] == ENGLISH_PARAGRAPHS


def pruned_text(html: str, product: bool = False) -> str:
    """The text `prune` leaves of a page."""
    from copydesk.parse import parse
    from copydesk.prune import prune

    tree = parse(html)
    prune(tree, product=product)
    return tree.body.text(separator=" ")


def assert_absent(article: copydesk.Article, needles) -> None:
    out = everything(article)
    leaked = [n for n in needles if n in out]
    assert not leaked, f"leaked into the output: {leaked}"


def test_plain_page_is_kept():
    # The baseline every other test builds on: nothing to prune, everything kept.
    assert_article_kept(extract(article_page(TITLE, ENGLISH_PARAGRAPHS)))


# --- hidden elements -------------------------------------------------------------

HIDDEN = {
    "hidden attribute": '<div hidden><p>Your free preview has ended; log in to read the rest of this article today.</p></div>',
    "aria-hidden": '<p aria-hidden="true">Advertisement: the best mortgage rates in your area, compared in seconds.</p>',
    "display:none": '<div style="display:none"><p>Subscribers enjoy unlimited access to every story on every device.</p></div>',
    "display: none spaced": '<p style="color: red; display: none;">Breaking: our apps have a brand new look this week.</p>',
    "visibility:hidden": '<p style="visibility:hidden">Please disable your ad blocker to support local journalism.</p>',
    "visibility: hidden spaced": '<span style="visibility: hidden">Screen readers skip this decorative teaser text entirely.</span>',
}
HIDDEN_NEEDLES = ["free preview has ended", "mortgage rates", "unlimited access", "brand new look",
                  "disable your ad blocker", "decorative teaser"]


@pytest.mark.parametrize("where", ["inside", "before", "after"])
def test_hidden_elements_never_reach_output(where):
    snippet = "\n".join(HIDDEN.values())
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, **{where: snippet}))
    assert_absent(article, HIDDEN_NEEDLES)
    assert_article_kept(article)


def test_hidden_element_between_paragraphs():
    paragraphs = ENGLISH_PARAGRAPHS[:2] + ["@@HIDDEN@@"] + ENGLISH_PARAGRAPHS[2:]
    html = article_page(TITLE, paragraphs).replace("<p>@@HIDDEN@@</p>", "\n".join(HIDDEN.values()))
    article = extract(html)
    assert_absent(article, HIDDEN_NEEDLES)
    assert_article_kept(article)


def test_hidden_by_the_pages_own_stylesheet():
    head = "<style>.js-meter { display: none } #promo-box{visibility:hidden}</style>"
    inside = ('<div class="js-meter"><p>You have read three of your five free articles this month.</p></div>'
              '<div id="promo-box"><p>Get the weekend edition delivered to your door for half price.</p></div>')
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, head=head, inside=inside))
    assert_absent(article, ["five free articles", "weekend edition"])
    assert_article_kept(article)


def test_a_style_sheet_for_clients_without_scripts_hides_nothing():
    # Lazy-loading kits hide their images and banners from clients without scripts
    # only: the rule sits in a <noscript>, which a reader with scripts never applies.
    head = "<noscript><style>.lazyload { display: none }</style></noscript>"
    inside = '<div class="lazyload"><p>The extension opens in stages from the spring of next year onwards.</p></div>'
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, head=head, inside=inside))
    assert "opens in stages" in article.text


ICON = ('<svg viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        '<desc>Created with Sketch.</desc><g><path d="M0 0h24v24H0z"/><text x="2" y="12">{t} label</text></g></svg>')
SVG_NEEDLES = ["Created with Sketch", "Facebook Icon", "Icon Mail", "Path Layer", "Site Title", "Eye Icon",
               "Menu Burger", "Title Chevron", " label"]


def test_inline_svg_titles_and_descriptions_never_reach_output():
    sprite = ('<svg style="position:absolute" width="0" height="0"><symbol id="i-fb"><title>Facebook Icon</title></symbol>'
              '<symbol id="i-mail"><title>Icon Mail Contact</title><desc>Path Layer</desc></symbol></svg>')
    before = sprite + '<a class="logo" href="/">' + ICON.format(t="Site Title") + "</a>"
    inside = '<p class="byline-icons">' + ICON.format(t="Eye Icon") + ICON.format(t="Menu Burger") + "</p>"
    paragraphs = list(ENGLISH_PARAGRAPHS)
    html = article_page(TITLE, paragraphs, before=before, inside=inside)
    # an icon inside a body paragraph, before its text
    html = html.replace("<p>Supporters", "<p>" + ICON.format(t="Title Chevron") + "Supporters", 1)
    article = extract(html)
    assert_absent(article, SVG_NEEDLES)
    assert_article_kept(article)


def test_svg_icon_inside_headline_does_not_leak_into_title():
    html = article_page(TITLE, ENGLISH_PARAGRAPHS).replace("<h1>", "<h1>" + ICON.format(t="Title Chevron"), 1)
    article = extract(html)
    assert article.title == TITLE
    assert_absent(article, SVG_NEEDLES)


# --- unrendered templates -----------------------------------------------------------

TEMPLATE_NEEDLES = ["{{", "}}", "{%", "%}", "${", "numberReadArticles", "firstName", "subscriber"]


@pytest.mark.parametrize("where", ["inside", "after"])
def test_templates_in_template_and_script_elements(where):
    snippet = """
    <template id="meter-tpl"><p>You have {{numberReadArticles}} free articles left this month.</p></template>
    <script type="text/x-handlebars-template" id="offer"><div class="offer"><h2>Hi {{firstName}}</h2>
      <p>{% if subscriber %}Thanks for subscribing{% else %}Try 3 months for ${price}{% endif %}</p></div></script>
    <script type="text/template"><p>${greeting}, ${user.firstName}!</p></script>
    """
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, **{where: snippet}))
    assert_absent(article, TEMPLATE_NEEDLES + ["Thanks for subscribing", "Try 3 months"])
    assert_article_kept(article)


@pytest.mark.parametrize("where", ["inside", "after"])
def test_templates_in_hidden_paywall_markup(where):
    # As on the seed page: the paywall's meter and offers, hidden until scripts fill them in.
    snippet = """
    <div class="paywall-meter" style="display:none">
      <p class="paywall-meter__count">You have {{numberReadArticles}} FREE ARTICLE{{numberReadArticles-plural}} left this month</p>
    </div>
    <div class="paywall-modal" hidden>
      <p>{{sentenceStarter}} {{numberReadArticles}} free article{{numberReadArticles-plural}} this month</p>
      <p>{% if trial %}Your trial period has expired{% endif %} ${offerPrice} per month</p>
      <p>Subscribe to get unlimited access to award-winning journalism from our newsroom.</p>
    </div>"""
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, **{where: snippet}))
    assert_absent(article, TEMPLATE_NEEDLES + ["FREE ARTICLE", "sentenceStarter", "trial period", "offerPrice",
                                               "unlimited access"])
    assert_article_kept(article)


@pytest.mark.parametrize("placeholder", [
    "Welcome back, {{user.firstName}}! You have {{count}} saved stories.",
    "{% if subscriber %}Thanks for being a subscriber.{% endif %}",
    "Hello ${user.name}, your plan renews on ${renewalDate}.",
])
def test_visible_template_placeholder_blocks(placeholder):
    # An unrendered template that IS visible (scripts failed, or the crawler ran none):
    # a block made of placeholders is not article text.
    inside = f'<div class="account-greeting"><p>{placeholder}</p></div>'
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, inside=inside))
    assert_absent(article, ["{{", "}}", "{%", "%}", "${"])
    assert_article_kept(article)


# --- page furniture ---------------------------------------------------------------

FURNITURE_BEFORE = """
<script>window.dataLayer = [{"pageType": "article", "section": "news"}]; console.log("analytics ready");</script>
<style>.article-body p { font-family: Georgia, serif; line-height: 1.6 }</style>
<div id="cookie-banner" class="cookie-consent">
  <p>We use cookies to personalise content and ads and to analyse our traffic. By continuing you accept our cookie policy.</p>
  <a href="/cookies">Manage preferences</a><a href="#">Accept all cookies</a>
</div>
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/news">News</a> › <a href="/news/local">Local politics</a></nav>
<div class="share-bar"><a href="https://facebook.com/share">Share on Facebook</a><a href="https://twitter.com/share">Share on Twitter</a>
  <a href="mailto:?subject=tram">Share by email</a></div>
"""
FURNITURE_INSIDE = """
<div class="newsletter-signup">
  <h3>Get the morning briefing</h3>
  <p>Sign up for our free newsletter and get the day's most important local stories in your inbox every weekday morning.</p>
  <form><input type="email" placeholder="Your email address"><button>Subscribe now</button></form>
</div>
"""
FURNITURE_AFTER = """
<section class="related-articles">
  <h2>Related stories</h2>
  <ul>
    <li><a href="/news/bus-fares">Bus fares to rise by ten per cent from January, operator confirms</a></li>
    <li><a href="/news/bridge">Old swing bridge to close for repairs during the summer holidays</a></li>
    <li><a href="/news/cycle">New cycle lanes divide opinion among shop owners on the high street</a></li>
  </ul>
</section>
<aside class="most-popular"><h2>Most read</h2><ol><li><a href="/a">Local bakery wins national award for its sourdough</a></li></ol></aside>
<div class="comments"><h2>Comments</h2><p>Comments are closed for this article after seven days of discussion.</p></div>
<script type="application/javascript">document.querySelectorAll(".ad").forEach(function (el) { el.remove(); });</script>
"""
FURNITURE_NEEDLES = [
    "dataLayer", "analytics ready", "font-family", "We use cookies", "Accept all cookies", "Manage preferences",
    "Local politics", "Share on Facebook", "Share on Twitter", "Share by email", "morning briefing",
    "free newsletter", "Subscribe now", "Your email address", "Related stories", "Bus fares to rise",
    "swing bridge", "cycle lanes", "Most read", "sourdough", "Comments are closed", "querySelectorAll",
    "Sport", "Culture", "All rights reserved", "Terms of use",
]


def test_furniture_is_dropped_and_article_kept():
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, before=FURNITURE_BEFORE, inside=FURNITURE_INSIDE,
                                   after=FURNITURE_AFTER))
    assert_absent(article, FURNITURE_NEEDLES)
    assert_article_kept(article)


def test_furniture_between_paragraphs():
    paragraphs = ENGLISH_PARAGRAPHS[:3] + ["@@WIDGETS@@"] + ENGLISH_PARAGRAPHS[3:]
    html = article_page(TITLE, paragraphs).replace("<p>@@WIDGETS@@</p>", FURNITURE_INSIDE + FURNITURE_BEFORE)
    article = extract(html)
    assert_absent(article, FURNITURE_NEEDLES)
    assert_article_kept(article)


def test_article_wrapped_in_boilerplate_named_container_is_kept():
    # Some sites put a "sidebar" or "has-comments" class on the wrapper of the whole page.
    html = article_page(TITLE, ENGLISH_PARAGRAPHS, after=FURNITURE_AFTER)
    html = html.replace("<main>", '<div class="layout has-comments with-sidebar"><main>').replace("</main>", "</main></div>")
    article = extract(html)
    assert_article_kept(article)
    assert_absent(article, ["Related stories", "sourdough"])


def test_entry_headers_in_a_listing_survive_and_the_site_header_goes():
    # <header> is both the page banner and an <article>'s own introduction; in a
    # listing each teaser's title sits in its header.
    teasers = "".join(
        f'<article><header><h2><a href="/n/{i}">Teaser headline number {i}</a></h2></header>'
        f"<p>Summary of story {i} in a sentence or two.</p></article>" for i in range(6))
    text = pruned_text(f'<html><body><header><a href="/">Courier</a><ul><li><a href="/s">Sport</a></li></ul></header>'
                 f'<header><h3>Weather today</h3></header><main>{teasers}</main></body></html>')
    assert all(f"Teaser headline number {i}" in text for i in range(6))
    assert "Sport" not in text and "Weather today" not in text


def test_wordpress_list_widgets_go_and_text_widgets_are_left_to_the_other_rules():
    recent = "".join(f'<li><a href="/p/{i}">Recent post number {i}</a> with a line about it.</li>' for i in range(5))
    text = pruned_text(
        "<html><body><div class='main'><div class='so-panel widget widget_text'><p>Builder panel prose.</p></div>"
        f"<p>{'Article prose. ' * 20}</p></div><div class='side'><ul>"
        f"<li class='widget widget_recent_entries'><ul>{recent}</ul></li>"
        "<li class='widget widget_archive'><a href='/2012/11'>November 2012</a></li></ul>"
        "<div class='c-product-widget__content'>BEM block text.</div></div></body></html>")
    assert "Recent post number" not in text and "November 2012" not in text
    assert "Builder panel prose." in text and "BEM block text." in text


def test_legal_small_print_goes():
    small_print = ("<div class='offer-disclosures'><p>Average savings based on a six-month term and not available in "
                   "all states; discounts vary and conditions apply to every offer shown on this page.</p></div>")
    article = extract(article_page(TITLE, ENGLISH_PARAGRAPHS, inside=small_print))
    assert_absent(article, ["Average savings"])
    assert_article_kept(article)


@pytest.mark.parametrize("opening, heading, sentence", [
    # A consent manager's preference centre, and a modal dialog (a privacy policy shown on request).
    ("<div id='onetrust-consent-sdk'>", "Privacy Preference Center",
     "When you visit any website it may store or retrieve information on your browser, mostly as cookies"),
    ("<div id='modal-privacy' role='dialog' aria-modal='true'>", "Privacy policy",
     "We process personal information for our legitimate purposes of running the business and of keeping your account safe"),
])
def test_never_content_goes_though_its_paragraphs_outweigh_a_short_page(opening, heading, sentence):
    # Two paragraphs of the widget against the story's two: past the prose guard's
    # share, under the dominance guard's.
    story = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS[:2])
    widget = "".join(f"<p>{sentence}, part {i}.</p>" for i in range(2))
    text = pruned_text(f"<html><body><main>{story}</main>{opening}<h3>{heading}</h3>{widget}</div></body></html>")
    assert heading not in text and sentence[:30] not in text
    assert ENGLISH_PARAGRAPHS[1][:40] in text


def test_customer_reviews_go_on_a_product_page_only():
    reviews = "".join(f"<p>Sturdy and easy to assemble, works fantastic for my crafts, says buyer {i}.</p>" for i in range(4))
    desc = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS)
    page = ("<html><head><title>Oak shelf</title>{meta}</head><body><main><h1>Oak shelf</h1>"
            f"{desc}<div class='product-reviews'>{reviews}</div></main></body></html>")
    product = copydesk.extract(page.format(meta='<meta property="og:type" content="product">'))
    assert "buyer 2" not in product.text and ENGLISH_PARAGRAPHS[2][:40] in product.text
    other = copydesk.extract(page.format(meta=""))
    assert "buyer 2" in other.text


def test_comments_that_outweigh_the_article_go_but_not_on_a_thread():
    story = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS)
    comments = "".join(
        f"<p>I read this twice and still think the council has the numbers wrong on the harbour wall, "
        f"and the engineers said as much last spring at the public meeting in the town hall, reader {i}.</p>"
        for i in range(4))
    html = ("<html><head><title>Harbour wall</title></head><body><main><h1>Harbour wall</h1>"
            f"<div class='story'>{story}</div><div class='userComments'>{comments}</div></main></body></html>")
    article = copydesk.extract(html, url="https://courier.example/news/harbour-wall")
    assert "reader 3" not in article.text and ENGLISH_PARAGRAPHS[3][:40] in article.text
    thread = copydesk.extract(html, url="https://courier.example/forum/harbour-wall")
    assert "reader 3" in thread.text


def test_tab_panels_a_button_controls_are_kept_though_hidden():
    tabs = "".join(f'<button role="tab" aria-controls="panel-{i}">Plan {i}</button>' for i in range(3))
    panels = "".join(f'<div role="tabpanel" id="panel-{i}"{" hidden" if i else ""}><p>Coverage details of plan {i}.</p></div>'
                     for i in range(3))
    text = pruned_text(f"<html><body><main><div role='tablist'>{tabs}</div>{panels}</main>"
                 "<div hidden><p>A hidden promo nobody controls.</p></div></body></html>")
    assert all(f"Coverage details of plan {i}" in text for i in range(3))
    assert "hidden promo" not in text


# Panels the reader opens, hidden until then: (style sheet, one item with {i}).
OPENED_PANELS = {
    # An accordion item named so, hidden by the page's style sheet.
    "accordion": (".accordion_item-text{display:none}",
                  "<div class='accordion_item'><h3>Question {i}?</h3><div class='accordion_item-text'><p>Answer number {i}.</p></div></div>"),
    # WAI-ARIA's disclosure pattern: the panel follows the control that has aria-expanded,
    # here inside a wrapper and hidden by a generated class name.
    "disclosure": (".c-h{visibility:hidden}",
                   "<div role='button' aria-expanded='false'>Question {i}?</div>"
                   "<div class='c-w'><div class='c-h'><p>Answer number {i}.</p></div></div>"),
    # WAI-ARIA's accordion: <h3><button aria-expanded>, then the panel.
    "accordion heading": ("", "<h3><button aria-expanded='false'>Weight</button></h3>"
                              "<div hidden aria-hidden='true'><p>Answer number {i}.</p></div>"),
    # An FAQ's answers, named so, hidden inline.
    "faq answer": ("", "<div class='faq__question'>Question {i}?</div>"
                       "<div class='faq__answer' style='display: none;'><p>Answer number {i}.</p></div>"),
}


@pytest.mark.parametrize("kind", sorted(OPENED_PANELS))
def test_panels_the_reader_opens_are_kept_though_hidden(kind):
    style, item = OPENED_PANELS[kind]
    items = "".join(f"<div>{item.format(i=i)}</div>" for i in range(3))
    text = pruned_text(f"<html><head><style>{style} .promo{{display:none}}</style></head>"
                       f"<body><main>{items}<p>Intro</p></main><div class='promo'><p>Hidden promo.</p></div>"
                       "<div hidden><p>Hidden notice.</p></div></body></html>")
    assert all(f"Answer number {i}" in text for i in range(3))
    assert "Hidden promo" not in text and "Hidden notice" not in text


def test_a_state_switch_in_a_name_does_not_make_it_boilerplate():
    from copydesk.prune import _boilerplate_raw

    assert not _boilerplate_raw("SummaryCollectionGridItems-dygJmn hide-read-more-ad")
    assert not _boilerplate_raw("blog-article__main sidebar-enabled--false container")
    assert not _boilerplate_raw("page no-sidebar")
    assert _boilerplate_raw("ad ad--outstream") and _boilerplate_raw("sidebar-left")
    assert _boilerplate_raw("sd-sharing-enabled")  # Jetpack's share bar is named by a state word


def test_bem_element_named_content_does_not_save_a_boilerplate_block():
    from copydesk.prune import _boilerplate_raw

    assert _boilerplate_raw("promo-bar__content container")  # the promo bar's own content
    assert not _boilerplate_raw("article__promo")  # a promo slot inside the article block
    assert not _boilerplate_raw("_fbReactionComponent__eventDetailsContentTags")  # the hit is in the element
    assert not _boilerplate_raw("promo content")  # a plain content word still vetoes a weak token


def test_a_consent_centre_holding_most_of_the_page_goes_too():
    story = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS[:2])
    panel = "".join(f"<p>These cookies are set by a range of social media services that we have added to the site, "
                    f"to let you share our content with your friends and networks, group {i}.</p>" for i in range(6))
    text = pruned_text(f"<html><body><main><h1>Thread</h1>{story}</main><div id='onetrust-consent-sdk'>{panel}</div></body></html>")
    assert "social media services" not in text and ENGLISH_PARAGRAPHS[1][:40] in text
    # A wrapper of the whole page named for cookies keeps it: it holds the h1.
    text = pruned_text(f"<html><body><div class='cookies-accepted'><h1>Thread</h1>{story}</div></body></html>")
    assert ENGLISH_PARAGRAPHS[1][:40] in text


def test_a_page_about_cookies_is_not_a_cookie_banner():
    story = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS[:2])
    side = "".join(f"<p>Bake the cookies for twelve minutes until the edges turn golden, batch {i}.</p>" for i in range(2))
    text = pruned_text(f"<html><body><div id='cookie-recipes'>{story}</div><div class='side'>{side}</div></body></html>")
    assert ENGLISH_PARAGRAPHS[1][:40] in text


def test_a_banner_is_not_boilerplate_by_its_name_alone():
    # "banner" names a landing page's hero or a section's lead-in as often as an ad;
    # ads, promos and cookie banners are named by their own words.
    hero = "<div class='hero-banner'><h2>A legacy of boldness</h2><p>Celebrating 150 years of watchmaking.</p></div>"
    ads = "<div class='ad-banner'>Buy one, get one free</div><div class='cookie-banner'>We use cookies.</div>"
    text = pruned_text(f"<html><body>{hero}{ads}<p>{ENGLISH_PARAGRAPHS[0]}</p></body></html>")
    assert "legacy of boldness" in text and "150 years" in text
    assert "get one free" not in text and "We use cookies" not in text


def test_a_product_pages_dialogs_are_its_sheets_but_a_consent_dialog_goes():
    sheet = ("<div role='dialog' class='sheet'><h2>Product details</h2><p>Slim fit, lightweight material and "
             "sweat-wicking fabric, with flatlock seams and a heat-sealed logo.</p></div>")
    consent = "<div role='dialog' class='cookie-consent'><p>We use cookies to improve your visit.</p></div>"
    page = f"<html><body><main><h1>Arrival T-shirt</h1><p>$22</p>{sheet}{consent}</main></body></html>"
    product = pruned_text(page, product=True)
    assert "sweat-wicking" in product and "We use cookies" not in product
    assert "sweat-wicking" not in pruned_text(page)


def test_on_a_thread_replies_named_comments_stay_and_inline_remarks_go():
    # A forum names its replies "comment"; a Q&A site names the one-line remarks
    # under each answer so. Replies are posts (paragraphs); remarks are not.
    op = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS[:2])
    replies = "".join(f"<div class='Comment'><div class='Message'><p>Reply {i}: the council has the numbers wrong on "
                      "the harbour wall, and the engineers said as much last spring.</p></div></div>" for i in range(3))
    remarks = "<ul class='comments-list'><li class='comment'><span>Remark: see the minutes.</span></li></ul>"
    html = (f"<html><head><title>Harbour wall</title></head><body><main><h1>Harbour wall</h1><div class='post'>{op}"
            f"{remarks}</div>{replies}</main></body></html>")
    tree_text = " ".join(copydesk.extract(html, url="https://forum.example/discussion/1/harbour-wall").text.split())
    assert "Reply 2:" in tree_text and "Remark: see the minutes" not in tree_text


def test_an_accordions_questions_stay_and_other_buttons_go():
    faq = "".join(f"<h3><button aria-expanded='false' aria-controls='a{i}'>How long does question {i} take?</button></h3>"
                  f"<div id='a{i}' hidden><p>About {i} weeks, from the first call to the report.</p></div>" for i in range(3))
    ui = "<button aria-expanded='false'>Menu</button><button>Subscribe to our updates today</button>"
    lightbox = "<button aria-expanded='false'><img src='a.png' alt='x'> Open the full-size photograph</button>"
    plain = "<div class='faq-item'><button type='button'><h5>Can the course be taken entirely online?</h5></button></div>"
    text = pruned_text(f"<html><body><main>{ui}{lightbox}{faq}{plain}</main></body></html>")
    assert "question 2 take?" in text and "About 2 weeks" in text and "entirely online" in text
    assert "Menu" not in text and "Subscribe" not in text and "full-size" not in text


def test_a_scripted_dropdowns_options_go_like_a_selects():
    # A custom <select>: a role=combobox showing the choice, a role=listbox of options.
    options = "".join(f'<div role="option">{o}</div>' for o in ("Most recent", "Oldest first", "Highest rated"))
    widget = (f'<div><div role="combobox" aria-expanded="false"><span>Sort reviews</span></div>'
              f'<div role="listbox">{options}</div></div>')
    paragraphs = ENGLISH_PARAGRAPHS[:3] + ["@@W@@"] + ENGLISH_PARAGRAPHS[3:]
    article = extract(article_page(TITLE, paragraphs).replace("<p>@@W@@</p>", widget))
    assert_absent(article, ["Oldest first", "Highest rated", "Sort reviews"])
    assert_article_kept(article)
