"""Metadata from the visible page: bylines, dates shown but not declared."""

import re

import pytest

import copydesk
from copydesk.dates import date_in_url, published_in_text
from copydesk.metadata import split_names

BODY = "<p>The council voted nine to two on Tuesday to approve the budget, after a long debate about roads, schools and the harbour.</p>" * 6


def test_plain_byline_under_headline_gives_authors():
    html = f"<html><body><article><h1>Council votes</h1><p>By Maria Lopez and Tom Becker</p>{BODY}</article></body></html>"
    article = copydesk.extract(html)
    assert article.authors == ("Maria Lopez", "Tom Becker")
    assert "Maria Lopez" not in article.text


@pytest.mark.parametrize("byline, names", [
    ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
    ("BySummer Swann-June 12, 2025", ["Summer Swann"]),
    ("16 December 2025 by Sam O'Brien", ["Sam O'Brien"]),
    ("By: FlowGuard EMEA on 04-ago-2021 5:11:10", ["FlowGuard EMEA"]),
    ("David Jackson - FullStack Editorial Team", ["David Jackson"]),
    ("Lisa Greene-Lewis", ["Lisa Greene-Lewis"]),
    ("The Author", []),
])
def test_split_names(byline, names):
    assert split_names(byline) == names


def test_visible_publication_date_beats_update_date():
    assert published_in_text("August 16, 2019 - Updated July 9, 2025") == "2019-08-16"
    assert published_in_text("Updated July 9, 2025") == "2025-07-09"
    assert published_in_text("Veröffentlicht am 7. August 2023") == "2023-08-07"
    assert published_in_text("07.08.2023") == "2023-08-07"
    assert published_in_text("08/07/2023") == ""  # M/D/Y or D/M/Y: not guessed


def test_dates_from_page_without_structured_data():
    html = f"<html><body><article><h1>Council votes</h1><div class='post-date'>Published March 3, 2024</div>{BODY}</article></body></html>"
    assert copydesk.extract(html).date_published == "2024-03-03"
    plain = f"<html><body><article><h1>Council votes</h1>{BODY}</article></body></html>"
    assert copydesk.extract(plain, url="https://example.org/2016/02/09/council-votes/").date_published == "2016-02-09"
    assert date_in_url("https://example.org/news/council") == ""


def test_site_header_date_outside_the_article_is_not_its_date():
    header = "<header class='masthead'><span class='today-date'>Friday, December 19, 2025</span></header>"
    byline = "<div class='byline'>By Ann Lee, December 12, 2025</div>"
    html = f"<html><body>{header}<main><h1>Council votes</h1>{byline}{BODY}</main></body></html>"
    assert copydesk.extract(html).date_published == "2025-12-12"
    # Without an <article> or <main> round the headline the page is searched whole.
    loose = f"<html><body>{header}<div><h1>Council votes</h1>{byline}{BODY}</div></body></html>"
    assert copydesk.extract(loose).date_published == "2025-12-19"


def test_options_object_is_validated():
    for bad in (dict(timeout=-1), dict(timeout="5"), dict(max_bytes=0), dict(links="yes"), dict(language=5)):
        with pytest.raises(copydesk.InvalidInput):
            copydesk.Options(**bad)
    with pytest.raises(copydesk.InvalidInput):
        copydesk.extract("<p>x</p>", options={"links": True})


def test_extract_metadata_reads_pages_without_main_content():
    html = b"<html lang='de'><head><title>Termine | Stadt</title><meta property='article:published_time' content='2024-05-06T09:00:00+02:00'></head><body><div id='app'></div></body></html>"
    assert copydesk.extract(html) is None
    md = copydesk.extract_metadata(html, "https://example.org/termine")
    assert md.date_published.startswith("2024-05-06") and md.language == "de" and md.url == "https://example.org/termine"


def test_date_beside_the_headline_and_unambiguous_slash_dates():
    body = "".join(f"<p>Paragraph {i} of the story, long enough to read as prose on any page at all.</p>" for i in range(6))
    html = f"<html><body><div><h1>Harbour reopens</h1><div>Posted on the 15/12/2025 at 19:00</div></div>{body}</body></html>"
    assert copydesk.extract(html).date_published == "2025-12-15"
    ambiguous = html.replace("15/12/2025", "03/04/2021")
    assert copydesk.extract(ambiguous).date_published == ""


def test_date_line_after_the_headline():
    body = "".join(f"<p>Absatz {i} der Meldung, lang genug, um als Fließtext gelesen zu werden.</p>" for i in range(6))
    html = f"<html><body><h1>Radon im Haus</h1><section><span>Stand:</span> <span>25.01.2022</span></section>{body}</body></html>"
    assert copydesk.extract(html).date_published == "2022-01-25"


def test_utc_stamp_gives_way_to_the_local_date_shown():
    """21:44 in Brasília is 00:44 UTC the next day: the page shows the local date."""
    body = "".join(f"<p>Parágrafo {i} da notícia, longo o bastante para contar como texto corrido aqui.</p>" for i in range(6))
    head = "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"headline\":\"Senado vota\",\"datePublished\":\"2022-05-04T00:44:52Z\"}</script>"
    html = f"<html><head>{head}</head><body><article><header><h1>Senado vota</h1><p>3 May 2022, 21:44</p></header>{body}</article></body></html>"
    assert copydesk.extract(html).date_published == "2022-05-03"
    later = html.replace("3 May 2022", "5 May 2022")  # two days off: not the same instant
    assert copydesk.extract(later).date_published.startswith("2022-05-04")


