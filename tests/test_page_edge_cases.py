"""Page shapes that trip naive extractors: style-sheet hiding, no-script renderings, deep nesting."""

import pytest

import copydesk
from pages import ENGLISH_PARAGRAPHS

PARAS = "".join(
    f"<p>Paragraph {i} of the council story tells how the vote went, who spoke, and what the budget means for the town.</p>"
    for i in range(8)
)


def page(style: str, extra: str) -> str:
    return f"<html><head><style>{style}</style></head><body><article><h1>Council votes</h1>{PARAS}{extra}</article></body></html>"


def test_rule_hidden_element_is_pruned():
    html = page(".promo-box{display:none}", '<div class="promo-box"><p>Win a cruise for two when you subscribe to our daily digest today.</p></div>')
    assert "cruise" not in copydesk.extract(html).text


def test_print_only_rule_does_not_hide():
    html = page("@media print { .extra-note{display:none} }", '<p class="extra-note">The vote was nine to two, with one councillor absent from the chamber.</p>')
    assert "nine to two" in copydesk.extract(html).text


def test_rule_shown_again_by_another_rule_does_not_hide():
    style = ".more-text{display:none} .expanded .more-text{display:block}"
    html = page(style, '<p class="more-text">The mayor said the budget would be revisited in the spring session.</p>')
    assert "revisited in the spring" in copydesk.extract(html).text


def test_huge_style_sheet_is_linear():
    style = ".a{color:red}" * 200_000 + ".gone{display:none}"
    html = page(style, '<div class="gone"><p>Hidden promotional text that never renders on the page at all.</p></div>')
    article = copydesk.extract(html, timeout=5)
    assert "Hidden promotional" not in article.text


def test_many_style_sheets_deep_in_the_page_stay_fast():
    # Whether each sheet sits in a <noscript> was a walk up from it in Python: 5,000
    # sheets under 15,000 nested elements took 7 s.
    paragraphs = "<p>Text of the page that is long enough to be an article of sorts, and more.</p>" * 20
    html = "<html><body><noscript>x</noscript>" + "<div>" * 15_000 + "<style>.a{display:none}</style>" * 5_000 + paragraphs
    article = copydesk.extract(html, timeout=2)
    assert "article of sorts" in article.text


def test_substantial_noscript_is_the_page():
    """A <noscript> with the posts (forums serving no-JS clients) is content; a short one is not."""
    posts = "".join(f"<div class='post'><p>Reply {i}: we moved our render farm to spot instances and cut the bill by half.</p></div>" for i in range(10))
    html = f"<html><body><div id='app'></div><noscript>Please enable JavaScript.</noscript><noscript>{posts}</noscript></body></html>"
    text = copydesk.extract(html).text
    assert "spot instances" in text and "enable JavaScript" not in text


def test_deep_nesting_does_not_overflow_the_stack():
    """Nesting deeper than Python's recursion limit is read as text, not a crash."""
    html = "<div>" * 5000 + "<p>" + "Deep text in a very nested page that still has a sentence. " * 5 + "</p>" + "</div>" * 5000
    article = copydesk.extract(html)
    assert article is not None and "very nested page" in article.text


def test_consecutive_hiding_rules_all_apply():
    """Back-to-back simple rules: each one hides its element (an earlier scan missed every second)."""
    html = page(".ad-a{display:none}.ad-b{display:none}.ad-c{display:none}",
                "".join(f'<p class="ad-{c}">Hidden teaser {c} for a product nobody on this page asked about.</p>' for c in "abc"))
    text = copydesk.extract(html).text
    assert "Hidden teaser" not in text


def test_article_rendered_twice_is_given_once():
    """A desktop and a mobile copy of the same story: the body comes out once."""
    html = f"<html><body><div class='desktop'><h1>Council votes</h1>{PARAS}</div><div class='mobile'>{PARAS}</div></body></html>"
    article = copydesk.extract(html)
    assert article.text.count("Paragraph 3 of the council story") == 1


