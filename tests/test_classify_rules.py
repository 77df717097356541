"""Block rules of the article pass, each on a small page built to need it."""

import copydesk

PROSE = (
    "The committee met on Tuesday to review the plan for the new harbour wall, which has been "
    "debated for years by residents, engineers and the council's finance officers alike. "
)


def body(n: int, start: int = 0) -> str:
    return "".join(f"<p>{PROSE}Part {i}.</p>" for i in range(start, start + n))


def page(inner: str) -> str:
    return f"<html><head><title>Harbour wall</title></head><body><h1>Harbour wall</h1>{inner}</body></html>"


def test_link_list_introduced_by_a_colon_stays():
    links = "".join(f'<li><a href="/pr/{i}">Patch {i}: fix the float types</a></li>' for i in range(5))
    html = page(f"<article>{body(3)}<p>Many patches were sent for review:</p><ul>{links}</ul>{body(3, start=3)}</article>")
    text = copydesk.extract(html).text
    assert "Patch 3: fix the float types" in text
    # Without the introduction the same list is a link list, and goes.
    bare = html.replace("<p>Many patches were sent for review:</p>", "")
    assert "Patch 3" not in copydesk.extract(bare).text


def test_introduction_with_table_of_contents_joins_the_article():
    # Its table of contents puts the introduction's link density (~0.2) above what
    # an ordinary sibling block may have (0.15); it is too short to join by its share.
    toc = "".join(f'<li><a href="#s{i}">Section {i}: the plan</a></li>' for i in range(8))
    intro = f'<div class="widget"><p>{PROSE * 2}</p><p>{PROSE}</p><ul>{toc}</ul></div>'
    main = f'<div class="widget">{body(20)}</div>'
    post = f'<div class="post"><div class="row">{intro}</div><div class="row">{main}</div></div>'
    html = page(f"<div><div><div><div>{post}</div></div></div></div>")
    text = copydesk.extract(html).text
    assert text.count("The committee met") == 2 + 1 + 20


def test_affiliate_disclosure_and_photo_credit_are_dropped():
    html = page(
        "<article><p>We may earn commission from links on this page, but we only recommend products we back.</p>"
        f"{body(2)}<p>Getty Images / Jane Smith</p>{body(3, start=2)}</article>"
    )
    text = copydesk.extract(html).text
    assert "earn commission" not in text
    assert "Getty Images" not in text
    assert text.count("The committee met") == 5


def test_linked_entry_title_stays_when_prose_follows_a_short_line():
    entries = "".join(
        f'<li><h3><a href="/e/{i}">Harbour Forum {i}</a></h3><p>Atlanta, United States</p><p>{PROSE}</p></li>'
        for i in range(4)
    )
    html = page(f"<article>{body(2)}<ul class='events'>{entries}</ul></article>")
    text = copydesk.extract(html).text
    assert "Harbour Forum 2" in text


COMMENT = "I read this twice and still think the council has the numbers wrong on the harbour wall, frankly. "


def test_reader_comments_end_the_article_but_are_a_threads_content():
    comments = "".join(f"<li><p>{COMMENT}Reader {i}.</p></li>" for i in range(4))
    html = page(f"<article>{body(4)}<h3>Add a Comment</h3><h4>Comments (4 of 12)</h4><ul>{comments}</ul></article>")
    text = copydesk.extract(html, url="https://courier.example/news/harbour-wall").text
    assert text.count("The committee met") == 4
    assert "Reader 2" not in text
    # On a discussion thread the replies are the content.
    thread = copydesk.extract(html, url="https://courier.example/forum/harbour-wall").text
    assert "Reader 2" in thread


def test_a_heading_named_response_is_not_a_comments_heading():
    # API documentation: "response:" heads the description of a return value.
    html = page(f"<article>{body(4)}<h3>response:</h3><p>{PROSE}The reply object.</p>{body(2, start=4)}</article>")
    text = copydesk.extract(html).text
    assert "The reply object" in text and text.count("The committee met") == 7


def test_the_pages_one_article_element_wins_over_a_longer_blurb_beside_it():
    blurb = "".join(f"<p>Join the harbour society today and support the campaign with a monthly gift, number {i}.</p>" for i in range(8))
    html = (f"<html><head><title>Harbour wall</title></head><body><div class='page'>"
            f"<article><h1>Harbour wall</h1>{body(2)}</article><div class='cta'>{blurb}</div></div></body></html>")
    text = copydesk.extract(html).text
    assert text.count("The committee met") == 2
    assert "monthly gift" not in text