@pytest.mark.parametrize("value, day", [
    ("10.12.2022, 07:00:03", "2022-12-10"),  # dotted: day first
    ("1.2.2021", "2021-02-01"),
    ("31.02.2021", ""),  # no such day
    ("2022-12-10T07:00:03", "2022-12-10T07:00:03"),
])
def test_normalise_date_reads_dotted_dates_day_first(value, day):
    from copydesk.metadata import normalise_date

    assert normalise_date(value) == day


def test_time_element_with_non_iso_datetime_takes_the_date_it_shows():
    # "01-11-2023" could be January or November; the element shows which.
    html = (
        '<html><body><article><h1>Council votes</h1><div class="author-box">'
        '<time datetime="01-11-2023 10:29">1. November 2023 10:29</time></div>'
        f"{BODY}</article></body></html>"
    )
    assert copydesk.extract(html).date_published == "2023-11-01"
    iso = html.replace('datetime="01-11-2023 10:29"', 'datetime="2023-11-02T10:29"')
    assert copydesk.extract(iso).date_published == "2023-11-02T10:29:00"


@pytest.mark.parametrize("head_title", ["Quarterly results beat forecasts - Acme News", "Acme News | Quarterly results beat forecasts"])
def test_site_name_from_the_title_comes_off_the_title(head_title):
    html = f"<html><head><title>{head_title}</title></head><body><div>{BODY}</div></body></html>"
    md = copydesk.extract_metadata(html)
    assert (md.title, md.site_name) == ("Quarterly results beat forecasts", "Acme News")


def test_byline_dates_and_reading_times_are_not_authors():
    assert split_names("Dec. 19, 2025 · Niko Matsakis") == ["Niko Matsakis"]
    assert split_names("Sat, 20 Dec, 2025 - 06:36") == []
    assert split_names("August 28, 2025 • 5 min read") == []
    assert split_names("By Jane Doe, Dec. 19, 2025") == ["Jane Doe"]
    assert split_names("Jane Doe 19.12.2025") == ["Jane Doe"]
    # Forum handles and names with numbers are still names.
    assert split_names("Pippin06") == ["Pippin06"]
    assert split_names("98 Buck Social") == ["98 Buck Social"]


def test_a_meta_bar_under_the_headline_gives_way_to_its_byline_element():
    bar = ('<div class="under-headline">\n<span class="byline">By <a href="/writers/eb">Emily Burack</a></span>\n'
           '<span class="date">8 January 2020, 3:51 pm</span>\n<span>11</span>\n<span>Edit</span>\n'
           '<ul class="social"><li>Facebook</li> <li>Twitter</li></ul></div>')
    html = f"<html><body><article><h1>Council votes</h1>{bar}{BODY}</article></body></html>"
    assert copydesk.extract(html).authors == ("Emily Burack",)


def test_a_sentence_long_h2_under_the_headline_is_the_standfirst_but_a_section_heading_is_not():
    dek = "Governor says the naming of the new justice is historic, and she was chosen because she is the best"
    html = f"<html><body><article><h1>Council votes</h1><h2>{dek}</h2>{BODY}</article></body></html>"
    article = copydesk.extract(html)
    assert article.subtitle == dek and article.text.startswith(dek)
    html = f"<html><body><article><h1>Council votes</h1><h2>Background</h2>{BODY}</article></body></html>"
    assert copydesk.extract(html).subtitle == ""


@pytest.mark.parametrize("button", [
    "<button>Copy item path</button>",
    "<button><svg><title>copy</title></svg>Copy item path</button>",  # an icon's label, stripped first
    "<button>Copy the item's path to the clipboard</button>",          # long: still no accordion question
])
def test_a_button_in_the_headline_is_not_part_of_the_title(button):
    # Documentation generators put a "copy" control in the page's <h1>.
    html = (f"<html><head><title>Docs</title></head><body><main><h1>Module runtime{button}</h1>"
            f"{BODY}</main></body></html>")
    assert copydesk.extract(html).title == "Module runtime"


def test_a_canonical_link_in_the_body_is_read():
    html = (f'<html><body><link rel="canonical" href="https://courier.example/news/budget">'
            f"<article><h1>Council votes</h1>{BODY}</article></body></html>")
    assert copydesk.extract(html, url="https://courier.example/?p=123").url == "https://courier.example/news/budget"


@pytest.mark.parametrize("tries", [2000, 1, 0])
def test_find_words_finds_what_the_whitespace_joined_pattern_finds(tries, monkeypatch):
    import random

    import copydesk.dates as dates

    monkeypatch.setattr(dates, "FIND_WORDS_TRIES", tries)  # 0 and 1: the pattern takes over
    rng = random.Random(7)
    pieces = ["a", "b", "ab", "A", " ", "  ", "\n", "\xa0", "x."]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        words = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))).split()
        if not words:
            continue
        end = rng.randint(0, 35)
        m = re.compile(r"\s+".join(map(re.escape, words))).search(text, 0, end)
        assert dates.find_words(text, words, end) == ((m.start(), m.end()) if m else None)