def test_a_few_repeated_paragraphs_stay():
    """Repeats below a quarter of the text are the page's own (a recurring notice)."""
    notice = "<p>Prices include tax and delivery to any address within the county limits.</p>"
    html = f"<html><body><article><h1>Council votes</h1>{PARAS}{notice}<p>Another paragraph of the story, long enough to count as prose here.</p>{notice}</article></body></html>"
    assert copydesk.extract(html).text.count("Prices include tax") == 2


def test_line_breaks_separate_words_in_lists_and_paragraphs():
    """<br> inside a list item or paragraph is a break, not nothing ("BenchPrice")."""
    html = page("", "<ol><li><p><span>Compact Weight Bench</span><br><span>Price: $299, a solid bench for presses and step-ups.</span></p></li>"
                    "<li><p>Jump Rope<br>Price: $30, perfect for cardio that needs no space at all.</p></li></ol>")
    text = copydesk.extract(html).text
    assert "BenchPrice" not in text and "Bench Price" in text
    assert "RopePrice" not in text


def test_long_comment_thread_does_not_replace_a_short_article():
    story = "".join(f"<p>The stadium organ played the theme while the captain threw a strike, part {i} of a short report on the night.</p>" for i in range(3))
    comments = "".join(f"<dl><dt>{i}. reader{i} - August 8</dt><dd><p>Comment {i}: I was there with my kids and we loved every minute of the show, the fireworks and the music.</p></dd></dl>" for i in range(12))
    html = f"<html><body><div class='post'><h1>First pitch</h1>{story}</div><div><h3>Comments</h3>{comments}</div></body></html>"
    text = copydesk.extract(html).text
    assert "part 1 of a short report" in text
    assert "Comment 5:" not in text


BODY5 = "<article><h1>T</h1>" + ("<p>" + "Real prose sentence here. " * 20 + "</p>") * 5 + "</article>"


def test_style_sheets_built_to_be_quadratic_stay_linear():
    """Attacks on the hiding-rule scan: one rule repeated, thousands of rules, a name
    repeated without braces, a million showing declarations (each once took 10-25 s)."""
    sheets = [
        ".a{display:none}" * 5000,
        "".join(f".c{i}{{display:none}}" for i in range(30000)),
        ".a{display:none}" + " .a" * 600000,
        "display:block;" * 300000 + ".a{display:none}",
    ]
    for css in sheets:
        article = copydesk.extract(f"<style>{css}</style>{BODY5}", timeout=5.0)
        assert "Real prose sentence" in article.text


def test_nested_code_and_deep_prose_stay_linear():
    """20,000 nested <code class> elements (30 s once) and long paragraphs under 20,000
    nested divs (each paragraph credited to every ancestor; deeper than
    `copydesk.parse.MAX_OPEN_BLOCKS` is refused before parsing)."""
    assert copydesk.extract("<pre>" + "<code class='k'>" * 20000 + "x</pre>" + BODY5, timeout=5.0) is not None
    copydesk.extract("<div>" * 20000 + ("<p>" + "z" * 120 + "</p>") * 2000, timeout=5.0)


def test_deeply_nested_doomed_elements_stay_linear():
    """20,000 nested <nav>s, hidden divs or share-named divs (each doomed inside the
    last): finding the outermost took 17-24 s once."""
    for opener in ("<nav>", "<div hidden>", "<div class=share>"):
        article = copydesk.extract(BODY5 + opener * 20000 + "x", timeout=5.0)
        assert "Real prose sentence" in article.text


def test_many_headings_under_deep_markup_stay_linear():
    """20,000 <h1>s under 2,000 divs: each once walked all its ancestors (8 s)."""
    for wrapper in ("", "<article>"):
        copydesk.extract_metadata(wrapper + "<div>" * 2000 + "<h1>x</h1>" * 20000, timeout=5.0)