def test_a_page_whose_region_is_items_is_extracted_as_its_region_whatever_its_type():
    # og:type says article, but the page is a grid of items under two short lines:
    # the article pass finds almost none of it.
    items = "".join(f'<li><a href="/p/{i}">Oak side table model {i}</a><span>Solid oak, 60 cm</span><span>$ {100 + i}</span></li>'
                    for i in range(40))
    html = ('<html><head><title>Side tables</title><meta property="og:type" content="article"></head><body>'
            f"<h1>Side tables</h1><main><p>{PROSE}</p><ul class='grid'>{items}</ul></main></body></html>")
    text = copydesk.extract(html).text
    assert "Oak side table model 17" in text
    # Reader comments are running prose, not items: the article pass leaves them out
    # (after their heading) and the page is not read as its region.
    comments = "".join(f"<li><p>{COMMENT}Reader {i}.</p></li>" for i in range(40))
    html = html.replace(f"<p>{PROSE}</p><ul class='grid'>{items}</ul>", f"{body(2)}<h3>Comments</h3><ul>{comments}</ul>")
    text = copydesk.extract(html).text
    assert text.count("The committee met") == 2 and "Reader 17" not in text


def test_an_inline_paywall_prompt_ends_the_article():
    pitch = ("<p>To view the full story, please subscribe to The Harbour Times. You can choose an annual plan.</p>"
             f"<p>When you join, you get unlimited access to every story we publish, {PROSE}</p>"
             "<p>If you are seeing this message but you are already a subscriber, you can log in for access.</p>")
    html = page(f"<article>{body(3)}{pitch}</article>")
    text = copydesk.extract(html).text
    assert text.count("The committee met") == 3
    assert "full story" not in text and "unlimited access" not in text


def test_a_section_headed_comment_does_not_end_the_article():
    # "Comment" (like "Briefing" or "Data") can head a section of the story; the
    # comments heading is plural or counted ("Comments", "1 Comment", "Comment (3)").
    html = page(f"<article>{body(3)}<h3>Comment</h3><p>{PROSE}The quote section.</p>{body(2, start=3)}</article>")
    text = copydesk.extract(html).text
    assert "The quote section" in text and text.count("The committee met") == 6


def test_footnoted_fine_print_is_no_evidence_for_the_main_content():
    # Offer pages end in long footnotes; they must not outweigh the short copy above.
    notes = "".join(f"<p>{m}Average savings based on a six-month term, not available in all states; terms, conditions "
                    f"and exclusions apply to every plan quoted on this page, note {i}.</p>" for i, m in enumerate("†‡§◊", 1))
    copy = f"<div class='copy'><h2>Plans for every budget</h2>{body(2)}</div>"
    html = page(f"<div class='wrap'>{copy}<div class='legal'>{notes}</div></div>")
    text = copydesk.extract(html).text
    assert text.count("The committee met") == 2 and "Average savings" not in text


def test_a_shops_catalogue_page_is_a_collection():
    items = "".join(f'<li><a href="/products/shoe-{i}">Runner model {i}</a> <span>$ {90 + i}</span></li>' for i in range(30))
    html = f"<html><head><title>Sneakers</title></head><body><h1>Sneakers</h1><ul>{items}</ul></body></html>"
    assert copydesk.extract(html, url="https://shop.example/collections/sneakers").page_type == "collection"
    assert copydesk.extract(html, url="https://blog.example/category/sneakers").page_type == "listing"


def test_a_heading_whose_section_was_dropped_goes_with_it():
    # A changelog: per-author link lists are dropped as link lists; their headings
    # would be empty sections.
    sections = "".join(f'<h2>author{i}</h2><ul><li><a href="/pr/{i}">Fix parser bug {i}</a></li>'
                       f'<li><a href="/pr/{i}b">Refactor {i}</a></li></ul>' for i in range(4))
    html = page(f"<article>{body(3)}{sections}<h2>Thanks</h2><p>{PROSE}The end.</p></article>")
    md = copydesk.extract(html).markdown
    assert "## author2" not in md
    assert "## Thanks" in md and "The end." in md


def test_block_elements_in_a_heading_keep_a_space_between_them():
    html = page(f"<article>{body(2)}<h2><div>Analysis</div><span>Tides and walls</span></h2>{body(2, start=2)}"
                f"<h2>W<b>alls</b> of stone</h2>{body(1, start=4)}</article>")
    headings = [b.text for b in copydesk.extract(html).blocks if b.kind == "heading"]
    assert headings == ["Analysis Tides and walls", "Walls of stone"]


