"""Text mode (`copydesk.extract_text`): the seed page as flattened text, site evidence, hostile text."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import copydesk
from copydesk import ExtractionTimeout, InputTooLarge, InvalidInput, SiteProfile, extract_text
from copydesk.textmode import body_run, is_soup, line_class, segment_lines, split_caption

FIXTURES = Path(__file__).parent / "fixtures"
SEED_TEXT = FIXTURES / "000_458d097b5487f895.txt"
SEED_EXPECTED = FIXTURES / "000_458d097b5487f895.expected.json"


@pytest.fixture(scope="module")
def seed():
    text = SEED_TEXT.read_text(encoding="utf-8")
    return text, json.loads(SEED_EXPECTED.read_text(encoding="utf-8")), extract_text(text)


# --------------------------------------------------------------------------- acceptance (1): the seed


def test_seed_fields(seed):
    _, exp, a = seed
    assert a is not None
    assert a.section == exp["section"]
    assert a.title == exp["title"]
    assert a.subtitle == exp["subtitle"]
    assert a.dateline == exp["dateline"]
    assert [(i.caption, i.credit) for i in a.images] == [(i["caption"], i["credit"]) for i in exp["images"]]


def test_seed_body_paragraphs_in_order(seed):
    _, exp, a = seed
    assert [b.text for b in a.blocks if b.kind == "paragraph"] == exp["body_paragraphs"]
    # The only other block is the photo, as in HTML mode (figure first, then the body).
    assert [b.kind for b in a.blocks if b.kind != "paragraph"] == ["figure"]


def _strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _strings(v)


def test_seed_no_boilerplate_anywhere(seed):
    _, exp, a = seed
    everything = "\n".join(_strings(a.to_dict())) + a.markdown + a.html
    for s in exp["must_not_contain"]:
        assert s not in everything, s
    body = {b.text for b in a.blocks}
    for line in exp["boilerplate_lines"]:
        assert line not in body


def test_seed_bytes_and_crlf_give_the_same_article(seed):
    text, _, a = seed
    b = extract_text(text.replace("\n", "\r\n").encode("utf-8"))
    assert b == a


def test_seed_one_block_a_line_without_blank_lines(seed):
    """WET records have no blank lines between blocks."""
    text, exp, _ = seed
    a = extract_text("\n".join(line for line in text.splitlines() if line.strip()))
    assert a.title == exp["title"] and a.section == exp["section"] and a.subtitle == exp["subtitle"]
    assert [b.text for b in a.blocks if b.kind == "paragraph"] == exp["body_paragraphs"]


def test_seed_paywall_and_renderings(seed):
    _, exp, a = seed
    assert a.paywalled is True
    assert a.page_type == "article" and a.language == "en" and 0.5 < a.confidence <= 1
    assert a.markdown.startswith("# " + exp["title"])
    assert "Xinhua/AP" in a.html


def test_seed_options_are_honoured(seed):
    text, exp, _ = seed
    a = extract_text(text, images=False)
    assert a.images == () and all(b.kind != "figure" for b in a.blocks)
    assert extract_text(text, "https://asia.nikkei.com/Spotlight/North-Korea-Crisis/x").url.startswith("https://asia.nikkei.com/")
    with pytest.raises(InvalidInput):
        extract_text(text, nonsense=True)


# --------------------------------------------------------------------------- building blocks


def test_segment_lines_bullets_groups_and_features():
    segs = segment_lines("Menu\n  • Politics\n  • Economy\n\nA paragraph of text.\n")
    assert [s.text for s in segs] == ["Menu", "Politics", "Economy", "A paragraph of text."]
    assert [s.tag for s in segs] == ["line", "li", "li", "line"]
    assert [s.path for s in segs] == [(0, 0), (0, 0), (0, 0), (0, 1)]
    assert all(s.link_chars == 0 and s.kind == "paragraph" for s in segs)


def test_split_caption_credit_forms():
    assert split_caption("Xi and Kim in Dalian.   © Xinhua/AP") == ("Xi and Kim in Dalian.", "Xinhua/AP")
    assert split_caption("Crowds gather in the square. Photo: Jane Doe") == ("Crowds gather in the square.", "Jane Doe")
    assert split_caption("Crowds gather in the square (Jane Doe/Reuters)") == ("Crowds gather in the square", "Jane Doe/Reuters")
    assert split_caption("An ordinary sentence about a photo of the square.") is None


def test_soup_lines():
    assert is_soup("ArrowArtboardCreated with Sketch.Title ChevronCrossEye IconFacebook IconIcon FacebookGoogle Plus Icon")
    assert is_soup("Home News Sport Business Politics Economy Markets Tech Opinion Life Arts")
    assert not is_soup("The two leaders reaffirmed the importance of relations in their second round of talks.")


def test_body_run_bridges_a_subheading_but_not_a_menu():
    para = "This is a sentence of running prose that is long enough to count as a good line of text."
    menu = "\n".join(f"Section {i}" for i in range(30))
    text = f"{para}\n{para}\nA subheading\n{para}\n{menu}\n{para}"
    segs = segment_lines(text)
    classes = [line_class(s) for s in segs]
    assert body_run(classes, segs) == (0, 3)


def test_paywall_template_and_cookie_lines_are_boilerplate():
    lines = [
        "You have {{n}} free articles left this month",
        "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
        "Sign up for our daily newsletter to get the best stories delivered to your inbox every morning.",
        "We may earn commission from links on this page, but we only recommend products we back.",
    ]
    for line in lines:
        assert line_class(segment_lines(line)[0]) == "bad", line


def test_no_prose_gives_none():
    assert extract_text("Home\nNews\nSport\nContact us") is None
    assert extract_text("") is None


# --------------------------------------------------------------------------- site evidence


def _site_page(n: int) -> str:
    story = " ".join(f"Story {n} reports that the council met on day {n} and voted on item {k} after a long debate." for k in range(3))
    return "\n".join([
        "Our journalism is funded by readers like you, and every single contribution helps to keep it free for all.",
        f"Council votes on plan number {n}",
        story,
        f"The mayor said the decision on plan {n} would be reviewed next year by an independent panel of experts.",
        "Our journalism is made possible by readers like you: support independent local reporting in this city today.",
    ])


def test_site_profile_drops_lines_repeated_across_the_site():
    pages = [(_site_page(n), f"https://news.example.org/2024/story-{n}") for n in range(6)]
    plain = extract_text(*pages[0])
    assert "funded by readers" in plain.text  # on one page alone it reads as prose
    profile = SiteProfile()
    for text, url in pages:
        profile.add(text, url)
    assert profile.pages(pages[0][1]) == 6
    assert profile.is_boilerplate("Our journalism is funded by readers like you, and every single contribution helps to keep it free for all.", pages[0][1])
    a = extract_text(*pages[0], site=profile)
    assert "funded by readers" not in a.text and "made possible by readers" not in a.text
    assert "Story 0 reports" in a.text and "The mayor said the decision on plan 0" in a.text
    # Another host's evidence does not apply.
    assert not profile.is_boilerplate("Our journalism is funded by readers like you, and every single contribution helps to keep it free for all.", "https://other.example.com/x")


def test_site_profile_memory_is_fixed_and_never_empties_a_page():
    profile = SiteProfile(width=1 << 10, depth=2)
    assert profile.memory_bytes == 4 * 1024 * 2
    text = _site_page(1)
    for _ in range(5):
        profile.add(text, "https://a.example/1")  # the same page crawled five times
    assert profile.memory_bytes == 4 * 1024 * 2
    a = extract_text(text, "https://a.example/1", site=profile)
    assert a is not None and "Story 1 reports" in a.text


# --------------------------------------------------------------------------- acceptance (4): hostile text


def _timed(fn, limit=5.0):
    t0 = time.perf_counter()
    out = fn()
    assert time.perf_counter() - t0 < limit
    return out


def test_50mb_single_line_is_refused_quickly():
    big = "word " * 10_000_000  # 50 MB, one line
    with pytest.raises(InputTooLarge):
        _timed(lambda: extract_text(big), 2.0)
    with pytest.raises(InputTooLarge):
        _timed(lambda: extract_text(big.encode()), 2.0)


def test_one_long_line_of_mojibake_keeps_the_time_limit():
    """4 MB of Latin-1-looking bytes on one line: the mojibake repair took it in one
    ftfy call (6 s against a 1 s limit); it now goes in parts with the deadline
    checked between (decode.REPAIR_MAX_STRETCH)."""
    import random

    rng = random.Random(1)
    data = bytes(rng.choice(range(0xA1, 0xFF)) for _ in range(100_000)) * 40
    t0 = time.perf_counter()
    with pytest.raises(ExtractionTimeout):
        extract_text(data, timeout=1.0)
    assert time.perf_counter() - t0 < 2.5


def test_long_single_line_under_the_limit_gives_a_result_or_times_out():
    text = "A sentence of prose that goes on. " * 150_000  # 5 MB on one line
    try:
        a = _timed(lambda: extract_text(text, timeout=2.0), 4.0)
    except ExtractionTimeout:
        return
    assert a is not None and a.blocks


def test_binary_and_compressed_bytes_are_refused_as_in_html_mode():
    """Random bytes or a gzip file are not page text: the same InvalidInput as
    `extract` gives, not an "article" of mojibake."""
    import gzip
    import random

    noise = random.Random(7).randbytes(5000)
    with pytest.raises(InvalidInput, match="binary"):
        extract_text(noise)
    with pytest.raises(InvalidInput, match="gzip"):
        extract_text(gzip.compress(b"A line of text.\n" * 100))


def test_wide_and_nul_padded_text_is_not_taken_for_binary():
    """Russian in UTF-16/UTF-32 without a byte order mark, as its transport labels it
    (few NULs: the UTF-8 reading is all control bytes), and UTF-8 text padded with NULs,
    are text; the same bytes unlabelled in UTF-16 are refused rather than misread."""
    lines = [f"Строка {i}: городской совет принял бюджет на следующий год после долгих споров о дорогах." for i in range(8)]
    text = "\n".join(lines) + "\n"
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        article = extract_text(text.encode(codec), charset=codec)
        assert article is not None and "городской совет" in article.text, codec
    with pytest.raises(InvalidInput, match="binary"):
        extract_text(text.encode("utf-16-le"))
    padded = extract_text(b"\x00" * 400 + text.encode("utf-8"))
    assert padded is not None and "городской совет" in padded.text


def test_nul_bytes_and_invalid_surrogates():
    para = "The two leaders reaffirmed the importance of their relations in a second round of talks in March."
    a = extract_text(f"Head\x00line of the story here\n{para}\x00\n{para}\ud800 end.")
    assert a is not None and "\x00" not in a.to_json()
    a.to_json().encode("utf-8")  # no lone surrogates left
    b = extract_text(("Title line\n" + para + "\n").encode("utf-8") + b"\xff\xfe\x00bad bytes.\n")
    assert b is not None


def test_a_million_empty_lines():
    para = "The two leaders reaffirmed the importance of their relations in a second round of talks in March."
    text = "\n" * 1_000_000 + para + "\n" * 1_000_000 + para
    a = _timed(lambda: extract_text(text), 4.0)
    assert [b.text for b in a.blocks] == [para, para]


def test_mixed_scripts():
    lines = [
        "Главная Новости Спорт",
        "中国国家主席习近平与朝鲜领导人金正恩在大连举行会谈，双方重申了中朝关系的重要性，并就半岛局势交换了意见。会谈在友好的气氛中进行，双方还讨论了经济合作与人员往来等议题。",
        "مرحبا بكم في موقعنا. هذه فقرة طويلة بما يكفي لتكون نصا من النثر العادي الذي يقرأه الناس على الشبكة كل يوم.",
        "The two leaders reaffirmed the importance of their relations in a second round of talks in March.",
        "🙂" * 50,
    ]
    a = extract_text("\n".join(lines))
    assert a is not None and any("习近平" in b.text for b in a.blocks)


def test_many_short_lines_within_the_time_limit():
    text = "\n".join(f"Menu item {i}" for i in range(100_000))
    assert _timed(lambda: extract_text(text), 8.0) is None


def test_timeout_is_honoured():
    text = "\n".join(f"This is line {i} of prose, long enough to be a good line of text, it says." for i in range(200_000))
    with pytest.raises(ExtractionTimeout):
        _timed(lambda: extract_text(text, timeout=0.05), 3.0)


def test_wrong_type():
    with pytest.raises(InvalidInput):
        extract_text(12345)  # type: ignore[arg-type]
    assert isinstance(copydesk.extract_text, type(copydesk.extract))


ENCYCLOPEDIA = "\n".join([
    "Lindenhof - Wikipedia, the free encyclopedia",
    "Jump to content", "Main menu", "Search", "Create account", "Log in",
    "Contents", "1 History", "2 Geography", "3 Sights",
    "Lindenhof", "Village in Lower Saxony", "Country Germany", "Area 19.01 km2",
    "52°24′59″N 9°0′23″E",
    "Lindenhof",
    "Lindenhof is a village in the district of Harburg in Lower Saxony, Germany, on the edge of the heath, with about 900 inhabitants.",
    "The village lies 40 metres above sea level, 12 km south of the district town, and its parish takes in two hamlets.",
    "History",
    "Lindenhof is first named in a deed of 1293, when the abbey of Medingen bought its mill and two farms from the counts.",
    "Retrieved from the encyclopedia",
])


def test_a_title_hint_names_a_one_word_headline():
    # A WET record starts with the page's <title>, "Headline - Site": a line that is
    # exactly a part of it is the headline, one word or not, and coordinates are no section.
    a = extract_text(ENCYCLOPEDIA, "https://en.example.org/wiki/Lindenhof", title=ENCYCLOPEDIA.split("\n", 1)[0])
    assert a.title == "Lindenhof" and a.section == ""
    assert a.text.startswith("Lindenhof is a village")