def test_block_elements_left_open_too_deep_are_refused():
    """Lexbor's parse is quadratic in unclosed block depth and cannot be interrupted
    (200,000 open <div>s took minutes): such input is refused up front."""
    import pytest

    with pytest.raises(copydesk.InvalidInput, match="block elements open"):
        copydesk.extract("<div>" * 100_000 + "<p>x</p>")
    with pytest.raises(copydesk.InvalidInput):
        copydesk.extract_metadata("<section>" * 30_000)
    # As many blocks, closed, are an ordinary (large) page.
    assert copydesk.extract("<div></div>" * 100_000 + BODY5) is not None


def test_many_entry_headers_under_deep_markup_stay_linear():
    """8,000 <header><h2> under 8,000 divs: deciding which were an <article>'s own
    header walked every header's ancestors (6 s)."""
    html = "<body>" + "<div>" * 8000 + "<table><tr><td>" + PARAS + "<header><h2>x</h2></header>" * 8000
    assert copydesk.extract(html, timeout=5.0) is not None


def test_photo_essay_paragraphs_in_caption_named_blocks_are_the_story():
    """A photo essay puts its text in caption-named containers beside each image: paragraphs
    there are prose; a caption that repeats the image's alt text, or a paragraph holding
    its own image, stays a caption."""
    essay = "".join(
        f"<div class='caption-image'><img src='/p{i}.jpg' alt='Festival'>"
        f"<div class='description'><p>Stop {i} on the tour: the stall sells hand-printed shirts and the queue reached the hall doors by noon.</p></div></div>"
        for i in range(6)
    )
    article = copydesk.extract(f"<html><body><article><h1>Festival diary</h1>{essay}</article></body></html>")
    assert "Stop 3 on the tour" in article.text
    assert sum(b.kind == "figure" for b in article.blocks) == 6

    alt = "The mayor at the count, late on Thursday night, after the final ballots were in."
    captioned = f"<div class='pictureCaption'><img src='/m.jpg' alt='{alt}'><p>{alt}</p></div>"
    article = copydesk.extract(page("", captioned))
    assert "final ballots" not in article.text
    assert any(b.kind == "figure" and "final ballots" in b.text for b in article.blocks)


def test_story_pulled_into_a_caption_box_is_read():
    """A caption left open (here a <p> inside the caption's credit span) pulls the story
    into the figure's box: the caption stays the figure's, the story is body text."""
    story = " ".join(f"Sentence {i} of the column about the team's favourite songs, looping all week." for i in range(8))
    box = (
        "<div class='feat-image-with-caption'><p class='wp-caption-text'>Our team reveals its songs."
        f" <span class='attribution'>(<p><img src='/t.jpg' alt=''>{story}</div>"
    )
    article = copydesk.extract(page("", box))
    assert "Sentence 6 of the column" in article.text
    figures = [b for b in article.blocks if b.kind == "figure"]
    assert figures and figures[0].image.caption.startswith("Our team reveals its songs")
    assert "Sentence 6" not in figures[0].image.caption


def test_wordpress_definition_list_caption_and_credit():
    """WordPress's <dl class="wp-caption">: the <dt> holding the image and the credit's
    <dd> are caption-named too; the caption is the <dd> with text, the credit its own."""
    fig = (
        "<dl class='wp-caption alignleft'><dt class='wp-caption-dt'><img src='/s.jpg' alt=''></dt>"
        "<dd class='wp-caption-dd wp-cite-dd'>Courtesy of the Paper Co.</dd>"
        "<dd class='wp-caption-dd'>Signs hung from the members' door handles in Strasbourg.</dd></dl>"
    )
    image = copydesk.extract(page("", fig)).images[0]
    assert image.caption == "Signs hung from the members' door handles in Strasbourg."
    assert image.credit == "Courtesy of the Paper Co."