def test_numbered_section_headings_do_not_end_the_article():
    # "Comment 1" or "Responses" can head a part of the story; the comments heading is
    # "Comments", "3 Responses", "Comment (3)".
    for heading in ("Comment 1", "Responses"):
        html = page(f"<article>{body(3)}<h3>{heading}</h3>{body(2, start=3)}</article>")
        assert copydesk.extract(html).text.count("The committee met") == 5, heading


def test_a_linked_opening_sentence_inside_the_main_container_stays():
    # 'Posted this morning <a>episode 145 of the podcast</a>': link density ~0.4, above
    # what a lead block outside the main container may have (0.35), below the drop limit.
    lead = ('<p>Posted this morning: <a href="/ep/145">episode 145 of the harbour podcast</a>'
            ' talking through the plan.</p>')
    aside = '<div class="sidebar"><p><a href="/a">Earlier episodes</a> of the podcast are in the archive, with notes.</p></div>'
    html = page(f'{aside}<div class="post"><div class="entry">{lead}{body(4)}</div></div>')
    text = copydesk.extract(html).text
    assert "Posted this morning" in text
    assert "Earlier episodes" not in text


def test_an_embed_code_shown_as_text_is_no_evidence_for_the_main_content():
    # A sidebar widget printing its embed snippet: long, unlinked, sentence-final, but markup.
    snippet = ("Get the widget for your site: " + '&lt;a href="http://widgets.example/harbour"&gt;&lt;img src="/w.png"&gt;&lt;/a&gt; '
               '&lt;script src="http://widgets.example/harbour.js"&gt;&lt;/script&gt; ' * 6 + "Copy and paste it.")
    side = f'<div class="sidebar"><div class="widget"><p>{snippet}</p></div></div>'
    post = '<div class="post"><div class="entry"><p>' + PROSE + '</p><p>' + PROSE + ' It passed.</p></div></div>'
    text = copydesk.extract(page(post + side)).text
    assert "The committee met" in text
    assert "widgets.example" not in text


def test_an_about_the_author_heading_ends_the_article_but_a_headlines_box_inside_it_does_not():
    bio = "<h3>About the author</h3><p>Before founding this newsletter, the author spent ten years as an analyst at three brokerage firms.</p>"
    text = copydesk.extract(page(f"<article>{body(4)}{bio}</article>")).text
    assert "Part 3." in text and "brokerage firms" not in text

    box = "<h3>Latest headlines</h3><ul>" + "".join(f'<li><a href="/n/{i}">Headline number {i} of the day</a></li>' for i in range(5)) + "</ul>"
    text = copydesk.extract(page(f"<article>{body(3)}{box}{body(5, start=3)}</article>")).text
    assert "Part 7." in text


def test_an_article_of_short_lines_is_read_as_its_region_not_dropped():
    lines = "".join(f"<p>{t}</p>" for t in ("“I know I shouldn't say this…”", "– “Then don't.”", "– “Ok.”", "Posted at night, from the harbour bar."))
    html = ('<html><head><meta property="og:type" content="article"><title>A short exchange</title></head><body>'
            f'<h1>A short exchange</h1><div class="post"><div class="entry">{lines}</div></div></body></html>')
    article = copydesk.extract(html)
    assert article is not None and "Then don't" in article.text


def test_the_sites_legal_notice_is_not_the_article_however_long():
    notice = ("<p>Harbour.example is the official site of the Harbour Board. The Harbour Board name and logo, "
              "the wall crest and the tide tables are registered trademarks of the Harbour Board and may not be "
              "reproduced without prior written consent. © Harbour Board 2012. All Rights Reserved.</p>")
    text = copydesk.extract(page(f"<article>{body(4)}{notice}</article>")).text
    assert "Part 3." in text and "registered trademarks" not in text


def test_a_linked_closing_sentence_inside_the_main_container_stays():
    closing = ('<p>Benjamin Rauhala is musical director for the concert, with <a href="/a">Jenna Leigh Green</a> '
               'and <a href="/b">Lauren Molina</a>.</p>')
    html = page(f'<div class="post"><div class="entry">{body(4)}{closing}</div></div><div class="footer"><p>Contact us</p></div>')
    assert "musical director" in copydesk.extract(html).text