def test_caption_parts_never_reach_into_other_figures_or_the_story():
    """A credit element left open holds the story: the story is body text, not a credit.
    An empty caption does not borrow a nested figure's caption."""
    story = "".join(f"<p>Story paragraph {i}: the council met on Tuesday and argued about the roads.</p>" for i in range(6))
    box = f'<div class="wp-caption"><img src="/a.jpg"><p class="wp-caption-text">Mayor.</p><div class="wp-caption-credit">Photo: AP{story}</div></div>'
    article = copydesk.extract(page("", box))
    assert "Story paragraph 5" in article.text
    assert article.images[0].caption == "Mayor." and "Story" not in article.images[0].credit
    nested = (f'<div class="wp-caption"><img src="/a.jpg"><p class="wp-caption-text"></p><div>{story}'
              '<div class="wp-caption"><img src="/b.jpg"><p class="wp-caption-text">Second photo.</p></div></div></div>')
    images = {i.src: i.caption for i in copydesk.extract(page("", nested)).images}
    assert images == {"/a.jpg": "", "/b.jpg": "Second photo."}


def test_nested_empty_caption_parts_stay_linear():
    """20,000 nested caption-named tables before a figure's caption: each was read for
    text in turn (15 s against a 5 s limit)."""
    n = 20_000
    box = ('<div class="wp-caption"><img src="/a.jpg">' + '<table class="caption-x"><tr><td>' * n
           + '</td></tr></table>' * n + '<p class="wp-caption-text">Cap.</p></div>')
    assert copydesk.extract(page("", box), timeout=5.0) is not None


def test_ruby_annotations_are_not_reading_text():
    """Furigana (<rt>) over kanji is a pronunciation aid: the text is the base characters."""
    para = "<p><ruby>法律<rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>ができて、親が子どもを教育するために体罰を禁止することになりました。</p>"
    html = f"<html><body><article><h1><ruby>虐待<rt>ぎゃくたい</rt></ruby>の法律</h1>{para * 6}</article></body></html>"
    article = copydesk.extract(html)
    assert "法律ができて" in article.text and "ほうりつ" not in article.text
    assert article.title == "虐待の法律"


def test_a_caption_of_several_sentences_is_body_text():
    long_caption = " ".join(f"Sentence {i} of the product's description, set beside its photo by the shop's template." for i in range(6))
    fig = f"<figure><img src='/p.jpg' alt='Lamp'><figcaption>{long_caption}</figcaption></figure>"
    article = copydesk.extract(page("", fig))
    assert "Sentence 4 of the product" in article.text
    short = "<figure><img src='/m.jpg' alt='Mayor'><figcaption>The mayor at the count.</figcaption></figure>"
    assert "mayor at the count" not in copydesk.extract(page("", short)).text


def test_nested_figures_with_paragraphs_stay_linear():
    """140 nested figures, each with 2,000 empty paragraphs and the prose at the bottom:
    every level reread every paragraph below it (18 s once)."""
    html = ("<figure><img src='a.jpg'>" + "<p></p>" * 2000) * 140 + "<p>prose</p>" + "</figure>" * 140
    copydesk.extract(html, timeout=5.0)


def test_many_related_headings_stay_linear():
    """50,000 'Related posts' headings inside one story: each looked ahead for the next
    good block over the rest of the page (8 s; 1.5 s now)."""
    para = "<p>Words are here and these are good ones in a sentence of about seventy chars.</p>"
    html = "<article>" + para * 6 + ("<h2>Related posts</h2>" + para) * 50000 + "</article>"
    assert copydesk.extract(html, timeout=5.0) is not None


def test_unclosed_inline_elements_are_refused_before_parsing():
    """100,000 unclosed <i> or <span> take the HTML parser half a minute in one call."""
    for html in ("<i>" * 100_000 + "</x>" * 100_000, "<span>" * 100_000):
        with pytest.raises(copydesk.InvalidInput, match="inline elements open"):
            copydesk.extract(html, timeout=5.0)


def test_a_malformed_canonical_url_does_not_lose_the_article():
    for head in ('<link rel=canonical href="http://[::1">', '<meta property="og:url" content="http://[x]/">'):
        article = copydesk.extract(f"<html><head>{head}</head><body><article><h1>Council votes</h1>{PARAS}</article></body></html>")
        assert "Paragraph 3" in article.text