def test_short_lines_opening_the_main_container_stay_but_not_a_dated_byline():
    recipe = ("<p>Associated Press - January 11, 2008</p><p>Preparation: 25 minutes (+ 15 minutes baking)</p>"
              "<p>Ingredients: 300 g flour, 1 tsp baking powder, 200 g sugar</p>")
    html = page(f'<div class="post"><div class="entry">{recipe}{body(4)}</div></div>')
    text = copydesk.extract(html).text
    assert "Ingredients: 300 g flour" in text and "Preparation: 25 minutes" in text
    assert "Associated Press" not in text


def test_furniture_lines_in_other_languages_are_dropped():
    tail = "<p>War der Artikel nützlich?</p><p>Weiterlesen:</p><p>Kommentare geschlossen</p>"
    text = copydesk.extract(page(f"<article>{body(4)}{tail}</article>")).text
    assert "Part 3." in text
    assert "nützlich" not in text and "Weiterlesen" not in text and "Kommentare" not in text


def test_loose_photo_credits_and_captions_are_dropped():
    loose = "<p>Augusta National/Getty Images</p><p>The new wall at dusk (Photo: Jane Doe)</p>"
    text = copydesk.extract(page(f"<article>{body(2)}{loose}{body(2, start=2)}</article>")).text
    assert "Part 3." in text and "Getty" not in text and "Jane Doe" not in text


def test_a_short_label_sentence_introduces_a_linked_list_but_a_bare_label_does_not():
    deals = "<ul>" + "".join(f'<li><a href="/d/{i}">Laptop model {i} for ${i}99</a> at shop</li>' for i in range(6)) + "</ul>"
    text = copydesk.extract(page(f"<article>{body(3)}<p>Other deals:</p>{deals}{body(2, start=3)}</article>")).text
    assert "Laptop model 4" in text
    text = copydesk.extract(page(f"<article>{body(3)}<p>Tags:</p>{deals}{body(2, start=3)}</article>")).text
    assert "Laptop model 4" not in text


def test_an_add_a_comment_line_with_its_count_opens_the_comments():
    comments = "".join(f"<p>Reader {i} says the harbour wall is a waste of money and the council should think again about it.</p>" for i in range(8))
    html = page(f"<div class='story'>{body(4)}<p>Add a Comment See all 104 Comments</p>{comments}</div>")
    text = copydesk.extract(html).text
    assert "Part 3." in text and "Reader 5 says" not in text


def test_a_newsletter_pitch_after_the_article_is_dropped():
    pitch = "<p>An essential round-up of harbour news, opinion and analysis, delivered to your inbox every weekday.</p>"
    text = copydesk.extract(page(f"<article>{body(4)}{pitch}</article>")).text
    assert "Part 3." in text and "inbox" not in text


def test_a_home_page_is_read_as_its_sections():
    # A site's front: a hero line, feature headings with a sentence each, figures,
    # and one prose paragraph. The article pass keeps only the prose; a home page
    # is its sections.
    features = "".join(f"<section><h2>Feature {i}</h2><p>Plan your week {i} in seconds: type a task, a date and a label.</p></section>"
                       for i in range(8))
    html = page(f"<div class='home'><h2>Clarity, finally.</h2>{features}<div class='story'>{body(4)}</div>"
                "<ul class='stats'><li>30+ million downloads</li><li>160+ countries</li></ul></div>")
    inner = copydesk.extract(html, url="https://tasks.example/features/planning").text
    home = copydesk.extract(html, url="https://tasks.example/?utm_source=ad").text
    assert "Plan your week 3" not in inner and "The committee met" in inner
    assert "Plan your week 3" in home and "160+ countries" in home and "The committee met" in home
    # A post addressed by query on the site's root is not its home page.
    assert "Plan your week 3" not in copydesk.extract(html, url="https://tasks.example/?p=1700").text


def test_home_page_urls():
    from copydesk.pagetype import is_home_page
    assert is_home_page("https://example.com") and is_home_page("https://example.com/?srsltid=x&utm_medium=y")
    assert not is_home_page("https://example.com/news/") and not is_home_page("https://example.com/?id=4")
    assert not is_home_page(None) and not is_home_page("http://[::1") and not is_home_page("/")


def test_a_sites_disclaimer_is_no_evidence_for_the_main_content():
    # An advice site's fine print, in an unmarked footer, is longer than a short
    # page's one paragraph: it must not be taken for the article.
    fine = ("<p>This material is not intended to replace the advice of a qualified advisor. Information has been "
            "obtained from sources believed to be reliable and is not guaranteed as to accuracy. It may not reflect "
            "our current opinion, and no part may be reproduced without our written consent. Our affiliates and "
            "employees are not responsible for the content of other web or social networking sites.</p>"
            "<p>Products and services referenced are for general information only. Always consult a qualified "
            "advisor prior to purchasing, and review the manufacturer's instructions prior to use. As tax laws may "
            "change, consult your tax professional to determine the best strategies for your situation.</p>")
    html = page(f"<div class='c1'><div class='t'><p>{PROSE}{PROSE}</p></div></div><div class='c2'><div class='t'>{fine}</div></div>")
    text = copydesk.extract(html).text
    assert "The committee met" in text and "qualified advisor" not in text


def test_a_comment_thread_under_a_link_is_read_as_its_comments():
    # A link aggregator's story page: the story is a link, the page is its comments,
    # and neither the URL nor the metadata says "thread".
    replies = "".join(f"<li class='comments_subtree'><div class='comment'><div class='byline'><a href='/~u{i}'>u{i}</a></div>"
                      f"<div class='comment_text'><p>Reply {i}: the new release fixed the build for me on two machines.</p></div>"
                      "</div></li>" for i in range(20))
    html = ("<html><head><title>Release notes</title></head><body><div class='story'><a href='https://x.example/notes'>"
            f"Release notes</a> <a href='/t/rust'>rust</a></div><ol class='comments'>{replies}</ol></body></html>")
    text = copydesk.extract(html, url="https://links.example/s/abc123/release_notes").text
    assert "Reply 0:" in text and "Reply 19:" in text
    # With a post above them, comments stay out (the post is the article).
    post = f"<div class='post'><p>{PROSE}</p></div>"
    text = copydesk.extract(html.replace("<ol class", post + "<ol class"), url="https://links.example/s/abc123/r").text
    assert "The committee met" in text and "Reply 3:" not in text


def test_a_page_builders_row_of_small_blocks_joins_the_article():
    # A page builder puts each section in a block of the same kind; one long block
    # (an FAQ) takes the container, the small ones hold the rest of the page's text.
    small = "".join(f"<div class='fe-block b{i}'><h2>Part {i}</h2><p>{PROSE}Section {i}.</p></div>" for i in range(4))
    big = f"<div class='fe-block big'><h2>FAQ</h2>{body(12)}</div>"
    menu = "<div class='fe-block m'><a href='/a'>Apply now</a> <a href='/b'>Contact us</a></div>"
    html = (f"<html><head><title>Courses</title></head><body><div class='top'><div class='bar'><div class='in'><h1>Courses"
            f"</h1></div></div></div><main><div class='sec'><div class='grid'>{small}{big}{menu}</div></div></main></body></html>")
    text = copydesk.extract(html).text
    assert "Section 0." in text and "Section 3." in text and text.count("Part 11.") == 1
    assert "Apply now" not in text


def listing_text(items: str, url: str) -> str:
    """The text copydesk extracts from a listing page of `items` at `url`."""
    return copydesk.extract(f"<html><head><title>List</title></head><body><main>{items}</main></body></html>", url=url).text


def test_relative_time_stamps_are_furniture():
    items = "".join(f"<article><h2><a href='/n/{i}'>Harbour wall story number {i} gets a new twist</a></h2>"
                    f"<p>{i + 2} hours ago</p><p>{i + 3} min read</p><p>{PROSE}</p></article>" for i in range(8))
    text = listing_text(items, "https://news.example/category/harbour")
    assert "story number 5" in text and "hours ago" not in text and "min read" not in text


def test_a_buttons_label_is_furniture_but_a_sentence_starting_so_is_not():
    items = "".join(f"<div class='card'><h3>Oak side table model {i}</h3><p>Solid oak, hand-finished, 45 cm tall.</p>"
                    f"<p>Add to wishlist</p><p>Learn more</p></div>" for i in range(10))
    text = listing_text(items, "https://shop.example/collections/tables")
    assert "Oak side table model 7" in text and "Add to wishlist" not in text and "Learn more" not in text
    html = page(f"<article>{body(3)}<p>Learn more about the harbour wall at the council's office.</p></article>")
    assert "Learn more about the harbour wall" in copydesk.extract(html).text


def test_forum_and_shop_tallies_are_furniture():
    posts = "".join(f"<div class='post'><div class='user'><a href='/u/{i}'>user{i}</a></div><div>Member</div>"
                    f"<div>2019-01-21T21:4{i}:59.62Z+00:00</div><div class='body'><p>{PROSE}Reply {i}.</p></div>"
                    f"<div>{i + 1} Likes</div><div>3,916 5 gold badges 29 silver badges</div></div>" for i in range(5))
    html = page(f"<div class='thread'>{posts}</div>")
    text = copydesk.extract(html, url="https://forum.example/threads/harbour-wall").text
    assert "Reply 4." in text
    for tally in ("Member", "Likes", "badges", "T21:4"):
        assert tally not in text