def test_a_self_closed_iframe_in_noscript_does_not_swallow_the_page():
    # JSX renders Google Tag Manager's fallback as <iframe ... />; HTML has no
    # self-closing iframe, so a parser reading <noscript> as markup would take the rest
    # of the page for the iframe's text.
    gtm = '<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-X" height="0" width="0" /></noscript>'
    paras = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS)
    html = f"<html><head><title>Tram line</title></head><body>{gtm}<main><h1>Tram line</h1>{paras}</main></body></html>"
    article = copydesk.extract(html)
    assert article is not None and article.text.count("\n\n") >= len(ENGLISH_PARAGRAPHS) - 1
    assert ENGLISH_PARAGRAPHS[-1] in article.text


@pytest.mark.parametrize("tag", ['<iframe src="x" />', "<iframe/>", "<iframe height='0'/>"])
def test_self_closed_iframes_in_noscript_are_closed(tag):
    paras = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS)
    html = f"<html><body><noscript>{tag}</noscript><main><h1>Tram line</h1>{paras}</main></body></html>"
    assert ENGLISH_PARAGRAPHS[-1] in copydesk.extract(html).text


def test_an_unquoted_url_ending_in_a_slash_does_not_close_an_iframe():
    # In "src=https://x/embed/>" the slash ends the URL; the iframe's fallback text
    # is not the page's.
    paras = "".join(f"<p>{p}</p>" for p in ENGLISH_PARAGRAPHS)
    fallback = "Your browser does not support embedded frames, so the council's video of the tram route cannot be shown here."
    html = (f"<html><body><main><h1>Tram line</h1><p>{ENGLISH_PARAGRAPHS[0]}</p><noscript><iframe src=https://video.example/"
            f"embed/x/>{fallback}</iframe></noscript>{paras}</main></body></html>")
    text = copydesk.extract(html).text
    assert ENGLISH_PARAGRAPHS[-1] in text and "does not support" not in text


@pytest.mark.parametrize("cut", ["<title>Council vo", "<title>Council votes</titlevalue='x'>", "<TITLE>Council votes"])
def test_a_title_that_lost_its_end_tag_does_not_swallow_the_page(cut):
    # HTML reads a title's content as text up to "</title": a crawler that cut the end
    # tag away left a page that was all title. It is closed before the next tag.
    html = f"<html><head>{cut}<meta charset='utf-8'></head><body><article>{PARAS}</article></body></html>"
    article = copydesk.extract(html)
    assert article is not None and article.text.count("of the council story") == 8
    assert article.title.startswith("Council vo")


def test_an_unclosed_title_is_closed_though_an_icon_title_follows():
    # An inline SVG icon's <title> later in the page is no end tag for the page's own.
    html = f"<html><head><title>Council votes<meta charset='utf-8'></head><body><article>{PARAS}</article><svg><title>i</title></svg></body></html>"
    article = copydesk.extract(html)
    assert article is not None and article.text.count("of the council story") == 8


def test_language_cld2_splits_is_left_empty():
    # Aragonese, which CLD2 does not know: it gives 42% to English, 31% to Catalan.
    from copydesk.language import identify_language

    text = "\n".join([
        "Escopete ye un municipio d'a provincia de Guadalachara, en a comunidat autonoma de Castiella-La Mancha, Espanya, comarca de La Alcarria y partiu chudicial de Guadalachara.",
        "A suya población ye de 84 habitants (2007), en una superficie de 19,01 km² y una densidat de población de 4,42 hab/km².",
        "Cheografía[editar | modificar o codigo]",
        "Ye situato a 860 metros d'altaria sobre o ran d'a mar, a una distancia de 47 km de Guadalachara, a capital d'a suya provincia, y d'o suyo termin municipal fa parti o lugar de Monteumbría.",
        "Historia[editar | modificar o codigo]",
        "Escopete ye citato en as Relaciones Topográficas de los pueblos de Espanya, feitas por Felipe II de Castiella en 1578.",
    ])
    assert identify_language(text) == ""
    assert identify_language("The council voted nine to two on Tuesday to approve the budget after a long debate.") == "en"