def test_contact_links_are_not_navigation():
    # A newsroom's contact lines are short and mostly link text, but an e-mail or
    # phone link leads to no other page: they stay with the article they close.
    desks = ("Local", "National", "Business", "Sports", "Foreign", "Travel")
    lines = "".join(
        f'<p>{d}: <a href="mailto:{d.lower()}@paper.example">{d.lower()}@paper.example</a> or '
        f'<a href="tel:+12023347300">202.334.7300</a></p>' for d in desks)
    html = page(f"<article>{body(4)}{lines}</article><div class='footer'><p>Copyright</p></div>")
    text = copydesk.extract(html).text
    assert "Travel: travel@paper.example" in text
    # The same lines linking to other pages are a menu, and go.
    menu = html.replace('href="mailto:', 'href="/desk/').replace('href="tel:', 'href="/phone/')
    assert "Travel:" not in copydesk.extract(menu).text


def test_prose_quoting_a_template_placeholder_stays_but_a_prompt_goes():
    docs = ("All you need to do to get your form into a template is to place the form instance "
            "into the template context: the example below will result in {{ form }} being "
            "rendered as the output of the view, with every field and its label.")
    prompt = "You have {{numberReadArticles}} free articles left this month"
    html = page(f"<article>{body(3)}<p>{docs}</p><p>{prompt}</p>{body(3, start=3)}</article>")
    text = copydesk.extract(html).text
    assert "{{ form }} being rendered" in text
    assert "numberReadArticles" not in text


def test_a_table_in_a_sibling_field_joins_the_article_it_follows():
    rows = "".join(f"<tr><td>Provider {i}</td><td>Certifications in plumbing, electrical and HVAC work for adults</td></tr>"
                   for i in range(8))
    html = page(f"<main><div class='field body'>{body(3)}</div>"
                f"<div class='field extra'><h2>Training providers</h2><table>{rows}</table></div></main>"
                "<div class='news'><h2>Recent news</h2><p><a href='/n/1'>Mayor opens the new library</a></p></div>")
    text = copydesk.extract(html).text
    assert "Provider 7" in text and "Mayor opens" not in text


def test_short_post_under_its_headline_is_not_a_listing():
    # A podcast note of three short paragraphs under its headline, below a slider of
    # linked testimonials longer than it (dragnet): a post, not a listing of links.
    quotes = "".join(
        f'<li><a href="/t/{i}">Client {i}: “As someone trying to get a self-funded startup going, time and money are at a premium, and this helped.”</a></li>'
        for i in range(25)
    )
    post = (
        '<p>Posted this morning: <a href="/ep145">episode 145 of the Startup Podcast</a>, show 52 from January.</p>'
        '<p>We interviewed Sramana Mitra about her book on positioning, and how to test and validate an idea.</p>'
        "<p>Figuring out what to build and who the market is comes first if a startup is to succeed. In this "
        "interview she shares her experience of it and digs into the process of positioning a startup.</p>"
        "<p>Give it a listen.</p>"
    )
    html = (f"<html><head><title>Positioning your startup</title></head><body><div class='slider'><ul>{quotes}</ul></div>"
            f"<div class='post'><h2>Positioning your startup</h2><div class='entry'>{post}</div></div></body></html>")
    article = copydesk.extract(html)
    assert article.page_type != "listing"
    assert "digs into the process of positioning" in article.text and "Client 3" not in article.text


def test_short_story_with_byline_and_date_is_an_article():
    """Six short paragraphs under their headline, with a byline and a date: an article,
    though under the 1,500 characters of prose that make one without such evidence."""
    paras = "".join(
        f"<p>Paragraph {i}: the council voted on Tuesday to build a new park by the river, after months of debate.</p>"
        for i in range(6)
    )
    html = (f"<html><head><title>Council approves park</title></head><body><article><h1>Council approves park</h1>"
            f"<p class=byline>By Jane Doe</p>{paras}</article></body></html>")
    article = copydesk.extract(html, url="https://example.com/news/2024/05/05/council-park")
    assert article.authors == ("Jane Doe",) and article.date_published == "2024-05-05"
    assert article.page_type == "article"
    assert copydesk.extract(html).page_type == "other"  # no date: no evidence beyond the prose
